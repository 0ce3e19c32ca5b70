"""End to end: a real LSP client (pytest-lsp, which also checks every answer against the
client's capabilities) through open, change, diagnostics, hover, code action and applying its
edit, completion, definition and shutdown."""

import json
import subprocess

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import BINARY, TODAY, WORKSPACE


def uri_of(relative: str) -> str:
    return (WORKSPACE / relative).as_uri()


def open_plan(client: LanguageClient, relative: str, text: str | None = None) -> str:
    path = WORKSPACE / relative
    text = path.read_text() if text is None else text
    language = "json" if relative.endswith(".json") else "toml"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=1, text=text)
        )
    )
    return path.as_uri()


async def diagnostics_of(client: LanguageClient, uri: str, version: int | None = None):
    while True:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics:
            return client.diagnostics[uri]


def cli_findings(relative: str):
    report = subprocess.run(
        [BINARY, "--today", TODAY, "--format", "json", relative],
        cwd=WORKSPACE, capture_output=True, text=True,
    )
    found = json.loads(report.stdout)["diagnostics"]
    return sorted((d["code"], d["line"] - 1, d["column"] - 1) for d in found if d["file"] == relative)


def position_of(text: str, needle: str, after: int = 0) -> types.Position:
    offset = text.index(needle) + after
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return types.Position(line=line, character=column)


@pytest.mark.asyncio
async def test_diagnostics_are_the_command_lines(client: LanguageClient):
    relative = "examples/council-website.plan.toml"
    uri = open_plan(client, relative)
    found = await diagnostics_of(client, uri)
    ours = sorted((d.code, d.range.start.line, d.range.start.character) for d in found)
    assert ours == cli_findings(relative)
    codes = {d.code for d in found}
    assert {"PL101", "PL102", "PL003"} <= codes
    rag = next(d for d in found if d.code == "PL102")
    assert rag.source == "plan-lint"
    assert rag.code_description.href.endswith("/rules/invalid-value.md")


@pytest.mark.asyncio
async def test_a_change_is_checked_and_a_code_action_fixes_it(client: LanguageClient):
    relative = "examples/council-website.plan.toml"
    text = (WORKSPACE / relative).read_text()
    uri = open_plan(client, relative)
    found = await diagnostics_of(client, uri)
    rag = next(d for d in found if d.code == "PL102")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rag.range,
            context=types.CodeActionContext(diagnostics=[rag]),
        )
    )
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.title.startswith('Write "amber"'))
    assert any(t.startswith("Suppress invalid-value") for t in titles), titles
    (edit,) = fix.edit.changes[uri]
    lines = text.split("\n")
    line = lines[edit.range.start.line]
    lines[edit.range.start.line] = line[: edit.range.start.character] + edit.new_text + line[edit.range.end.character :]
    fixed = "\n".join(lines)
    assert 'rag = "amber"' in fixed
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await diagnostics_of(client, uri)
    assert "PL102" not in {d.code for d in after}
    assert "PL101" in {d.code for d in after}


@pytest.mark.asyncio
async def test_hover_completion_and_definition_use_the_plans_ids(client: LanguageClient):
    relative = "examples/payments-migration.plan.toml"
    text = (WORKSPACE / relative).read_text()
    uri = open_plan(client, relative)
    await diagnostics_of(client, uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, 'actions = ["R-1"]', 12))
    )
    assert "**R-1**" in hover.contents.value and "due:" in hover.contents.value
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, 'depends_on = ["M1"]', 16))
    )
    target = definition if isinstance(definition, types.Location) else definition[0]
    assert target.uri == uri
    assert text.split("\n")[target.range.start.line] == 'id = "M1"'
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(text, 'rag = "amber"', 7))
    )
    labels = {item.label for item in (completion.items if hasattr(completion, "items") else completion)}
    assert {"green", "amber", "red"} <= labels
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    names = {s.name for s in symbols}
    assert {"plan", "milestones", "raid"} <= names


@pytest.mark.asyncio
async def test_an_open_buffer_replaces_its_file_for_the_other_plans(client: LanguageClient):
    a = "across/a.plan.toml"
    b = "across/b.plan.json"
    a_uri = open_plan(client, a)
    found = await diagnostics_of(client, a_uri)
    assert "PL017" in {d.code for d in found}
    over = next(d for d in found if d.code == "PL017")
    assert any(info.location.uri == uri_of(b) for info in over.related_information)
    # In b's buffer, nobody is allocated any more: a's over-allocation goes, unsaved.
    b_text = (WORKSPACE / b).read_text()
    plan = json.loads(b_text)
    plan["resources"] = []
    client.diagnostics.clear()
    open_plan(client, b, json.dumps(plan, indent=2))
    while True:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if a_uri in client.diagnostics:
            break
    # Still over-allocated with the examples' copy of the plan, but no longer with b.
    for d in client.diagnostics[a_uri]:
        if d.code == "PL017":
            assert all(info.location.uri != uri_of(b) for info in d.related_information or [])

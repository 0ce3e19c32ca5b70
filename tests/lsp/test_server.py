"""End to end: a real LSP client (pytest-lsp, which also checks every answer against the
client's capabilities) through open, change, diagnostics, hover, code action and applying its
edit, completion, definition and shutdown."""

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import BINARY, TODAY, WORKSPACE


def uri_of(relative: str) -> str:
    return (WORKSPACE / relative).as_uri()


def open_plan(client: LanguageClient, relative: str, text: str | None = None) -> str:
    path = WORKSPACE / relative
    text = path.read_text() if text is None else text
    language = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}.get(Path(relative).suffix, "toml")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=1, text=text)
        )
    )
    return path.as_uri()


async def actions_for(client: LanguageClient, uri: str, diagnostic: types.Diagnostic):
    """The code actions the server offers for one of its diagnostics."""
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


async def diagnostics_of(client: LanguageClient, uri: str):
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
    actions = await actions_for(client, uri, rag)
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.title.startswith('Write "amber"'))
    assert any(t.startswith("Suppress invalid-value") for t in titles), titles
    (edit,) = fix.edit.changes[uri]
    fixed = apply_edits(text, [edit])
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
async def test_a_yaml_plan_gets_the_command_lines_findings_fixes_and_completion(client: LanguageClient):
    relative = "examples/month-end-close.plan.yaml"
    text = (WORKSPACE / relative).read_text().replace("  rag: amber\n", "  rag: ambre\n", 1)
    uri = open_plan(client, relative, text)
    found = await diagnostics_of(client, uri)
    rag = next(d for d in found if d.code == "PL102")
    assert text.split("\n")[rag.range.start.line] == "  rag: ambre"
    assert rag.range.start.character == len("  rag: ")
    actions = await actions_for(client, uri, rag)
    fix = next(a for a in actions if a.title.startswith('Write "amber"'))
    (edit,) = fix.edit.changes[uri]
    assert 'rag: "amber"' in apply_edits(text, [edit])
    suppress = next(a for a in actions if a.title.startswith("Suppress invalid-value"))
    (edit,) = suppress.edit.changes[uri]
    assert "  # plan-lint: allow(invalid-value) -- reason: why this is accepted\n  rag: ambre" in apply_edits(text, [edit])
    # Completion offers the keys the mapping around the cursor lacks, YAML-style: `note`
    # taken out of `health`, the cursor where it was.
    lines = text.split("\n")
    line = lines.index("  note: The bank-feed connector for two subsidiaries is not signed off yet")
    typed = "\n".join(lines[:line] + ["  "] + lines[line + 1:])
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=typed)],
        )
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=2))
    )
    items = completion.items if hasattr(completion, "items") else completion
    offered = {item.label: item.insert_text for item in items}
    assert offered.get("note") == "note: ", offered
    assert "rag" not in offered and "as_of" not in offered, offered


@pytest.mark.asyncio
async def test_a_markdown_plan_gets_findings_at_cells_with_fixes_and_suppressions_in_the_row(client: LanguageClient):
    relative = "examples/service-desk-consolidation.plan.md"
    text = (WORKSPACE / relative).read_text().replace("| dmitri | open | high |", "| dmitri | open | hgih |", 1)
    uri = open_plan(client, relative, text)
    found = await diagnostics_of(client, uri)
    severity = next(d for d in found if d.code == "PL102")
    row = text.split("\n")[severity.range.start.line]
    assert row.startswith("| R-1 |")
    assert row[severity.range.start.character:severity.range.end.character] == "hgih"
    actions = await actions_for(client, uri, severity)
    fix = next(a for a in actions if a.title.startswith('Write "high"'))
    (edit,) = fix.edit.changes[uri]
    assert "| dmitri | open | high |" in apply_edits(text, [edit])
    suppress = next(a for a in actions if a.title.startswith("Suppress invalid-value"))
    (edit,) = suppress.edit.changes[uri]
    suppressed = apply_edits(text, [edit]).split("\n")[severity.range.start.line]
    assert suppressed.endswith(" <!-- plan-lint: allow(invalid-value) -- reason: why this is accepted --> |"), suppressed
    # The suppressed buffer: the finding is gone, the table whole.
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=apply_edits(text, [edit]))],
        )
    )
    after = await diagnostics_of(client, uri)
    assert "PL102" not in {d.code for d in after}, after


@pytest.mark.asyncio
async def test_a_yaml_plan_on_disk_gives_the_command_lines_diagnostics(client: LanguageClient):
    relative = "examples/month-end-close.plan.yaml"
    original = (WORKSPACE / relative).read_text()
    (WORKSPACE / relative).write_text(original.replace("    mitigation: Book", "    mitigatoin: Book", 1))
    try:
        uri = open_plan(client, relative)
        found = await diagnostics_of(client, uri)
        ours = sorted((d.code, d.range.start.line, d.range.start.character) for d in found)
        assert ours == cli_findings(relative)
        assert "PL101" in {d.code for d in found}
    finally:
        (WORKSPACE / relative).write_text(original)


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
    assert any(
        info.location.uri == uri_of(b)
        for d in found if d.code == "PL017"
        for info in d.related_information or []
    )
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


def related_to(found, code: str, uri: str) -> bool:
    return any(
        info.location.uri == uri
        for d in found if d.code == code
        for info in d.related_information or []
    )


async def next_diagnostics(client: LanguageClient, uri: str):
    client.diagnostics.pop(uri, None)
    return await diagnostics_of(client, uri)


@pytest.mark.asyncio
async def test_a_plan_changed_on_disk_counts_when_the_watching_client_reports_it(client: LanguageClient):
    # The server asks for plan and config files to be watched...
    while not client.registrations:
        await asyncio.sleep(0.01)
    (registration,) = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = {watcher["globPattern"] for watcher in registration.register_options["watchers"]}
    assert {"**/*.plan.toml", "**/*.plan.json", "**/plan-lint.toml"} <= globs
    a, b = "across/a.plan.toml", "across/b.plan.json"
    a_uri = open_plan(client, a)
    a_text = (WORKSPACE / a).read_text()
    assert related_to(await diagnostics_of(client, a_uri), "PL017", uri_of(b))
    b_path = WORKSPACE / b
    b_text = b_path.read_text()
    try:
        plan = json.loads(b_text)
        plan["resources"] = []
        b_path.write_text(json.dumps(plan, indent=2))
        # ...and, watched, does not look at a closed plan's file on each edit of another:
        # until the client reports the change, the plan is as last read.
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=a_uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=a_text + "\n")],
            )
        )
        assert related_to(await next_diagnostics(client, a_uri), "PL017", uri_of(b))
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=uri_of(b), type=types.FileChangeType.Changed)]
            )
        )
        assert not related_to(await next_diagnostics(client, a_uri), "PL017", uri_of(b))
    finally:
        b_path.write_text(b_text)


def apply_edits(text: str, edits) -> str:
    """Apply LSP text edits (UTF-16 positions) to a text, last first."""
    lines = text.split("\n")

    def offset(position):
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for at, char in enumerate(line):
            if units >= position.character:
                return before + at
            units += len(char.encode("utf-16-le")) // 2
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
        lines = text.split("\n")
    return text


@pytest.mark.asyncio
async def test_hover_on_a_person_and_a_cross_plan_milestone(client: LanguageClient):
    relative = "refs/a.plan.toml"
    text = (WORKSPACE / relative).read_text()
    uri = open_plan(client, relative)
    await diagnostics_of(client, uri)
    at = position_of(text, '"warehouse-robotics#M2"', 3)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert "in plan `warehouse-robotics`" in hover.contents.value, hover.contents.value
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    target = definition if isinstance(definition, types.Location) else definition[0]
    assert target.uri != uri
    target_text = (WORKSPACE / target.uri.removeprefix(WORKSPACE.as_uri() + "/")).read_text()
    assert '"M2"' in target_text.split("\n")[target.range.start.line]

    across = "across/a.plan.toml"
    across_text = (WORKSPACE / across).read_text()
    across_uri = open_plan(client, across)
    await diagnostics_of(client, across_uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=across_uri), position=position_of(across_text, 'person = "carol"', 11))
    )
    value = hover.contents.value
    assert "**carol**" in value and "`team`" in value.replace("people.team", "team") and "allocated:" in value, value


@pytest.mark.asyncio
async def test_completion_offers_the_keys_an_entry_lacks(client: LanguageClient):
    relative = "examples/payments-migration.plan.toml"
    text = (WORKSPACE / relative).read_text()
    # A new, empty line in the first RAID entry.
    at = text.index('[[raid]]\nid = "R-1"\n') + len('[[raid]]\nid = "R-1"\n')
    block_end = text.index("[[raid]]", at)
    block = "\n".join(
        line for line in text[at:block_end].split("\n") if not line.startswith(("severity", "due"))
    )
    edited = text[:at] + "\n" + block + text[block_end:]
    import tomllib
    entry = tomllib.loads(edited)["raid"][0]
    assert "severity" not in entry and "due" not in entry
    uri = open_plan(client, relative, edited)
    await diagnostics_of(client, uri)
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_of(edited, 'id = "R-1"\n', 11))
    )
    labels = {item.label for item in (completion.items if hasattr(completion, "items") else completion)}
    # Exactly the keys of a RAID entry (from the published schema) that R-1 does not have.
    schema = json.loads(subprocess.run([BINARY, "schema"], capture_output=True, text=True).stdout)
    keys = set(schema["$defs"]["raid"]["properties"])
    import tomllib
    present = set(entry)
    assert labels == keys - present, (labels, keys - present)
    assert {"severity", "due"} <= labels
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_of(edited, 'id = "M1"', 6),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    lines = [edited.split("\n")[r.range.start.line] for r in references]
    assert 'depends_on = ["M1"]' in lines, lines


@pytest.mark.asyncio
async def test_fix_all_and_suppression_actions_edit_the_file(client: LanguageClient):
    relative = "fixable.plan.toml"
    text = (WORKSPACE / relative).read_text()
    uri = open_plan(client, relative)
    found = await diagnostics_of(client, uri)
    assert "PL008" in {d.code for d in found}
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.plan-lint"]),
        )
    )
    (fix_all,) = actions
    fixed = apply_edits(text, fix_all.edit.changes[uri])
    assert fixed.count("consulted = []") == 1
    assert "informed = []" in fixed

    json_relative = "examples/warehouse-robotics.plan.json"
    json_text = (WORKSPACE / json_relative).read_text()
    json_uri = open_plan(client, json_relative)
    found = await diagnostics_of(client, json_uri)
    target = found[0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=json_uri),
            range=target.range,
            context=types.CodeActionContext(diagnostics=[target]),
        )
    )
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    suppressed = json.loads(apply_edits(json_text, suppress.edit.changes[json_uri]))
    (entry,) = suppressed["lint"]["allow"]
    assert entry["rule"] and entry["at"] and entry["reason"]


@pytest.mark.asyncio
async def test_positions_count_utf16_units_and_a_broken_config_is_shown_in_it(client: LanguageClient):
    line = '  "plan": {"title": "😀é\\u0301 ok", "zone": "design", "idd": "x"},'
    text = (WORKSPACE / "examples/warehouse-robotics.plan.json").read_text()
    plan = json.loads(text)
    del plan["plan"]
    body = json.dumps(plan, indent=2, ensure_ascii=False)
    edited = "{\n" + line.replace("\\u0301", "\u0301") + "\n" + body[2:]
    uri = open_plan(client, "emoji.plan.json", edited)
    found = await diagnostics_of(client, uri)
    unknown = next(d for d in found if d.code == "PL101")
    written = edited.split("\n")[1]
    expected = len(written[: written.index('"idd"')].encode("utf-16-le")) // 2
    assert (unknown.range.start.line, unknown.range.start.character) == (1, expected)

    config = WORKSPACE / "plan-lint.toml"
    # Saved first: the server reads the config the plans' folder has on disk.
    config.write_text('fail_on = "sometimes"\n')
    client.diagnostics.clear()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=config.as_uri(), language_id="toml", version=1, text='fail_on = "sometimes"\n')
        )
    )
    try:
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
            )
        )
        while config.as_uri() not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        (problem,) = client.diagnostics[config.as_uri()]
        assert "sometimes" in problem.message
        assert problem.range.start.line == 0 and problem.range.start.character == 10
    finally:
        config.unlink()

"""pytest-lsp drives `plan-lint server` as an editor would, in a copy of the examples."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("PLAN_LINT_BIN", str(REPO / "target" / "debug" / "plan-lint"))
TODAY = "2026-11-25"


def make_workspace(root: Path) -> Path:
    """A repository holding the example plans and two plans that share people."""
    shutil.copytree(REPO / "examples", root / "examples")
    shutil.copytree(REPO / "fixtures" / "over-allocation" / "fail-across-plans", root / "across")
    shutil.copytree(REPO / "fixtures" / "dangling-reference" / "pass-across-plans", root / "refs")
    shutil.copy(REPO / "fixtures" / "mechanism-raci" / "fix-missing-lists.before.plan.toml", root / "fixable.plan.toml")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


WORKSPACE = make_workspace(Path(os.environ.get("PLAN_LINT_LSP_WORKSPACE", "/tmp")).joinpath(f"plan-lint-lsp-{os.getpid()}"))


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BINARY, "server", "--today", TODAY]),
)
async def client(lsp_client: LanguageClient):
    # As VS Code does, the client agrees to watch the files the server asks it to.
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(client: LanguageClient, params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=WORKSPACE.as_uri(),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(WORKSPACE, ignore_errors=True)

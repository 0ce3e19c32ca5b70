//! The language server, driven by a real LSP client: the pytest-lsp suite in `tests/lsp/`
//! (which also checks every answer against the client's capabilities), and, from here, the
//! server's diagnostics for every fixture against the command line's findings.

use crate::support::{
    TODAY, fixture_cases, isolated, json_report, oracles, plan_lint_in, repo_root,
};
use serde_json::{Value, json};
use std::io::BufReader;
use std::process::{Command, Stdio};

#[test]
fn the_pytest_lsp_suite_passes() {
    let Some(oracles) = oracles() else { return };
    let workspace = tempfile::tempdir().unwrap();
    let (passed, text) = oracles.run(
        // Bounded: a server that stops answering fails the suite instead of hanging CI.
        Command::new("timeout")
            .arg("300")
            .arg(oracles.venv_bin("python"))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-c"])
            .arg(repo_root().join("tests/lsp/pytest.ini"))
            .arg(repo_root().join("tests/lsp"))
            .env("PLAN_LINT_BIN", env!("CARGO_BIN_EXE_plan-lint"))
            .env("PLAN_LINT_LSP_WORKSPACE", workspace.path()),
    );
    assert!(passed, "pytest-lsp:\n{text}");
    assert!(text.contains(" passed"), "{text}");
}

/// A minimal client over the server's stdio, framing messages with `lsp-server` as the server
/// does.
struct Client {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
    next_id: i64,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plan-lint"))
            .args(["server", "--today", TODAY])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        let mut client = Client {
            child,
            input,
            output,
            next_id: 1,
        };
        let root = format!("file://{}", dir.display());
        client.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let message: lsp_server::Message = serde_json::from_value(message.clone()).unwrap();
        message.write(&mut self.input).unwrap();
    }

    fn read(&mut self) -> Value {
        let message = lsp_server::Message::read(&mut self.output).unwrap();
        serde_json::to_value(message.expect("the server closed its output")).unwrap()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.read();
            if message["id"] == id {
                return message;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.read();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        assert!(self.child.wait().unwrap().success());
    }
}

/// The language id an editor gives a plan file (VS Code's, which the extension selects by), by
/// the format plan-lint reads it in: a format added there must be named here.
fn language_id(file: &str) -> &'static str {
    match plan_model::Format::of_path(file) {
        plan_model::Format::Toml => "toml",
        plan_model::Format::Json => "json",
        plan_model::Format::Yaml => "yaml",
        plan_model::Format::Markdown => "markdown",
    }
}

/// The same plan text gives the same findings from the command line and from the server.
#[test]
fn the_server_reports_the_command_lines_findings_for_every_fixture() {
    let cases = fixture_cases();
    for case in &cases {
        let dir = isolated(&[case]);
        let files: Vec<String> = crate::support::plan_files_in(dir.path());
        // The server finds a case's own config from its plans' folder; the command line is
        // told where it is.
        let config = format!("{case}/plan-lint.toml");
        let mut args = vec!["--today", TODAY, "--format", "json"];
        if dir.path().join(&config).is_file() {
            args.extend(["--config", config.as_str()]);
        }
        let cli = json_report(&plan_lint_in(dir.path(), &args));
        let mut client = Client::start(dir.path());
        for file in &files {
            let path = dir.path().join(file).canonicalize().unwrap();
            let uri = format!("file://{}", path.display());
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            client.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": language_id(file), "version": 1, "text": text}}),
            );
            let published = client.diagnostics(&uri);
            let mut ours: Vec<(String, u64)> = published
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_owned(),
                        d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    )
                })
                .collect();
            ours.sort();
            let mut theirs: Vec<(String, u64)> = cli["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["file"] == file.as_str())
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_owned(),
                        d["line"].as_u64().unwrap(),
                    )
                })
                .collect();
            theirs.sort();
            assert_eq!(ours, theirs, "{case}: {file}");
        }
        client.stop();
    }
}

/// A half-typed buffer and hostile requests get answers, never a crash.
#[test]
fn malformed_buffers_and_odd_requests_are_answered() {
    let dir = isolated(&["fixtures/raid-mitigation/fail.plan.toml"]);
    let mut client = Client::start(dir.path());
    let path = dir.path().canonicalize().unwrap().join("half.plan.toml");
    let uri = format!("file://{}", path.display());
    for (version, text) in [
        "[plan\nid = ",
        "version = 1\n[plan]\nid = \"x\"\n[[raid]]\nid = \"😀é\u{301}\"\nowner = ",
        "",
    ]
    .iter()
    .enumerate()
    {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "toml", "version": version, "text": text}}),
        );
        let diagnostics = client.diagnostics(&uri);
        if !text.is_empty() {
            assert!(!diagnostics.is_empty(), "{text:?}");
        }
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
            "textDocument/codeAction",
            "textDocument/documentSymbol",
        ] {
            let answer = client.request(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": 99, "character": 99},
                       "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}},
                       "context": {"diagnostics": []}}),
            );
            assert!(
                answer.get("result").is_some() || answer.get("error").is_some(),
                "{method}: {answer}"
            );
        }
    }
    let unknown = client.request("workspace/unknownThing", json!({}));
    assert!(unknown["error"].is_object());
    client.stop();
}

/// A project's custom rules reach the editor: their findings, their pages on hover, and a
/// rule file changed on disk (as a watching client reports it) changes the findings.
#[test]
fn custom_rules_are_diagnostics_hovers_and_follow_their_rule_files() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::git(dir.path(), &["init", "-q"]);
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    let rule = repo_root().join("examples/rules/owner-is-not-lead.toml");
    std::fs::copy(&rule, dir.path().join("rules/owner.toml")).unwrap();
    std::fs::write(
        dir.path().join("plan-lint.toml"),
        "rule_files = [\"rules/*.toml\"]\n",
    )
    .unwrap();
    let text = std::fs::read_to_string(repo_root().join("examples/payments-migration.plan.toml"))
        .unwrap()
        .replacen(
            "problem_owner = \"bob\"",
            "# plan-lint: allow(owner-is-not-lead) -- until the sponsor is named\nproblem_owner = \"alice\"",
            1,
        );
    let comment_line = text
        .lines()
        .position(|line| line.starts_with("# plan-lint: allow(owner-is-not-lead)"))
        .unwrap();
    let path = dir.path().join("payments.plan.toml");
    std::fs::write(&path, &text).unwrap();
    let path = path.canonicalize().unwrap();
    let uri = format!("file://{}", path.display());
    let mut client = Client::start(&dir.path().canonicalize().unwrap());
    // Without the suppression comment, the custom rule's finding.
    let unsuppressed = text.replacen(
        "# plan-lint: allow(owner-is-not-lead) -- until the sponsor is named\n",
        "",
        1,
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": unsuppressed}}),
    );
    let codes = |diagnostics: &[Value]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
            .filter(|code| code.starts_with("ORG"))
            .collect()
    };
    let published = client.diagnostics(&uri);
    assert_eq!(codes(&published), ["ORG003"], "{published:#?}");
    let finding = published.iter().find(|d| d["code"] == "ORG003").unwrap();
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("alice is both the problem owner and the Delivery Lead\nhelp: "),
        "{finding:#}"
    );
    // Hover on the rule named in a suppression shows its page.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let published = client.diagnostics(&uri);
    assert!(codes(&published).is_empty(), "{published:#?}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": comment_line, "character": 25}}),
    );
    let page = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        page.starts_with("# owner-is-not-lead (ORG003)"),
        "{hover:#}"
    );
    // The rule file changes on disk: the rule becomes a note, then the buffer without the
    // suppression reports it at that severity.
    let changed = std::fs::read_to_string(dir.path().join("rules/owner.toml"))
        .unwrap()
        .replacen("severity = \"error\"", "severity = \"note\"", 1);
    std::fs::write(dir.path().join("rules/owner.toml"), changed).unwrap();
    let rule_uri = format!(
        "file://{}",
        dir.path()
            .join("rules/owner.toml")
            .canonicalize()
            .unwrap()
            .display()
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": rule_uri, "type": 2}]}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": unsuppressed}]}),
    );
    // The server may check once for the file event and again for the edit: the edit's
    // diagnostics are the first with the finding again.
    let finding = (0..3)
        .find_map(|_| {
            let published = client.diagnostics(&uri);
            published.into_iter().find(|d| d["code"] == "ORG003")
        })
        .expect("the edit's diagnostics report the rule again");
    // LSP severities: 1 error, 2 warning, 3 information (a note).
    assert_eq!(finding["severity"], 3, "{finding:#}");
    client.stop();
}

/// Hovering over a finding shows its rule's page with the examples in the plan's own format:
/// a YAML plan's page shows YAML, a Markdown plan's Markdown tables, never the pages' TOML.
#[test]
fn a_hover_shows_the_rules_examples_in_the_plans_format() {
    let toml = std::fs::read_to_string(repo_root().join("fixtures/raid-mitigation/fail.plan.toml"))
        .unwrap();
    let cases = [
        (
            "p.plan.yaml",
            "yaml",
            plan_model::convert::toml_to_yaml(&toml).unwrap(),
            "```yaml\nraid:\n  - id: \"R-3\"",
        ),
        (
            "p.plan.md",
            "markdown",
            plan_model::convert::toml_to_markdown(&toml).unwrap(),
            "```md\n## RAID log\n\n| ID | Type | Title | Owner | Status | Severity |\n",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    crate::support::git(dir.path(), &["init", "-q"]);
    let root = dir.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    for (name, language, text, example) in cases {
        let uri = format!("file://{}", root.join(name).display());
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        let published = client.diagnostics(&uri);
        let finding = published
            .iter()
            .find(|d| d["code"] == "PL002")
            .unwrap_or_else(|| panic!("{name}: {published:#?}"));
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": finding["range"]["start"]}),
        );
        let page = hover["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default();
        assert!(
            page.starts_with("# raid-mitigation (PL002)"),
            "{name}: {hover:#}"
        );
        assert!(page.contains(example), "{name}: {page}");
        assert!(!page.contains("```toml"), "{name}: {page}");
    }
    client.stop();
}

//! Neovim's built-in LSP client (Debian's `neovim`, headless; `.ci/run` installs it) in one
//! scripted session with `plan-lint server`: `tests/nvim/session.lua` opens a plan, waits for
//! diagnostics, hovers and asks for code actions. The answers match the command line's.

use crate::support::{TODAY, isolated, json_report, plan_lint_in, repo_root};
use std::process::Command;

#[test]
fn neovim_shows_the_servers_diagnostics_hover_and_fixes() {
    let nvim = Command::new("nvim").arg("--version").output();
    if nvim.is_err() {
        // Under `.ci/run` Neovim is installed, and its absence is a failure.
        assert!(
            std::env::var("PLAN_LINT_ORACLES").as_deref() != Ok("required"),
            "nvim is required (apt-get install neovim)"
        );
        crate::support::record_skip("the Neovim session test needs nvim");
        return;
    }
    let file = "examples/council-website.plan.toml";
    let dir = isolated(&[file]);
    let path = dir.path().join(file).canonicalize().unwrap();
    let result = dir.path().join("nvim-result.json");
    let status = Command::new("timeout")
        .args(["120", "nvim", "--headless", "--clean", "-c"])
        .arg(format!(
            "luafile {}",
            repo_root().join("tests/nvim/session.lua").display()
        ))
        .env("PLAN_LINT_BIN", env!("CARGO_BIN_EXE_plan-lint"))
        .env("PLAN_FILE", &path)
        .env("RESULT", &result)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let session: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&result).expect("the session wrote its result"))
            .unwrap();
    assert_eq!(session["attached"], true);
    let cli = json_report(&plan_lint_in(
        dir.path(),
        &["--today", TODAY, "--format", "json"],
    ));
    let mut theirs: Vec<(String, u64, u64)> = cli["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() - 1,
                d["column"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    theirs.sort();
    let mut ours: Vec<(String, u64, u64)> = session["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    ours.sort();
    assert_eq!(ours, theirs);
    assert!(
        session["hover"]
            .as_str()
            .unwrap()
            .starts_with("# invalid-value (PL102)")
    );
    let actions: Vec<&str> = session["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(
        actions.contains(&"Write \"amber\" (invalid-value)"),
        "{actions:?}"
    );
}

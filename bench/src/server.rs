//! The language server's benchmark (issue 15): over stdio, as an editor drives it.
//!
//! - edit latency: a 750-line plan open in a 1,000-plan project, changed again and again; the
//!   time from sending each change to receiving its diagnostics, median and 90th percentile;
//! - project load: from opening a plan of a 10,000-plan project to its first diagnostics,
//!   against a command-line run over the same project;
//! - memory: the server's resident set after 100 edits and after 10,000.
//!
//! Writes its table between the server markers of `bench/RESULTS.md`.
//! `cargo run --release -p plan-lint-bench --bin plan-lint-server-bench [-- --edits N]`

mod build;
mod corpus;
mod results;

use std::fmt::Write as _;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-25";
const START: &str = "<!-- server-bench:start -->";
const END: &str = "<!-- server-bench:end -->";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plan-lint-server-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut edits = 10_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => {
                edits = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--edits takes a number")?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no repository root")?
        .to_owned();
    let binary = build::build_plan_lint(&root)?;
    let corpus = root.join("target/bench-server");
    let small = project(&root, &corpus, 1_000)?;
    let large = project(&root, &corpus, 10_000)?;
    let mut report = String::new();

    // Edit latency and memory, in the 1,000-plan project.
    let plan = big_plan(&small)?;
    let text = std::fs::read_to_string(&plan).map_err(|e| e.to_string())?;
    let lines = text.lines().count();
    let mut server = Server::start(&binary, &small)?;
    let uri = server.open(&plan, &text)?;
    let mut latencies = Vec::new();
    let mut memory_after_100 = 0;
    for edit in 1..=edits {
        // Alternate between two titles: every change is a real change of the text.
        let changed = text.replacen("title = \"", &format!("title = \"edit {} ", edit % 2), 1);
        let started = Instant::now();
        server.change(&uri, edit as i64 + 1, &changed)?;
        server.diagnostics(&uri, Some(edit as i64 + 1))?;
        latencies.push(started.elapsed());
        if edit == 100 {
            memory_after_100 = server.resident_kib();
        }
    }
    let memory_after_all = server.resident_kib();
    server.stop()?;
    latencies.sort();
    let at = |fraction: f64| latencies[((latencies.len() - 1) as f64 * fraction) as usize];
    let median = at(0.5);

    // Project load, in the 10,000-plan project, against a command-line run.
    let plan = big_plan(&large)?;
    let text = std::fs::read_to_string(&plan).map_err(|e| e.to_string())?;
    // One untimed run reads the files into the page cache; then server and command line
    // take turns, and the medians are compared (whoever ran first would read from disk).
    cli_run(&binary, &large)?;
    let mut loads = Vec::new();
    let mut cli_times = Vec::new();
    for _ in 0..LOAD_RUNS {
        let mut server = Server::start(&binary, &large)?;
        let started = Instant::now();
        let uri = server.open(&plan, &text)?;
        server.diagnostics(&uri, Some(1))?;
        loads.push(started.elapsed());
        server.stop()?;
        cli_times.push(cli_run(&binary, &large)?);
    }
    let load = median_of(&mut loads);
    let cli_time = median_of(&mut cli_times);

    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    let _ = writeln!(
        report,
        "| measure | value | target | met |\n|---|---|---|---|"
    );
    let _ = writeln!(
        report,
        "| diagnostics after a change, {lines}-line plan, 1,000-plan project, median of {edits} | {} (p90 {}) | ≤ 10 ms | {} |",
        ms(median),
        ms(at(0.9)),
        yes(median <= Duration::from_millis(10))
    );
    let ratio = load.as_secs_f64() / cli_time.as_secs_f64();
    let _ = writeln!(
        report,
        "| project load, 10,000 plans, open to first diagnostics, median of {LOAD_RUNS} | {} ({ratio:.2}× the CLI's {}) | ≤ 1.5× a CLI run | {} |",
        ms(load),
        ms(cli_time),
        yes(ratio <= 1.5)
    );
    let growth = memory_after_all as f64 / memory_after_100.max(1) as f64;
    let _ = writeln!(
        report,
        "| resident memory after 100 and {edits} edits | {} MiB → {} MiB ({growth:.2}×) | steady (≤ 1.1×) | {} |",
        memory_after_100 / 1024,
        memory_after_all / 1024,
        yes(growth <= 1.1)
    );
    print!("{report}");
    write_results(&root.join("bench/RESULTS.md"), &report)
}

/// How many times the project load and the command-line run are timed.
const LOAD_RUNS: usize = 5;

/// One command-line run over the project, timed.
fn cli_run(binary: &Path, project: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let cli = Command::new(binary)
        .args(["--today", TODAY, "--format", "json", "--quiet"])
        .current_dir(project)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if cli.code().is_none_or(|code| code > 1) {
        return Err("the command-line run failed".into());
    }
    Ok(elapsed)
}

fn median_of(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn yes(met: bool) -> &'static str {
    if met { "yes" } else { "**no**" }
}

/// A TOML project of `n` generated plans (a config makes it a project of its own).
fn project(root: &Path, base: &Path, n: usize) -> Result<PathBuf, String> {
    let dir = base.join(format!("n{n}"));
    if !dir.join("plan-lint.toml").exists() {
        corpus::generate(root, &dir, n, "toml")?;
        std::fs::write(dir.join("plan-lint.toml"), "# A benchmark project.\n")
            .map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// The project's first plan, grown to 750 lines with RAID entries if it is shorter.
fn big_plan(dir: &Path) -> Result<PathBuf, String> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".plan.toml"))
        .collect();
    plans.sort();
    let plan = plans.into_iter().next().ok_or("no plan")?;
    let mut text = std::fs::read_to_string(&plan).map_err(|e| e.to_string())?;
    let mut index = 0;
    while text.lines().count() < 750 {
        index += 1;
        text.push_str(&format!(
            "\n[[raid]]\nid = \"BENCH-{index}\"\ntype = \"assumption\"\ntitle = \"Bench assumption {index}\"\nstatus = \"closed\"\nseverity = \"low\"\n"
        ));
    }
    std::fs::write(&plan, text).map_err(|e| e.to_string())?;
    Ok(plan)
}

struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Server {
    fn start(binary: &Path, dir: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .args(["server", "--today", TODAY])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let input = child.stdin.take().ok_or("no stdin")?;
        let output = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut server = Server {
            child,
            input,
            output,
        };
        server.send(&format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":"file://{}","capabilities":{{"workspace":{{"didChangeWatchedFiles":{{"dynamicRegistration":true}}}}}}}}}}"#,
            dir.display()
        ))?;
        server.until(|message| message.contains(r#""id":1"#))?;
        server.send(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)?;
        Ok(server)
    }

    fn send(&mut self, body: &str) -> Result<(), String> {
        let message: lsp_server::Message = serde_json::from_str(body).map_err(|e| e.to_string())?;
        message.write(&mut self.input).map_err(|e| e.to_string())
    }

    fn read(&mut self) -> Result<String, String> {
        match lsp_server::Message::read(&mut self.output).map_err(|e| e.to_string())? {
            Some(message) => serde_json::to_string(&message).map_err(|e| e.to_string()),
            None => Err("the server closed its output".into()),
        }
    }

    /// Read until a message is wanted, agreeing to what the server registers (it asks to
    /// have plan files watched, as VS Code and Neovim agree to).
    fn until(&mut self, wanted: impl Fn(&str) -> bool) -> Result<String, String> {
        loop {
            let message = self.read()?;
            if message.contains(r#""method":"client/registerCapability""#) {
                let request: serde_json::Value =
                    serde_json::from_str(&message).map_err(|e| e.to_string())?;
                self.send(&format!(
                    r#"{{"jsonrpc":"2.0","id":{},"result":null}}"#,
                    request["id"]
                ))?;
                continue;
            }
            if wanted(&message) {
                return Ok(message);
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) -> Result<String, String> {
        let uri = format!(
            "file://{}",
            path.canonicalize().map_err(|e| e.to_string())?.display()
        );
        let text = serde_json::to_string(text).map_err(|e| e.to_string())?;
        self.send(&format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"toml","version":1,"text":{text}}}}}}}"#
        ))?;
        Ok(uri)
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) -> Result<(), String> {
        let text = serde_json::to_string(text).map_err(|e| e.to_string())?;
        self.send(&format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":{version}}},"contentChanges":[{{"text":{text}}}]}}}}"#
        ))
    }

    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Result<(), String> {
        let uri_field = format!(r#""uri":"{uri}""#);
        let version_field = version.map(|v| format!(r#""version":{v}"#));
        self.until(|message| {
            message.contains("publishDiagnostics")
                && message.contains(&uri_field)
                && version_field.as_deref().is_none_or(|v| message.contains(v))
        })
        .map(drop)
    }

    /// The server's resident set, in KiB (Linux).
    fn resident_kib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find(|line| line.starts_with("VmRSS:"))?
                    .split_whitespace()
                    .nth(1)?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    }

    fn stop(mut self) -> Result<(), String> {
        self.send(r#"{"jsonrpc":"2.0","id":99,"method":"shutdown","params":null}"#)?;
        self.until(|message| message.contains(r#""id":99"#))?;
        self.send(r#"{"jsonrpc":"2.0","method":"exit","params":null}"#)?;
        self.child.wait().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Put the table between the server markers of RESULTS.md, adding them at the end if absent.
fn write_results(path: &Path, report: &str) -> Result<(), String> {
    let existing = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let text = match results::between_markers(&existing, START, END, report) {
        Some(text) => text,
        None => format!(
            "{}\n## The language server\n\n`cargo run --release -p plan-lint-bench --bin plan-lint-server-bench`\n\n{START}\n{report}{END}\n",
            existing.trim_end()
        ),
    };
    std::fs::write(path, text).map_err(|e| e.to_string())
}

//! The scale table of docs/RELIABILITY.md (issue 12): inputs within the size caps that once
//! cost plan-lint quadratic time or memory, each run three times by the release binary, with the
//! median time and the highest peak memory (GNU time), and a check that every run did what it
//! should (its exit status and the number of findings). Writes the table between the markers in
//! docs/RELIABILITY.md.
//!
//! `cargo run --release -p plan-lint-bench --bin plan-lint-scale`

mod build;
mod results;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const TODAY: &str = "2026-11-25";
/// Each case must finish within this many seconds and this much memory on 2 cores.
const LIMIT_SECONDS: f64 = 2.0;
const LIMIT_MIB: f64 = 500.0;
/// Runs of each case; the table shows the median time.
const RUNS: usize = 3;

/// The head of every generated plan: valid, so that only what a case adds is found.
fn plan_head(id: &str) -> String {
    format!(
        "[plan]\nid = \"{id}\"\ntitle = \"Scale\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [\"alice\", \"bob\", \"chen\"]\n\n[timeline]\nstart = 2026-01-01\nend = 2027-12-31\n\n"
    )
}

struct Case {
    name: &'static str,
    /// What is in the folder; files relative to it.
    files: Vec<(String, String)>,
    args: Vec<&'static str>,
    /// The exit status the run must end with.
    status: i32,
    /// How to count what the run found, from its standard output and error.
    count: fn(&str, &str) -> usize,
    /// The count it must find.
    expected: usize,
}

fn json_findings(stdout: &str, _: &str) -> usize {
    stdout.matches("\n      \"rule\": ").count()
}

fn human_findings(stdout: &str, _: &str) -> usize {
    stdout.matches("\n  × ").count() + stdout.matches("\n  ⚠ ").count()
}

fn config_problems(_: &str, stderr: &str) -> usize {
    stderr.matches("at most 1000 are allowed").count()
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();

    // 1. A 10 MB file of stacked suppression comments above one key.
    let line = "# plan-lint: allow(raid-mitigation) -- accepted by the steering group\n";
    let count = 10_000_000 / line.len();
    let mut text = plan_head("comments");
    text.push_str(&line.repeat(count));
    text.push_str("[health]\nrag = \"green\"\n");
    cases.push(Case {
        name: "10 MB of stacked `# plan-lint: allow` comments",
        files: vec![("comments.plan.toml".into(), text)],
        args: vec![
            "--format",
            "json",
            "--select",
            "raid-mitigation,unused-suppression",
        ],
        status: 0,
        count: json_findings,
        // Each silences nothing: one unused-suppression warning per comment.
        expected: count,
    });

    // 2. 100,000 RAID entries sharing one id, in the human report.
    let mut text = plan_head("duplicates");
    for _ in 0..100_000 {
        text.push_str(
            "[[raid]]\nid = \"R-1\"\ntype = \"risk\"\ntitle = \"t\"\nstatus = \"closed\"\n",
        );
    }
    cases.push(Case {
        name: "100,000 duplicate RAID ids, human report",
        files: vec![("duplicates.plan.toml".into(), text)],
        args: vec!["--select", "duplicate-id"],
        status: 1,
        count: human_findings,
        expected: 99_999,
    });

    // 3. 20,000 findings against 20,000 `lint.allow` entries (none of which matches).
    // Top-level keys come before the tables.
    let mut text = String::from("raid = [\n");
    for i in 0..20_000 {
        let _ = writeln!(
            text,
            "  {{ id = \"R-{i}\", type = \"risk\", title = \"t\", status = \"open\", owner = \"chen\" }},"
        );
    }
    text.push_str("]\n\n");
    text.push_str(&plan_head("allow"));
    text.push_str("[lint]\nallow = [\n");
    for i in 0..20_000 {
        let _ = writeln!(
            text,
            "  {{ rule = \"raid-mitigation\", at = \"backlog[{i}]\", reason = \"r\" }},"
        );
    }
    text.push_str("]\n");
    cases.push(Case {
        name: "20,000 findings × 20,000 `lint.allow` entries",
        files: vec![("allow.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "raid-mitigation"],
        status: 1,
        count: json_findings,
        expected: 20_000,
    });

    // 4. A config with 200,000 overrides.
    let mut config = String::new();
    for i in 0..200_000 {
        let _ = writeln!(config, "[[overrides]]\nfiles = [\"p{i}/**\"]");
    }
    cases.push(Case {
        name: "a config with 200,000 `[[overrides]]`",
        files: vec![
            ("plan-lint.toml".into(), config),
            ("a.plan.toml".into(), plan_head("a")),
        ],
        args: vec!["--format", "json"],
        status: 2,
        count: |out, err| config_problems(out, err) + err.matches("larger than 1 MB").count(),
        expected: 1,
    });

    // 5. 50,000 milestones in one chain that closes into a cycle.
    let mut text = plan_head("chain");
    for i in 0..50_000 {
        let previous = if i == 0 { 49_999 } else { i - 1 };
        let _ = writeln!(
            text,
            "[[milestones]]\nid = \"M{i}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [\"M{previous}\"]"
        );
    }
    cases.push(Case {
        name: "50,000 milestones in one dependency chain (a cycle)",
        files: vec![("chain.plan.toml".into(), text)],
        args: vec![
            "--format",
            "json",
            "--select",
            "dependency-cycle,dangling-reference",
        ],
        status: 1,
        count: json_findings,
        expected: 1,
    });

    // 6. 5,000 plans sharing one person at half time.
    let files = (0..5_000)
        .map(|i| {
            let mut text = plan_head(&format!("p{i}"));
            text.push_str("[[resources]]\nperson = \"chen\"\nrole = \"r\"\nallocation = 0.5\n");
            (format!("plans/p{i:04}.plan.toml"), text)
        })
        .collect();
    cases.push(Case {
        name: "5,000 plans sharing one person",
        files,
        args: vec!["--format", "json", "--select", "over-allocation"],
        status: 1,
        count: json_findings,
        expected: 5_000,
    });

    // 7. A whole plan on one line of almost 10 MB (the default size cap), its RAID log 85,000
    // open risks without a mitigation, in characters of two and four bytes: every finding's
    // column is counted on that one line.
    let risks = 85_000;
    cases.push(Case {
        name: "a plan on one 9.5 MB line, 85,000 findings on it",
        files: vec![("one-line.plan.json".into(), plan_on_one_line(risks, ""))],
        args: vec!["--format", "json", "--select", "raid-mitigation"],
        status: 1,
        count: json_findings,
        expected: risks,
    });

    // 8. The same line with a misspelt key in each of 60,000 risks, and the diff of their
    // fixes: each misspelling explains its risk's missing mitigation, and each rename is a
    // change on that one line.
    let risks = 60_000;
    cases.push(Case {
        name: "60,000 misspelt keys on one 8 MB line, `--diff` of their fixes",
        files: vec![(
            "one-line.plan.json".into(),
            plan_on_one_line(risks, r#","mitigaton":"m""#),
        )],
        args: vec!["--diff", "--unsafe-fixes"],
        status: 1,
        count: renamed_keys,
        expected: risks,
    });

    // 9. 100,000 misspellings of one key in one table: each asked whether its table holds the
    // key it is close to, by a look at every entry (7 s).
    let misspellings = 100_000;
    let mut text = plan_head("misspellings").replace("title = \"Scale\"\n", "");
    text.push_str("[[raid]]\nid = \"R-1\"\ntype = \"risk\"\ntitle = \"r\"\nowner = \"chen\"\nstatus = \"open\"\n");
    for key in misspellings_of("mitigation").take(misspellings) {
        let _ = writeln!(text, "\"{key}\" = \"m\"");
    }
    cases.push(Case {
        name: "100,000 misspellings of `mitigation` in one RAID entry",
        files: vec![("misspellings.plan.toml".into(), text)],
        args: vec![
            "--format",
            "json",
            "--select",
            "unknown-field,raid-mitigation",
        ],
        status: 1,
        count: json_findings,
        // Each misspelling explains the missing mitigation: no raid-mitigation finding.
        expected: misspellings,
    });

    // 10 and 11. Markdown RAID logs of unknown columns under the size cap: each column is a key
    // of every row at its one header cell (a finding per row and column: 4.9 s and 800 MB for
    // half the first), and pulldown-cmark's tree is let go before the rows are read.
    let columns = 300_000;
    cases.push(Case {
        name: "a Markdown RAID log of 300,000 unknown columns, 10 rows (8.9 MB)",
        files: vec![("wide.plan.md".into(), markdown_table(columns, 10))],
        args: vec!["--format", "json", "--select", "unknown-field"],
        status: 1,
        count: json_findings,
        expected: columns,
    });
    let columns = 1_000;
    cases.push(Case {
        name: "a Markdown RAID log of 1,000 unknown columns, 4,900 rows (9.8 MB)",
        files: vec![("long.plan.md".into(), markdown_table(columns, 4_900))],
        args: vec!["--format", "json", "--select", "unknown-field"],
        status: 1,
        count: json_findings,
        expected: columns,
    });

    // 12. Strangers named in a RACI, against a team of 92 and against 200,000 names held by a
    // misspelt `[people]` key: each stranger normalised every member again for its "did you
    // mean" (8.3 s for 600,000), and each looked through the held names one by one (48 s for
    // 200,000 of each).
    let quoted = |names: &mut dyn Iterator<Item = String>| {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let team = quoted(&mut (0..90).map(|i| format!("member{i}")));
    let strangers = 600_000;
    let text = format!(
        "[plan]\nid = \"people\"\ntitle = \"Scale\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [{team}]\n\n[[raci]]\nactivity = \"a\"\naccountable = \"alice\"\nresponsible = [{}]\n",
        quoted(&mut (0..strangers).map(|i| format!("membr{}x{i}", i % 100)))
    );
    cases.push(Case {
        name: "600,000 unknown people against a team of 92",
        files: vec![("people.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "unknown-person"],
        status: 1,
        count: json_findings,
        expected: strangers,
    });
    let strangers = 200_000;
    let text = format!(
        "[plan]\nid = \"people\"\ntitle = \"Scale\"\n\n[people]\ndelivery_lead = \"alice\"\nproblem_owner = \"bob\"\nteam = [\"alice\"]\nstakeholdrs = [{}]\n\n[[raci]]\nactivity = \"a\"\naccountable = \"alice\"\nresponsible = [{}]\n",
        quoted(&mut (0..strangers).map(|i| format!("held{i}"))),
        quoted(&mut (0..strangers).map(|i| format!("other{i}")))
    );
    cases.push(Case {
        name: "200,000 unknown people against 200,000 names under a misspelt key",
        files: vec![("people.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "unknown-person"],
        status: 1,
        count: json_findings,
        expected: strangers,
    });

    // 13. Dangling references against 99 milestones: each sorted and normalised the ids again
    // for its "did you mean" (5.2 s).
    let references = 500_000;
    let mut text = plan_head("dangling");
    for i in 0..99 {
        let _ = writeln!(
            text,
            "[[milestones]]\nid = \"M{i}\"\ntitle = \"m\"\ndue = 2026-06-01"
        );
    }
    let _ = writeln!(
        text,
        "[[milestones]]\nid = \"MZ\"\ntitle = \"m\"\ndue = 2026-06-01\ndepends_on = [{}]",
        quoted(&mut (0..references).map(|i| format!("X{i}")))
    );
    cases.push(Case {
        name: "500,000 dangling references against 99 milestones",
        files: vec![("dangling.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "dangling-reference"],
        status: 1,
        count: json_findings,
        expected: references,
    });

    // 14. A suppression naming rules that do not exist: each normalised every rule's name
    // again for its "did you mean" (5.6 s).
    let names = 800_000;
    let mut text = format!(
        "# plan-lint: allow({}) -- r\n",
        (0..names)
            .map(|i| format!("rule{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    text.push_str(&plan_head("suppressions"));
    cases.push(Case {
        name: "a suppression naming 800,000 rules that do not exist",
        files: vec![("suppressions.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "unused-suppression"],
        // Warnings.
        status: 0,
        count: json_findings,
        expected: names,
    });

    // 15. Milestones closing many long cycles: a chain of 100,000, the last depending on every
    // other. Each cycle was listed whole (n² of report: terabytes here).
    let milestones = 100_000;
    let mut text = plan_head("cycles");
    for i in 0..milestones - 1 {
        let _ = writeln!(
            text,
            "[[milestones]]\nid = \"M{i}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [\"M{}\"]",
            i + 1
        );
    }
    let _ = writeln!(
        text,
        "[[milestones]]\nid = \"M{}\"\ntitle = \"m\"\ndue = 2027-01-01\ndepends_on = [{}]",
        milestones - 1,
        quoted(&mut (0..milestones - 1).map(|i| format!("M{i}")))
    );
    cases.push(Case {
        name: "99,999 dependency cycles of up to 100,000 milestones",
        files: vec![("cycles.plan.toml".into(), text)],
        args: vec!["--format", "json", "--select", "dependency-cycle"],
        status: 1,
        count: json_findings,
        expected: milestones - 1,
    });

    // 16. A minified plan whose second half repeats the first half's ids, human report: each
    // duplicate's snippet with its first use was as wide as the line between them, and past
    // 65,535 columns miette panicked.
    let risks = 60_000;
    let entries: Vec<String> = (0..risks)
        .map(|i| {
            format!(
                r#"{{"id":"R-{}","type":"risk","title":"t","status":"closed"}}"#,
                i % (risks / 2)
            )
        })
        .collect();
    let text = format!(
        r#"{{"version":1,"plan":{{"id":"dup","title":"Scale"}},"raid":[{}]}}"#,
        entries.join(",")
    );
    cases.push(Case {
        name: "30,000 ids repeated 2 MB along one line, human report",
        files: vec![("dup.plan.json".into(), text)],
        args: vec!["--select", "duplicate-id"],
        status: 1,
        count: human_findings,
        expected: risks / 2,
    });
    cases
}

/// Distinct keys one character from `key` (at each place in turn, a CJK character).
fn misspellings_of(key: &'static str) -> impl Iterator<Item = String> {
    (0x4e00u32..0x9fff)
        .filter_map(char::from_u32)
        .flat_map(move |c| {
            (0..key.len()).map(move |at| format!("{}{c}{}", &key[..at], &key[at + 1..]))
        })
}

/// A Markdown plan whose RAID log has `columns` unknown columns (`c0`, `c1`…) and `rows` rows
/// of one-letter cells.
fn markdown_table(columns: usize, rows: usize) -> String {
    let mut text = String::from("---\nplan:\n  id: wide\n  title: Scale\n---\n\n## RAID log\n\n|");
    for column in 0..columns {
        let _ = write!(text, "c{column}|");
    }
    text.push_str("\n|");
    text.push_str(&"-|".repeat(columns));
    text.push('\n');
    let row = format!("|{}\n", "x|".repeat(columns));
    text.push_str(&row.repeat(rows));
    debug_assert!(text.len() < 10_000_000);
    text
}

/// A JSON plan on one line, its RAID log `risks` open risks without a mitigation (titles in
/// characters of two and four bytes), `extra` written into each; under the 10 MB size cap.
fn plan_on_one_line(risks: usize, extra: &str) -> String {
    let mut text = String::from(
        r#"{"version":1,"plan":{"id":"one-line","title":"Scale"},"people":{"delivery_lead":"alice","problem_owner":"bob","team":["alice","bob","chen"]},"raid":["#,
    );
    for i in 0..risks {
        if i > 0 {
            text.push(',');
        }
        let _ = write!(
            text,
            r#"{{"id":"R-{i}","type":"risk","title":"rísk 😀 {i}","owner":"chen","status":"open","severity":"high"{extra}}}"#
        );
    }
    text.push_str("]}");
    debug_assert!(text.len() < 10_000_000);
    text
}

fn renamed_keys(stdout: &str, _: &str) -> usize {
    stdout.matches(r#""mitigation":"m""#).count()
}

struct Row {
    name: &'static str,
    seconds: f64,
    peak_mib: f64,
    outcome: String,
    /// Whether the run ended as it must and found what it must.
    right: bool,
}

fn run(plan_lint: &Path, case: &Case) -> Result<Row, String> {
    let dir = std::env::temp_dir().join(format!("plan-lint-scale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, text) in &case.files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    let started = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "plan-lint-scale-peak-kib %M"])
        .arg(plan_lint)
        .args(["--today", TODAY, "--no-color"])
        .args(&case.args)
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time (GNU time): {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak_kib: f64 = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("plan-lint-scale-peak-kib "))
        .and_then(|kib| kib.trim().parse().ok())
        .ok_or("GNU time printed no peak")?;
    let status = output.status.code().unwrap_or(-1);
    let found = (case.count)(&stdout, &stderr);
    let peak_mib = peak_kib / 1024.0;
    let right = status == case.status && found == case.expected;
    Ok(Row {
        name: case.name,
        seconds,
        peak_mib,
        outcome: format!(
            "exit {status}, {found} {} (expected exit {}, {})",
            if case.status == 2 {
                "config error"
            } else {
                "findings"
            },
            case.status,
            case.expected
        ),
        right,
    })
}

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let plan_lint = match build::build_plan_lint(&root) {
        Ok(path) => path,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let mut table = String::from(
        "| input | time | peak memory | outcome | within 2 s and 500 MiB |\n|---|---:|---:|---|---|\n",
    );
    let mut all_ok = true;
    for case in cases() {
        // This host's speed swings by half within a minute: the median of three runs.
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            match run(&plan_lint, &case) {
                Ok(row) => runs.push(row),
                Err(error) => {
                    eprintln!("{}: {error}", case.name);
                    return ExitCode::FAILURE;
                }
            }
        }
        // Every run must be right; the peak is the highest of them.
        let right = runs.iter().all(|run| run.right);
        let peak_mib = runs.iter().map(|run| run.peak_mib).fold(0.0, f64::max);
        runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let row = Row {
            peak_mib,
            right,
            ..runs.swap_remove(RUNS / 2)
        };
        let ok = row.right && row.seconds <= LIMIT_SECONDS && row.peak_mib <= LIMIT_MIB;
        eprintln!(
            "{}: {:.2} s, {:.0} MiB, {}",
            row.name, row.seconds, row.peak_mib, row.outcome
        );
        all_ok &= ok;
        let _ = writeln!(
            table,
            "| {} | {:.2} s | {:.0} MiB | {} | {} |",
            row.name,
            row.seconds,
            row.peak_mib,
            row.outcome,
            if ok { "yes" } else { "**no**" }
        );
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let block = format!(
        "`cargo run --release -p plan-lint-bench --bin plan-lint-scale` on {date}, {cores} cores \
         (release build, one process per input, the median time of {RUNS} runs and the highest \
         peak of them, by GNU time):\n\n{table}"
    );
    print!("{block}");
    let page = root.join("docs/RELIABILITY.md");
    let Ok(text) = std::fs::read_to_string(&page) else {
        eprintln!("cannot read {}", page.display());
        return ExitCode::FAILURE;
    };
    let markers = ("<!-- scale:start -->", "<!-- scale:end -->");
    let Some(updated) = results::between_markers(&text, markers.0, markers.1, &block) else {
        eprintln!("docs/RELIABILITY.md has no scale markers");
        return ExitCode::FAILURE;
    };
    if let Err(error) = std::fs::write(&page, updated) {
        eprintln!("cannot write {}: {error}", page.display());
        return ExitCode::FAILURE;
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("some inputs were not within the limits or gave the wrong outcome");
        ExitCode::FAILURE
    }
}

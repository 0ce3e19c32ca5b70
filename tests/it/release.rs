//! Releases (issue 19): `scripts/release.sh` packs what `.github/workflows/release.yml`
//! publishes; the Action downloads it, checked against its SHA-256, from a release layout
//! served on 127.0.0.1 (a good checksum passes; a tampered binary or checksum is refused; a
//! missing asset falls back to the build); cargo-binstall's metadata names the same assets.

use crate::support::{github_output, repo_root, stderr, stdout};
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const TARGET: &str = "x86_64-unknown-linux-musl";

fn release_sh(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/release.sh"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// A release layout (`v<version>/<asset>`, `<asset>.sha256`) packed by release.sh from the
/// plan-lint binary under test.
fn release_layout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("v{VERSION}"));
    let packed = release_sh(
        &[
            "pack",
            &format!("v{VERSION}"),
            TARGET,
            out.to_str().unwrap(),
        ],
        &[("PLAN_LINT_BINARY", env!("CARGO_BIN_EXE_plan-lint"))],
    );
    assert!(packed.status.success(), "{}", stderr(&packed));
    dir
}

fn asset() -> String {
    format!("plan-lint-{VERSION}-{TARGET}.tar.gz")
}

/// A plain HTTP/1.1 file server on 127.0.0.1 for `root`, answering 404 for what is not
/// there, on a thread for the rest of the test process; its base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // The headers, up to the blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = root.join(path.trim_start_matches('/'));
            let inside = !path.contains("..");
            match fs::read(&file) {
                Ok(body) if inside && file.is_file() => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(&body);
                }
                _ => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        }
    });
    format!("http://{address}")
}

/// A simulated runner for the action's install steps.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir_all(runner.dir.path().join("runner-temp")).unwrap();
        // A `cargo` that records that it was asked to build, and builds by copying the binary
        // under test: the fallback is exercised without a real build.
        let fake = runner.dir.path().join("fake-bin");
        fs::create_dir_all(&fake).unwrap();
        let script = format!(
            "#!/usr/bin/env bash\necho \"cargo $*\" >>\"{log}\"\nroot=\"\"\nwhile [ $# -gt 0 ]; do if [ \"$1\" = --root ]; then root=\"$2\"; fi; shift; done\nmkdir -p \"$root/bin\" && cp \"{bin}\" \"$root/bin/plan-lint\"\n",
            log = runner.dir.path().join("cargo.log").display(),
            bin = env!("CARGO_BIN_EXE_plan-lint"),
        );
        fs::write(fake.join("cargo"), script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(fake.join("cargo"), fs::Permissions::from_mode(0o755)).unwrap();
        }
        runner
    }

    fn step(&self, step: &str, env: &[(&str, &str)]) -> Output {
        let path = format!(
            "{}:{}",
            self.dir.path().join("fake-bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("bash")
            .arg(repo_root().join("action/run.sh"))
            .arg(step)
            .current_dir(self.dir.path())
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("GITHUB_ACTION_PATH", repo_root())
            .env("GITHUB_OUTPUT", self.dir.path().join("output"))
            .env("GITHUB_PATH", self.dir.path().join("path"))
            .env("RUNNER_TEMP", self.dir.path().join("runner-temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env_remove("GITHUB_ACTION_REF")
            .env_remove("INPUT_VERSION")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    fn output(&self, key: &str) -> Option<String> {
        github_output(&self.dir.path().join("output"), key)
    }

    /// build-key then install, as action.yml runs them; the install step's output.
    fn install(&self, env: &[(&str, &str)]) -> Output {
        let key = self.step("build-key", env);
        assert!(key.status.success(), "{}", stderr(&key));
        let mut all: Vec<(&str, String)> = vec![
            ("PLAN_LINT_ROOT", self.output("root").unwrap()),
            ("PLAN_LINT_MODE", self.output("mode").unwrap()),
            (
                "PLAN_LINT_VERSION",
                self.output("version").unwrap_or_default(),
            ),
            (
                "PLAN_LINT_TARGET",
                self.output("target").unwrap_or_default(),
            ),
        ];
        all.extend(env.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.step("install", &all)
    }

    fn built(&self) -> bool {
        self.dir.path().join("cargo.log").exists()
    }

    fn installed(&self) -> PathBuf {
        PathBuf::from(self.output("root").unwrap()).join("bin/plan-lint")
    }
}

#[test]
fn release_sh_packs_the_binary_with_the_licences_and_a_checksum() {
    let version = release_sh(&["version"], &[]);
    assert_eq!(stdout(&version).trim(), VERSION, "Cargo.toml's version");
    assert!(
        release_sh(&["check-tag", &format!("v{VERSION}")], &[])
            .status
            .success()
    );
    let wrong = release_sh(&["check-tag", "v9.9.9"], &[]);
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("Cargo.toml says"),
        "{}",
        stderr(&wrong)
    );
    assert_eq!(
        stdout(&release_sh(&["asset", "x86_64-pc-windows-msvc"], &[])),
        format!("plan-lint-{VERSION}-x86_64-pc-windows-msvc.zip")
    );

    let layout = release_layout();
    let dir = layout.path().join(format!("v{VERSION}"));
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(dir.join(asset()))
        .output()
        .unwrap();
    let mut files: Vec<String> = stdout(&listing).lines().map(str::to_owned).collect();
    files.sort();
    let name = format!("plan-lint-{VERSION}-{TARGET}");
    for file in [
        "CHANGELOG.md",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "README.md",
        "plan-lint",
    ] {
        assert!(
            files.contains(&format!("{name}/{file}")),
            "{file} in {files:?}"
        );
    }
    let check = Command::new("sha256sum")
        .args(["--check", &format!("{}.sha256", asset())])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    let sums = release_sh(&["checksums", dir.to_str().unwrap()], &[]);
    assert!(sums.status.success(), "{}", stderr(&sums));
    let sums = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert!(sums.ends_with(&format!("  {}\n", asset())), "{sums}");

    // The changelog has this version's notes, which the release takes.
    let notes = release_sh(&["notes"], &[]);
    assert!(stdout(&notes).contains("### Added"), "{}", stdout(&notes));
}

#[test]
fn the_action_installs_the_release_binary_when_its_checksum_matches() {
    let layout = release_layout();
    let url = serve(layout.path().to_owned());
    let runner = Runner::new();
    let install = runner.install(&[("INPUT_VERSION", VERSION), ("PLAN_LINT_RELEASE_URL", &url)]);
    assert!(
        install.status.success(),
        "{}{}",
        stdout(&install),
        stderr(&install)
    );
    assert!(
        stdout(&install).contains(&format!(
            "plan-lint {VERSION} downloaded ({}, SHA-256 checked)",
            asset()
        )),
        "{}",
        stdout(&install)
    );
    assert!(!runner.built(), "nothing was built");
    assert_eq!(
        runner.output("key").unwrap(),
        format!("plan-lint-release-{VERSION}-{TARGET}")
    );
    let version = Command::new(runner.installed())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(stdout(&version).trim(), format!("plan-lint {VERSION}"));
    let path = fs::read_to_string(runner.dir.path().join("path")).unwrap();
    assert_eq!(
        path.trim(),
        runner.installed().parent().unwrap().to_str().unwrap()
    );

    // The action at a version tag takes the version its Cargo.toml names; on a branch it builds.
    let runner = Runner::new();
    let install = runner.install(&[("GITHUB_ACTION_REF", "v0"), ("PLAN_LINT_RELEASE_URL", &url)]);
    assert!(install.status.success(), "{}", stderr(&install));
    assert_eq!(runner.output("version").as_deref(), Some(VERSION));
    assert!(!runner.built());
    let runner = Runner::new();
    let install = runner.install(&[
        ("GITHUB_ACTION_REF", "main"),
        ("PLAN_LINT_RELEASE_URL", &url),
    ]);
    assert!(install.status.success(), "{}", stderr(&install));
    assert_eq!(runner.output("mode").as_deref(), Some("source"));
    assert!(runner.built(), "@main builds from source");
}

#[test]
fn a_tampered_binary_or_checksum_is_refused_and_fails_the_job() {
    for tamper in ["binary", "checksum", "no checksum"] {
        let layout = release_layout();
        let dir = layout.path().join(format!("v{VERSION}"));
        match tamper {
            "binary" => {
                let mut bytes = fs::read(dir.join(asset())).unwrap();
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x01;
                fs::write(dir.join(asset()), bytes).unwrap();
            }
            "checksum" => fs::write(
                dir.join(format!("{}.sha256", asset())),
                format!("{}  {}\n", "0".repeat(64), asset()),
            )
            .unwrap(),
            _ => fs::remove_file(dir.join(format!("{}.sha256", asset()))).unwrap(),
        }
        let url = serve(layout.path().to_owned());
        let runner = Runner::new();
        let install =
            runner.install(&[("INPUT_VERSION", VERSION), ("PLAN_LINT_RELEASE_URL", &url)]);
        assert_eq!(
            install.status.code(),
            Some(1),
            "{tamper}: {}",
            stdout(&install)
        );
        let said = stdout(&install);
        assert!(
            said.starts_with("::error title=plan-lint::"),
            "{tamper}: {said}"
        );
        assert!(said.contains("refusing to install"), "{tamper}: {said}");
        assert!(
            !runner.installed().exists(),
            "{tamper}: nothing is installed"
        );
        assert!(
            !runner.built(),
            "{tamper}: a refused download is not papered over by a build"
        );
        assert!(!runner.dir.path().join("path").exists());
    }
}

#[test]
fn a_release_without_an_asset_for_the_runner_falls_back_to_the_build() {
    let empty = tempfile::tempdir().unwrap();
    let url = serve(empty.path().to_owned());
    let runner = Runner::new();
    let install = runner.install(&[("INPUT_VERSION", VERSION), ("PLAN_LINT_RELEASE_URL", &url)]);
    assert!(install.status.success(), "{}", stderr(&install));
    assert!(
        stdout(&install).contains(&format!(
            "::notice title=plan-lint::no release asset {}",
            asset()
        )),
        "{}",
        stdout(&install)
    );
    assert!(runner.built());
    let log = fs::read_to_string(runner.dir.path().join("cargo.log")).unwrap();
    assert!(log.starts_with("cargo install --locked --path "), "{log}");
    assert!(runner.installed().exists());

    // A version input that is not a version is refused without echoing it.
    let runner = Runner::new();
    let key = runner.step(
        "build-key",
        &[("INPUT_VERSION", "1.0\n::warning::injected")],
    );
    assert_eq!(key.status.code(), Some(1));
    assert!(!stderr(&key).contains("injected"), "{}", stderr(&key));
}

/// cargo-binstall's metadata, expanded as binstall expands it, names the assets release.sh
/// packs, and the binary inside them.
#[test]
fn cargo_binstall_metadata_names_the_release_assets() {
    let manifest: toml::Value =
        toml::from_str(&fs::read_to_string(repo_root().join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let repo = manifest["workspace"]["package"]["repository"]
        .as_str()
        .unwrap();
    for (target, suffix, ext) in [
        (TARGET, ".tar.gz", ""),
        ("aarch64-apple-darwin", ".tar.gz", ""),
        ("x86_64-pc-windows-msvc", ".zip", ".exe"),
    ] {
        let overrides = binstall.get("overrides").and_then(|o| o.get(target));
        let field = |name: &str| {
            overrides
                .and_then(|o| o.get(name))
                .or_else(|| binstall.get(name))
                .and_then(toml::Value::as_str)
                .unwrap()
                .to_owned()
        };
        let expand = |template: String| {
            template
                .replace("{ repo }", repo)
                .replace("{ name }", "plan-lint")
                .replace("{ version }", VERSION)
                .replace("{ target }", target)
                .replace("{ archive-suffix }", suffix)
                .replace("{ bin }", "plan-lint")
                .replace("{ binary-ext }", ext)
        };
        let asset = stdout(&release_sh(&["asset", target], &[]));
        assert_eq!(
            expand(field("pkg-url")),
            format!("{repo}/releases/download/v{VERSION}/{asset}"),
            "{target}"
        );
        assert_eq!(
            expand(field("bin-dir")),
            format!("plan-lint-{VERSION}-{target}/plan-lint{ext}"),
            "{target}"
        );
        let format = field("pkg-fmt");
        assert_eq!(
            format,
            if suffix == ".zip" { "zip" } else { "tgz" },
            "{target}"
        );
    }
}

/// The release workflow builds every target the action and binstall download.
#[test]
fn the_release_workflow_builds_every_target_the_action_downloads() {
    let workflow = fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let run_sh = fs::read_to_string(repo_root().join("action/run.sh")).unwrap();
    for target in [
        "x86_64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(workflow.contains(&format!("target: {target}")), "{target}");
        if target != "x86_64-unknown-linux-gnu" {
            assert!(run_sh.contains(&format!("echo {target}")), "{target}");
        }
    }
}

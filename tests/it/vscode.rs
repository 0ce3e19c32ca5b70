//! The VS Code extension (`editors/vscode/`): it compiles with TypeScript against VS Code's
//! API and `vscode-languageclient`, and `@vscode/vsce` packs it into a `.vsix` that starts
//! `plan-lint server` for plan files. (VS Code itself is not run here.)

use crate::support::{oracles, repo_root};
use std::process::Command;

#[test]
fn the_vscode_extension_compiles_and_packs_into_a_vsix() {
    let Some(oracles) = oracles() else { return };
    let tools = oracles.home.join("vscode/node_modules");
    assert!(
        tools.join("@vscode/vsce").exists(),
        "bash tools/checkers/install.sh installs the extension's tools"
    );
    let dir = tempfile::tempdir().unwrap();
    let extension = dir.path().join("vscode");
    std::fs::create_dir_all(extension.join("src")).unwrap();
    for file in [
        "package.json",
        "tsconfig.json",
        "README.md",
        ".vscodeignore",
        "src/extension.ts",
    ] {
        std::fs::copy(
            repo_root().join("editors/vscode").join(file),
            extension.join(file),
        )
        .unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&tools, extension.join("node_modules")).unwrap();
    let (compiled, text) = oracles.run(
        Command::new(tools.join(".bin/tsc"))
            .args(["-p", "."])
            .current_dir(&extension),
    );
    assert!(compiled, "tsc:\n{text}");
    let vsix = dir.path().join("plan-lint.vsix");
    let (packed, text) = oracles.run(
        Command::new(tools.join(".bin/vsce"))
            .args([
                "package",
                "--allow-missing-repository",
                "--skip-license",
                "--out",
            ])
            .arg(&vsix)
            .current_dir(&extension),
    );
    assert!(packed, "vsce package:\n{text}");
    // The package holds the compiled extension, which starts `plan-lint server`.
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print('\\n'.join(z.namelist())); print(z.read('extension/out/extension.js').decode())"])
        .arg(&vsix)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(listing.contains("extension/package.json"), "{listing}");
    assert!(
        listing.contains("extension/node_modules/vscode-languageclient/"),
        "{listing}"
    );
    assert!(listing.contains("args: [\"server\"]"), "{listing}");
}

//! `plan-lint completions SHELL` and `plan-lint manpage`: generated from the clap definition,
//! so they can never disagree with `--help`.

use crate::args::Cli;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "plan-lint", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

pub fn manpage() -> String {
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

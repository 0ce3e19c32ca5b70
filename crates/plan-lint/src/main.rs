use clap::Parser;
use plan_lint::{Cli, ExitStatus, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => status.into(),
        Err(error) => {
            eprint!("{}", plan_lint::error_text(&error));
            ExitStatus::Error.into()
        }
    }
}

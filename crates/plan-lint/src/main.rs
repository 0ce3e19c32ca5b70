use clap::Parser;
use plan_lint::{Cli, ExitStatus, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => status.into(),
        Err(error) => {
            eprintln!("{:?}", miette::Report::new(error));
            ExitStatus::Error.into()
        }
    }
}

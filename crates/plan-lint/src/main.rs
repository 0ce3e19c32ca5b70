use clap::Parser;
use plan_lint::{Cli, ExitStatus, run};
use std::process::ExitCode;

// Parsing allocates many small, short-lived values on every worker thread; mimalloc serves
// them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

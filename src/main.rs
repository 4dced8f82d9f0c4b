//! The `irexp` binary: parse arguments, call the library, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use irexp::cli::{self, exit, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cli::dispatch(cli, &mut out)
        .and_then(|()| out.flush().map_err(|e| irexp::Error::io("<stdout>", e)));
    match result {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(irexp::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::from(exit::SUCCESS)
        }
        Err(e) => {
            let err = anyhow::Error::new(e);
            eprintln!("irexp: error: {err:#}");
            let user = err
                .downcast_ref::<irexp::Error>()
                .is_some_and(irexp::Error::is_user_error);
            ExitCode::from(if user { exit::INPUT } else { exit::FAILURE })
        }
    }
}

//! The `irexp` binary: parse arguments, call the library, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
mod cli;

use cli::{exit, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // trec_eval exits 1 on a usage error; `irexp run` documents 2.
            let is_eval = std::env::args().nth(1).as_deref() == Some("eval");
            return ExitCode::from(match e.exit_code() {
                0 => exit::SUCCESS,
                _ if is_eval => exit::FAILURE,
                _ => exit::INPUT,
            });
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cli::dispatch(&cli, &mut out)
        .and_then(|()| out.flush().map_err(|e| irexp::Error::io("<stdout>", e)));
    match result {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(e)
            if e.io_error()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::from(exit::SUCCESS)
        }
        Err(e) => {
            let code = cli::exit_code(&cli.command, &e);
            let err = anyhow::Error::new(e);
            eprintln!("irexp: error: {err:#}");
            ExitCode::from(code)
        }
    }
}

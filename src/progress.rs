//! Progress reporting on stderr: bars and counters drawn only when stderr is a terminal,
//! plain messages otherwise. Nothing is ever written to stdout from here.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where progress goes.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    quiet: bool,
    terminal: bool,
}

impl Progress {
    /// Progress on stderr; bars only when stderr is a terminal. `quiet` silences everything.
    pub fn stderr(quiet: bool) -> Progress {
        Progress {
            quiet,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// No output at all (for library use and tests).
    pub fn silent() -> Progress {
        Progress {
            quiet: true,
            terminal: false,
        }
    }

    /// Prints a line on stderr.
    pub fn message(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    fn hidden(&self) -> bool {
        self.quiet || !self.terminal
    }

    /// A bar for `len` steps.
    pub fn bar(&self, label: &str, len: u64) -> ProgressBar {
        if self.hidden() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:>20} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        bar
    }

    /// A counter of unknown length, showing items per second.
    pub fn counter(&self, label: &str, unit: &str) -> ProgressBar {
        if self.hidden() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{msg:>20}} {{spinner}} {{human_pos}} {unit} ({{per_sec}})"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(label.to_string());
        bar
    }
}

//! `tidewatch completions <shell>` and `tidewatch man --dir <dir>`: shell completions and
//! man pages made from the same clap definitions as `--help`, so neither can drift from
//! it. The packages install both (scripts/package-desk.sh); anyone can make them too.

use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::Cli;

/// The completion script for `shell` on standard output.
pub fn completions(shell: Shell) -> ExitCode {
    clap_complete::generate(shell, &mut Cli::command(), "tidewatch", &mut crate::out::Stdout);
    ExitCode::SUCCESS
}

/// One page per command into `dir` (which must exist): `tidewatch.1`,
/// `tidewatch-serve.1`, `tidewatch-audit-verify.1`, …
pub fn man(dir: &Path) -> ExitCode {
    if !dir.is_dir() {
        eprintln!("error: --dir: {} is not a directory", dir.display());
        return ExitCode::from(2);
    }
    match clap_mangen::generate_to(Cli::command(), dir) {
        Ok(()) => {
            println!("man pages written to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the man pages to {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

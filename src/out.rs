//! Standard output and error whose write failures are handled, not panicked on.
//!
//! std's `println!` panics (exit 101) when standard output is closed (`| head -1`) or full
//! (`> /dev/full`). main.rs shadows `println!`, `print!`, `eprintln!` and `eprint!` with
//! macros that come here, so every line the CLI writes is covered, including lines added
//! later; code that needs an `io::Write` (CSV) takes [`Stdout`].

use std::fmt;
use std::io::{self, Write};

/// Writes a formatted text to standard output (see [`failed`] for errors).
pub fn text(args: fmt::Arguments) {
    if let Err(e) = io::stdout().lock().write_fmt(args) {
        failed(e)
    }
}

/// Writes a formatted line to standard output.
pub fn line(args: fmt::Arguments) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        failed(e)
    }
}

/// Writes to standard error. A failure there is ignored: there is nowhere left to say it.
pub fn error(args: fmt::Arguments) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Flushes what standard output still buffers (a `print!` without a newline).
pub fn flush() {
    if let Err(e) = io::stdout().lock().flush() {
        failed(e)
    }
}

/// Standard output refused a write. The reader went away (a pipe into `head`): stop
/// quietly with success, as Unix tools do; anything else (a full disk): say so, exit 1.
pub fn failed(e: io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    error(format_args!("error: cannot write to standard output: {e}\n"));
    std::process::exit(1)
}

/// Standard output as an `io::Write` for writers (CSV), with the same handling: its
/// methods never return an error, they end the process as [`failed`] says.
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stdout().lock().write(buf).or_else(|e| failed(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        flush();
        Ok(())
    }
}

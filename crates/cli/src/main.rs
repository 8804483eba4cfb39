//! The `cpts` binary: a thin shell over [`cpts_cli::run`].

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Checking allocates many small syntax and model nodes: mimalloc is faster at that than the
/// system allocator (see BENCHMARKS.md, "check").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = stdout.lock();
    let code = cpts_cli::run(std::env::args_os(), &mut out, color);
    let _ = out.flush();
    ExitCode::from(code)
}

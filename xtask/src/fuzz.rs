//! `cargo xtask fuzz [TARGET] [--seconds N]`: builds the fuzzer (`fuzz/`) optimised, with
//! panics that unwind, and runs it: each target (or the one named) for N seconds, a table
//! of executions per second and slowest inputs against the budget, failures saved under
//! `fuzz/regressions/` (replayed by `cargo test` from then on).

use anyhow::Result;

use crate::process::{cargo, run};

/// Seconds per target when none are given; the README's full run uses 1800.
pub const DEFAULT_SECONDS: u64 = 60;

pub fn run_targets(target: Option<&str>, seconds: u64) -> Result<()> {
    let mut command = cargo();
    command.args([
        "run",
        "--quiet",
        "--profile",
        "fuzz",
        "-p",
        "lecteur-fuzz",
        "--",
    ]);
    command.args(target);
    command.args(["--seconds", &seconds.to_string()]);
    run(
        &mut command,
        "a target failed: its minimised input is under fuzz/regressions/; replay it with \
         `cargo run --profile fuzz -p lecteur-fuzz -- TARGET --replay FILE`",
    )
}

//! Fuzzing that stays in the repository and runs on stable Rust: `cargo xtask fuzz`.
//!
//! Each [`Target`] takes raw bytes, reads from them what an attacker controls (a link, a
//! query, a damaged index, an article source), runs it through the same core code the
//! page and the indexer run, and checks properties as well as the absence of panics:
//! encode/decode round trips, an anchor made from a selection found again, marks in
//! bounds and on character boundaries. [`engine`] mutates inputs, times each run against
//! the budget of the README's "Bounded work", minimises what fails and saves it under
//! `fuzz/regressions/TARGET/`, where `tests/regressions.rs` replays it on every test run.
//!
//! The engine is not coverage-guided: libFuzzer and AFL++ need instrumentation passes that
//! cargo drives only on a nightly toolchain. Targets therefore read structured inputs
//! (positions, choices, words of the real articles) so that random bytes reach deep code.

pub mod engine;
pub mod fixtures;
pub mod targets;

use std::time::Duration;

/// One fuzzing target.
pub struct Target {
    pub name: &'static str,
    /// What one input may cost (the README's budget on the shipped articles).
    pub budget: Duration,
    /// Inputs to start from: realistic ones, which mutations then damage.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Runs one input; `Err` names the property that does not hold.
    pub run: fn(&[u8]) -> Result<(), String>,
}

/// Every target, in the order `cargo xtask fuzz` runs them.
pub fn targets() -> Vec<Target> {
    targets::all()
}

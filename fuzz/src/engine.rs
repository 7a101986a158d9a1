//! The mutation engine: inputs drawn from the seeds and from recent inputs, damaged a few
//! mutations at a time, each run timed and checked; failures minimised and saved.
//!
//! Hand-written because the maintained engines (libFuzzer through cargo-fuzz, AFL++
//! through cargo-afl) need a nightly toolchain or their own compiler: this one is the
//! hundred lines a stable toolchain needs, deterministic for a seed.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Target;

/// Longest input the engine makes; the targets read no more.
pub const LONGEST_INPUT: usize = 4096;

/// How many recent inputs mutations may start from, besides the seeds.
const POOL: usize = 1024;

/// Most attempts spent minimising one failure.
const MINIMISING_TRIES: usize = 4000;

/// Bytes that mean something to some target: separators, escapes, quotes, operators.
const INTERESTING: &[u8] = b"\0\xff %+,&=?#/.-\"~\n\r'\xc3\xa9\xe2\x80\x99";

/// What went wrong with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Panic(String),
    Property(String),
}

impl Failure {
    /// Two failures are the same when their kind and first line agree (a minimised input
    /// must still fail the same way).
    fn same_as(&self, other: &Failure) -> bool {
        let first = |failure: &Failure| match failure {
            Failure::Panic(message) => format!("panic: {}", message.lines().next().unwrap_or("")),
            Failure::Property(message) => message.lines().next().unwrap_or("").to_string(),
        };
        first(self) == first(other)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "panique : {message}"),
            Failure::Property(message) => write!(f, "propriété fausse : {message}"),
        }
    }
}

/// Panics so far, counted by the hook [`count_panics`] installs.
static PANICS: AtomicU64 = AtomicU64::new(0);

/// Replaces the panic message with a count: a panic is a finding, reported once
/// minimised, or one the library turned into its error, reported as a number.
pub fn count_panics() {
    std::panic::set_hook(Box::new(|_| {
        PANICS.fetch_add(1, Ordering::Relaxed);
    }));
}

/// Runs one input, a panic caught and reported as a failure.
pub fn run_one(target: &Target, input: &[u8]) -> Result<(), Failure> {
    match catch_unwind(AssertUnwindSafe(|| (target.run)(input))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(Failure::Property(message)),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(sans message)".to_string());
            Err(Failure::Panic(message))
        }
    }
}

/// What a run of one target found.
#[derive(Debug)]
pub struct Report {
    pub executions: u64,
    pub elapsed: Duration,
    pub slowest: Duration,
    pub slowest_input: Vec<u8>,
    /// Inputs that made tantivy panic inside the library, which answered with its error.
    pub panics_turned_into_errors: u64,
    /// Each distinct failure, with where its minimised input was saved.
    pub failures: Vec<(Failure, PathBuf)>,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.executions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Fuzzes `target` for `duration`, saving failures under `regressions/TARGET/`.
pub fn fuzz(target: &Target, duration: Duration, seed: u64, regressions: &Path) -> Report {
    let mut random = fastrand::Rng::with_seed(seed);
    let seeds = (target.seeds)();
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut report = Report {
        executions: 0,
        elapsed: Duration::ZERO,
        slowest: Duration::ZERO,
        slowest_input: Vec::new(),
        panics_turned_into_errors: 0,
        failures: Vec::new(),
    };
    let mut seen: HashSet<String> = HashSet::new();
    // The fixtures (the shipped index, built and opened) are made on first use: not an
    // input's cost.
    if let Some(seed) = seeds.first() {
        let _ = run_one(target, seed);
    }
    let started = Instant::now();
    while started.elapsed() < duration {
        // Every seed once as it is, then mutants of seeds and of recent inputs.
        let input = match seeds.get(report.executions as usize) {
            Some(seed) => seed.clone(),
            None => {
                let from = if pool.is_empty() || random.bool() {
                    &seeds[random.usize(..seeds.len())]
                } else {
                    &pool[random.usize(..pool.len())]
                };
                mutate(&mut random, from, &seeds)
            }
        };
        let panics = PANICS.load(Ordering::Relaxed);
        let began = Instant::now();
        let outcome = run_one(target, &input);
        let took = began.elapsed();
        if PANICS.load(Ordering::Relaxed) > panics && !matches!(outcome, Err(Failure::Panic(_))) {
            report.panics_turned_into_errors += 1;
        }
        report.executions += 1;
        if took > report.slowest {
            report.slowest = took;
            report.slowest_input = input.clone();
        }
        if let Err(failure) = outcome {
            let key = format!("{failure:?}")
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            if seen.insert(key) {
                let minimal = minimise(target, &input, &failure);
                let path = save(regressions, target.name, &minimal);
                report.failures.push((failure, path));
            }
            continue;
        }
        if pool.len() < POOL {
            pool.push(input);
        } else {
            let slot = random.usize(..POOL);
            pool[slot] = input;
        }
    }
    report.elapsed = started.elapsed();
    report
}

/// One to four mutations of `input`: bits flipped, bytes replaced, inserted, removed,
/// repeated, or spliced from another seed.
pub fn mutate(random: &mut fastrand::Rng, input: &[u8], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..random.usize(1..=4) {
        let at = random.usize(..=bytes.len());
        match random.u8(..7) {
            0 if !bytes.is_empty() => {
                let at = random.usize(..bytes.len());
                bytes[at] ^= 1 << random.u8(..8);
            }
            1 if !bytes.is_empty() => {
                let at = random.usize(..bytes.len());
                bytes[at] = INTERESTING[random.usize(..INTERESTING.len())];
            }
            2 => {
                let count = random.usize(1..=8);
                let inserted: Vec<u8> = (0..count).map(|_| random.u8(..)).collect();
                bytes.splice(at..at, inserted);
            }
            3 if at < bytes.len() => {
                let end = random.usize(at..=bytes.len().min(at + 64));
                bytes.drain(at..end);
            }
            4 if at < bytes.len() => {
                let end = random.usize(at..=bytes.len().min(at + 32));
                let piece = bytes[at..end].to_vec();
                for _ in 0..random.usize(1..=16) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            5 => {
                let other = &seeds[random.usize(..seeds.len())];
                let from = random.usize(..=other.len());
                let end = random.usize(from..=other.len().min(from + 64));
                bytes.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let at = random.usize(..=bytes.len());
                bytes.insert(at, INTERESTING[random.usize(..INTERESTING.len())]);
            }
        }
    }
    bytes.truncate(LONGEST_INPUT);
    bytes
}

/// The smallest input found, by removing pieces, that still fails the same way.
fn minimise(target: &Target, input: &[u8], failure: &Failure) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len().div_ceil(2).max(1);
    while chunk >= 1 && tries < MINIMISING_TRIES {
        let mut at = 0;
        let mut shrunk = false;
        while at < best.len() && tries < MINIMISING_TRIES {
            let end = (at + chunk).min(best.len());
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            match run_one(target, &candidate) {
                Err(other) if other.same_as(failure) => {
                    best = candidate;
                    shrunk = true;
                }
                _ => at += chunk,
            }
        }
        if !shrunk {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best
}

/// Saves a failing input as `regressions/TARGET/HASH`, a regression test from then on.
fn save(regressions: &Path, target: &str, input: &[u8]) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    input.hash(&mut hasher);
    let folder = regressions.join(target);
    let path = folder.join(format!("{:016x}", hasher.finish()));
    if let Err(error) = std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, input))
    {
        eprintln!(
            "fuzz : impossible d’enregistrer {} ({error})",
            path.display()
        );
    }
    path
}

/// Every input saved for `target`, to be replayed.
pub fn regressions_of(regressions: &Path, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(regressions.join(target)) else {
        return Vec::new();
    };
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter_map(|path| Some((path.clone(), std::fs::read(&path).ok()?)))
        .collect();
    inputs.sort();
    inputs
}

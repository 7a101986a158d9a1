//! `lecteur-fuzz [TARGET…] [--seconds N] [--seed N]`: fuzzes each target (all by default)
//! for N seconds, prints executions per second and the slowest input against the budget,
//! saves failures under `fuzz/regressions/`; exits 1 on any failure. Run through
//! `cargo xtask fuzz`, which builds it optimised with panics that unwind.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use lecteur_fuzz::engine;

const USAGE: &str =
    "usage : lecteur-fuzz [CIBLE…] [--seconds N] [--seed N] | lecteur-fuzz CIBLE --replay FICHIER";

fn main() -> ExitCode {
    let mut names: Vec<String> = Vec::new();
    let mut seconds = 60u64;
    let mut seed = 20141222u64;
    let mut replay: Option<PathBuf> = None;
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        let mut number = |flag: &str| {
            arguments
                .next()
                .and_then(|value| value.parse::<u64>().ok())
                .ok_or_else(|| format!("{flag} attend un nombre entier ({USAGE})"))
        };
        let parsed = match argument.as_str() {
            "--seconds" => number("--seconds").map(|n| seconds = n),
            "--seed" => number("--seed").map(|n| seed = n),
            "--replay" => arguments
                .next()
                .map(|path| replay = Some(PathBuf::from(path)))
                .ok_or_else(|| format!("--replay attend un fichier ({USAGE})")),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            name => {
                names.push(name.to_string());
                Ok(())
            }
        };
        if let Err(message) = parsed {
            eprintln!("fuzz : {message}");
            return ExitCode::FAILURE;
        }
    }
    let targets = lecteur_fuzz::targets();
    if let Some(unknown) = names.iter().find(|n| !targets.iter().any(|t| t.name == *n)) {
        let known: Vec<&str> = targets.iter().map(|t| t.name).collect();
        eprintln!(
            "fuzz : cible inconnue « {unknown} » (cibles : {})",
            known.join(", ")
        );
        return ExitCode::FAILURE;
    }
    // One input, with the panic's message and backtrace as Rust prints them.
    if let Some(path) = replay {
        let (Some(target), Ok(input)) = (
            targets
                .iter()
                .find(|t| names.first() == Some(&t.name.to_string())),
            std::fs::read(&path),
        ) else {
            eprintln!("fuzz : --replay attend une cible et un fichier lisible ({USAGE})");
            return ExitCode::FAILURE;
        };
        // Once for the fixtures, then timed as the fuzzer times it.
        let _ = (target.run)(&input);
        let started = std::time::Instant::now();
        let outcome = (target.run)(&input);
        eprintln!(
            "fuzz : {} ms (budget : {} ms)",
            started.elapsed().as_secs_f64() * 1000.0,
            target.budget.as_millis()
        );
        return match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("fuzz : propriété fausse : {message}");
                ExitCode::FAILURE
            }
        };
    }
    // Panics are findings, reported once minimised: not printed as they happen.
    engine::count_panics();
    let regressions = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions");
    println!(
        "| cible | exécutions | par seconde | plus lente | budget | échecs | paniques de tantivy rattrapées |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut failed = false;
    for target in targets
        .iter()
        .filter(|t| names.is_empty() || names.iter().any(|n| n == t.name))
    {
        let report = engine::fuzz(target, Duration::from_secs(seconds), seed, &regressions);
        let over = report.slowest > target.budget;
        println!(
            "| {} | {} | {:.0} | {:.1} ms{} | {} ms | {} | {} |",
            target.name,
            report.executions,
            report.per_second(),
            report.slowest.as_secs_f64() * 1000.0,
            if over { " (au-delà)" } else { "" },
            target.budget.as_millis(),
            report.failures.len(),
            report.panics_turned_into_errors
        );
        if over {
            let path =
                std::env::temp_dir().join(format!("lecteur-fuzz-{}-plus-lente", target.name));
            if std::fs::write(&path, &report.slowest_input).is_ok() {
                eprintln!(
                    "fuzz : {} : l’entrée la plus lente est dans {}",
                    target.name,
                    path.display()
                );
            }
        }
        for (failure, path) in &report.failures {
            failed = true;
            eprintln!(
                "fuzz : {} : {failure}\n       entrée réduite : {}",
                target.name,
                path.display()
            );
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

//! Every input the fuzzer ever saved (`fuzz/regressions/TARGET/`), and every seed, run
//! again on each test run: a fixed failure stays fixed.

use std::path::PathBuf;

use lecteur_fuzz::engine::{self, run_one};

#[test]
fn every_saved_input_and_seed_passes_its_target() {
    let regressions = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut failures = Vec::new();
    for target in lecteur_fuzz::targets() {
        let saved = engine::regressions_of(&regressions, target.name);
        let seeds = (target.seeds)()
            .into_iter()
            .map(|seed| (PathBuf::from("(graine)"), seed));
        for (path, input) in saved.into_iter().chain(seeds) {
            if let Err(failure) = run_one(&target, &input) {
                failures.push(format!("{} {} : {failure}", target.name, path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_short_run_of_each_target_finds_nothing() {
    let scratch = std::env::temp_dir().join("lecteur-fuzz-test");
    for target in lecteur_fuzz::targets() {
        let report = engine::fuzz(&target, std::time::Duration::from_secs(4), 7, &scratch);
        assert!(report.executions > 0, "{}", target.name);
        assert!(
            report.failures.is_empty(),
            "{} : {:?}",
            target.name,
            report.failures
        );
    }
}

//! `cargo xtask setup`: installs what a fresh Debian machine with only rustup and cargo lacks,
//! each piece only if it is missing: the `wasm32-unknown-unknown` target, `wasm-bindgen-cli` at
//! exactly the version of the `wasm-bindgen` crate in `Cargo.lock`, Debian's `chromium`, and the
//! npm packages of `tests/browser` and of `tools` (binaryen's `wasm-opt`), each with `npm ci`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::process::{self, cargo, command, on_path, rel, root, run, say, stdout_of};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Where the browser tests expect Chromium (Debian's package).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The oldest Node.js the browser tests (and playwright-core) run on.
const NODE_MAJOR: u32 = 20;

/// Everything: the wasm tool chain, Chromium and the npm packages.
pub fn all() -> Result<()> {
    wasm_target()?;
    wasm_bindgen()?;
    chromium()?;
    node_packages()?;
    say!("setup complete");
    Ok(())
}

/// Adds the `wasm32-unknown-unknown` target to the active toolchain unless it is there.
pub fn wasm_target() -> Result<()> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = stdout_of(command(&rustc).args(["--print", "sysroot"]))
        .context("`rustc --print sysroot` failed; install Rust with rustup (https://rustup.rs)")?;
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .is_dir()
    {
        say!("{WASM_TARGET} target: installed");
        return Ok(());
    }
    say!("adding the {WASM_TARGET} target…");
    run(
        command("rustup").args(["target", "add", WASM_TARGET]),
        &format!(
            "install the {WASM_TARGET} standard library for your toolchain \
             (with rustup: `rustup target add {WASM_TARGET}`)"
        ),
    )
}

/// Makes sure a `wasm-bindgen` CLI of exactly the version locked in `Cargo.lock` is installed;
/// returns the program to run.
pub fn wasm_bindgen() -> Result<PathBuf> {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| {
        anyhow!(
            "cannot read {}: {e}; run `cargo generate-lockfile`",
            lock_path.display()
        )
    })?;
    let wanted = locked_version(&lock, "wasm-bindgen")?;

    // Where `cargo install` puts it first (it may not be on PATH), then whatever is on PATH.
    let installed = cargo_bin("wasm-bindgen");
    let candidates = [installed.clone(), PathBuf::from("wasm-bindgen")];
    let mut found = Vec::new();
    for program in &candidates {
        if let Some(version) = wasm_bindgen_version(program) {
            if version == wanted {
                say!("wasm-bindgen {wanted}: installed");
                return Ok(program.clone());
            }
            found.push(version);
        }
    }
    match found.first() {
        Some(other) => say!(
            "installing wasm-bindgen-cli {wanted} to match Cargo.lock (found {other}; ~5 min)…"
        ),
        None => say!("installing wasm-bindgen-cli {wanted} (first time only, ~5 min)…"),
    }
    let version = format!("={wanted}");
    let install = |locked: bool| {
        let mut cmd = cargo();
        cmd.args(["install", "wasm-bindgen-cli", "--version", &version]);
        if locked {
            cmd.arg("--locked");
        }
        cmd
    };
    let hint = "check your connection to crates.io, then run `cargo xtask setup` again";
    if run(&mut install(true), hint).is_err() {
        // A dependency pinned by wasm-bindgen-cli's own lockfile can be missing from the
        // registry (yanked, or a mirror behind): let cargo pick compatible versions instead.
        say!("the --locked install failed; retrying with freshly resolved dependencies…");
        run(&mut install(false), hint)?;
    }
    match wasm_bindgen_version(&installed) {
        Some(version) if version == wanted => Ok(installed),
        other => Err(anyhow!(
            "`cargo install wasm-bindgen-cli` did not leave wasm-bindgen {wanted} at {} \
             (found {other:?}); install it there by hand: \
             `cargo install wasm-bindgen-cli --version ={wanted}`",
            installed.display()
        )),
    }
}

/// Installs Debian's `chromium` with apt unless `/usr/bin/chromium` exists.
pub fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        say!("chromium: installed ({CHROMIUM})");
        return Ok(());
    }
    if !on_path("apt-get") {
        bail!(
            "{CHROMIUM} not found and this is not a Debian-like system (no apt-get); \
             install Chromium so that {CHROMIUM} exists"
        );
    }
    say!("installing Debian's chromium with apt-get (a few minutes)…");
    let hint = "install it by hand: `sudo apt-get update && sudo apt-get install -y chromium`";
    run(&mut apt(&["update"]), hint)?;
    run(&mut apt(&["install", "-y", "chromium"]), hint)?;
    if Path::new(CHROMIUM).exists() {
        Ok(())
    } else {
        bail!("apt-get installed chromium but {CHROMIUM} is missing; {hint}")
    }
}

/// `apt-get ARGS`, through `sudo` unless we are root, never asking questions.
fn apt(args: &[&str]) -> Command {
    let is_root = stdout_of(command("id").arg("-u")).is_some_and(|uid| uid == "0");
    let mut cmd = if is_root {
        command("apt-get")
    } else {
        let mut sudo = command("sudo");
        sudo.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        sudo
    };
    cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
    cmd
}

/// Runs `npm ci` in `tests/browser` and in `tools` where `node_modules` is missing or older
/// than the lockfile.
pub fn node_packages() -> Result<()> {
    npm_ci(&browser_tests_dir())?;
    npm_ci(&tools_dir())
}

/// Makes sure binaryen's `wasm-opt` (the npm package `binaryen` of `tools/`) is installed;
/// returns the program to run (a Node.js script).
pub fn wasm_opt() -> Result<PathBuf> {
    tool("node_modules/binaryen/bin/wasm-opt")
}

/// Makes sure the npm packages of `tools/` are installed; returns `tools/PATH`, which must be
/// one of their files.
pub fn tool(path: &str) -> Result<PathBuf> {
    let dir = tools_dir();
    npm_ci(&dir)?;
    let program = dir.join(path);
    if program.is_file() {
        Ok(program)
    } else {
        bail!(
            "{} is missing after `npm ci` in {}; remove {} and run `cargo xtask setup` again",
            rel(&program).display(),
            rel(&dir).display(),
            rel(&dir.join("node_modules")).display()
        )
    }
}

/// `npm ci` in `dir`, unless its `node_modules` is at least as new as its lockfile.
pub fn npm_ci(dir: &Path) -> Result<()> {
    let node_hint = format!(
        "install Node.js {NODE_MAJOR} or later with npm (e.g. from https://nodejs.org or \
         NodeSource's Debian packages)"
    );
    let node = stdout_of(command("node").arg("--version"))
        .with_context(|| format!("`node` not found; {node_hint}"))?;
    let major = node.trim_start_matches('v').split('.').next().unwrap_or("");
    if major.parse::<u32>().map_or(true, |m| m < NODE_MAJOR) {
        bail!("Node.js {node} is too old; {node_hint}");
    }

    let lock = dir.join("package-lock.json");
    if !lock.is_file() {
        bail!(
            "{} is missing; run `npm install` in {} and commit it",
            rel(&lock).display(),
            rel(dir).display()
        );
    }
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(wanted), Some(have)) => have >= wanted,
        _ => false,
    };
    if fresh {
        say!(
            "npm packages: installed ({})",
            rel(&dir.join("node_modules")).display()
        );
        return Ok(());
    }
    say!(
        "installing the npm packages of {} (npm ci)…",
        rel(dir).display()
    );
    run(
        command("npm")
            .current_dir(dir)
            .args(["ci", "--no-audit", "--no-fund"]),
        &format!(
            "check your connection to the npm registry and that npm works ({node_hint}), \
             then run `cargo xtask setup` again"
        ),
    )
}

/// `tools`, the build's npm packages (binaryen's `wasm-opt`) and scripts.
pub fn tools_dir() -> PathBuf {
    root().join("tools")
}

/// `tests/browser`, where the browser tests and their npm packages live.
pub fn browser_tests_dir() -> PathBuf {
    root().join("tests/browser")
}

/// The version of the single package called `name` in a `Cargo.lock`. Read by hand: two keys
/// of cargo's own flat `[[package]]` tables, not worth a TOML parser.
pub fn locked_version(lock: &str, name: &str) -> Result<String> {
    let mut versions = Vec::new();
    let mut current: (Option<&str>, Option<&str>) = (None, None);
    let mut flush = |current: &mut (Option<&str>, Option<&str>)| {
        if let (Some(n), Some(v)) = *current
            && n == name
            && !versions.contains(&v.to_string())
        {
            versions.push(v.to_string());
        }
        *current = (None, None);
    };
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut current);
        } else if let Some(value) = line.strip_prefix("name = ") {
            current.0 = Some(value.trim_matches('"'));
        } else if let Some(value) = line.strip_prefix("version = ") {
            current.1 = Some(value.trim_matches('"'));
        }
    }
    flush(&mut current);
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => bail!(
            "Cargo.lock has no `{name}` package; it should come with the page's dependencies \
             (web/Cargo.toml): run `cargo update -p lecteur-web` or `cargo generate-lockfile`"
        ),
        many => bail!(
            "Cargo.lock has several versions of `{name}` ({}); the page needs exactly one: \
             align them in the Cargo.toml files, then `cargo update -p {name}`",
            many.join(", ")
        ),
    }
}

/// The version `program --version` reports (`wasm-bindgen 0.2.130` → `0.2.130`).
fn wasm_bindgen_version(program: &Path) -> Option<String> {
    let out = stdout_of(process::command(program).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_string)
}

/// Where `cargo install` puts `program`: `$CARGO_HOME/bin`, by default `~/.cargo/bin`.
fn cargo_bin(program: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(program)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "web-sys"
version = "0.3.77"
"#;

    #[test]
    fn reads_a_version_from_the_lockfile() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
        assert_eq!(locked_version(LOCK, "web-sys").unwrap(), "0.3.77");
        assert!(locked_version(LOCK, "yew").is_err());
        let two = format!("{LOCK}\n[[package]]\nname = \"web-sys\"\nversion = \"0.3.1\"\n");
        assert!(
            locked_version(&two, "web-sys")
                .unwrap_err()
                .to_string()
                .contains("0.3.77, 0.3.1")
        );
    }

    #[test]
    fn the_workspace_lockfile_pins_wasm_bindgen() {
        let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
        let version = locked_version(&lock, "wasm-bindgen").unwrap();
        assert!(
            version.split('.').all(|n| n.parse::<u32>().is_ok()),
            "{version}"
        );
    }
}

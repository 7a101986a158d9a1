//! Running external programs from the workspace root, echoing them, and turning their failures
//! into messages that say what to do.

use std::ffi::OsStr;
use std::io::{ErrorKind, Write as _};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, anyhow, bail};

/// Prints a progress line (`xtask: …`) on stderr, next to cargo's own output.
macro_rules! say {
    ($($arg:tt)*) => { eprintln!("xtask: {}", format_args!($($arg)*)) };
}
pub(crate) use say;

/// The workspace root: the parent of this crate's directory.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a subdirectory of the workspace")
}

/// Cargo's target directory (`CARGO_TARGET_DIR` if set, else `target/`).
pub fn target_dir() -> PathBuf {
    ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"]
        .iter()
        .find_map(|var| std::env::var_os(var).filter(|v| !v.is_empty()))
        .map(|dir| root().join(dir))
        .unwrap_or_else(|| root().join("target"))
}

/// A command for `program`, run from the workspace root. It finds this very xtask in
/// `LECTEUR_XTASK`: the Node harnesses of the browser tests and benchmarks start its static
/// server (`tests/browser/static-server.mjs`) from the binary already built, never through cargo.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root());
    if let Ok(exe) = std::env::current_exe() {
        cmd.env("LECTEUR_XTASK", exe);
    }
    cmd
}

/// A command for the cargo that runs xtask (`$CARGO`), so nested builds use the same toolchain.
pub fn cargo() -> Command {
    command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// `path` relative to the workspace root when inside it (commands run from there), for shorter
/// command lines and messages.
pub fn rel(path: &Path) -> PathBuf {
    match path.strip_prefix(root()) {
        Ok(p) if p.as_os_str().is_empty() => PathBuf::from("."),
        Ok(p) => p.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// Resolves a path given on the command line against the caller's working directory, or
/// `default` (relative to the workspace root) when none was given.
pub fn user_path(given: Option<&Path>, default: &str) -> PathBuf {
    let path = match given {
        Some(p) if p.is_absolute() => p.to_path_buf(),
        Some(p) => std::env::current_dir()
            .unwrap_or_else(|_| root().to_path_buf())
            .join(p),
        None => root().join(default),
    };
    normalize(&path)
}

/// Removes `.` and `..` components without touching the file system (`web/../dist` → `dist`);
/// the standard library only does it through the file system (`canonicalize`), which needs the
/// path to exist already.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match (component, out.components().next_back()) {
            (Component::CurDir, _) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            (Component::ParentDir, Some(Component::RootDir)) => {} // `/..` is `/`
            (other, _) => out.push(other),
        }
    }
    out
}

/// The command line as a shell would show it. Written here: it is only ever shown, never run
/// by a shell, so quoting what has spaces or quotes is enough.
pub fn display(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program());
    let program = program.file_name().unwrap_or(program.as_os_str());
    std::iter::once(program)
        .chain(cmd.get_args())
        .map(|a| {
            let a = a.to_string_lossy();
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Echoes and runs `cmd`, inheriting stdio. On failure, the error names the command and ends
/// with `hint` (what to do about it).
pub fn run(cmd: &mut Command, hint: &str) -> Result<()> {
    say!("$ {}", display(cmd));
    match cmd.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => bail!("`{}` failed ({status}); {hint}", display(cmd)),
        Err(e) => Err(spawn_error(cmd, &e, hint)),
    }
}

/// Echoes and runs `cmd` as [`run`] does, with `input` on its standard input.
pub fn run_with_input(cmd: &mut Command, input: &[u8], hint: &str) -> Result<()> {
    say!("$ {} < ({} bytes)", display(cmd), input.len());
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(cmd, &e, hint))?;
    // Dropped once written, which closes the pipe: the child reads to its end.
    let written = child.stdin.take().map(|mut stdin| stdin.write_all(input));
    let status = child
        .wait()
        .with_context(|| format!("cannot wait for `{}`", display(cmd)))?;
    match written {
        Some(Err(e)) if status.success() => {
            bail!("cannot write to `{}`: {e}; {hint}", display(cmd))
        }
        _ if status.success() => Ok(()),
        _ => bail!("`{}` failed ({status}); {hint}", display(cmd)),
    }
}

/// Runs `cmd` to its end and returns its standard output; its standard error passes through,
/// so that its progress and its messages show.
pub fn output_of(cmd: &mut Command) -> Result<String> {
    let shown = display(cmd);
    let output = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run `{shown}`"))?;
    if !output.status.success() {
        bail!(
            "`{shown}` failed ({}); see its message above",
            output.status
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs `cmd` quietly and returns its trimmed stdout if it succeeded, `None` if it failed or
/// could not start (e.g. the program is not installed).
pub fn stdout_of(cmd: &mut Command) -> Option<String> {
    let output = cmd.stderr(std::process::Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Whether `program` can be found on `PATH`.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

fn spawn_error(cmd: &Command, e: &std::io::Error, hint: &str) -> anyhow::Error {
    let program = cmd.get_program().to_string_lossy();
    if e.kind() == ErrorKind::NotFound {
        anyhow!("`{program}` not found; {hint}")
    } else {
        anyhow!("could not run `{}`: {e}; {hint}", display(cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_commands_like_a_shell() {
        let mut cmd = command("/usr/bin/node");
        cmd.args(["--test", "a b", "it's", ""]);
        assert_eq!(display(&cmd), r"node --test 'a b' 'it'\''s' ''");
    }

    #[test]
    fn paths_inside_the_workspace_are_shown_relative() {
        assert_eq!(rel(&root().join("target/site")), Path::new("target/site"));
        assert_eq!(rel(root()), Path::new("."));
        assert_eq!(rel(Path::new("/elsewhere")), Path::new("/elsewhere"));
        assert_eq!(
            user_path(None, "index/articles"),
            root().join("index/articles")
        );
        assert_eq!(user_path(Some(Path::new("/x")), "y"), Path::new("/x"));
        assert_eq!(
            user_path(Some(Path::new("/a/./b/../c")), "y"),
            Path::new("/a/c")
        );
        assert_eq!(normalize(Path::new("/../a")), Path::new("/a"));
        assert_eq!(normalize(Path::new("../a")), Path::new("../a"));
    }

    #[test]
    fn a_missing_program_says_what_to_do() {
        let err = run(&mut command("xtask-no-such-program"), "install it").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`xtask-no-such-program` not found; install it"
        );
    }
}

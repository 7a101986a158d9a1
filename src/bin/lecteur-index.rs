//! `lecteur-index`: reads a folder of article sources and writes the index
//! bundle the page loads.
//!
//! ```text
//! lecteur-index index/articles target/site/index.bin
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: lecteur-index ARTICLES_DIR OUTPUT_FILE

Reads every `.md` article of ARTICLES_DIR (format: index/README.md) and writes
the index bundle the page loads to OUTPUT_FILE, atomically: on any error the
previous OUTPUT_FILE is left as it was.

The build id in LECTEUR_BUILD_ID (set by `cargo xtask build`) is stamped into
the bundle; the page refuses an index whose id is not its own.";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [articles, output] = arguments.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if articles == "-h" || articles == "--help" {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(PathBuf::from(articles), PathBuf::from(output)) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("lecteur-index: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(articles: PathBuf, output: PathBuf) -> Result<String, String> {
    let articles = lecteur::article::load_folder(&articles).map_err(|error| error.to_string())?;
    let build = std::env::var(lecteur::bundle::BUILD_ID_VAR).unwrap_or_default();
    let bundle = lecteur::bundle::build(&articles, &build).map_err(|error| error.to_string())?;
    lecteur::bundle::write_atomically(&output, &bundle).map_err(|error| {
        format!(
            "cannot write {} ({error}); check that its folder is writable",
            output.display()
        )
    })?;
    Ok(format!(
        "lecteur-index: {} articles indexed into {} ({} bytes)",
        articles.len(),
        output.display(),
        bundle.len()
    ))
}

//! Queries, as typed in the search box: the results with their passages and marks, and
//! an article marked as the results link to it.

use lecteur::library::SearchError;

use super::{check_marks, text_of};
use crate::fixtures;

pub fn seeds() -> Vec<Vec<u8>> {
    [
        "popcorn",
        "popcorn time ",
        "télécha",
        "\"popcorn time\"~2 -netflix",
        "netflix OR hadopi piratage",
        "« la Hadopi » et le piratage",
        "350 000 utilisateurs",
        "Hdaopy ",
        "e-mails, vpn; µTorrent!",
        "-hadopi",
        "la et le",
    ]
    .iter()
    .map(|query| query.as_bytes().to_vec())
    .chain(
        fixtures::words()
            .iter()
            .take(64)
            .map(|word| word.as_bytes().to_vec()),
    )
    .collect()
}

pub fn run(bytes: &[u8]) -> Result<(), String> {
    let query = text_of(bytes, 1024);
    let library = fixtures::library();
    match library.search(&query) {
        Ok(results) => {
            for hit in &results.hits {
                check_marks("titre d’un résultat", &hit.title, &hit.title_marks)?;
                for passage in &hit.passages {
                    check_marks("passage d’un résultat", &passage.text, &passage.marks)?;
                }
            }
            if results.partial && results.hits.is_empty() {
                return Err("résultat partiel sans article".into());
            }
        }
        Err(SearchError::Query(_)) => {}
        Err(error) => return Err(format!("{query:?} : {error}")),
    }
    let articles = fixtures::articles();
    let article = &articles[bytes.len() % articles.len()];
    if let Ok(marks) = library.marks(article, &query) {
        check_marks("titre", &article.title, &marks.title)?;
        for (block, ranges) in article.blocks.iter().zip(&marks.blocks) {
            check_marks("paragraphe", block.text(), ranges)?;
        }
    }
    Ok(())
}

//! Article sources, as a person or a tool writes them: parsed into an article or refused
//! with a French message naming what to fix.

use lecteur::article::{Article, is_slug};

use super::text_of;
use crate::fixtures;

pub fn seeds() -> Vec<Vec<u8>> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../index/articles");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| std::fs::read(entry.path()).ok())
                .map(|mut bytes| {
                    bytes.truncate(crate::engine::LONGEST_INPUT);
                    bytes
                })
                .collect()
        })
        .unwrap_or_default();
    seeds.push(b"---\nslug: a\ntitle: T\n---\n\n#MeToo, dit-elle.\n\n## Titre\n\n\\# x\n".to_vec());
    let _ = fixtures::articles();
    seeds
}

pub fn run(bytes: &[u8]) -> Result<(), String> {
    let source = text_of(bytes, crate::engine::LONGEST_INPUT);
    match Article::parse(&source) {
        Ok(article) => {
            if !is_slug(&article.slug) {
                return Err(format!("nom d’article accepté : {:?}", article.slug));
            }
            if article.title.trim().is_empty() {
                return Err("article accepté sans titre".into());
            }
            if let Some(block) = article.blocks.iter().find(|b| b.text().trim().is_empty()) {
                return Err(format!("bloc vide accepté : {block:?}"));
            }
        }
        Err(error) if error.to_string().trim().is_empty() => {
            return Err("source refusée sans message".into());
        }
        Err(_) => {}
    }
    Ok(())
}

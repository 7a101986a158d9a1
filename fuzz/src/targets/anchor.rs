//! Shared passages: an anchor made from any selection of a real article, its link, and
//! the passage found again, in the article as it is and after an edit; and any `s=` value
//! marked in an article.

use arbitrary::Unstructured;
use lecteur::anchor::{Anchor, ArticleText, Landing};
use lecteur::article::Block;

use super::check_marks;
use crate::fixtures;

pub fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = (0u8..16)
        .map(|n| vec![n, n.wrapping_mul(37), 7, n, 200, n ^ 0x55, 3, 1, 9, 4, 0, 2])
        .collect();
    seeds.push(b"\x01\x00\x10\x00\x00\x20\x00\x00\x00\x00\x001.0,,Popcorn%20Time,%20a".to_vec());
    seeds.push(b"\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x000.0,la%20,Hadopi%20veille,".to_vec());
    seeds
}

/// A byte offset of `text` read from the input, moved back to a character boundary.
fn offset(input: &mut Unstructured, text: &str) -> arbitrary::Result<usize> {
    let mut at = input.int_in_range(0..=text.len() as u32)? as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Ok(at)
}

pub fn run(bytes: &[u8]) -> Result<(), String> {
    let mut input = Unstructured::new(bytes);
    let articles = fixtures::articles();
    let Ok(choice) = input.choose_index(articles.len()) else {
        return Ok(());
    };
    let article = &articles[choice];
    let blocks: Vec<&str> = article.blocks.iter().map(Block::text).collect();
    let text = ArticleText::new(blocks.iter().copied());
    let joined = text.as_str();
    let (Ok(a), Ok(b)) = (offset(&mut input, joined), offset(&mut input, joined)) else {
        return Ok(());
    };
    let (Some(from), Some(to)) = (text.position_of(a), text.position_of(b)) else {
        return Err(format!("positions de {a} ou {b} introuvables"));
    };
    let selected = joined[a.min(b)..a.max(b)].trim();
    match text.anchor(from, to) {
        Err(_) if selected.is_empty() => {}
        Err(error) => return Err(format!("sélection {selected:?} refusée : {error}")),
        Ok(anchor) => {
            let decoded = Anchor::decode(&anchor.encode(), 1);
            if decoded.as_ref() != Ok(&anchor) {
                return Err(format!("ancre {anchor:?} relue en {decoded:?}"));
            }
            let found = text.locate(&anchor);
            let start = joined[a.min(b)..].len() - joined[a.min(b)..].trim_start().len() + a.min(b);
            match &found {
                Some(found)
                    if found.landing == Landing::Hint
                        && found.range.start == start
                        && joined[found.range.clone()] == anchor.exact => {}
                other => return Err(format!("passage {:?} retrouvé en {other:?}", anchor.exact)),
            }
            if let Some(found) = found {
                let _ = text.text_directive(found.range);
            }
            edited(
                &mut input,
                &blocks,
                &anchor,
                start..start + anchor.exact.len(),
            )?;
        }
    }
    // Whatever `s=` value the rest of the input holds, marked as a link would.
    let value = String::from_utf8_lossy(input.take_rest());
    if let Ok(anchor) = Anchor::decode(&value, 1) {
        let marking = text.mark(&[anchor]);
        for (block, ranges) in blocks.iter().zip(&marking.per_block) {
            check_marks("passage d’un lien", block, ranges)?;
        }
    }
    Ok(())
}

/// The article edited away from the passage (words replaced, a block split): the passage
/// is found again; edited anywhere, what is found lies in the text.
fn edited(
    input: &mut Unstructured,
    blocks: &[&str],
    anchor: &Anchor,
    passage: std::ops::Range<usize>,
) -> Result<(), String> {
    let joined = blocks.join("\n");
    let (Ok(c), Ok(d)) = (offset(input, &joined), offset(input, &joined)) else {
        return Ok(());
    };
    let (c, d) = (c.min(d), c.max(d));
    let words = fixtures::words();
    let replacement = match input.choose_index(words.len() + 1) {
        Ok(index) if index < words.len() => format!(" {} ", words[index]),
        _ => "\n".to_string(),
    };
    let changed = format!("{}{replacement}{}", &joined[..c], &joined[d..]);
    let edited = ArticleText::new(changed.split('\n'));
    let found = edited.locate(anchor);
    if let Some(found) = &found {
        let range = found.range.clone();
        if range.end > changed.len()
            || !changed.is_char_boundary(range.start)
            || !changed.is_char_boundary(range.end)
        {
            return Err(format!("passage trouvé hors du texte modifié : {range:?}"));
        }
    }
    let untouched = d <= passage.start || c >= passage.end;
    if untouched && found.is_none() {
        return Err(format!(
            "passage {:?} perdu par une modification ailleurs ({c}..{d})",
            anchor.exact
        ));
    }
    Ok(())
}

//! Index bundles damaged as a disk, a proxy or an attacker would: truncated, bits
//! flipped, a file damaged with the bundle's checksums recomputed, files swapped or cut in
//! its table, its header length set to anything. Opening one ends in the library or in
//! a French message, and an opened library searches. Then an archive's article text and a
//! part of its index, damaged the same way: taken, or refused with a message, and the search
//! goes on.

use arbitrary::Unstructured;
use lecteur::{Library, bundle};

use crate::fixtures;

pub fn seeds() -> Vec<Vec<u8>> {
    (0u8..6)
        .map(|kind| vec![kind, 1, 0x40, 0x13, 0x77, 2, 0x10, 0x01, 0x99, 0x05])
        .collect()
}

pub fn run(bytes: &[u8]) -> Result<(), String> {
    let mut input = Unstructured::new(bytes);
    let Ok(data) = damaged(&mut input) else {
        return Ok(());
    };
    match Library::open(data) {
        // A forged index may open and fail at its first search: with a message too.
        Ok(library) => match library.search("popcorn hadopi") {
            Err(error) if error.to_string().trim().is_empty() => {
                return Err("une recherche en échec sans message".into());
            }
            _ => {}
        },
        Err(error) if error.to_string().trim().is_empty() => {
            return Err("un index refusé sans message".into());
        }
        Err(_) => {}
    }
    let (library, texts, parts) = fixtures::apart();
    if let Ok((_, text)) = damaged_file(&mut input, texts) {
        if let Err(error) = library.supply(&text)
            && error.to_string().trim().is_empty()
        {
            return Err("un texte refusé sans message".into());
        }
        if let Err(error) = library.search("popcorn hadopi") {
            return Err(format!("la recherche échoue après un texte : {error}"));
        }
    }
    if let Ok((path, part)) = damaged_file(&mut input, parts) {
        match library.supply_part(&path, &part) {
            Err(error) if error.to_string().trim().is_empty() => {
                return Err("une partie de l’index refusée sans message".into());
            }
            // Each part's CRC32 is in the bundle: a damaged one is never taken.
            Ok(())
                if parts
                    .iter()
                    .all(|(at, bytes)| *at != path || *bytes != part) =>
            {
                return Err(format!("la partie {path} endommagée a été acceptée"));
            }
            _ => {}
        }
        if let Err(error) = library.search("popcorn hadopi") {
            return Err(format!("la recherche échoue après une partie : {error}"));
        }
    }
    Ok(())
}

/// One of `files` (an archive's texts or its index's parts), its bytes flipped or cut as the
/// input says.
fn damaged_file(
    input: &mut Unstructured,
    files: &fixtures::TextFiles,
) -> arbitrary::Result<(String, Vec<u8>)> {
    let (path, mut text) = files[input.choose_index(files.len())?].clone();
    if input.arbitrary()? {
        text.truncate(input.int_in_range(0..=text.len())?);
    } else {
        for _ in 0..input.int_in_range(1u8..=8)? {
            let at = input.choose_index(text.len())?;
            text[at] ^= 1 << input.int_in_range(0u8..=7)?;
        }
    }
    Ok((path, text))
}

/// The shipped bundle, damaged as the input says.
fn damaged(input: &mut Unstructured) -> arbitrary::Result<Vec<u8>> {
    let mut data = fixtures::bundle().to_vec();
    let articles = fixtures::articles();
    let mut files = bundle::files_of(&data).expect("the shipped bundle's files");
    let file = input.choose_index(files.len())?;
    match input.int_in_range(0u8..=5)? {
        0 => data.truncate(input.int_in_range(0..=data.len())?),
        1 => {
            for _ in 0..input.int_in_range(1u8..=8)? {
                let at = input.choose_index(data.len())?;
                data[at] ^= 1 << input.int_in_range(0u8..=7)?;
            }
        }
        2 => {
            let bytes = &mut files[file].1;
            for _ in 0..input.int_in_range(1u8..=8)? {
                if bytes.is_empty() {
                    break;
                }
                let at = input.choose_index(bytes.len())?;
                bytes[at] ^= 1 << input.int_in_range(0u8..=7)?;
            }
            data = bundle::repack(articles, &files);
        }
        3 => {
            let other = input.choose_index(files.len())?;
            let (a, b) = (files[file].1.clone(), files[other].1.clone());
            files[file].1 = b;
            files[other].1 = a;
            data = bundle::repack(articles, &files);
        }
        4 => {
            let bytes = &mut files[file].1;
            bytes.truncate(input.int_in_range(0..=bytes.len())?);
            data = bundle::repack(articles, &files);
        }
        _ => {
            // The header's length field (after the magic and the format).
            let length: u32 = input.arbitrary()?;
            if data.len() >= 16 {
                data[12..16].copy_from_slice(&length.to_le_bytes());
            }
        }
    }
    Ok(data)
}

//! An archive's index read by parts: tantivy's files laid end to end and cut into parts of
//! [`PART_BYTES`], each a file of its own beside the bundle (`i/N.bin`, [`part_path`]),
//! fetched when a query needs it; the bundle carries only what tantivy reads at open (the
//! "hot" pieces: footers, each dictionary's index, the field norms and fast fields).
//!
//! Files rather than byte ranges of one file: a part is compressed on its own (brotli, as
//! every file of the site), served by any static host as a page is (no `206` to check, no
//! whole-file fallback to fall into), and kept by the service worker by its name like an
//! article's text. Each part's CRC32 is in the bundle, so a part of another deploy or a
//! damaged one is refused, never searched.
//!
//! The engine stays synchronous and fetches nothing itself: a read of a part it lacks
//! fails and names the part (`Store::take_wanted`); the library first walks what a query
//! will read with tantivy's asynchronous warm-up (its `quickwit` feature), whose reads here
//! complete at once, so that every part of a step is named together, and the caller
//! fetches them in one round trip and asks again (see `Library::search_with`).

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::HasLen;
use tantivy::directory::{FileHandle, OwnedBytes};

use crate::bundle::BundleError;

/// The size of a part. On the generated 10,000-article archive (`examples/parts.rs`), the
/// query "hadopi" (its dictionary blocks of 4 KB in four fields, then its postings) read
/// 139 KB in 34 parts of 4 KiB, 188 KB in 23 of 8 KiB, 262 KB in 16 of 16 KiB: 8 KiB wastes
/// half as much as 16 for two thirds of the requests of 4 (over HTTP/1.1 a browser opens six
/// connections to a host, and each six more requests of a round cost one more round trip).
pub const PART_BYTES: usize = 8 * 1024;

pub use lecteur_core::protocol::{part_number, part_path};

/// How the parts are cut, in the bundle's header: the files in the order they are laid out,
/// each with its length, and each part's CRC32.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Layout {
    pub(crate) part_bytes: u64,
    pub(crate) files: Vec<(String, u64)>,
    pub(crate) crcs: Vec<u32>,
}

impl Layout {
    /// Lays `files` end to end and cuts them into parts of `part_bytes`.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn cut(files: &[(String, Vec<u8>)], part_bytes: usize) -> (Layout, Vec<Vec<u8>>) {
        let whole: Vec<u8> = files.iter().flat_map(|(_, bytes)| bytes.clone()).collect();
        let parts: Vec<Vec<u8>> = whole.chunks(part_bytes).map(<[u8]>::to_vec).collect();
        let layout = Layout {
            part_bytes: part_bytes as u64,
            files: files
                .iter()
                .map(|(name, bytes)| (name.clone(), bytes.len() as u64))
                .collect(),
            crcs: parts.iter().map(|part| crc32fast::hash(part)).collect(),
        };
        (layout, parts)
    }

    /// The length of the whole, all files end to end.
    /// The length of the whole, once [`Layout::check`] has found it addressable.
    fn total(&self) -> u64 {
        self.files.iter().map(|(_, len)| len).sum()
    }

    /// Checks that the parts cover the files exactly, and that no size is absurd: the whole
    /// must be addressable here (a forged header could announce more than a wasm32 `usize`).
    fn check(&self) -> Result<(), BundleError> {
        let bad = |why: String| Err(BundleError::Header(why));
        if self.part_bytes == 0 || self.part_bytes > 64 << 20 {
            return bad(format!("parts de {} octets", self.part_bytes));
        }
        let total = self
            .files
            .iter()
            .try_fold(0u64, |total, (_, len)| total.checked_add(*len))
            .filter(|&total| usize::try_from(total).is_ok());
        let Some(total) = total else {
            return bad("des fichiers plus grands que ce que l’appareil peut lire".to_string());
        };
        let expected = total.div_ceil(self.part_bytes);
        if self.crcs.len() as u64 != expected {
            return bad(format!(
                "{} parties annoncées pour {expected} attendues",
                self.crcs.len()
            ));
        }
        Ok(())
    }
}

/// The index's bytes of an archive, as far as the engine has them: the hot pieces from the
/// bundle, the parts supplied since, and the parts reads found missing.
#[derive(Debug)]
pub(crate) struct Store {
    layout: Layout,
    /// Where each file starts in the whole, and its length.
    files: HashMap<PathBuf, (u64, u64)>,
    /// The pieces the bundle holds, by file: (start in the file, bytes).
    hot: HashMap<PathBuf, Vec<(u64, OwnedBytes)>>,
    got: Mutex<HashMap<u32, OwnedBytes>>,
    wanted: Mutex<BTreeSet<u32>>,
    /// While tantivy only names the dictionary blocks a walk needs (see [`Store::planning`]),
    /// a missing part reads as zeros, which are never parsed nor kept.
    planning: AtomicBool,
    /// At build, the ranges read (file, range), to choose the hot pieces.
    recorded: Option<Mutex<Vec<Read>>>,
}

/// A range of a file that was read.
pub(crate) type Read = (PathBuf, Range<u64>);

fn missing(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, what.to_string())
}

impl Store {
    pub(crate) fn new(
        layout: Layout,
        hot: Vec<(String, u64, OwnedBytes)>,
    ) -> Result<Store, BundleError> {
        layout.check()?;
        let mut files = HashMap::new();
        let mut at = 0u64;
        for (name, len) in &layout.files {
            if files.insert(PathBuf::from(name), (at, *len)).is_some() {
                return Err(BundleError::DuplicateFile(name.clone()));
            }
            at += len;
        }
        let mut pieces: HashMap<PathBuf, Vec<(u64, OwnedBytes)>> = HashMap::new();
        for (name, start, bytes) in hot {
            let path = PathBuf::from(&name);
            let fits = files.get(&path).is_some_and(|&(_, len)| {
                start
                    .checked_add(bytes.len() as u64)
                    .is_some_and(|end| end <= len)
            });
            if !fits {
                return Err(BundleError::UnexpectedFile(name));
            }
            pieces.entry(path).or_default().push((start, bytes));
        }
        Ok(Store {
            layout,
            files,
            hot: pieces,
            got: Mutex::default(),
            wanted: Mutex::default(),
            planning: AtomicBool::new(false),
            recorded: None,
        })
    }

    /// A store holding every part, which records what is read: the build's, to find the hot
    /// pieces.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn recording(layout: Layout, parts: &[Vec<u8>]) -> Result<Store, BundleError> {
        let mut store = Store::new(layout, Vec::new())?;
        store.recorded = Some(Mutex::default());
        for (number, part) in parts.iter().enumerate() {
            store.supply(number as u32, part)?;
        }
        Ok(store)
    }

    /// What was read since the store was made, by file and range (a recording store's).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn take_recorded(&self) -> Vec<Read> {
        self.recorded
            .as_ref()
            .map(|recorded| std::mem::take(&mut *lock(recorded)))
            .unwrap_or_default()
    }

    pub(crate) fn file_len(&self, path: &Path) -> Option<u64> {
        self.files.get(path).map(|&(_, len)| len)
    }

    /// Takes the part `number`, checked against its CRC32 and its length.
    pub(crate) fn supply(&self, number: u32, bytes: &[u8]) -> Result<(), BundleError> {
        let path = part_path(number);
        let Some(&crc) = self.layout.crcs.get(number as usize) else {
            return Err(BundleError::UnexpectedFile(path));
        };
        let start = u64::from(number) * self.layout.part_bytes;
        let len = self.layout.part_bytes.min(self.layout.total() - start);
        if bytes.len() as u64 != len || crc32fast::hash(bytes) != crc {
            return Err(BundleError::Checksum(path));
        }
        lock(&self.got).insert(number, OwnedBytes::new(bytes.to_vec()));
        lock(&self.wanted).remove(&number);
        Ok(())
    }

    /// The parts reads found missing since last asked, which the caller fetches together.
    pub(crate) fn take_wanted(&self) -> Vec<u32> {
        std::mem::take(&mut *lock(&self.wanted))
            .into_iter()
            .collect()
    }

    /// Whether reads have found parts missing since last asked.
    pub(crate) fn wants(&self) -> bool {
        !lock(&self.wanted).is_empty()
    }

    /// Runs `walk` with missing parts read as zeros, only named: for tantivy's asynchronous
    /// dictionary walks, which gather the blocks an automaton may match before reading any,
    /// and would otherwise stop at the first missing one. What `walk` returns must not be
    /// read further.
    pub(crate) fn planning<T>(&self, walk: impl FnOnce() -> T) -> T {
        self.planning.store(true, Ordering::Relaxed);
        let out = walk();
        self.planning.store(false, Ordering::Relaxed);
        out
    }

    /// The bytes `range` of the file `path`: from a hot piece, or from the parts; a part
    /// missing is named in [`Store::take_wanted`] and the read fails.
    fn read(&self, path: &Path, range: Range<usize>) -> io::Result<OwnedBytes> {
        let (from, to) = (range.start as u64, range.end as u64);
        if let Some(recorded) = &self.recorded {
            lock(recorded).push((path.to_path_buf(), from..to));
        }
        if let Some(piece) = self.hot.get(path).and_then(|pieces| {
            pieces
                .iter()
                .find(|(start, bytes)| *start <= from && to <= start + bytes.len() as u64)
        }) {
            let (start, bytes) = piece;
            return Ok(bytes.slice((from - start) as usize..(to - start) as usize));
        }
        let &(file_start, file_len) = self
            .files
            .get(path)
            .ok_or_else(|| missing(&path.display().to_string()))?;
        if to > file_len || from > to {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} : lecture hors du fichier", path.display()),
            ));
        }
        let (from, to) = (file_start + from, file_start + to);
        if from == to {
            return Ok(OwnedBytes::empty());
        }
        let size = self.layout.part_bytes;
        let numbers = (from / size) as u32..=((to - 1) / size) as u32;
        let got = lock(&self.got);
        let absent: Vec<u32> = numbers.clone().filter(|n| !got.contains_key(n)).collect();
        if !absent.is_empty() {
            drop(got);
            lock(&self.wanted).extend(absent);
            if self.planning.load(Ordering::Relaxed) {
                return Ok(OwnedBytes::new(vec![0; (to - from) as usize]));
            }
            return Err(missing("partie de l’index absente"));
        }
        let offset = |n: u32| u64::from(n) * size;
        if *numbers.start() == *numbers.end() {
            let n = *numbers.start();
            return Ok(got[&n].slice((from - offset(n)) as usize..(to - offset(n)) as usize));
        }
        let mut bytes = Vec::with_capacity((to - from) as usize);
        for n in numbers {
            let part = got[&n].as_slice();
            let start = from.saturating_sub(offset(n)) as usize;
            let end = ((to - offset(n)) as usize).min(part.len());
            bytes.extend_from_slice(&part[start..end]);
        }
        Ok(OwnedBytes::new(bytes))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A file of the index read from a [`Store`].
#[derive(Debug)]
pub(crate) struct PartedFile {
    pub(crate) store: Arc<Store>,
    pub(crate) path: PathBuf,
    pub(crate) len: usize,
}

impl HasLen for PartedFile {
    fn len(&self) -> usize {
        self.len
    }
}

#[async_trait::async_trait]
impl FileHandle for PartedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.store.read(&self.path, range)
    }

    /// As [`FileHandle::read_bytes`]: complete at once, a missing part named and failing,
    /// so that tantivy's warm-up names every part of a step in one walk.
    async fn read_bytes_async(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.store.read(&self.path, range)
    }
}

/// The hot pieces of an index: the ranges read at open, merged, and the field norms and fast
/// fields whole (every search reads them).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn hot_pieces(
    files: &[(String, Vec<u8>)],
    read: Vec<Read>,
) -> Vec<(String, u64, Vec<u8>)> {
    let mut ranges: HashMap<String, Vec<Range<u64>>> = HashMap::new();
    for (path, range) in read {
        ranges
            .entry(path.display().to_string())
            .or_default()
            .push(range);
    }
    let mut pieces = Vec::new();
    for (name, bytes) in files {
        let whole = name == "meta.json" || name.ends_with(".fieldnorm") || name.ends_with(".fast");
        let mut read = if whole {
            std::iter::once(0..bytes.len() as u64).collect()
        } else {
            ranges.remove(name).unwrap_or_default()
        };
        read.sort_by_key(|range| range.start);
        let mut merged: Vec<Range<u64>> = Vec::new();
        for range in read {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        for range in merged.into_iter().filter(|range| range.start < range.end) {
            pieces.push((
                name.clone(),
                range.start,
                bytes[range.start as usize..range.end as usize].to_vec(),
            ));
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("a.idx".to_string(), (0..40u8).collect()),
            ("b.term".to_string(), (100..130u8).collect()),
        ]
    }

    #[test]
    fn a_read_across_parts_names_each_missing_one_then_reads_them_joined() {
        let (layout, parts) = Layout::cut(&files(), 16);
        assert_eq!(parts.len(), 5);
        let store = Store::new(layout, Vec::new()).unwrap();
        let b = Path::new("b.term");
        assert!(store.read(b, 2..20).is_err());
        assert_eq!(store.take_wanted(), vec![2, 3]);
        store.supply(2, &parts[2]).unwrap();
        store.supply(3, &parts[3]).unwrap();
        assert_eq!(
            store.read(b, 2..20).unwrap().as_slice(),
            &(102..120u8).collect::<Vec<_>>()[..]
        );
        assert!(!store.wants());
    }

    #[test]
    fn a_layout_of_absurd_sizes_is_refused() {
        let layout = |files: Vec<(String, u64)>, part_bytes, crcs: usize| Layout {
            part_bytes,
            files,
            crcs: vec![0; crcs],
        };
        let huge = vec![("a.idx".to_string(), u64::MAX), ("b.idx".to_string(), 2)];
        for absurd in [
            layout(huge, 16, 1),
            layout(vec![("a.idx".into(), 10)], 0, 1),
            layout(vec![("a.idx".into(), 10)], 16, 2),
        ] {
            assert!(matches!(
                Store::new(absurd, Vec::new()),
                Err(BundleError::Header(_))
            ));
        }
    }

    #[test]
    fn a_part_damaged_of_the_wrong_length_or_unknown_is_refused() {
        let (layout, parts) = Layout::cut(&files(), 16);
        let store = Store::new(layout, Vec::new()).unwrap();
        let mut damaged = parts[0].clone();
        damaged[3] ^= 1;
        assert!(matches!(
            store.supply(0, &damaged),
            Err(BundleError::Checksum(_))
        ));
        assert!(matches!(
            store.supply(4, &parts[3]),
            Err(BundleError::Checksum(_))
        ));
        assert!(matches!(
            store.supply(5, &parts[4]),
            Err(BundleError::UnexpectedFile(_))
        ));
        assert!(store.supply(4, &parts[4]).is_ok());
    }

    #[test]
    fn hot_pieces_answer_without_parts_and_planning_reads_are_never_kept() {
        let files = files();
        let (layout, _) = Layout::cut(&files, 16);
        let read = vec![
            (PathBuf::from("a.idx"), 30..40),
            (PathBuf::from("a.idx"), 35..38),
        ];
        let hot = hot_pieces(&files, read)
            .into_iter()
            .map(|(name, start, bytes)| (name, start, OwnedBytes::new(bytes)))
            .collect();
        let store = Store::new(layout, hot).unwrap();
        let a = Path::new("a.idx");
        assert_eq!(store.read(a, 32..36).unwrap().as_slice(), &[32, 33, 34, 35]);
        assert!(!store.wants());
        let zeros = store.planning(|| store.read(a, 0..4)).unwrap();
        assert_eq!(zeros.as_slice(), &[0, 0, 0, 0]);
        assert_eq!(store.take_wanted(), vec![0]);
        assert!(
            store.read(a, 0..4).is_err(),
            "zeros read while planning are not kept"
        );
    }
}

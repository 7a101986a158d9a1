//! A read-only tantivy directory over the files of a bundle, held in memory, or over an
//! archive's index read by parts ([`crate::parts::Store`]).
//!
//! The browser has no file system and no threads: the page hands tantivy the
//! bytes it fetched, and locks are no-ops because nothing ever writes. The
//! files are checked first ([`ReadOnlyDirectory::checked`]): each must be a kind
//! tantivy writes, and carry its footer with a checksum of its bytes, so that a
//! damaged file is named, not parsed.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::footer::Footer;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};

use crate::bundle::BundleError;
use crate::parts::{PartedFile, Store};

#[derive(Debug, Clone)]
pub(crate) enum ReadOnlyDirectory {
    /// Every file whole.
    Whole(Arc<HashMap<PathBuf, OwnedBytes>>),
    /// The files read by parts, as far as they were supplied.
    Parted(Arc<Store>),
}

/// The extensions of the files of a tantivy segment (`SegmentComponent`).
const SEGMENT_FILES: [&str; 7] = ["idx", "pos", "term", "store", "fast", "fieldnorm", "del"];

impl ReadOnlyDirectory {
    /// The directory of `files` once each is known to be a file tantivy writes
    /// (`meta.json`, `SEGMENT.idx`, …) and, but `meta.json`, to end with tantivy's
    /// footer whose checksum matches its bytes.
    pub(crate) fn checked(files: HashMap<PathBuf, OwnedBytes>) -> Result<Self, BundleError> {
        for (path, bytes) in &files {
            let name = path.to_string_lossy().into_owned();
            if name == "meta.json" {
                continue;
            }
            let segment_file = name.split_once('.').is_some_and(|(segment, extension)| {
                segment.len() == 32
                    && segment.bytes().all(|byte| byte.is_ascii_hexdigit())
                    && SEGMENT_FILES.contains(&extension)
            });
            if !segment_file {
                return Err(BundleError::UnexpectedFile(name));
            }
            // tantivy reads the footer's last 8 bytes (its length and magic number) having
            // only checked that the file has 4.
            let fits = bytes.len() >= 8;
            let intact = fits
                && Footer::extract_footer(FileSlice::new(Arc::new(bytes.clone())))
                    .ok()
                    .and_then(|(footer, body)| Some((footer, body.read_bytes().ok()?)))
                    .is_some_and(|(footer, body)| crc32fast::hash(body.as_slice()) == footer.crc);
            if !intact {
                return Err(BundleError::Checksum(name));
            }
        }
        Ok(ReadOnlyDirectory::Whole(Arc::new(files)))
    }

    fn read_only(path: &Path) -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} : l’index du lecteur est en lecture seule",
                path.display()
            ),
        )
    }
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle: Option<Arc<dyn FileHandle>> = match self {
            ReadOnlyDirectory::Whole(files) => files
                .get(path)
                .map(|bytes| Arc::new(bytes.clone()) as Arc<dyn FileHandle>),
            ReadOnlyDirectory::Parted(store) => store.file_len(path).map(|len| {
                Arc::new(PartedFile {
                    store: store.clone(),
                    path: path.to_path_buf(),
                    len: len as usize,
                }) as Arc<dyn FileHandle>
            }),
        };
        handle.ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(Self::read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(match self {
            ReadOnlyDirectory::Whole(files) => files.contains_key(path),
            ReadOnlyDirectory::Parted(store) => store.file_len(path).is_some(),
        })
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(Self::read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let handle = self.get_file_handle(path)?;
        handle
            .read_bytes(0..handle.len())
            .map(|bytes| bytes.as_slice().to_vec())
            .map_err(|io_error| OpenReadError::IoError {
                io_error: Arc::new(io_error),
                filepath: path.to_path_buf(),
            })
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(Self::read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

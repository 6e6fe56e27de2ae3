//! Overwriting and removing files: the key file's earlier versions, and the
//! store when the keys are erased or replaced by a duress unlock.
//!
//! The store (`vault.db` and its `-wal`, `-shm` and `-journal` files) keeps
//! random ids, clock readings and sizes in the clear, so once its key is gone
//! it is not left behind: each file is overwritten with random bytes, synced
//! and removed, and every failure is reported. On flash storage an overwrite
//! may land in fresh blocks and leave the old ones to a forensic tool; see
//! `docs/security.md`.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::crypto::random_array;
use crate::error::Result;
use crate::store::DATABASE_FILE;

/// The store's files: the database, its write-ahead log, its shared-memory
/// index and a rollback journal (never made in WAL mode, removed all the same).
const STORE_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Overwrites, syncs and removes every file of the store in `dir`; missing
/// files are skipped. Every file is tried; the first error is returned.
pub(crate) fn remove_store(dir: &Path) -> Result<()> {
    let mut result = Ok(());
    for suffix in STORE_SUFFIXES {
        let removed = shred_and_remove(&dir.join(format!("{DATABASE_FILE}{suffix}")));
        result = result.and(removed);
    }
    result.and(sync_dir(dir).map_err(Into::into))
}

fn shred_and_remove(path: &Path) -> Result<()> {
    match OpenOptions::new().write(true).open(path) {
        Ok(file) => overwrite(&file)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    fs::remove_file(path)?;
    Ok(())
}

/// Overwrites the whole file in place with random bytes and syncs it.
pub(super) fn overwrite(mut file: &File) -> std::io::Result<()> {
    let len = file.metadata()?.len();
    let mut written = 0u64;
    while written < len {
        let chunk: [u8; 4096] = random_array();
        let n = (len - written).min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..n])?;
        written += n as u64;
    }
    file.sync_all()
}

/// Makes renames and removals in `dir` durable.
#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(super) fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

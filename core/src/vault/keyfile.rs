//! The key file `<dir>/keys.bin`: its binary format and how it is written.
//!
//! Layout: the magic `BHVK`, a format version byte, then a postcard body.
//! The body is either an active vault (KDF parameters, salt, the wrapped
//! keys, the attempt policy and counter) or a tombstone that says the vault
//! was erased.
//!
//! Every write goes to a temporary file that is synced, renamed over the key
//! file and followed by a sync of the directory, so a crash leaves either the
//! old or the new file. The previous file's bytes are then overwritten with
//! random data through a handle kept open across the rename. On flash storage
//! (F2FS, APFS) an overwrite may land in fresh blocks and leave the old ones
//! readable to a forensic tool; the platform-key layer is what makes such
//! remnants useless.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::kdf::{KdfParams, SALT_LEN};
use super::policy::VaultPolicy;
use super::wipe::{overwrite, sync_dir};
use crate::error::{Error, Result};

/// Name of the key file inside a vault directory.
pub const FILE_NAME: &str = "keys.bin";
const TMP_NAME: &str = "keys.bin.tmp";
const MAGIC: &[u8; 4] = b"BHVK";
const VERSION: u8 = 1;
/// A real key file is a few hundred bytes; anything this large is not one.
const MAX_FILE_LEN: u64 = 64 * 1024;

/// The decoded key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum KeyFile {
    /// A usable vault.
    Active(ActiveKeys),
    /// The keys were erased; nothing can be unlocked.
    Erased,
}

/// An active vault's key material and attempt state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ActiveKeys {
    pub kdf: StoredKdf,
    pub salt: Vec<u8>,
    /// Whether `keys` is wrapped by the platform key.
    pub platform_wrapped: bool,
    /// An encoded [`PinLayer`], platform-wrapped when `platform_wrapped`.
    pub keys: Vec<u8>,
    pub policy: StoredPolicy,
    /// Consecutive failed attempts, counted before each derivation.
    pub failed: u32,
    /// The vault clock's reading (seconds since the phone started, see
    /// [`super::Clock`]) at the last (started) failed attempt.
    pub last_failure: u64,
}

/// What the PIN protects: the sealed data key and the duress verifier.
///
/// The verifier slot is always filled (with a seal under a throwaway key when
/// no duress PIN is set), so the file does not tell whether one exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PinLayer {
    pub sealed_key: Vec<u8>,
    pub duress: Vec<u8>,
}

/// [`KdfParams`] as stored; kept apart so the public type can change freely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredKdf {
    m: u32,
    t: u32,
    p: u32,
}

/// [`VaultPolicy`] as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredPolicy {
    max_attempts: u32,
    free_attempts: u32,
    base_delay_secs: u64,
    max_delay_secs: u64,
}

impl From<KdfParams> for StoredKdf {
    fn from(k: KdfParams) -> Self {
        Self {
            m: k.memory_kib,
            t: k.iterations,
            p: k.parallelism,
        }
    }
}

impl From<StoredKdf> for KdfParams {
    fn from(k: StoredKdf) -> Self {
        Self {
            memory_kib: k.m,
            iterations: k.t,
            parallelism: k.p,
        }
    }
}

impl From<VaultPolicy> for StoredPolicy {
    fn from(p: VaultPolicy) -> Self {
        Self {
            max_attempts: p.max_attempts,
            free_attempts: p.free_attempts,
            base_delay_secs: p.base_delay_secs,
            max_delay_secs: p.max_delay_secs,
        }
    }
}

impl From<StoredPolicy> for VaultPolicy {
    fn from(p: StoredPolicy) -> Self {
        Self {
            max_attempts: p.max_attempts,
            free_attempts: p.free_attempts,
            base_delay_secs: p.base_delay_secs,
            max_delay_secs: p.max_delay_secs,
        }
    }
}

impl ActiveKeys {
    pub fn kdf_params(&self) -> KdfParams {
        self.kdf.into()
    }

    pub fn policy(&self) -> VaultPolicy {
        self.policy.into()
    }
}

impl PinLayer {
    pub fn encode(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::Encoding(e.to_string()))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self> {
        match postcard::take_from_bytes::<Self>(bytes) {
            Ok((layer, [])) => Ok(layer),
            _ => Err(tampered()),
        }
    }
}

fn tampered() -> Error {
    Error::Tampered {
        record: "key file".into(),
    }
}

/// Path of the key file in `dir`.
pub(crate) fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Encodes a key file.
pub(crate) fn encode(file: &KeyFile) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    postcard::to_extend(file, out).map_err(|e| Error::Encoding(e.to_string()))
}

/// Decodes and checks a key file; anything malformed is `Tampered`.
pub(crate) fn decode(bytes: &[u8]) -> Result<KeyFile> {
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .and_then(|rest| rest.strip_prefix(&[VERSION]))
        .ok_or_else(tampered)?;
    let file = match postcard::take_from_bytes::<KeyFile>(body) {
        Ok((file, [])) => file,
        _ => return Err(tampered()),
    };
    if let KeyFile::Active(keys) = &file {
        let sane = keys.kdf_params().validate().is_ok()
            && keys.policy().validate().is_ok()
            && keys.salt.len() == SALT_LEN
            && !keys.keys.is_empty();
        if !sane {
            return Err(tampered());
        }
    }
    Ok(file)
}

/// Reads the key file in `dir`: `NoVault` if there is none.
pub(crate) fn read(dir: &Path) -> Result<KeyFile> {
    let file = match File::open(path(dir)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoVault),
        Err(e) => return Err(e.into()),
    };
    let mut bytes = Vec::with_capacity(512);
    file.take(MAX_FILE_LEN + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(tampered());
    }
    decode(&bytes)
}

/// Whether `dir` holds a key file (active or erased).
pub(crate) fn exists(dir: &Path) -> bool {
    path(dir).is_file()
}

/// Replaces the key file atomically, then overwrites the previous version's bytes.
pub(crate) fn write(dir: &Path, file: &KeyFile) -> Result<()> {
    let bytes = encode(file)?;
    let tmp = dir.join(TMP_NAME);
    {
        let mut out = create_private(&tmp)?;
        out.write_all(&bytes)?;
        out.sync_all()?;
    }
    let target = path(dir);
    // Held across the rename so the replaced bytes can be overwritten after it.
    let previous = OpenOptions::new().write(true).open(&target).ok();
    fs::rename(&tmp, &target)?;
    sync_dir(dir)?;
    if let Some(previous) = previous {
        if overwrite(&previous).is_err() {
            tracing::warn!("could not overwrite the previous key file");
        }
    }
    Ok(())
}

/// Overwrites the key file (and any leftover temporary file) in place with
/// random bytes and syncs it; missing files are skipped.
pub(crate) fn shred(dir: &Path) -> Result<()> {
    for name in [FILE_NAME, TMP_NAME] {
        match OpenOptions::new().write(true).open(dir.join(name)) {
            Ok(f) => overwrite(&f)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> KeyFile {
        KeyFile::Active(ActiveKeys {
            kdf: KdfParams::default().into(),
            salt: vec![9; SALT_LEN],
            platform_wrapped: false,
            keys: vec![1, 2, 3],
            policy: VaultPolicy::default().into(),
            failed: 2,
            last_failure: 1_700_000_000,
        })
    }

    #[test]
    fn round_trip() {
        for file in [sample(), KeyFile::Erased] {
            assert_eq!(decode(&encode(&file).unwrap()).unwrap(), file);
        }
    }

    #[test]
    fn every_truncation_and_extension_is_refused() {
        for file in [sample(), KeyFile::Erased] {
            let bytes = encode(&file).unwrap();
            for len in 0..bytes.len() {
                assert!(
                    matches!(decode(&bytes[..len]), Err(Error::Tampered { .. })),
                    "prefix of {len} bytes"
                );
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(matches!(decode(&longer), Err(Error::Tampered { .. })));
        }
    }

    #[test]
    fn bad_magic_version_or_values_are_refused() {
        let bytes = encode(&sample()).unwrap();
        let mut bad_magic = bytes.clone();
        bad_magic[0] ^= 1;
        let mut bad_version = bytes.clone();
        bad_version[4] = 2;
        for bad in [bad_magic, bad_version] {
            assert!(matches!(decode(&bad), Err(Error::Tampered { .. })));
        }
        let weak = KeyFile::Active(ActiveKeys {
            kdf: KdfParams {
                memory_kib: 8,
                iterations: 1,
                parallelism: 1,
            }
            .into(),
            ..match sample() {
                KeyFile::Active(a) => a,
                KeyFile::Erased => unreachable!(),
            }
        });
        assert!(matches!(
            decode(&encode(&weak).unwrap()),
            Err(Error::Tampered { .. })
        ));
    }

    #[test]
    fn random_bytes_never_panic() {
        for len in 0..300 {
            let mut junk = vec![0u8; len];
            getrandom::fill(&mut junk).unwrap();
            let _ = decode(&junk);
            let mut prefixed = MAGIC.to_vec();
            prefixed.push(VERSION);
            prefixed.extend_from_slice(&junk);
            let _ = decode(&prefixed);
            let _ = PinLayer::decode(&junk);
        }
    }

    #[test]
    fn write_replaces_and_read_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()), Err(Error::NoVault)));
        write(dir.path(), &sample()).unwrap();
        assert_eq!(read(dir.path()).unwrap(), sample());
        write(dir.path(), &KeyFile::Erased).unwrap();
        assert_eq!(read(dir.path()).unwrap(), KeyFile::Erased);
        assert!(!dir.path().join(TMP_NAME).exists());
        fs::write(path(dir.path()), vec![0u8; (MAX_FILE_LEN + 10) as usize]).unwrap();
        assert!(matches!(read(dir.path()), Err(Error::Tampered { .. })));
    }
}

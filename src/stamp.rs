//! File stamps: what the file system says about a file without reading it, so that work done
//! on its bytes (a checksum, a structural check) is done once and reused while the file is
//! unchanged.
//!
//! A [`Stamp`] is the size, the modification time, the status-change time (ctime), the inode
//! and the device, as git and make use them. Writing a file changes its mtime and ctime;
//! `touch -r` or `cp -p` can set the mtime back, but nothing short of changing the system
//! clock sets the ctime back (the kernel sets it to the current time on every change of the
//! content or the metadata, including setting the mtime). Replacing a file by another
//! (rename, copy) changes the inode. So a stamp that matches means the bytes are those that
//! were read when it was taken, unless the clock was set back, the file system does not keep
//! ctime (then [`Stamp::of`] refuses to stamp: ctime 0), or the bytes changed beneath the
//! file system (bit rot, a raw write to the device), which a full check
//! (`irexp index check`) still catches.
//!
//! [`HashCache`] keeps the SHA-256 of input files (the corpus, for the index cache key) by
//! path and stamp, in `hashes.json` of the index cache folder.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// What the file system says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub bytes: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Status-change time, nanoseconds since the epoch.
    pub ctime_ns: i128,
    /// Inode number.
    pub ino: u64,
    /// Device number.
    pub dev: u64,
}

impl Stamp {
    /// The stamp of `path`, or `None` when the file system gives no status-change time (then
    /// nothing may be trusted by stamp) or the file cannot be read.
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = fs::metadata(path).ok()?;
        if !m.is_file() || (m.ctime() == 0 && m.ctime_nsec() == 0) {
            return None;
        }
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(Stamp {
            bytes: m.len(),
            mtime_ns: ns(m.mtime(), m.mtime_nsec()),
            ctime_ns: ns(m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
            dev: m.dev(),
        })
    }

    /// Without a status-change time, nothing is stamped.
    #[cfg(not(unix))]
    pub fn of(_path: &Path) -> Option<Stamp> {
        None
    }
}

/// How long after its last change a file's stamp may be trusted. File systems keep times at
/// the kernel's clock tick (a few milliseconds), so a file changed again within the same tick
/// as the stamp was taken could keep its ctime; a stamp is only recorded once the file has
/// been unchanged for this long (git's "racy clean" rule).
pub const SETTLED_NS: i128 = 2_000_000_000;

impl Stamp {
    /// Whether the file has been unchanged for [`SETTLED_NS`], so its stamp may be recorded.
    pub fn settled(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        now - self.ctime_ns.max(self.mtime_ns) >= SETTLED_NS
    }
}

/// The SHA-256 and size of `path`, read in full.
pub fn sha256_file(path: &Path) -> Result<(u64, String)> {
    let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok((bytes, crate::manifest::hex(&hasher.finalize())))
}

/// One remembered checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Remembered {
    stamp: Stamp,
    sha256: String,
}

/// Checksums of input files by absolute path, reused while each file's [`Stamp`] is
/// unchanged. Saving is best effort (a read-only cache folder only costs re-reading), and
/// concurrent runs may each save: the last one's entries are kept, the others' are only read
/// again next time.
#[derive(Debug)]
pub struct HashCache {
    path: PathBuf,
    entries: BTreeMap<String, Remembered>,
    changed: bool,
}

impl HashCache {
    /// The file name in the index cache folder.
    pub const FILE: &'static str = "hashes.json";

    /// The cache of the index cache folder `dir` (empty when there is none or it is
    /// unreadable).
    pub fn open(dir: &Path) -> HashCache {
        let path = dir.join(Self::FILE);
        let entries = fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        HashCache {
            path,
            entries,
            changed: false,
        }
    }

    /// The size and SHA-256 of `path`: remembered when its stamp is unchanged, else read (and
    /// remembered when the stamp is the same before and after reading).
    pub fn sha256(&mut self, path: &Path) -> Result<(u64, String)> {
        let name = std::path::absolute(path)
            .unwrap_or_else(|_| path.to_path_buf())
            .display()
            .to_string();
        let before = Stamp::of(path);
        if let (Some(stamp), Some(r)) = (before, self.entries.get(&name)) {
            if r.stamp == stamp {
                return Ok((stamp.bytes, r.sha256.clone()));
            }
        }
        // Settled before reading starts (see `SETTLED_NS`).
        let settled = before.is_some_and(|s| s.settled());
        let (bytes, sha256) = sha256_file(path)?;
        match before {
            Some(stamp) if settled && Stamp::of(path) == Some(stamp) && stamp.bytes == bytes => {
                self.entries.insert(
                    name,
                    Remembered {
                        stamp,
                        sha256: sha256.clone(),
                    },
                );
                self.changed = true;
            }
            _ => {
                self.entries.remove(&name);
            }
        }
        Ok((bytes, sha256))
    }

    /// Writes the cache back when something was added (best effort).
    pub fn save(&self) {
        if !self.changed {
            return;
        }
        if let Some(dir) = self.path.parent() {
            let _ = fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_string(&self.entries) {
            let _ = crate::atomic::write(&self.path, text.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_with_the_mtime_restored_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("corpus.txt");
        fs::write(&f, "river flood").unwrap();
        let mut fresh = HashCache::open(dir.path());
        fresh.sha256(&f).unwrap();
        assert!(!fresh.changed, "a file changed just now is not remembered");
        std::thread::sleep(std::time::Duration::from_nanos(
            SETTLED_NS as u64 + 100_000_000,
        ));
        let mut cache = HashCache::open(dir.path());
        let first = cache.sha256(&f).unwrap();
        cache.save();
        let mut again = HashCache::open(dir.path());
        assert_eq!(again.sha256(&f).unwrap(), first);
        assert!(!again.changed, "an unchanged file is not read again");
        // Same size, mtime set back as `touch -r` does: the ctime still moves.
        let mtime = fs::metadata(&f).unwrap().modified().unwrap();
        fs::write(&f, "river fluid").unwrap();
        fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(fs::metadata(&f).unwrap().modified().unwrap(), mtime);
        let mut third = HashCache::open(dir.path());
        let (bytes, sum) = third.sha256(&f).unwrap();
        assert_eq!(bytes, first.0);
        assert_ne!(sum, first.1, "the edited content is hashed again");
        assert_eq!(sum, sha256_file(&f).unwrap().1);
    }
}

//! The index cache folder: one complete index per cache key (`KEY16/`), plus builds under
//! way (`.KEY16.PID-N.building`), and the run cache (`runs/KEY16/`, see
//! [`crate::run_cache`]). [`list`] describes every entry and [`gc`] removes what can never be
//! used again. The shards' folder (`shards/`, [`crate::shard`]) is not listed and never
//! removed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// The stamp file whose modification time records an index's last use.
const LAST_USED: &str = "last-used";

/// Records that the index in `dir` was just used (best effort: a read-only cache still
/// works).
pub fn touch(dir: &Path) {
    let _ = fs::write(dir.join(LAST_USED), b"");
}

/// What a cache entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A complete index this irexp reads.
    Index {
        /// Documents.
        documents: u64,
        /// Unique terms.
        terms: u64,
        /// The irexp version that wrote it.
        irexp_version: String,
    },
    /// A complete index in another format version (this irexp cannot read it).
    OtherFormat(u32),
    /// A folder with no readable header: a build that did not finish, or damage.
    Unfinished,
    /// A build whose process is still running.
    Building(u32),
    /// A build whose process is gone (killed, say).
    DeadBuild(u32),
    /// A cached run, ranked on the index with these 16 hex digits.
    Run {
        /// The index's folder name.
        index: String,
    },
    /// A cached run whose index is no longer in the cache (it can never be reused: its key
    /// holds that index's key).
    OrphanRun,
}

/// One entry of the cache folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its folder.
    pub path: PathBuf,
    /// The folder name (the key's first 16 hex digits for an index).
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
    /// Bytes on disk.
    pub bytes: u64,
    /// When it was last used (its `last-used` stamp, else its header's modification time).
    pub last_used: Option<SystemTime>,
}

impl Entry {
    /// True when [`gc`] removes it whatever its age: it can never be used again.
    pub fn is_garbage(&self) -> bool {
        matches!(
            self.kind,
            EntryKind::OtherFormat(_)
                | EntryKind::Unfinished
                | EntryKind::DeadBuild(_)
                | EntryKind::OrphanRun
        )
    }

    /// A word for the kind, for listings.
    pub fn status(&self) -> String {
        match &self.kind {
            EntryKind::Index { .. } => "index".into(),
            EntryKind::OtherFormat(v) => format!("format {v} (unreadable: remove)"),
            EntryKind::Unfinished => "unfinished (remove)".into(),
            EntryKind::Building(pid) => format!("building (pid {pid})"),
            EntryKind::DeadBuild(pid) => format!("dead build (pid {pid} is gone: remove)"),
            EntryKind::Run { index } => format!("run (on index {index})"),
            EntryKind::OrphanRun => "run of an index no longer cached (remove)".into(),
        }
    }
}

/// Every entry of the cache folder `cache`, sorted by name. Files that are not folders are
/// not irexp's and are left out.
pub fn list(cache: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(cache).map_err(|e| Error::io(cache, e))? {
        let entry = entry.map_err(|e| Error::io(cache, e))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == crate::run_cache::RUNS_DIR || name == crate::shard::SHARDS_DIR {
            continue;
        }
        let kind = if let Some(pid) = building_pid(&name) {
            if super::disk::process_alive(pid) {
                EntryKind::Building(pid)
            } else {
                EntryKind::DeadBuild(pid)
            }
        } else if name.starts_with('.') {
            continue;
        } else {
            match read_header(&path) {
                Some((version, _)) if version != super::disk::FORMAT_VERSION => {
                    EntryKind::OtherFormat(version)
                }
                Some((_, Some(h))) => EntryKind::Index {
                    documents: u64::from(h.stats.documents),
                    terms: u64::from(h.stats.terms),
                    irexp_version: h.irexp_version,
                },
                _ => EntryKind::Unfinished,
            }
        };
        let stamp = |f: &str| fs::metadata(path.join(f)).and_then(|m| m.modified()).ok();
        out.push(Entry {
            bytes: size(&path),
            last_used: stamp(LAST_USED).or_else(|| stamp(super::disk::HEADER_FILE)),
            path,
            name,
            kind,
        });
    }
    let runs = cache.join(crate::run_cache::RUNS_DIR);
    if let Ok(entries) = fs::read_dir(&runs) {
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            let file = entry.file_name().to_string_lossy().into_owned();
            let kind = if let Some(pid) = building_pid(&file) {
                if super::disk::process_alive(pid) {
                    EntryKind::Building(pid)
                } else {
                    EntryKind::DeadBuild(pid)
                }
            } else {
                match crate::run_cache::entry_index(&path) {
                    Some(index)
                        if cache.join(&index).join(super::disk::HEADER_FILE).is_file()
                            || has_shards(cache, &index) =>
                    {
                        EntryKind::Run { index }
                    }
                    Some(_) => EntryKind::OrphanRun,
                    None => EntryKind::Unfinished,
                }
            };
            let stamp = |f: &str| fs::metadata(path.join(f)).and_then(|m| m.modified()).ok();
            out.push(Entry {
                bytes: size(&path),
                last_used: stamp(LAST_USED),
                name: format!("{}/{file}", crate::run_cache::RUNS_DIR),
                path,
                kind,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Removes the entries that can never be used again (dead builds, unfinished folders, other
/// format versions, runs of indexes no longer cached) and, with `unused_for`, the indexes and
/// runs not used for that long (then the runs of the indexes removed). Returns what
/// was removed. Builds under way are never touched.
pub fn gc(cache: &Path, unused_for: Option<Duration>) -> Result<Vec<Entry>> {
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for e in list(cache)? {
        let stale = matches!(e.kind, EntryKind::Index { .. } | EntryKind::Run { .. })
            && unused_for.is_some_and(|limit| {
                e.last_used
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|age| age >= limit)
            });
        if e.is_garbage() || stale {
            fs::remove_dir_all(&e.path).map_err(|err| Error::io(&e.path, err))?;
            removed.push(e);
        }
    }
    // The runs of indexes just removed can never be reused either.
    for e in list(cache)? {
        if e.kind == EntryKind::OrphanRun {
            fs::remove_dir_all(&e.path).map_err(|err| Error::io(&e.path, err))?;
            removed.push(e);
        }
    }
    Ok(removed)
}

/// Whether `cache` holds shards of the index whose key starts with `index` (a run merged
/// from them is not an orphan). The shards' folder itself is not a cache entry: `gc` leaves
/// it alone.
fn has_shards(cache: &Path, index: &str) -> bool {
    let prefix = format!("{index}-of-");
    fs::read_dir(cache.join(crate::shard::SHARDS_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
}

/// The process id of a build folder name `.KEY.PID-N.building`.
fn building_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".building")?;
    let (_, pid_n) = rest.rsplit_once('.')?;
    pid_n.split('-').next()?.parse().ok()
}

/// The header's format version and, when it is this build's format, the header.
fn read_header(dir: &Path) -> Option<(u32, Option<super::disk::Header>)> {
    let text = fs::read_to_string(dir.join(super::disk::HEADER_FILE)).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let version = u32::try_from(value.get("format_version")?.as_u64()?).ok()?;
    Some((version, serde_json::from_value(value).ok()))
}

fn size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_folder_names_give_their_pid() {
        assert_eq!(
            building_pid(".0123456789abcdef.4242-0.building"),
            Some(4242)
        );
        assert_eq!(building_pid("0123456789abcdef"), None);
        assert_eq!(building_pid(".x.building"), None);
    }

    #[test]
    fn gc_removes_garbage_and_keeps_live_builds() {
        let tmp = tempfile::tempdir().unwrap();
        let c = tmp.path();
        fs::create_dir(c.join("aaaaaaaaaaaaaaaa")).unwrap(); // no header: unfinished
        fs::create_dir(c.join("bbbbbbbbbbbbbbbb")).unwrap();
        fs::write(
            c.join("bbbbbbbbbbbbbbbb/header.json"),
            r#"{"format_version": 0}"#,
        )
        .unwrap();
        // pid 1 is alive; u32::MAX - 1 is not a process.
        fs::create_dir(c.join(".cccccccccccccccc.1-0.building")).unwrap();
        fs::create_dir(c.join(format!(".dddddddddddddddd.{}-0.building", u32::MAX - 1))).unwrap();
        fs::write(c.join("notes.txt"), "mine").unwrap();
        let kinds: Vec<EntryKind> = list(c).unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EntryKind::Building(1),
                EntryKind::DeadBuild(u32::MAX - 1),
                EntryKind::Unfinished,
                EntryKind::OtherFormat(0),
            ]
        );
        let removed = gc(c, None).unwrap();
        assert_eq!(removed.len(), 3);
        let left: Vec<String> = fs::read_dir(c)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.contains(&"notes.txt".to_string()));
    }
}

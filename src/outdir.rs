//! The output folder as a transaction: complete or untouched.
//!
//! `irexp run` writes every output into a staging folder beside the target
//! (`.NAME.staging-PID`) and publishes it with one rename once everything, the manifest last,
//! is written and synced. An existing folder is swapped out atomically (Linux's
//! `renameat2(RENAME_EXCHANGE)`), so at every moment the target is either the previous
//! complete result or the new one, whatever fails and whenever the process is killed.
//!
//! - A lock file beside the target (`.NAME.lock`, held with `flock`) admits one run at a time;
//!   a second run fails at once with a message naming the process that holds it. The kernel
//!   releases the lock when that process dies, however it dies.
//! - Under the lock, staging folders left by killed runs are removed first.
//! - A folder that holds a file irexp did not write (one its manifest does not list) is
//!   never replaced or mixed into: that is an error naming the files.
//! - `manifest.json` lists every other file with its size and SHA-256; [`check`] verifies a
//!   folder against it (`irexp check`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// One output file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// The path inside the output folder, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

impl OutputFile {
    /// The record of a file at `path` (inside the output folder) with these bytes.
    pub fn of(path: &str, bytes: &[u8]) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: bytes.len() as u64,
            sha256: crate::manifest::hex(&Sha256::digest(bytes)),
        }
    }
}

/// An output folder being written: a staging folder and the lock on the target.
///
/// Dropped without [`Staging::publish`], it removes the staging folder and the target stays
/// as it was.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    origin: Location,
    published: bool,
    _lock: fs::File,
}

impl Staging {
    /// Locks `target`, checks that it may be replaced (it does not exist, is empty, or holds
    /// only what an earlier run wrote), removes staging folders of dead runs and creates a
    /// fresh staging folder. `origin` is where the target was configured (for errors).
    pub fn begin(target: &Path, origin: &Location, command: &str) -> Result<Staging> {
        let (parent, name) = split(target)?;
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let lock = lock(&parent.join(format!(".{name}.lock")), target, command)?;
        // Under the lock every staging folder of this target is a dead run's, and an `.old`
        // folder is a previous result whose swap was cut short (see `swap`).
        let old = parent.join(format!(".{name}.old"));
        if old.is_dir() && !target.exists() {
            fs::rename(&old, target).map_err(|e| Error::io(target, e))?;
        }
        for entry in fs::read_dir(&parent).map_err(|e| Error::io(&parent, e))? {
            let entry = entry.map_err(|e| Error::io(&parent, e))?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with(&format!(".{name}.staging-")) || file_name == old_name(&name) {
                fs::remove_dir_all(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            }
        }
        check_replaceable(target, origin)?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            origin: origin.clone(),
            published: false,
            _lock: lock,
        })
    }

    /// The staging folder, where every output is written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder the outputs will be published to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Sizes and checksums of every file written so far, sorted by path.
    pub fn files(&self) -> Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        for path in walk(&self.dir)? {
            files.push(output_file(&self.dir, &path)?);
        }
        Ok(files)
    }

    /// Writes `manifest` as the last file, syncs the folder and publishes it in place of the
    /// target. The target is never missing or mixed: it is swapped in one step.
    pub fn publish(mut self, manifest: &[u8]) -> Result<()> {
        crate::atomic::write(&self.dir.join(MANIFEST), manifest)?;
        sync_dir(&self.dir)?;
        // Files may have appeared in the target since `begin` (by hand: irexp holds the lock).
        check_replaceable(&self.target, &self.origin)?;
        swap(&self.dir, &self.target)?;
        self.published = true;
        let (parent, _) = split(&self.target)?;
        sync_dir(&parent)?;
        // After the swap the staging name holds the previous result, if there was one.
        if self.dir.exists() {
            fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn old_name(name: &str) -> String {
    format!(".{name}.old")
}

/// The target's parent folder and file name.
fn split(target: &Path) -> Result<(PathBuf, String)> {
    let absolute = std::path::absolute(target).map_err(|e| Error::io(target, e))?;
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::config(
                Location::file(target),
                "the output folder needs a name (not / or ..)",
            )
        })?;
    let parent = absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    Ok((parent, name))
}

/// Takes the lock file's exclusive lock without waiting, and records who holds it.
fn lock(path: &Path, target: &Path, command: &str) -> Result<fs::File> {
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            // The holder writes its line right after locking; until then the file is empty
            // or still names the previous holder, whose process is gone. Give it a moment.
            let mut holder = String::new();
            for _ in 0..50 {
                holder = fs::read_to_string(path).unwrap_or_default();
                let pid = holder
                    .strip_prefix("pid ")
                    .and_then(|r| r.split(',').next())
                    .and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(crate::index::disk::process_alive) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            let holder = holder.trim();
            return Err(Error::io(
                target,
                std::io::Error::new(
                    std::io::ErrorKind::ResourceBusy,
                    format!(
                        "the output folder is being written by another irexp process ({}); wait for it to finish or choose another experiment.output",
                        if holder.is_empty() { "unknown" } else { holder }
                    ),
                ),
            ));
        }
        Err(fs::TryLockError::Error(e)) => return Err(Error::io(path, e)),
    }
    let line = format!(
        "pid {}, started {}: {}\n",
        std::process::id(),
        crate::manifest::utc_now(),
        command
    );
    file.set_len(0)
        .and_then(|()| file.write_all(line.as_bytes()))
        .and_then(|()| file.flush())
        .map_err(|e| Error::io(path, e))?;
    Ok(file)
}

/// Whether `target` may be replaced as a whole: it does not exist, is an empty folder, or
/// every file in it is one its manifest lists (what an earlier run wrote).
fn check_replaceable(target: &Path, origin: &Location) -> Result<()> {
    let refuse = |message: String| {
        Err(Error::Context {
            location: origin.clone(),
            what: "experiment.output".into(),
            inner: Box::new(Error::config(Location::file(target), message)),
        })
    };
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(target, e)),
        Ok(m) if !m.is_dir() => {
            return refuse("this is not a folder; the output must be a folder".into())
        }
        Ok(_) => {}
    }
    let present = walk(target)?;
    if present.is_empty() {
        return Ok(());
    }
    let listed: Option<Vec<String>> = fs::read(target.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .filter(|m| m.get("irexp_version").is_some())
        .map(|m| {
            m.get("files")
                .and_then(|f| serde_json::from_value::<Vec<OutputFile>>(f.clone()).ok())
                .map(|files| files.into_iter().map(|f| f.path).collect())
                .unwrap_or_default()
        });
    let Some(listed) = listed else {
        return refuse(
            "the folder holds files and no irexp manifest.json, so irexp did not write it; it is never replaced or mixed into: choose another experiment.output or empty it".into(),
        );
    };
    let foreign: Vec<String> = present
        .iter()
        .map(|p| relative(target, p))
        .filter(|rel| rel != MANIFEST && !listed.contains(rel) && !legacy_output(rel, &listed))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let head: Vec<&str> = foreign.iter().take(10).map(String::as_str).collect();
    refuse(format!(
        "the folder holds {} file{} that irexp did not write ({}{}); it is never replaced or mixed into: move {} or choose another experiment.output",
        foreign.len(),
        if foreign.len() == 1 { "" } else { "s" },
        head.join(", "),
        if foreign.len() > 10 { ", ..." } else { "" },
        if foreign.len() == 1 { "it" } else { "them" },
    ))
}

/// A file that irexp 0.1's runs wrote before manifests listed their files: runs, `.eval`
/// files, `eval.json`, `config.resolved.toml` and `compare/`. Only for a manifest without a
/// file list.
fn legacy_output(rel: &str, listed: &[String]) -> bool {
    listed.is_empty()
        && (rel.ends_with(".run")
            || rel.ends_with(".eval")
            || rel == "eval.json"
            || rel == "config.resolved.toml"
            || rel.starts_with("compare/"))
}

/// Swaps the finished `staging` folder with `target` in one step (or renames it into place
/// when there is no target). Where the kernel or file system cannot exchange, the target is
/// first renamed to `.NAME.old`, which the next run restores if the process dies between
/// the two renames.
fn swap(staging: &Path, target: &Path) -> Result<()> {
    if !target.exists() {
        return fs::rename(staging, target).map_err(|e| Error::io(target, e));
    }
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(staging.as_os_str().as_bytes())
            .map_err(|e| Error::io(staging, std::io::Error::other(e)))?;
        let b = CString::new(target.as_os_str().as_bytes())
            .map_err(|e| Error::io(target, std::io::Error::other(e)))?;
        // Safety: both are valid NUL-terminated paths; renameat2 only reads them.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(Error::io(target, e));
        }
    }
    let (parent, name) = split(target)?;
    let old = parent.join(old_name(&name));
    fs::rename(target, &old).map_err(|e| Error::io(target, e))?;
    fs::rename(staging, target).map_err(|e| Error::io(target, e))?;
    fs::rename(&old, staging).map_err(|e| Error::io(&old, e))
}

fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// Every file below `dir` (and every empty folder, as a path ending in `/`), sorted.
fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut empty = true;
        for entry in fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            empty = false;
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
        if empty && d != dir {
            out.push(d.join(""));
        }
    }
    out.sort();
    Ok(out)
}

/// `path` relative to `dir`, `/`-separated (a folder keeps its trailing `/`).
fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let mut s = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if path.as_os_str().to_string_lossy().ends_with('/') {
        s.push('/');
    }
    s
}

fn output_file(dir: &Path, path: &Path) -> Result<OutputFile> {
    let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(OutputFile {
        path: relative(dir, path),
        bytes,
        sha256: crate::manifest::hex(&hasher.finalize()),
    })
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files the manifest lists that are not there.
    pub missing: Vec<String>,
    /// Files that are there and not in the manifest.
    pub extra: Vec<String>,
    /// Files whose size or checksum differs from the manifest's.
    pub changed: Vec<String>,
    /// Files that match.
    pub ok: usize,
}

impl CheckReport {
    /// True when the folder is exactly what the manifest lists.
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

/// Verifies the output folder `dir` against its `manifest.json`: every listed file present
/// with its size and checksum, and nothing else. A missing or unreadable manifest is an
/// input error.
pub fn check(dir: &Path) -> Result<CheckReport> {
    let path = dir.join(MANIFEST);
    let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::input(
            Location::line(&path, e.line()),
            format!("not a JSON manifest: {e}"),
        )
    })?;
    let files: Vec<OutputFile> = manifest
        .get("files")
        .cloned()
        .ok_or_else(|| {
            Error::input(
                Location::file(&path),
                "the manifest lists no files (written by an irexp older than 0.2?)",
            )
        })
        .and_then(|f| {
            serde_json::from_value(f)
                .map_err(|e| Error::input(Location::file(&path), format!("damaged file list: {e}")))
        })?;
    let mut report = CheckReport::default();
    let present: Vec<String> = walk(dir)?
        .iter()
        .map(|p| relative(dir, p))
        .filter(|rel| rel != MANIFEST)
        .collect();
    for f in &files {
        let p = dir.join(&f.path);
        if !present.contains(&f.path) {
            report.missing.push(f.path.clone());
            continue;
        }
        let actual = output_file(dir, &p)?;
        if actual.bytes != f.bytes || actual.sha256 != f.sha256 {
            report.changed.push(f.path.clone());
        } else {
            report.ok += 1;
        }
    }
    report.extra = present
        .into_iter()
        .filter(|rel| !files.iter().any(|f| &f.path == rel))
        .collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Location {
        Location::file("test.toml")
    }

    #[test]
    fn publish_replaces_the_folder_as_a_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::begin(&target, &origin(), "test").unwrap();
        fs::write(s.dir().join("a.run"), "1").unwrap();
        fs::write(s.dir().join("b.run"), "2").unwrap();
        let files = s.files().unwrap();
        let manifest = serde_json::json!({"irexp_version": "x", "files": files});
        s.publish(manifest.to_string().as_bytes()).unwrap();
        assert!(check(&target).unwrap().passed());

        let s = Staging::begin(&target, &origin(), "test").unwrap();
        fs::write(s.dir().join("a.run"), "3").unwrap();
        let files = s.files().unwrap();
        let manifest = serde_json::json!({"irexp_version": "x", "files": files});
        s.publish(manifest.to_string().as_bytes()).unwrap();
        assert!(!target.join("b.run").exists(), "no stale file survives");
        assert_eq!(fs::read_to_string(target.join("a.run")).unwrap(), "3");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("staging") || n.ends_with(".old")),
            "{names:?}"
        );
    }

    #[test]
    fn a_dropped_staging_leaves_the_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        fs::create_dir(&target).unwrap();
        let s = Staging::begin(&target, &origin(), "test").unwrap();
        fs::write(s.dir().join("a.run"), "1").unwrap();
        let dir = s.dir().to_path_buf();
        drop(s);
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
    }

    #[test]
    fn foreign_files_are_refused_and_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let err = Staging::begin(&target, &origin(), "test").unwrap_err();
        assert!(err.to_string().contains("no irexp manifest.json"), "{err}");
        assert!(err.is_user_error());
        fs::write(
            target.join(MANIFEST),
            r#"{"irexp_version": "x", "files": []}"#,
        )
        .unwrap();
        let err = Staging::begin(&target, &origin(), "test").unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(
            fs::read_to_string(target.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let first = Staging::begin(&target, &origin(), "irexp run first.toml").unwrap();
        let err = Staging::begin(&target, &origin(), "second").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("another irexp process"), "{text}");
        assert!(text.contains("irexp run first.toml"), "{text}");
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(!err.is_user_error());
        drop(first);
        Staging::begin(&target, &origin(), "third").unwrap();
    }

    #[test]
    fn check_lists_missing_extra_and_changed_files() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = Staging::begin(&target, &origin(), "test").unwrap();
        for name in ["a", "b", "c"] {
            fs::write(s.dir().join(name), name).unwrap();
        }
        fs::create_dir(s.dir().join("sub")).unwrap();
        fs::write(s.dir().join("sub/d"), "d").unwrap();
        let files = s.files().unwrap();
        assert_eq!(files[3].path, "sub/d");
        let manifest = serde_json::json!({"irexp_version": "x", "files": files});
        s.publish(manifest.to_string().as_bytes()).unwrap();
        fs::remove_file(target.join("a")).unwrap();
        fs::write(target.join("b"), "B").unwrap();
        fs::write(target.join("e"), "e").unwrap();
        let r = check(&target).unwrap();
        assert_eq!(r.missing, ["a"]);
        assert_eq!(r.changed, ["b"]);
        assert_eq!(r.extra, ["e"]);
        assert_eq!(r.ok, 2);
        assert!(!r.passed());
    }

    #[test]
    fn a_swap_cut_short_is_restored_by_the_next_run() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let old = tmp.path().join(".out.old");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("a.run"), "previous").unwrap();
        fs::write(
            old.join(MANIFEST),
            r#"{"irexp_version": "x", "files": [{"path": "a.run", "bytes": 8, "sha256": "-"}]}"#,
        )
        .unwrap();
        let s = Staging::begin(&target, &origin(), "test").unwrap();
        assert_eq!(
            fs::read_to_string(target.join("a.run")).unwrap(),
            "previous"
        );
        drop(s);
    }
}

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Lists the files named by `path`: the file itself, every file below a folder (recursively,
/// in byte order of their paths, hidden files skipped), or every file matching a glob pattern
/// (sorted). Naming nothing is an error.
pub fn list_files(path: &Path) -> Result<Vec<PathBuf>> {
    let text = path.to_string_lossy();
    let mut files = if text.contains(['*', '?', '[']) {
        let pattern = glob::glob(&text)
            .map_err(|e| Error::input(Location::file(path), format!("bad glob pattern: {e}")))?;
        let mut v = Vec::new();
        for entry in pattern {
            let p = entry.map_err(|e| {
                let path = e.path().to_path_buf();
                Error::io(path, e.into())
            })?;
            if p.is_file() {
                v.push(p);
            }
        }
        v
    } else {
        super::must_exist(path)?;
        if path.is_dir() {
            let mut v = Vec::new();
            walk(path, &mut v)?;
            v
        } else {
            vec![path.to_path_buf()]
        }
    };
    files.sort();
    if files.is_empty() {
        return Err(Error::input(Location::file(path), "names no files"));
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io(&p, e))?;
        if kind.is_dir() || (kind.is_symlink() && p.is_dir()) {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_sorted_order_and_globs_match() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        for f in ["b/2.trec", "a.trec", "b/1.trec", "c.txt", ".hidden"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let names = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(
            names(list_files(dir.path()).unwrap()),
            ["a.trec", "b/1.trec", "b/2.trec", "c.txt"]
        );
        let pattern = dir.path().join("**/*.trec");
        assert_eq!(
            names(list_files(&pattern).unwrap()),
            ["a.trec", "b/1.trec", "b/2.trec"]
        );
    }

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let err = list_files(Path::new("no/such/corpus")).unwrap_err();
        assert!(err.to_string().contains("no/such/corpus"), "{err}");
    }
}

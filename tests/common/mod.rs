//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared collections folder from `IREXP_COLLECTIONS`, or `None` (after printing a visible
/// skip line) when it is unset or absent.
pub fn collections(test: &str) -> Option<PathBuf> {
    match std::env::var_os("IREXP_COLLECTIONS") {
        Some(dir) if Path::new(&dir).is_dir() => Some(PathBuf::from(dir)),
        Some(dir) => {
            eprintln!(
                "SKIP {test}: IREXP_COLLECTIONS={} is not a folder",
                Path::new(&dir).display()
            );
            None
        }
        None => {
            eprintln!("SKIP {test}: IREXP_COLLECTIONS is not set");
            None
        }
    }
}

/// A sibling folder of the collections in the shared material (`porter`, `reference-runs`).
pub fn shared_sibling(collections: &Path, name: &str) -> PathBuf {
    collections.join("..").join(name)
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `irexp` binary, with progress output silenced.
pub fn irexp() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("irexp").expect("the irexp binary is built");
    cmd.env_remove("RAYON_NUM_THREADS");
    cmd
}

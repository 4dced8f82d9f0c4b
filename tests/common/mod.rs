//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared collections folder from `IREXP_COLLECTIONS`, made absolute (a relative value
/// is read against the current folder, the repository root under `cargo test`).
///
/// Tests that call this carry `#[cfg_attr(irexp_no_collections, ignore = "...")]`: the
/// build script sets that cfg when
/// the variable is unset, so without it they show as ignored in cargo's summary. With it,
/// a value that names no folder fails them.
pub fn collections() -> PathBuf {
    let dir = std::env::var_os("IREXP_COLLECTIONS").expect(
        "IREXP_COLLECTIONS was set when the tests were built but is not set now (cargo test rebuilds when it changes)",
    );
    let path = std::path::absolute(PathBuf::from(&dir)).expect("an absolute path");
    assert!(
        path.is_dir(),
        "IREXP_COLLECTIONS={} is not a folder (from {})",
        Path::new(&dir).display(),
        std::env::current_dir().unwrap().display()
    );
    path
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
    // Tests that leave `index.cache` at its default must not write into the user's cache.
    cmd.env("XDG_CACHE_HOME", test_cache_home());
    // Children may run in another folder: give them the collections as an absolute path.
    if std::env::var_os("IREXP_COLLECTIONS").is_some() {
        cmd.env("IREXP_COLLECTIONS", collections());
    }
    cmd
}

/// The `XDG_CACHE_HOME` of the irexp processes the tests start: a folder of cargo's target
/// directory, so the default index cache never lands in the user's home.
pub fn test_cache_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache")
}

/// Summary values (`qid` = `all`) of a trec_eval-style `.eval` file.
pub fn summary(eval_text: &str) -> std::collections::HashMap<String, String> {
    eval_text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 3 && f[1] == "all")
                .then(|| (f[0].trim().to_string(), f[2].trim().to_string()))
        })
        .collect()
}

/// The text of a gzip file.
pub fn read_gz(path: &Path) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// How many lines of two TREC runs differ in (qid, docno, rank, score), ignoring the tag and
/// the line order. Different line counts count as differences too.
pub fn differing_run_lines(a: &str, b: &str) -> usize {
    let strip = |text: &str| -> Vec<String> {
        let mut v: Vec<String> = text
            .lines()
            .map(|l| l.rsplit_once(' ').map_or(l, |(head, _)| head).to_string())
            .collect();
        v.sort();
        v
    };
    let (a, b) = (strip(a), strip(b));
    a.iter().zip(&b).filter(|(x, y)| x != y).count() + a.len().abs_diff(b.len())
}

/// An experiment's output folder inside a temporary folder, with the index cache beside
/// it; both are removed on drop.
pub struct TempRun {
    tmp: tempfile::TempDir,
    out: PathBuf,
}

impl TempRun {
    /// A fresh temporary folder; the output folder (`out/`) does not exist yet.
    pub fn new() -> TempRun {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("out");
        TempRun { tmp, out }
    }

    /// The output folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// The index cache folder (beside the output folder).
    pub fn cache(&self) -> PathBuf {
        self.tmp.path().join("index-cache")
    }

    /// The temporary folder that holds both.
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }
}

/// Runs `irexp run -q CONFIG` from the repository root with the output folder and the index
/// cache inside a fresh temporary folder, `RAYON_NUM_THREADS` set when `threads` is given,
/// and `extra` as more `--set` overrides; asserts success and returns the folder.
pub fn run_in_temp(config: &str, threads: Option<&str>, extra: &[&str]) -> TempRun {
    let out = TempRun::new();
    let mut cmd = irexp();
    cmd.current_dir(repo()).args(["run", "-q", config]);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.arg("--set")
        .arg(format!("experiment.output={}", out.path().display()));
    cmd.arg("--set")
        .arg(format!("index.cache={}", out.cache().display()));
    for e in extra {
        cmd.args(["--set", e]);
    }
    cmd.assert().success();
    out
}

/// Runs `irexp run CONFIG`; asserts exit code 2 and every needle in stderr.
pub fn run_fails(config: &Path, needles: &[&str]) {
    use predicates::prelude::*;
    let mut assert = irexp().arg("run").arg(config).assert().code(2);
    for n in needles {
        assert = assert.stderr(predicate::str::contains(*n));
    }
}

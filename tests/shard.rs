//! Sharded indexing and search (`irexp index/run --shard I/N`, `irexp merge`), through the
//! binary: the merged outputs are byte-identical to one machine's `irexp run` for every
//! shardable model and several shard counts; missing or foreign shards are refused, naming
//! them, with nothing published; running again does only what is missing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{collections, irexp, repo};

/// The sharding configs (tests/data/shard/README.md).
fn config(name: &str) -> PathBuf {
    repo().join("tests/data/shard").join(name)
}

/// `irexp ARGS CONFIG` with the output folder `out` and the index cache `cache`, `extra` as
/// more arguments.
fn cmd(
    args: &[&str],
    config: &Path,
    out: &Path,
    cache: &Path,
    extra: &[&str],
) -> assert_cmd::Command {
    let mut c = irexp();
    c.current_dir(repo()).args(args).arg(config).args([
        "-q",
        "--set",
        &format!("experiment.output={}", out.display()),
        "--set",
        &format!("index.cache={}", cache.display()),
    ]);
    c.args(extra);
    c
}

fn stdout(c: &mut assert_cmd::Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

/// One machine's outputs of `config` in `root/single`.
fn single(config: &Path, root: &Path, extra: &[&str]) -> PathBuf {
    let out = root.join("single");
    cmd(&["run"], config, &out, &root.join("cache-single"), extra)
        .assert()
        .success();
    out
}

/// The outputs of `config` as `n` shards run in sequence in `root/shards-N` (its own index
/// cache, so no merged run of another count is reused from the run cache): every shard
/// indexed, every shard ranked, merged; while the merge expands RM3 queries, every shard
/// ranked again and merged again.
fn sharded(config: &Path, root: &Path, n: u32, extra: &[&str]) -> PathBuf {
    let out = root.join(format!("shards-{n}"));
    let cache = root.join(format!("cache-{n}"));
    let every_shard = |command: &str| {
        for i in 1..=n {
            let shard = format!("{i}/{n}");
            let args = [&["--shard", &shard], extra].concat();
            cmd(&[command], config, &out, &cache, &args)
                .assert()
                .success();
        }
    };
    every_shard("index");
    for round in 1..=3 {
        every_shard("run");
        let merged = stdout(&mut cmd(&["merge"], config, &out, &cache, extra));
        if !merged.contains("RM3 queries expanded") {
            assert!(
                out.join("manifest.json").is_file(),
                "round {round}: {merged}"
            );
            return out;
        }
        assert!(
            !out.exists(),
            "nothing is published while RM3's second round is due"
        );
    }
    panic!("the merge still expands queries after three rounds");
}

/// Every output file below `dir` that must be byte-identical, relative path to bytes.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // The manifest, the resolved config and the report page name the command line,
            // the paths, the start time and the timings.
            if !["manifest.json", "config.resolved.toml", "report.html"].contains(&rel.as_str()) {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Checks that `sharded`'s outputs are `single`'s, byte for byte, and that they hold what
/// `config` should produce.
fn assert_identical(single: &Path, sharded: &Path, n: u32, expect: &[&str]) {
    let (a, b) = (outputs(single), outputs(sharded));
    for name in expect {
        assert!(a.contains_key(*name), "one machine wrote no {name}");
    }
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{n} shards: the same files");
    let differ: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(
        differ.is_empty(),
        "{n} shards: these outputs differ from one machine's: {differ:?}"
    );
    // The manifests agree on what was indexed.
    let manifest = |d: &Path| -> serde_json::Value {
        serde_json::from_str(&fs::read_to_string(d.join("manifest.json")).unwrap()).unwrap()
    };
    let (ma, mb) = (manifest(single), manifest(sharded));
    for key in ["index", "corpus", "topics_without_terms", "outputs"] {
        assert_eq!(ma[key], mb[key], "{n} shards: manifest {key}");
    }
    assert_eq!(
        ma["index_cache"]["key"], mb["index_cache"]["key"],
        "the collection's key"
    );
}

/// The runs of every model in the sharding configs.
const RUNS: &[&str] = &[
    "bm25.run",
    "bm25-exact.run",
    "bm25-accurate.run",
    "bm25-robertson.run",
    "bm25-terrier.run",
    "bm25-atire.run",
    "bm25l.run",
    "bm25plus.run",
    "tfidf-terrier.run",
    "tfidf-lucene.run",
    "qld.run",
    "qljm.run",
    "bm25-rm3.run",
    "qld-rm3.run",
    "eval.json",
    "bm25-rm3.eval",
];

fn byte_identical(name: &str, counts: &[u32], expect: &[&str]) {
    let root = tempfile::tempdir().unwrap();
    let config = config(name);
    let one = single(&config, root.path(), &[]);
    for &n in counts {
        let merged = sharded(&config, root.path(), n, &[]);
        assert_identical(&one, &merged, n, expect);
    }
}

#[test]
fn sample_shards_by_file_and_by_document_merge_to_one_machines_outputs() {
    // 4 corpus files: by file for 2, 3 and 4 shards, by documents for 5.
    byte_identical(
        "sample-all.toml",
        &[2, 3, 4, 5],
        &[RUNS, &["compare/bm25/compare.json"]].concat(),
    );
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn cacm_and_vaswani_shards_merge_to_one_machines_outputs() {
    let _ = collections();
    for (config, more) in [
        (
            "cacm-all.toml",
            ["compare/bm25/compare.json", "sweep/bm25-k1/grid.csv"],
        ),
        (
            "vaswani-all.toml",
            ["compare/bm25/compare.json", "compare/qld/compare.json"],
        ),
    ] {
        byte_identical(config, &[1, 2, 3, 7], &[RUNS, &more].concat());
    }
}

/// A config with its output folder and index cache, for the fault tests (which rank bm25
/// only, through `--ranker bm25`).
struct Setup {
    _root: tempfile::TempDir,
    config: PathBuf,
    out: PathBuf,
    cache: PathBuf,
}

impl Setup {
    fn new(name: &str) -> Setup {
        let root = tempfile::tempdir().unwrap();
        Setup {
            out: root.path().join("out"),
            cache: root.path().join("cache"),
            config: config(name),
            _root: root,
        }
    }

    /// `irexp COMMAND CONFIG [--shard SHARD] EXTRA` (`--ranker bm25` but for `index`).
    fn cmd(&self, command: &str, shard: Option<&str>, extra: &[&str]) -> assert_cmd::Command {
        let mut args: Vec<&str> = Vec::new();
        if let Some(s) = shard {
            args.extend(["--shard", s]);
        }
        if command != "index" {
            args.extend(BM25);
        }
        args.extend(extra);
        cmd(&[command], &self.config, &self.out, &self.cache, &args)
    }

    /// Runs `irexp COMMAND` and returns its stdout, asserting success.
    fn ok(&self, command: &str, shard: Option<&str>, extra: &[&str]) -> String {
        stdout(&mut self.cmd(command, shard, extra))
    }

    /// Runs `irexp COMMAND` and returns its stderr, asserting the exit code.
    fn fails(&self, command: &str, shard: Option<&str>, code: i32) -> String {
        stderr_of(&mut self.cmd(command, shard, &[]), code)
    }

    fn index_all(&self, n: u32, extra: &[&str]) {
        for i in 1..=n {
            self.ok("index", Some(&format!("{i}/{n}")), extra);
        }
    }

    fn run_all(&self, n: u32) {
        for i in 1..=n {
            self.ok("run", Some(&format!("{i}/{n}")), &[]);
        }
    }
}

fn stderr_of(c: &mut assert_cmd::Command, code: i32) -> String {
    String::from_utf8(c.assert().code(code).get_output().stderr.clone()).unwrap()
}

const BM25: &[&str] = &["--ranker", "bm25"];

#[test]
fn a_shard_that_did_not_rank_leaves_no_output_and_is_named_then_only_it_runs() {
    let s = Setup::new("sample-all.toml");
    s.index_all(3, &[]);
    for shard in ["1/3", "3/3"] {
        s.ok("run", Some(shard), &[]);
    }
    let err = s.fails("merge", None, 1);
    assert!(
        err.contains("shard 2/3") && !err.contains("1/3") && err.contains("bm25"),
        "{err}"
    );
    assert!(!s.out.exists(), "no merged output while a shard is missing");

    // Running shard 1 again does nothing: its list is kept as it was.
    let lists: Vec<PathBuf> = glob(&s.cache, ".list");
    assert_eq!(lists.len(), 2, "{lists:?}");
    let stamps = || -> Vec<_> {
        lists
            .iter()
            .map(|p| fs::metadata(p).unwrap().modified().unwrap())
            .collect()
    };
    let before = stamps();
    let again = s.ok("run", Some("1/3"), &[]);
    assert!(again.contains("bm25: already there"), "{again}");
    assert_eq!(before, stamps());
    let reindexed = s.ok("index", Some("2/3"), &[]);
    assert!(reindexed.starts_with("reused shard 2/3"), "{reindexed}");

    // The missing shard alone, then the merge publishes.
    let ran = s.ok("run", Some("2/3"), &[]);
    assert!(ran.contains("bm25: ranked"), "{ran}");
    s.ok("merge", None, &[]);
    assert!(s.out.join("bm25.run").is_file() && s.out.join("manifest.json").is_file());
}

/// Files below `dir` whose names end with `suffix`, sorted.
fn glob(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, suffix, out);
            } else if p.to_string_lossy().ends_with(suffix) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, suffix, &mut out);
    out.sort();
    out
}

#[test]
fn a_shard_not_indexed_is_named_by_run_and_merge() {
    let s = Setup::new("sample-all.toml");
    for shard in ["1/3", "3/3"] {
        s.ok("index", Some(shard), &[]);
    }
    let err = s.fails("run", Some("1/3"), 1);
    assert!(err.contains("shard 2/3 of 3 not indexed yet"), "{err}");
    let err = s.fails("run", Some("2/3"), 1);
    assert!(err.contains("shard 2/3 is not indexed"), "{err}");
    let err = s.fails("merge", None, 1);
    assert!(err.contains("shard 2/3"), "{err}");
    assert!(!s.out.exists());
}

#[test]
fn a_shard_of_other_analyzer_settings_is_refused_naming_it() {
    let s = Setup::new("sample-all.toml");
    s.index_all(3, &[]);
    // The same corpus with another stemmer: another collection key, another folder.
    s.index_all(3, &["--set", "analyzer.stemmer=none"]);
    let sets: Vec<PathBuf> = fs::read_dir(s.cache.join("shards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(sets.len(), 2, "{sets:?}");
    // Put the other settings' shard 2 in place of this one's.
    let stemmer = |d: &Path| -> String {
        let text = fs::read_to_string(d.join("shard-2/header.json")).unwrap();
        let header: serde_json::Value = serde_json::from_str(&text).unwrap();
        header["settings"]["collection"]["analyzer"]["stemmer"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let this = sets.iter().find(|d| stemmer(d) == "porter").unwrap();
    let foreign = sets.iter().find(|d| *d != this).unwrap();
    fs::remove_dir_all(this.join("shard-2")).unwrap();
    copy_dir(&foreign.join("shard-2"), &this.join("shard-2"));
    fs::copy(foreign.join("shard-2.stats"), this.join("shard-2.stats")).unwrap();

    for shard in ["1/3", "2/3"] {
        let err = s.fails("run", Some(shard), 2);
        assert!(
            err.contains("shard 2/3 was built from another corpus version")
                && err.contains("shard-2"),
            "{err}"
        );
    }
    let err = s.fails("merge", None, 2);
    assert!(
        err.contains("shard 2/3 was built from another corpus version"),
        "{err}"
    );
    assert!(!s.out.exists());
    // Rebuilding it as the message says repairs the set.
    s.ok("index", Some("2/3"), &["--reindex"]);
    s.run_all(3);
    s.ok("merge", None, &[]);
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn the_bm25_crate_is_refused_for_shards_naming_the_ranker() {
    let root = tempfile::tempdir().unwrap();
    let (out, cache) = (root.path().join("out"), root.path().join("cache"));
    let config = repo().join("configs/models.toml");
    let err = stderr_of(
        &mut cmd(&["run"], &config, &out, &cache, &["--shard", "1/2"]),
        2,
    );
    assert!(
        err.contains("ranker bm25-crate") && err.contains("--ranker"),
        "{err}"
    );
}

#[test]
fn bad_shard_arguments_are_usage_errors() {
    for bad in ["0/3", "4/3", "3", "x/y"] {
        let err = stderr_of(
            irexp()
                .current_dir(repo())
                .args(["index", "configs/bm25.toml", "--shard", bad]),
            2,
        );
        assert!(err.contains("is not a shard"), "{bad}: {err}");
    }
}

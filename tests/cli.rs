//! The `irexp run` command end to end: outputs, determinism, and errors on bad input.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{irexp, repo};
use predicates::prelude::*;

/// A small valid experiment in a temporary folder; tests then break one part of it.
struct Fixture {
    dir: tempfile::TempDir,
}

const CORPUS: &str = "<DOC>\n<DOCNO> A-1 </DOCNO>\n<TEXT>\nRiver flood defences were raised.\n</TEXT>\n</DOC>\n<DOC>\n<DOCNO> A-2 </DOCNO>\n<TEXT>\nThe rail strike ended.\n</TEXT>\n</DOC>\n";
const TOPICS: &str = "<top>\n<num> Number: 1\n<title> flood defences\n</top>\n";
const QRELS: &str = "1 0 A-1 1\n1 0 A-2 0\n";

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(f.path("corpus")).unwrap();
        f.write("corpus/a.trec", CORPUS);
        f.write("topics.trec", TOPICS);
        f.write("qrels.txt", QRELS);
        f.write("exp.toml", &Self::config(""));
        f
    }

    fn config(extra_ranker_keys: &str) -> String {
        format!(
            "[experiment]\nname = \"t\"\noutput = \"out\"\n\n[corpus]\npath = \"corpus\"\n\n[topics]\npath = \"topics.trec\"\n\n[qrels]\npath = \"qrels.txt\"\n\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n{extra_ranker_keys}\n[index]\ncache = \"index-cache\"\n"
        )
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    fn run(&self) -> assert_cmd::assert::Assert {
        irexp().arg("run").arg(self.path("exp.toml")).assert()
    }

    /// Runs, expects exit code 2 with every `needle` in stderr, and no run file left.
    fn fails_with(&self, needles: &[&str]) {
        let mut assert = self.run().code(2);
        for n in needles {
            assert = assert.stderr(predicate::str::contains(*n));
        }
        assert!(
            !self.path("out/bm25.run").exists(),
            "a run file was written despite the error"
        );
        let leftovers: Vec<_> = walk(self.dir.path())
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn run_writes_every_output_and_prints_the_table() {
    let f = Fixture::new();
    f.run()
        .success()
        .stdout(predicate::str::contains("map"))
        .stdout(predicate::str::contains("bm25"));
    for name in [
        "bm25.run",
        "bm25.eval",
        "eval.json",
        "config.resolved.toml",
        "manifest.json",
    ] {
        assert!(f.path("out").join(name).is_file(), "{name} missing");
    }
    let run = std::fs::read_to_string(f.path("out/bm25.run")).unwrap();
    assert!(run.starts_with("1 Q0 A-1 1 "), "{run}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["irexp_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 4);
    assert_eq!(manifest["tie_policy"], "trec_eval");
    let eval: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("out/eval.json")).unwrap()).unwrap();
    assert!(eval.get("bm25").is_some(), "{eval}");
}

#[test]
fn bundled_sample_runs_and_evaluates() {
    let out = common::TempRun::new();
    irexp()
        .current_dir(repo())
        .args(["run", "configs/bm25.toml", "--set"])
        .arg(format!("experiment.output={}", out.path().display()))
        .arg("--set")
        .arg(format!("index.cache={}", out.cache().display()))
        .assert()
        .success()
        .stdout(predicate::str::contains("ndcg_cut_10"));
    let run = std::fs::read_to_string(out.path().join("bm25.run")).unwrap();
    let topics: std::collections::BTreeSet<&str> =
        run.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(topics.len(), 16, "every sample topic retrieves something");
}

#[test]
fn run_file_is_identical_whatever_the_thread_count() {
    let out1 = common::run_in_temp("configs/bm25.toml", Some("1"), &[]);
    let out2 = common::run_in_temp("configs/bm25.toml", Some("2"), &[]);
    for name in ["bm25.run", "bm25-exact.run", "bm25.eval", "eval.json"] {
        let a = std::fs::read(out1.path().join(name)).unwrap();
        let b = std::fs::read(out2.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between 1 and 2 threads");
    }
}

#[test]
fn missing_config_file_is_an_input_error() {
    irexp()
        .args(["run", "no/such/config.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/config.toml"));
}

#[test]
fn unknown_config_key_names_key_and_line() {
    let f = Fixture::new();
    f.write("exp.toml", &Fixture::config("kk1 = 8\n"));
    f.fails_with(&["exp.toml:17", "unknown field `kk1`"]);
}

#[test]
fn missing_corpus_path_is_named() {
    let f = Fixture::new();
    f.write(
        "exp.toml",
        &Fixture::config("").replace("path = \"corpus\"", "path = \"no-such-corpus\""),
    );
    f.fails_with(&["no-such-corpus"]);
}

#[test]
fn unset_variable_is_named_with_its_line() {
    let f = Fixture::new();
    f.write(
        "exp.toml",
        &Fixture::config("").replace("path = \"corpus\"", "path = \"${IREXP_UNSET_FOR_TEST}/c\""),
    );
    f.fails_with(&["exp.toml:6", "IREXP_UNSET_FOR_TEST is not set"]);
}

#[test]
fn unclosed_doc_is_named_with_its_line() {
    let f = Fixture::new();
    f.write(
        "corpus/b.trec",
        "<DOC>\n<DOCNO> B-1 </DOCNO>\n<TEXT>x</TEXT>\n",
    );
    f.fails_with(&["b.trec:1", "no </DOC>"]);
}

#[test]
fn doc_without_docno_is_named_with_its_line() {
    let f = Fixture::new();
    f.write("corpus/b.trec", "\n\n<DOC>\n<TEXT>x</TEXT>\n</DOC>\n");
    f.fails_with(&["b.trec:3", "expected <DOCNO>"]);
}

#[test]
fn duplicate_docno_names_both_places() {
    let f = Fixture::new();
    f.write(
        "corpus/b.trec",
        "<DOC>\n<DOCNO> A-2 </DOCNO>\n<TEXT>again</TEXT>\n</DOC>\n",
    );
    f.fails_with(&["b.trec:1", "duplicate document id A-2", "a.trec:7"]);
}

#[test]
fn qrels_line_with_three_fields_is_named() {
    let f = Fixture::new();
    f.write("qrels.txt", "1 0 A-1 1\n1 0 A-2\n");
    f.fails_with(&["qrels.txt:2", "expected 4 fields"]);
}

#[test]
fn empty_topics_file_is_an_error() {
    let f = Fixture::new();
    f.write("topics.trec", "");
    f.fails_with(&["topics.trec", "no topics found"]);
}

#[test]
fn help_documents_exit_codes_and_outputs() {
    irexp()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"))
        .stdout(predicate::str::contains("manifest.json"))
        .stdout(predicate::str::contains("--set"));
}

#[test]
fn bad_set_syntax_is_a_usage_error() {
    let f = Fixture::new();
    irexp()
        .arg("run")
        .arg(f.path("exp.toml"))
        .args(["--set", "nokey"])
        .assert()
        .code(2);
}

#[test]
fn unknown_model_names_the_ranker_and_key() {
    let f = Fixture::new();
    f.write(
        "exp.toml",
        &Fixture::config("").replace("model = \"bm25\"", "model = \"bm52\""),
    );
    f.fails_with(&[
        "exp.toml:16",
        "ranker \"bm25\"",
        "unknown model \"bm52\"",
        "known models: bm25",
    ]);
}

#[test]
fn out_of_range_parameters_name_the_ranker_and_key() {
    for (extra, needle) in [
        ("k1 = -1\n", "k1 must be"),
        ("b = 1.5\n", "b must be between 0 and 1"),
        ("k3 = 8\n", "`k3` is not a parameter of this model"),
    ] {
        let f = Fixture::new();
        f.write("exp.toml", &Fixture::config(extra));
        f.fails_with(&["exp.toml:17", "ranker \"bm25\"", needle]);
    }
    let f = Fixture::new();
    let ql = Fixture::config("").replace("model = \"bm25\"", "model = \"ql\"\nmu = 0");
    f.write("exp.toml", &ql);
    f.fails_with(&[
        "exp.toml:17",
        "ranker \"bm25\"",
        "mu must be a finite number > 0",
    ]);
}

#[test]
fn missing_stopword_file_is_named() {
    let f = Fixture::new();
    let text = Fixture::config("").replace(
        "[[ranker]]",
        "[analyzer]\nstopwords = \"no-such-stoplist.txt\"\n\n[[ranker]]",
    );
    f.write("exp.toml", &text);
    f.fails_with(&["exp.toml:15", "no-such-stoplist.txt", "does not exist"]);
}

#[test]
fn explain_reproduces_run_scores_on_the_sample() {
    let out = common::run_in_temp("configs/bm25.toml", None, &[]);
    let run = std::fs::read_to_string(out.path().join("bm25.run")).unwrap();
    let mut checked = 0;
    for qid in ["101", "105", "112"] {
        let lines: Vec<Vec<&str>> = run
            .lines()
            .map(|l| l.split(' ').collect::<Vec<_>>())
            .filter(|f| f[0] == qid)
            .take(3)
            .collect();
        assert_eq!(lines.len(), 3, "topic {qid} has at least 3 results");
        for f in lines {
            let output = irexp()
                .current_dir(repo())
                .args([
                    "explain",
                    "configs/bm25.toml",
                    "--ranker",
                    "bm25",
                    "--qid",
                    qid,
                    "--docno",
                    f[2],
                ])
                .output()
                .unwrap();
            assert!(output.status.success());
            let text = String::from_utf8(output.stdout).unwrap();
            let score_line = text
                .lines()
                .find(|l| l.starts_with("score: "))
                .expect("a score line");
            let explained: f64 = score_line["score: ".len()..]
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let in_run: f64 = f[4].parse().unwrap();
            assert_eq!(
                format!("{explained:.4}"),
                format!("{in_run:.4}"),
                "{qid} {}: {text}",
                f[2]
            );
            assert!(text.contains(&format!("rank {}", f[3])), "{text}");
            checked += 1;
        }
    }
    assert_eq!(checked, 9);
}

#[test]
fn explain_a_document_that_does_not_match() {
    irexp()
        .current_dir(repo())
        .args([
            "explain",
            "configs/bm25.toml",
            "--ranker",
            "bm25",
            "--qid",
            "101",
            "--docno",
            "IRX-0040",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "score: 0; the document contains no query term",
        ));
}

#[test]
fn explain_unknown_ranker_is_an_input_error() {
    irexp()
        .current_dir(repo())
        .args([
            "explain",
            "configs/bm25.toml",
            "--ranker",
            "nope",
            "--qid",
            "101",
            "--docno",
            "IRX-0001",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no ranker is named \"nope\""));
}

#[test]
fn every_model_runs_and_explain_matches_its_scores() {
    let out = common::run_in_temp("configs/models.toml", None, &[]);
    let resolved = std::fs::read_to_string(out.path().join("config.resolved.toml")).unwrap();
    let rankers: Vec<String> = resolved
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').to_string())
        .filter(|n| n != "sample-models")
        .collect();
    assert_eq!(rankers.len(), 12, "{resolved}");
    for ranker in &rankers {
        let run = std::fs::read_to_string(out.path().join(format!("{ranker}.run"))).unwrap();
        let first: Vec<&str> = run.lines().next().expect("a result").split(' ').collect();
        let output = irexp()
            .current_dir(repo())
            .args([
                "explain",
                "configs/models.toml",
                "--ranker",
                ranker,
                "--qid",
                first[0],
                "--docno",
                first[2],
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let score_line = text
            .lines()
            .find(|l| l.starts_with("score: "))
            .unwrap_or_else(|| panic!("{ranker}: {text}"));
        let explained: f64 = score_line["score: ".len()..]
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let in_run: f64 = first[4].parse().unwrap();
        assert_eq!(
            format!("{explained:.4}"),
            format!("{in_run:.4}"),
            "{ranker}: {text}"
        );
    }
}

#[test]
fn the_index_is_reused_until_an_input_changes() {
    let f = Fixture::new();
    let manifest = |f: &Fixture| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(f.path("out/manifest.json")).unwrap())
            .unwrap()
    };
    f.run().success();
    let first = manifest(&f);
    assert_eq!(first["index_cache"]["reused"], false);
    f.run().success();
    let second = manifest(&f);
    assert_eq!(second["index_cache"]["reused"], true);
    assert_eq!(second["index_cache"]["key"], first["index_cache"]["key"]);

    // Same size, different content: a stale index must not be reused.
    f.write(
        "corpus/a.trec",
        &CORPUS.replace("River flood", "River fleod"),
    );
    f.run().success();
    let third = manifest(&f);
    assert_eq!(third["index_cache"]["reused"], false);
    assert_ne!(third["index_cache"]["key"], first["index_cache"]["key"]);
    let run = std::fs::read_to_string(f.path("out/bm25.run")).unwrap();
    assert!(
        run.starts_with("1 Q0 A-1 1 "),
        "the rebuilt index is used: {run}"
    );

    // --reindex rebuilds even when the key matches.
    irexp()
        .arg("run")
        .arg(f.path("exp.toml"))
        .arg("--reindex")
        .assert()
        .success();
    assert_eq!(manifest(&f)["index_cache"]["reused"], false);
}

#[test]
fn a_damaged_cached_index_is_an_error_naming_the_file() {
    let f = Fixture::new();
    f.run().success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("out/manifest.json")).unwrap())
            .unwrap();
    let dir = std::path::PathBuf::from(m["index_cache"]["dir"].as_str().unwrap());
    let file = dir.join("postings.bin");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    std::fs::remove_file(f.path("out/bm25.run")).unwrap();
    f.fails_with(&["postings.bin", "damaged", "--reindex"]);
}

#[test]
fn index_stats_prints_the_counts() {
    let f = Fixture::new();
    irexp()
        .arg("index")
        .arg(f.path("exp.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("built"));
    let cache = f.path("index-cache");
    let dir = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    irexp()
        .args(["index", "stats"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("documents     2"))
        .stdout(predicate::str::contains("size on disk"));
}

#[test]
fn every_model_ranks_title_plus_description_queries() {
    let out = common::run_in_temp("configs/models.toml", None, &["topics.field=title+desc"]);
    let eval: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("eval.json")).unwrap())
            .unwrap();
    let rankers = eval.as_object().unwrap();
    assert_eq!(rankers.len(), 12);
    for (name, e) in rankers {
        let map = e["summary"]["map"].as_f64().unwrap();
        assert!(map > 0.5, "{name}: title+desc MAP {map} on the sample");
    }
}

#[test]
fn an_output_folder_that_cannot_be_written_is_an_error() {
    let f = Fixture::new();
    // A regular file where the folder should be: creating anything below it fails, even as
    // root (for whom permission bits would not).
    f.write("blocked", "a file, not a folder");
    let blocked = f.path("blocked");
    for key in ["experiment.output", "index.cache"] {
        let target = blocked.join("below");
        irexp()
            .arg("run")
            .arg(f.path("exp.toml"))
            .arg("--set")
            .arg(format!("{key}={}", target.display()))
            .assert()
            .failure()
            .stderr(predicate::str::contains(blocked.display().to_string()));
        assert!(!target.exists());
        assert!(
            !f.path("out/bm25.run").exists(),
            "{key}: a run file was written"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&blocked).unwrap(),
        "a file, not a folder"
    );
}

/// Folders directly in `dir`, by name.
fn folders(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap())
                .filter(|e| e.path().is_dir() && e.file_name() != "runs")
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_build_killed_midway_leaves_no_index_and_the_next_run_rebuilds() {
    let f = Fixture::new();
    // Enough documents that the build takes a while in a debug build.
    let mut corpus = String::new();
    for i in 0..30_000 {
        corpus.push_str(&format!(
            "<DOC>\n<DOCNO> B-{i} </DOCNO>\n<TEXT>\nriver {i} flood defences {} rail strike number {}\n</TEXT>\n</DOC>\n",
            i % 97,
            i * 31 % 1009
        ));
    }
    f.write("corpus/b.trec", &corpus);
    let cache = f.path("index-cache");
    let mut caught = false;
    for _attempt in 0..5 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("irexp"))
            .args(["index", "--reindex"])
            .arg(f.path("exp.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill it as soon as its temporary folder appears.
        loop {
            if folders(&cache).iter().any(|n| n.ends_with(".building")) {
                child.kill().unwrap();
                child.wait().unwrap();
                caught = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        if caught {
            break;
        }
    }
    assert!(
        caught,
        "the build always finished before it could be killed"
    );
    let left = folders(&cache);
    assert!(
        left.iter().all(|n| n.ends_with(".building")),
        "an index is visible after the kill: {left:?}"
    );
    // The next run builds the index, uses it, and clears the dead build's folder.
    f.run().success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["index_cache"]["reused"], false);
    let left = folders(&cache);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(!left[0].ends_with(".building"));
    assert!(cache.join(&left[0]).join("header.json").is_file());
}

#[test]
fn the_readme_tour_shows_the_config_it_names() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let strip = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| l.split(" #").next().unwrap().trim_end().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let intro = readme
        .find("**An experiment is a TOML file.** `configs/vaswani-bm25.toml`")
        .expect("the tour names its config");
    let block = &readme[intro..];
    let start = block.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + block[start..].find("```").unwrap();
    let file = std::fs::read_to_string(repo().join("configs/vaswani-bm25.toml")).unwrap();
    assert_eq!(strip(&block[start..end]), strip(&file));
}

#[test]
fn the_manifest_records_how_the_run_was_made() {
    let out = common::TempRun::new();
    irexp()
        .current_dir(repo())
        .env("RAYON_NUM_THREADS", "2")
        .args([
            "run",
            "-q",
            "configs/bm25.toml",
            "--set",
            "ranker.bm25.k1=1.1",
        ])
        .arg("--set")
        .arg(format!("experiment.output={}", out.path().display()))
        .arg("--set")
        .arg(format!("index.cache={}", out.cache().display()))
        .assert()
        .success();
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let command: Vec<&str> = m["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(command[1..5], ["run", "-q", "configs/bm25.toml", "--set"]);
    assert!(command.contains(&"ranker.bm25.k1=1.1"), "{command:?}");
    let started = m["started_utc"].as_str().unwrap();
    assert!(
        started.len() == 20 && started.ends_with('Z') && started.as_bytes()[10] == b'T',
        "{started}"
    );
    assert_eq!(m["threads"], 2);
    assert_eq!(m["irexp_version"], env!("CARGO_PKG_VERSION"));
    // Built from this git checkout: the commit is known.
    if repo().join(".git").exists() {
        let commit = m["git_commit"].as_str().unwrap();
        assert!(commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // Every other file, with its size and checksum.
    let files: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "bm25-exact.eval",
            "bm25-exact.run",
            "bm25.eval",
            "bm25.run",
            "config.resolved.toml",
            "eval.json",
            "report.html"
        ]
    );
    let bytes = std::fs::read(out.path().join("bm25.run")).unwrap();
    let entry = &m["files"][3];
    assert_eq!(entry["bytes"], bytes.len());
    assert_eq!(entry["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(m["index_cache"]["settings"]["format_version"], 1);
}

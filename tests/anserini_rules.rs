//! Small inputs written for this project that each show one rule of Anserini 1.7.1, with
//! Anserini's own runs on them (`tests/data/anserini/*/`, made as the README there says):
//! - `colon-titles`: how `TrecTopicReader` reads `<title>` (the text after the first colon),
//!   `<desc>` and `<narr>`, and that empty topics get no results;
//! - `rm3-empty-docs`: blank documents are not indexed, so they are not in the document
//!   count behind RM3's feedback-term filter (df/N > 0.1), while documents that analyze to
//!   no terms are.
//!
//! Every run must equal Anserini's line for line (qid, docno, rank, score; the tag differs).

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{differing_run_lines, irexp, TempRun};

fn data(name: &str) -> PathBuf {
    common::repo().join("tests/data/anserini").join(name)
}

/// Writes `config` (with `OUT` and `DATA` replaced) into the temporary folder and runs it with
/// `extra` overrides; returns the output folder.
fn run(tmp: &TempRun, config: &str, data: &Path, extra: &[&str]) -> PathBuf {
    let text = config
        .replace("OUT", &tmp.path().display().to_string())
        .replace("CACHE", &tmp.cache().display().to_string())
        .replace("DATA", &data.display().to_string());
    let path = tmp.root().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let mut cmd = irexp();
    cmd.args(["run", "-q"]).arg(&path);
    for e in extra {
        cmd.args(["--set", e]);
    }
    cmd.assert().success();
    tmp.path().to_path_buf()
}

fn same_as_anserini(ours: &Path, reference: &Path) {
    let a = std::fs::read_to_string(ours).unwrap();
    let b = std::fs::read_to_string(reference).unwrap();
    assert!(!b.is_empty());
    let differing = differing_run_lines(&a, &b);
    assert_eq!(
        differing,
        0,
        "{} differs from {} on {differing} lines",
        ours.display(),
        reference.display()
    );
}

const COLON: &str = r#"
[experiment]
name = "colon-titles"
output = "OUT"
[index]
cache = "CACHE"
[corpus]
format = "trec"
path = "DATA/corpus.trec"
[topics]
path = "DATA/topics.trec"
[[ranker]]
name = "bm25"
model = "bm25"
[run]
ties = "anserini"
"#;

#[test]
fn trec_topic_fields_are_read_as_anserini_reads_them() {
    let dir = data("colon-titles");
    for (field, reference) in [
        ("title", "title"),
        ("desc", "description"),
        ("narr", "narrative"),
    ] {
        let tmp = TempRun::new();
        let out = run(&tmp, COLON, &dir, &[&format!("topics.field={field}")]);
        same_as_anserini(
            &out.join("bm25.run"),
            &dir.join(format!("anserini-1.7.1.bm25.{reference}.txt")),
        );
    }
}

#[test]
fn empty_topics_are_warned_about_listed_and_get_no_results() {
    let dir = data("colon-titles");
    let tmp = TempRun::new();
    let text = COLON
        .replace("OUT", &tmp.path().display().to_string())
        .replace("CACHE", &tmp.cache().display().to_string())
        .replace("DATA", &dir.display().to_string());
    let config = tmp.root().join("config.toml");
    std::fs::write(&config, text).unwrap();
    let assert = irexp().arg("run").arg(&config).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("3 topics have an empty title and get no results: 105 108 109"),
        "{stderr}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["topics_empty"],
        serde_json::json!(["105", "108", "109"])
    );
    // 111's title is stop words only: a topic without terms, counted apart.
    assert_eq!(manifest["topics_without_terms"], serde_json::json!(["111"]));
    let run = std::fs::read_to_string(tmp.path().join("bm25.run")).unwrap();
    for qid in ["105", "108", "109", "111"] {
        assert!(
            !run.lines().any(|l| l.starts_with(&format!("{qid} "))),
            "{qid}"
        );
    }

    // A topics file whose every topic is empty is an error naming it.
    let empty = tmp.root().join("empty.trec");
    std::fs::write(
        &empty,
        "<top>\n<num> Number: 1\n<title> Topic:\n</top>\n<top>\n<num> Number: 2\n<title>\n</top>\n",
    )
    .unwrap();
    irexp()
        .arg("run")
        .arg(&config)
        .args(["--set"])
        .arg(format!("topics.path={}", empty.display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("every topic has an empty title"))
        .stderr(predicates::str::contains("empty.trec"));
}

const RM3: &str = r#"
[experiment]
name = "rm3-empty-docs"
output = "OUT"
[index]
cache = "CACHE"
[corpus]
format = "jsonl"
path = "DATA/corpus.jsonl"
[topics]
path = "DATA/topics.trec"
[[ranker]]
name = "bm25"
model = "bm25"
[[ranker]]
name = "qld"
model = "ql"
[[ranker]]
name = "bm25-rm3"
model = "rm3"
first_stage = "bm25"
[[ranker]]
name = "qld-rm3"
model = "rm3"
first_stage = "qld"
[run]
ties = "anserini"
"#;

#[test]
fn rm3_counts_documents_as_anserini_indexes_them() {
    let dir = data("rm3-empty-docs");
    let tmp = TempRun::new();
    let out = run(&tmp, RM3, &dir, &[]);
    for name in ["bm25", "bm25-rm3", "qld-rm3"] {
        same_as_anserini(
            &out.join(format!("{name}.run")),
            &dir.join(format!("anserini-1.7.1.{name}.txt")),
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // 40 lines: 10 blank (5 empty, white space, and two control characters) are left out;
    // the 10 that analyze to no terms are indexed, as Anserini's numDocs() = 30 says.
    assert_eq!(manifest["corpus"]["skipped_empty_documents"], 10);
    assert_eq!(manifest["index"]["documents"], 30);
    assert_eq!(manifest["index"]["documents_with_terms"], 20);

    // The rule matters here: indexing the blank documents changes the RM3 runs (N = 40).
    let tmp = TempRun::new();
    let out = run(&tmp, RM3, &dir, &["corpus.empty_documents=index"]);
    let ours = std::fs::read_to_string(out.join("bm25-rm3.run")).unwrap();
    let theirs = std::fs::read_to_string(dir.join("anserini-1.7.1.bm25-rm3.txt")).unwrap();
    assert!(differing_run_lines(&ours, &theirs) > 0);
}

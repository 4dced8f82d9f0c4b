//! `irexp fuse` end to end: output on stdout or written atomically with --out, and each bad
//! input exits 2 with a message naming the file and line, or the option, and writes nothing.

use std::path::{Path, PathBuf};

use crate::common::irexp;
use predicates::prelude::*;

const A: &str = "1 Q0 d1 1 3.0 a\n1 Q0 d2 2 2.0 a\n2 Q0 d3 1 1.5 a\n";
const B: &str = "1 Q0 d2 1 0.9 b\n1 Q0 d4 2 0.5 b\n2 Q0 d3 1 0.7 b\n";

fn files(dir: &Path, runs: &[(&str, &str)]) -> Vec<PathBuf> {
    runs.iter()
        .map(|(name, text)| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect()
}

#[test]
fn fuse_writes_rrf_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let runs = files(dir.path(), &[("a.run", A), ("b.run", B)]);
    // d2: 1/62 + 1/61, d1: 1/61, d4: 1/62; topic 2: d3 in first place twice.
    let want = format!(
        "1 Q0 d2 1 {} rrf\n1 Q0 d1 2 {} rrf\n1 Q0 d4 3 {} rrf\n2 Q0 d3 1 {} rrf\n",
        1.0 / 62.0 + 1.0 / 61.0,
        1.0 / 61.0,
        1.0 / 62.0,
        1.0 / 61.0 + 1.0 / 61.0
    );
    irexp()
        .args(["fuse", "--method", "rrf"])
        .args(&runs)
        .assert()
        .success()
        .stdout(want);
}

#[test]
fn fuse_out_writes_the_file_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let runs = files(dir.path(), &[("a.run", A), ("b.run", B)]);
    let out = dir.path().join("fused.run");
    irexp()
        .args([
            "fuse", "--method", "combsum", "--norm", "min-max", "--hits", "2",
        ])
        .args(["--tag", "cs", "--out"])
        .arg(&out)
        .args(&runs)
        .assert()
        .success()
        .stdout("");
    // min-max: a gives d1 1, d2 0; b gives d2 1, d4 0; topic 2 has one document per run,
    // which min-max maps to 0 (the 1e-9 floor). Ties go by docno descending.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "1 Q0 d2 1 1 cs\n1 Q0 d1 2 1 cs\n2 Q0 d3 1 0 cs\n"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "no temporary file left"
    );
}

/// Runs `irexp fuse ARGS RUNS --out OUT`; expects exit 2, every needle in stderr, no output.
fn fails(runs: &[(&str, &str)], args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let paths = files(dir.path(), runs);
    let out = dir.path().join("out.run");
    let mut assert = irexp()
        .arg("fuse")
        .args(args)
        .arg("--out")
        .arg(&out)
        .args(&paths)
        .assert()
        .code(2);
    for n in needles {
        let n = n.replace("DIR", &dir.path().display().to_string());
        assert = assert.stderr(predicate::str::contains(n));
    }
    assert!(!out.exists(), "output written despite the error");
}

#[test]
fn disjoint_topics_are_an_error_naming_both_files() {
    fails(
        &[("a.run", A), ("c.run", "7 Q0 d1 1 1 c\n8 Q0 d2 1 1 c\n")],
        &["--method", "rrf"],
        &[
            "DIR/c.run: has no topic 1 of DIR/a.run",
            "must hold the same topics (0 shared",
        ],
    );
}

#[test]
fn nan_score_is_an_error_naming_the_line() {
    fails(
        &[
            ("a.run", A),
            ("n.run", "1 Q0 d1 1 1 n\n1 Q0 d2 2 NaN n\n2 Q0 d3 1 1 n\n"),
        ],
        &["--method", "combsum"],
        &["DIR/n.run:2: score is NaN"],
    );
}

#[test]
fn duplicate_document_is_an_error_naming_the_line() {
    fails(
        &[
            ("a.run", A),
            ("d.run", "1 Q0 d1 1 3 d\n2 Q0 d3 1 1 d\n1 Q0 d1 2 1 d\n"),
        ],
        &["--method", "rrf"],
        &["DIR/d.run:3: topic 1 lists document d1 twice"],
    );
}

#[test]
fn weights_that_do_not_match_the_runs_are_an_error() {
    fails(
        &[("a.run", A), ("b.run", B)],
        &["--method", "wsum", "--weights", "0.5,0.3,0.2"],
        &["--weights: 3 weights for 2 runs; give one weight per run"],
    );
    fails(
        &[("a.run", A), ("b.run", B)],
        &["--method", "wsum"],
        &["--weights: wsum needs one weight per run"],
    );
}

#[test]
fn unknown_method_is_an_error_listing_the_methods() {
    fails(
        &[("a.run", A), ("b.run", B)],
        &["--method", "combfoo"],
        &[
            "unknown fusion method \"combfoo\"",
            "rrf, isr, borda, combsum",
        ],
    );
    fails(
        &[("a.run", A), ("b.run", B)],
        &["--method", "rrf", "--norm", "min-max"],
        &["--norm: rrf uses only the ranks"],
    );
}

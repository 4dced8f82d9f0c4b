//! Golden tests: irexp's evaluator against trec_eval 9.0.8 (through pytrec_eval-terrier).
//!
//! The expected values are in `tests/data/golden/*.json`, made by
//! `tests/data/golden/make_golden.py` (see the README there). Every per-topic and summary
//! value must agree within 1e-9 and print the same with `%6.4f`.
//!
//! The synthetic cases always run. The Anserini reference runs are read in place from
//! `$IREXP_COLLECTIONS` (qrels) and `$IREXP_COLLECTIONS/../reference-runs` (runs); without
//! the variable those tests are ignored.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use irexp::eval::{evaluate_with, EvalOptions, Evaluation, Measure};
use irexp::qrels::Qrels;
use irexp::run::Run;
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

/// C's `%6.4f` for a finite value.
fn printed(m: &Measure, v: f64) -> String {
    if m.is_integer() {
        format!("{}", v as i64)
    } else {
        format!("{v:6.4}")
    }
}

fn number(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: {v} is not a number"))
}

/// Compares one evaluation with one golden file; panics listing the first differences.
fn check(golden_name: &str, qrels: &Path, run: &Path, options: EvalOptions) {
    let golden_path = golden_dir().join(golden_name);
    let text = std::fs::read_to_string(&golden_path)
        .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
    let golden: Value = serde_json::from_str(&text).expect("golden file is JSON");

    let per_topic = golden["measures"].as_object().expect("`measures` object");
    let summary = golden["summary"].as_object().expect("`summary` object");
    let mut measures: Vec<Measure> = Vec::new();
    for name in summary.keys() {
        let m: Measure = name
            .parse()
            .unwrap_or_else(|e| panic!("golden measure {name}: {e}"));
        assert_eq!(m.to_string(), *name, "printed name round-trips");
        measures.push(m);
    }
    // Every golden per-topic measure has a summary; summary-only ones have no topic values.
    for m in &measures {
        assert_eq!(
            per_topic.contains_key(&m.to_string()),
            !m.is_summary_only(),
            "{m}: per-topic presence"
        );
    }

    let qrels = Qrels::read(qrels).expect("qrels");
    let run = Run::read(run).expect("run");
    let eval: Evaluation = evaluate_with(&qrels, &run, &measures, options).expect("evaluate");

    assert_eq!(
        eval.runid,
        golden["runid"].as_str().expect("runid"),
        "runid"
    );
    let golden_topics: Vec<&str> = golden["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let our_topics: Vec<&str> = eval.per_topic.iter().map(|t| t.qid.as_str()).collect();
    assert_eq!(our_topics, golden_topics, "evaluated topics, in order");

    let mut diffs: Vec<String> = Vec::new();
    let mut compared = 0usize;
    let mut exact = 0usize;
    let mut compare = |where_: String, m: &Measure, ours: f64, want: f64| {
        compared += 1;
        // Both files hold shortest round-trip decimals, so equal doubles give equal text
        // and read back (through the same JSON reader) to equal values.
        let ours_read: f64 = serde_json::from_str(&format!("{ours:?}")).unwrap_or(f64::NAN);
        if ours_read.to_bits() == want.to_bits() {
            exact += 1;
        }
        if (ours - want).abs() > TOLERANCE || printed(m, ours) != printed(m, want) {
            diffs.push(format!("{where_} {m}: irexp {ours:?}, trec_eval {want:?}"));
        }
    };
    for (i, m) in eval.measures.iter().enumerate() {
        let name = m.to_string();
        if let Some(values) = per_topic.get(&name) {
            let values: BTreeMap<&str, f64> = values
                .as_object()
                .expect("per-topic object")
                .iter()
                .map(|(q, v)| (q.as_str(), number(v, &name)))
                .collect();
            assert_eq!(values.len(), eval.per_topic.len(), "{name}: topic count");
            for t in &eval.per_topic {
                let want = *values.get(t.qid.as_str()).expect("golden value for topic");
                compare(format!("topic {}", t.qid), m, t.values[i], want);
            }
        }
        compare(
            "summary".to_string(),
            m,
            eval.summary[i],
            number(&summary[&name], &name),
        );
    }
    // Shown with --nocapture: how many values agree to the last bit. Only reported: the
    // tolerance above is the contract, last bits may depend on the platform's libm.
    eprintln!("{golden_name}: {compared} values compared, {exact} bit-identical");
    assert!(
        diffs.is_empty(),
        "{golden_name}: {} of {compared} values differ:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn check_synthetic(golden_name: &str, options: EvalOptions) {
    let dir = golden_dir();
    check(
        golden_name,
        &dir.join("synthetic.qrels"),
        &dir.join("synthetic.run"),
        options,
    );
}

fn check_reference(test: &str, golden_name: &str, run_file: &str, qrels_file: &str) {
    let collections = common::collections();
    let run = collections.join("../reference-runs").join(run_file);
    let qrels = collections.join(qrels_file);
    for path in [&run, &qrels] {
        assert!(path.is_file(), "{test}: {} is missing", path.display());
    }
    check(golden_name, &qrels, &run, EvalOptions::default());
}

#[test]
fn synthetic_graded_run_matches_trec_eval() {
    check_synthetic("synthetic.json", EvalOptions::default());
}

#[test]
fn synthetic_graded_run_matches_trec_eval_at_relevance_level_2() {
    check_synthetic(
        "synthetic.l2.json",
        EvalOptions {
            relevance_level: 2,
            ..Default::default()
        },
    );
}

#[test]
fn synthetic_graded_run_matches_trec_eval_judged_only() {
    check_synthetic(
        "synthetic.J.json",
        EvalOptions {
            judged_only: true,
            ..Default::default()
        },
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn cacm_bm25_matches_trec_eval() {
    check_reference(
        "cacm_bm25_matches_trec_eval",
        "cacm.bm25.json",
        "anserini-1.7.1.cacm.bm25.txt.gz",
        "cacm/qrels.cacm.txt",
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_bm25_matches_trec_eval() {
    check_reference(
        "vaswani_bm25_matches_trec_eval",
        "vaswani.bm25.json",
        "anserini-1.7.1.vaswani.bm25.txt.gz",
        "vaswani/qrels",
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_qld_matches_trec_eval() {
    check_reference(
        "vaswani_qld_matches_trec_eval",
        "vaswani.qld.json",
        "anserini-1.7.1.vaswani.qld.txt.gz",
        "vaswani/qrels",
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn scifact_bm25_matches_trec_eval() {
    check_reference(
        "scifact_bm25_matches_trec_eval",
        "scifact.bm25.json",
        "anserini-1.7.1.scifact.bm25.txt.gz",
        "scifact/qrels.beir-v1.0.0-scifact.test.txt",
    );
}

//! SciFact (BEIR test split), flat, from `corpus.jsonl`, the topics tsv.gz and the qrels, with
//! `-removeQuery` and `trec_eval -c`: Anserini 1.7.1's numbers (../shared/REFERENCE.md).

use crate::common;

/// Runs `config` in a temporary folder and returns the folder and its manifest.
fn run(config: &str) -> (common::TempRun, serde_json::Value) {
    let out = common::run_in_temp(config, None, &[]);
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    let manifest = serde_json::from_str(&manifest).unwrap();
    (out, manifest)
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn scifact_flat_bm25_equals_anserini() {
    let collections = common::collections();
    let (out, manifest) = run("configs/scifact-bm25.toml");
    let index = &manifest["index"];
    assert_eq!(index["documents"], 5183, "{index}");
    assert_eq!(index["tokens"], 838128, "{index}");
    assert_eq!(manifest["remove_query"], true);
    assert_eq!(manifest["eval_complete"], true);

    let eval = std::fs::read_to_string(out.path().join("bm25.eval")).unwrap();
    let s = common::summary(&eval);
    assert_eq!(
        s.get("ndcg_cut_10").map(String::as_str),
        Some("0.6789"),
        "{eval}"
    );
    assert_eq!(s.get("recall_100").map(String::as_str), Some("0.9253"));
    assert_eq!(s.get("recall_1000").map(String::as_str), Some("0.9767"));
    assert_eq!(s.get("map").map(String::as_str), Some("0.6401"));
    assert_eq!(s.get("num_q").map(String::as_str), Some("300"));

    let reference = common::shared_sibling(&collections, "reference-runs")
        .join("anserini-1.7.1.scifact.bm25.txt.gz");
    let ours = std::fs::read_to_string(out.path().join("bm25.run")).unwrap();
    let differing = common::differing_run_lines(&common::read_gz(&reference), &ours);
    assert_eq!(
        differing, 0,
        "{differing} lines differ from Anserini's SciFact run"
    );
}

//! CACM read straight from `cacm.tar.gz` with the `html` reader and the CACM topic reader:
//! index statistics and BM25 effectiveness equal Anserini 1.7.1's (../shared/REFERENCE.md),
//! and the run equals Anserini's line for line.

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
fn cacm_index_statistics_and_bm25_equal_anserini() {
    let collections = common::collections();
    let (out, manifest) = run("configs/cacm-bm25.toml");
    let index = &manifest["index"];
    assert_eq!(index["documents"], 3204, "{index}");
    assert_eq!(index["terms"], 14363, "{index}");
    assert_eq!(index["tokens"], 320968, "{index}");
    assert_eq!(manifest["corpus"]["decoded_as_cp1252"], 0);
    assert_eq!(manifest["topics"], 64);

    let eval = std::fs::read_to_string(out.path().join("bm25.eval")).unwrap();
    let s = common::summary(&eval);
    assert_eq!(s.get("map").map(String::as_str), Some("0.3123"), "{eval}");
    assert_eq!(s.get("P_30").map(String::as_str), Some("0.1942"));
    assert_eq!(s.get("ndcg_cut_10").map(String::as_str), Some("0.4543"));

    let reference = common::shared_sibling(&collections, "reference-runs")
        .join("anserini-1.7.1.cacm.bm25.txt.gz");
    let ours = std::fs::read_to_string(out.path().join("bm25.run")).unwrap();
    let differing = common::differing_run_lines(&common::read_gz(&reference), &ours);
    assert_eq!(
        differing, 0,
        "{differing} lines differ from Anserini's CACM run"
    );
}

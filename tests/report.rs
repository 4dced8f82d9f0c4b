//! report.html: written into every output folder and listed in its manifest, self-contained,
//! rewritten byte for byte by `irexp report`; the CACM comparison's page is at most 2 MB.
//! (tests/browser.rs opens the pages in Chromium.)

use std::path::Path;

use crate::common::{self, irexp};

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Every URL-like attribute of the page points inside it, and nothing names a remote URL
/// but the SVG namespace.
pub fn assert_self_contained(html: &str) {
    for attr in [" src=", "@import", "url("] {
        assert!(!html.contains(attr), "the page loads something: {attr}");
    }
    for (i, _) in html.match_indices("href=\"") {
        let rest = &html[i + 6..];
        assert!(
            rest.starts_with('#'),
            "a link out of the page: {}",
            &rest[..40.min(rest.len())]
        );
    }
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    let remote = rest.matches("http://").count() + rest.matches("https://").count();
    assert_eq!(remote, 0, "the page names a remote URL");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn every_output_folder_has_a_self_contained_report_listed_in_its_manifest() {
    let out = common::run_in_temp("configs/compare.toml", None, &[]);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert_self_contained(&html);
    let m = manifest(out.path());
    let entry = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "report.html")
        .expect("report.html is in the manifest");
    assert_eq!(entry["bytes"], html.len() as u64);
    irexp().arg("check").arg(out.path()).assert().success();
    // What it shows: every ranker, every comparison measure, the provenance.
    for needle in [
        "id=\"measure-table\"",
        "<td class=\"l\">bm25-rm3</td>",
        "Compared with bm25",
        "id=\"topic-table\"",
        "class=\"plot diff\"",
        "class=\"plot pr\"",
        "<h2>Provenance</h2>",
        "topics.trec",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // The manifest's start time is shown; the page never says when it was rendered.
    assert!(html.contains(m["started_utc"].as_str().unwrap()));
}

#[test]
fn irexp_report_writes_the_same_bytes_again() {
    let out = common::run_in_temp("configs/bm25.toml", None, &[]);
    let path = out.path().join("report.html");
    let original = std::fs::read(&path).unwrap();
    irexp()
        .arg("report")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("is up to date"));
    std::fs::write(&path, b"edited").unwrap();
    irexp().arg("check").arg(out.path()).assert().code(1);
    irexp()
        .arg("report")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("wrote"));
    assert!(
        std::fs::read(&path).unwrap() == original,
        "a different page"
    );
    irexp().arg("check").arg(out.path()).assert().success();
}

#[test]
fn irexp_compare_out_writes_a_comparison_page() {
    let out = common::run_in_temp("configs/compare.toml", None, &[]);
    let page_dir = out.root().join("cmp");
    irexp()
        .arg("compare")
        .arg("--qrels")
        .arg(common::repo().join("qrels/qrels.txt"))
        .arg(out.path().join("bm25.run"))
        .arg(out.path().join("qld.run"))
        .arg("--out")
        .arg(&page_dir)
        .assert()
        .success();
    let html = std::fs::read_to_string(page_dir.join("report.html")).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("<title>Comparison with bm25</title>"));
    assert!(html.contains("id=\"compare-0-tests\"") && html.contains("id=\"topic-table\""));
    assert!(!html.contains("<h2>Provenance</h2>"));
    irexp()
        .arg("report")
        .arg(&page_dir)
        .assert()
        .success()
        .stdout(predicates::str::contains("is up to date"));
}

#[test]
fn a_folder_without_manifest_is_not_reported() {
    let tmp = tempfile::tempdir().unwrap();
    irexp()
        .arg("report")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no manifest.json (an output folder of irexp run) or compare.json",
        ));
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn the_cacm_comparison_report_is_at_most_2_mb() {
    common::collections();
    // docs/compare.md's CACM example as an experiment: every CACM model (seven, more than
    // the example's four) compared with bm25 on map, P_30 and ndcg_cut_10.
    let out = common::run_in_temp(
        "configs/parity/cacm.toml",
        None,
        &[
            "compare.baseline=bm25",
            "compare.measures=[\"map\", \"P.30\", \"ndcg_cut.10\"]",
        ],
    );
    let bytes = std::fs::metadata(out.path().join("report.html"))
        .unwrap()
        .len();
    eprintln!("CACM comparison report: {bytes} bytes");
    assert!(bytes <= 2 * 1024 * 1024, "{bytes} bytes");
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert_self_contained(&html);
    assert_eq!(html.matches("class=\"plot diff\"").count(), 3 * 6);
}

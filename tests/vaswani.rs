//! Effectiveness parity with Anserini 1.7.1 on Vaswani (../shared/REFERENCE.md): BM25 with
//! k1 = 0.9, b = 0.4, Lucene norms, content = all, title topics.

use crate::common;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use crate::common::{irexp, repo};

/// Summary values (`qid` = `all`) of a trec_eval-style `.eval` file.
fn summary(eval_text: &str) -> HashMap<String, String> {
    eval_text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 3 && f[1] == "all")
                .then(|| (f[0].trim().to_string(), f[2].trim().to_string()))
        })
        .collect()
}

/// qid -> the first ten docnos, from a TREC run.
fn top10(run_text: &str) -> HashMap<String, Vec<String>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for line in run_text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let list = m.entry(f[0].to_string()).or_default();
        if list.len() < 10 {
            list.push(f[2].to_string());
        }
    }
    m
}

fn run_vaswani(out: &Path, threads: &str) {
    irexp()
        .current_dir(repo())
        .env("RAYON_NUM_THREADS", threads)
        .args(["run", "-q", "configs/vaswani-bm25.toml", "--set"])
        .arg(format!("experiment.output={}", out.display()))
        .arg("--set")
        .arg(format!(
            "index.cache={}",
            out.parent().unwrap().join("index-cache").display()
        ))
        .assert()
        .success();
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn bm25_matches_anserini_to_four_decimals_and_in_the_top_ten() {
    let collections = common::collections();
    let out = common::TempRun::new();
    run_vaswani(out.path(), "2");

    let eval = std::fs::read_to_string(out.path().join("bm25.eval")).unwrap();
    let s = summary(&eval);
    assert_eq!(s.get("map").map(String::as_str), Some("0.2856"), "{eval}");
    assert_eq!(s.get("P_10").map(String::as_str), Some("0.3624"));
    assert_eq!(s.get("ndcg_cut_10").map(String::as_str), Some("0.4368"));
    assert_eq!(s.get("ndcg").map(String::as_str), Some("0.6102"));

    let reference = common::shared_sibling(&collections, "reference-runs")
        .join("anserini-1.7.1.vaswani.bm25.txt.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&reference).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let theirs = top10(&text);
    let ours = top10(&std::fs::read_to_string(out.path().join("bm25.run")).unwrap());
    let same = theirs
        .iter()
        .filter(|(qid, docs)| {
            let a: BTreeSet<&String> = docs.iter().collect();
            let b: BTreeSet<&String> = ours
                .get(*qid)
                .map(|d| d.iter().collect())
                .unwrap_or_default();
            a == b
        })
        .count();
    eprintln!(
        "vaswani: top-10 equal as sets on {same} of {} topics",
        theirs.len()
    );
    assert_eq!(theirs.len(), 93);
    assert!(
        same * 100 >= theirs.len() * 95,
        "top-10 overlap {same}/93 is below 95%"
    );

    // Stronger: with ties = "anserini" every line equals Anserini's (qid, docno, rank, score);
    // only the tag differs.
    let strip_tag = |text: &str| -> Vec<String> {
        let mut v: Vec<String> = text
            .lines()
            .map(|l| l.rsplit_once(' ').map_or(l, |(head, _)| head).to_string())
            .collect();
        v.sort();
        v
    };
    let a = strip_tag(&text);
    let b = strip_tag(&std::fs::read_to_string(out.path().join("bm25.run")).unwrap());
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert_eq!(a.len(), b.len(), "line counts differ");
    assert_eq!(
        differing,
        0,
        "{differing} lines differ from Anserini's run, first: {:?}",
        a.iter().zip(&b).find(|(x, y)| x != y)
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_run_is_identical_with_one_and_two_threads() {
    common::collections();
    let (a, b) = (common::TempRun::new(), common::TempRun::new());
    run_vaswani(a.path(), "1");
    run_vaswani(b.path(), "2");
    let ra = std::fs::read(a.path().join("bm25.run")).unwrap();
    let rb = std::fs::read(b.path().join("bm25.run")).unwrap();
    assert!(
        !ra.is_empty() && ra == rb,
        "run files differ between 1 and 2 threads"
    );
}

//! Fusion against the references: ranx 0.3.21's `fuse` and Anserini 1.7.1's `FuseRuns` on
//! Anserini's CACM, Vaswani and SciFact reference runs (golden files and how they were made:
//! tests/data/fusion/README.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use irexp::error::Location;
use irexp::fuse::{fuse_files, fuse_located, Compat, FuseOptions, Method, Norm};
use irexp::run::{Run, ScoreFormat};

use crate::common::{self, read_gz, repo};

const COLLECTIONS: [&str; 3] = ["cacm", "vaswani", "scifact"];

fn reference_runs(collection: &str, models: &[&str]) -> Vec<PathBuf> {
    let dir = common::shared_sibling(&common::collections(), "reference-runs");
    models
        .iter()
        .map(|m| dir.join(format!("anserini-1.7.1.{collection}.{m}.txt.gz")))
        .collect()
}

fn golden(name: &str) -> PathBuf {
    repo().join("tests/data/fusion").join(name)
}

/// (method, norm) -> qid -> ranx's first documents with their scores.
type RanxGolden = BTreeMap<(String, String), BTreeMap<String, Vec<(String, f64)>>>;

fn read_ranx(collection: &str) -> RanxGolden {
    let mut out = RanxGolden::new();
    for line in read_gz(&golden(&format!("ranx/{collection}.tsv.gz"))).lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "{line}");
        out.entry((f[0].to_string(), f[1].to_string()))
            .or_default()
            .entry(f[2].to_string())
            .or_default()
            .push((f[3].to_string(), f[4].parse().unwrap()));
    }
    out
}

/// Equal to 1e-9 relative (absolute below 1, where z-scores and min-max values cross 0).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn every_method_and_normalization_matches_ranx() {
    let mut checked = 0usize;
    for collection in COLLECTIONS {
        let paths = reference_runs(collection, &["bm25", "qld", "bm25rm3"]);
        let runs: Vec<Run> = paths.iter().map(|p| Run::read(p).unwrap()).collect();
        let sources: Vec<Location> = paths.iter().map(Location::file).collect();
        let golden = read_ranx(collection);
        assert!(golden.len() >= 30, "{collection}: {} pairs", golden.len());
        for ((method, norm), topics) in &golden {
            let mut options = FuseOptions::new(method.parse::<Method>().unwrap());
            options.norm = norm.parse::<Norm>().unwrap();
            if options.method == Method::WSum {
                options.weights = Some(vec![0.5, 0.3, 0.2]);
            }
            // The golden lists are cut at 20 (10 on SciFact, 200 for some pairs on CACM); a
            // shorter one is the whole fused list. The cut comes after the whole list is
            // ranked.
            let depth = topics.values().map(Vec::len).max().unwrap();
            options.hits = Some(depth);
            let fused = fuse_located(&runs, &sources, &options).unwrap();
            let what = format!("{collection} {method} {norm}");
            assert_eq!(fused.topics.len(), topics.len(), "{what}: topics");
            for topic in &fused.topics {
                let want = &topics[&topic.qid];
                assert_eq!(topic.docs.len(), want.len(), "{what} topic {}", topic.qid);
                for (rank, (got, (docno, score))) in topic.docs.iter().zip(want).enumerate() {
                    assert!(
                        got.docno == *docno && close(got.score, *score),
                        "{what} topic {} rank {}: irexp {} {}, ranx {docno} {score}",
                        topic.qid,
                        rank + 1,
                        got.docno,
                        got.score
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200_000, "{checked} documents checked");
}

/// Anserini's golden runs: (file, method, runs, alpha or weights, min-max).
fn anserini_cases(collection: &str) -> Vec<(String, FuseOptions, Vec<&'static str>)> {
    let three = vec!["bm25", "qld", "bm25rm3"];
    let hits = if collection == "scifact" { 20 } else { 50 };
    let mut rrf = FuseOptions::new(Method::Rrf);
    rrf.hits = Some(if collection == "cacm" { 1000 } else { hits });
    let mut average = FuseOptions::new(Method::Average);
    average.hits = Some(hits);
    let mut average_minmax = average.clone();
    average_minmax.norm = Norm::MinMax;
    let mut interpolation = FuseOptions::new(Method::WSum).alpha(0.3);
    interpolation.hits = Some(hits);
    let mut weighted = FuseOptions::new(Method::WSum);
    weighted.weights = Some(vec![0.5, 0.3, 0.2]);
    weighted.norm = Norm::MinMax;
    weighted.hits = Some(hits);
    [
        ("rrf", rrf, three.clone()),
        ("average", average, three.clone()),
        ("average-minmax", average_minmax, three.clone()),
        ("interpolation", interpolation, vec!["bm25", "bm25rm3"]),
        ("weighted-minmax", weighted, three),
    ]
    .into_iter()
    .map(|(name, mut o, runs)| {
        o.compat = Compat::Anserini;
        o.tag = "anserini.fusion".into();
        (format!("anserini/{collection}.{name}.txt.gz"), o, runs)
    })
    .collect()
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn anserini_fuse_runs_line_for_line() {
    for collection in COLLECTIONS {
        for (file, options, models) in anserini_cases(collection) {
            let fused = fuse_files(&reference_runs(collection, &models), &options).unwrap();
            let want = read_gz(&golden(&file));
            // Byte for byte: FuseRuns prints scores with Java's `%.6f`, as ScoreFormat::Fixed.
            let got = fused.to_trec(ScoreFormat::Fixed(6));
            assert_eq!(got.lines().count(), want.lines().count(), "{file}: lines");
            for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
                assert_eq!(g, w, "{file}:{}", n + 1);
            }
        }
    }
}

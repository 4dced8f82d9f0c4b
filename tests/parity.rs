//! Model parity with Anserini 1.7.1 (issue #5): each config in `configs/parity/` is run and
//! every ranker's run is compared line for line with Anserini's reference run, and its
//! measures with `../shared/REFERENCE.md`.

use crate::common;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

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

/// The run's lines without their tag, sorted.
fn lines_without_tag(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .map(|l| l.rsplit_once(' ').map_or(l, |(head, _)| head).to_string())
        .collect();
    v.sort();
    v
}

fn gunzip(path: &Path) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// (ranker, reference run file, expected (measure, printed value) pairs).
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// Runs `config`, then for each (ranker, reference run, expected measures) checks the measures
/// and that the run equals the reference line for line.
fn check(config: &str, cases: &[Case]) {
    let collections = common::collections();
    let out = common::run_in_temp(config, None, &[]);
    for (ranker, reference, expected) in cases {
        let eval = std::fs::read_to_string(out.path().join(format!("{ranker}.eval"))).unwrap();
        let s = summary(&eval);
        for (measure, value) in *expected {
            assert_eq!(
                s.get(*measure).map(String::as_str),
                Some(*value),
                "{ranker} {measure}"
            );
        }
        let theirs = lines_without_tag(&gunzip(
            &common::shared_sibling(&collections, "reference-runs").join(reference),
        ));
        let ours = lines_without_tag(
            &std::fs::read_to_string(out.path().join(format!("{ranker}.run"))).unwrap(),
        );
        let differing = theirs.iter().zip(&ours).filter(|(a, b)| a != b).count();
        eprintln!(
            "{config} {ranker}: {differing} of {} lines differ from {reference}",
            theirs.len()
        );
        assert_eq!(theirs.len(), ours.len(), "{ranker}: line count");
        assert_eq!(
            differing,
            0,
            "{ranker}: first difference {:?}",
            theirs.iter().zip(&ours).find(|(a, b)| a != b)
        );
    }
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_query_likelihood_dirichlet() {
    check(
        "configs/parity/vaswani-ql.toml",
        &[(
            "qld",
            "anserini-1.7.1.vaswani.qld.txt.gz",
            &[
                ("map", "0.2096"),
                ("P_10", "0.2688"),
                ("ndcg_cut_10", "0.3230"),
            ],
        )],
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_rm3_on_bm25_and_ql() {
    check(
        "configs/parity/vaswani-rm3.toml",
        &[
            (
                "bm25-rm3",
                "anserini-1.7.1.vaswani.bm25rm3.txt.gz",
                &[
                    ("map", "0.2955"),
                    ("P_10", "0.3667"),
                    ("ndcg_cut_10", "0.4406"),
                ],
            ),
            (
                "qld-rm3",
                "anserini-1.7.1.vaswani.qldrm3.txt.gz",
                &[
                    ("map", "0.2081"),
                    ("P_10", "0.2624"),
                    ("ndcg_cut_10", "0.3102"),
                ],
            ),
        ],
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn cacm_every_reference_model() {
    check(
        "configs/parity/cacm.toml",
        &[
            (
                "bm25",
                "anserini-1.7.1.cacm.bm25.txt.gz",
                &[
                    ("map", "0.3123"),
                    ("P_30", "0.1942"),
                    ("ndcg_cut_10", "0.4543"),
                ],
            ),
            (
                "bm25-accurate",
                "anserini-1.7.1.cacm.bm25acc.txt.gz",
                &[
                    ("map", "0.3108"),
                    ("P_30", "0.1949"),
                    ("ndcg_cut_10", "0.4388"),
                ],
            ),
            (
                "qld",
                "anserini-1.7.1.cacm.qld.txt.gz",
                &[
                    ("map", "0.3265"),
                    ("P_30", "0.1942"),
                    ("ndcg_cut_10", "0.4609"),
                ],
            ),
            (
                "qljm",
                "anserini-1.7.1.cacm.qljm.txt.gz",
                &[
                    ("map", "0.2589"),
                    ("P_30", "0.1712"),
                    ("ndcg_cut_10", "0.3897"),
                ],
            ),
            (
                "bm25-rm3",
                "anserini-1.7.1.cacm.bm25rm3.txt.gz",
                &[
                    ("map", "0.3648"),
                    ("P_30", "0.2224"),
                    ("ndcg_cut_10", "0.4847"),
                ],
            ),
            (
                "qld-rm3",
                "anserini-1.7.1.cacm.qldrm3.txt.gz",
                &[
                    ("map", "0.3629"),
                    ("P_30", "0.2250"),
                    ("ndcg_cut_10", "0.4786"),
                ],
            ),
        ],
    );
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn scifact_every_reference_model() {
    check(
        "configs/parity/scifact.toml",
        &[
            (
                "bm25",
                "anserini-1.7.1.scifact.bm25.txt.gz",
                &[
                    ("ndcg_cut_10", "0.6789"),
                    ("recall_100", "0.9253"),
                    ("recall_1000", "0.9767"),
                    ("map", "0.6401"),
                ],
            ),
            (
                "qld",
                "anserini-1.7.1.scifact.qld.txt.gz",
                &[
                    ("ndcg_cut_10", "0.6702"),
                    ("recall_100", "0.9209"),
                    ("map", "0.6292"),
                ],
            ),
            (
                "bm25-rm3",
                "anserini-1.7.1.scifact.bm25rm3.txt.gz",
                &[
                    ("ndcg_cut_10", "0.6457"),
                    ("recall_1000", "0.9800"),
                    ("map", "0.5923"),
                ],
            ),
        ],
    );
}

/// Runs `config` and returns the output folder and its `eval.json`.
fn run_and_read(config: &str) -> (common::TempRun, serde_json::Value) {
    let out = common::run_in_temp(config, None, &[]);
    let eval =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("eval.json")).unwrap())
            .unwrap();
    (out, eval)
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_terrier_tf_idf_and_bm25() {
    let collections = common::collections();
    let (out, eval) = run_and_read("configs/parity/vaswani-terrier.toml");
    let map = |ranker: &str| eval[ranker]["summary"]["map"].as_f64().unwrap();
    eprintln!(
        "terrier: TF_IDF map {:.6} (0.290905), BM25 map {:.6} (0.296517)",
        map("tfidf"),
        map("bm25")
    );
    assert!((map("tfidf") - 0.290905).abs() <= 0.0005);
    assert!((map("bm25") - 0.296517).abs() <= 0.0005);

    // Terrier's index of Vaswani: 7,756 terms, 271,581 tokens.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["index"]["terms"], 7756);
    assert_eq!(manifest["index"]["tokens"], 271581);

    // Per-topic AP against PyTerrier's TF_IDF, to 3 decimals, on at least 90% of topics.
    let reference: std::collections::BTreeMap<String, f64> = serde_json::from_str(
        &std::fs::read_to_string(collections.join("vaswani/pyterrier-TF_IDF-perquery-AP.json"))
            .unwrap(),
    )
    .unwrap();
    let ours: HashMap<String, f64> = eval["tfidf"]["per_topic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["qid"].as_str().unwrap().to_string(),
                t["map"].as_f64().unwrap(),
            )
        })
        .collect();
    let same = reference
        .iter()
        .filter(|(q, v)| {
            ours.get(*q)
                .is_some_and(|o| format!("{o:.3}") == format!("{v:.3}"))
        })
        .count();
    eprintln!(
        "terrier: per-topic TF_IDF AP equal to 3 decimals on {same} of {} topics",
        reference.len()
    );
    assert_eq!(reference.len(), 93);
    assert!(same * 10 >= reference.len() * 9, "{same}/93");
}

/// qid -> [(docno, score)] in run order.
fn read_run(path: &Path) -> HashMap<String, Vec<(String, f64)>> {
    let mut m: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let f: Vec<&str> = line.split(' ').collect();
        m.entry(f[0].to_string())
            .or_default()
            .push((f[2].to_string(), f[4].parse().unwrap()));
    }
    m
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn bm25_crate_agrees_with_lucene_bm25_exact_times_k1_plus_one() {
    common::collections();
    let (out, _) = run_and_read("configs/parity/vaswani-bm25-crate.toml");
    let ours = read_run(&out.path().join("bm25-exact.run"));
    let theirs = read_run(&out.path().join("bm25-crate.run"));
    assert_eq!(ours.len(), 93);
    let (mut compared, mut identical_topics) = (0, 0);
    for (qid, list) in &ours {
        let other = &theirs[qid];
        let scores: HashMap<&str, f64> = other.iter().map(|(d, s)| (d.as_str(), *s)).collect();
        let ours_by_doc: HashMap<&str, f64> = list.iter().map(|(d, s)| (d.as_str(), *s)).collect();
        for (doc, s) in list {
            if let Some(t) = scores.get(doc.as_str()) {
                let rel = (t / (1.9 * s) - 1.0).abs();
                assert!(rel <= 1e-5, "{qid} {doc}: crate {t} vs 1.9 x {s}");
                compared += 1;
            }
        }
        // Same order, except where our scores tie within float32 rounding.
        for (i, ((a, sa), (b, _))) in list.iter().zip(other).enumerate() {
            if a != b {
                let sb = ours_by_doc.get(b.as_str()).copied().unwrap_or(0.0);
                assert!(
                    (sa - sb).abs() <= 2e-6 * sa.abs(),
                    "{qid} rank {}: {a} ({sa}) vs {b} ({sb})",
                    i + 1
                );
            }
        }
        identical_topics += usize::from(list.iter().map(|x| &x.0).eq(other.iter().map(|x| &x.0)));
    }
    eprintln!("bm25 crate: {compared} scores agree within 1e-5; identical order on {identical_topics} of 93 topics");
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn vaswani_maxscore_equals_exhaustive_on_every_topic() {
    common::collections();
    let mut outputs = Vec::new();
    for retrieval in ["maxscore", "exhaustive"] {
        let setting = format!("run.retrieval={retrieval}");
        outputs.push(common::run_in_temp(
            "configs/parity/vaswani-rm3.toml",
            None,
            &[&setting],
        ));
    }
    for ranker in ["bm25", "qld", "bm25-rm3", "qld-rm3"] {
        let a = std::fs::read(outputs[0].path().join(format!("{ranker}.run"))).unwrap();
        let b = std::fs::read(outputs[1].path().join(format!("{ranker}.run"))).unwrap();
        let topics = String::from_utf8_lossy(&a)
            .lines()
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        assert_eq!(topics, 93, "{ranker}: every topic has results");
        assert!(a == b, "{ranker}: maxscore and exhaustive runs differ");
    }
}

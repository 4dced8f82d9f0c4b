//! `[[rerank]]`: re-scoring a candidate run with a ranker's model gives every candidate the
//! score full retrieval gives it; unknown docnos, candidate topics outside the topics file
//! and candidates from runs of the same config.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{self, irexp, repo};
use predicates::prelude::*;

/// (qid, docno) -> (rank, score text) of a run file.
fn lines(path: &Path) -> HashMap<(String, String), (usize, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                (f[0].into(), f[2].into()),
                (f[3].parse().unwrap(), f[4].into()),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn reranking_anserini_rm3_with_bm25_gives_full_retrieval_scores() {
    let dir = tempfile::tempdir().unwrap();
    let rm3 = common::shared_sibling(&common::collections(), "reference-runs")
        .join("anserini-1.7.1.cacm.bm25rm3.txt.gz");
    // run.depth beyond the 3,204 documents: bm25.run holds every document's full-retrieval
    // score.
    let config = format!(
        "[experiment]\nname = \"r\"\noutput = \"out\"\n\n[corpus]\nformat = \"html\"\npath = \"${{IREXP_COLLECTIONS}}/cacm/cacm.tar.gz\"\n\n[topics]\nformat = \"cacm\"\npath = \"${{IREXP_COLLECTIONS}}/cacm/topics.cacm.txt\"\n\n[qrels]\npath = \"${{IREXP_COLLECTIONS}}/cacm/qrels.cacm.txt\"\n\n[index]\ncache = \"{}\"\n\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n\n[[rerank]]\nname = \"bm25-over-rm3\"\nranker = \"bm25\"\ncandidates = {{ file = \"{}\" }}\ncandidates_depth = 1000\n\n[run]\ndepth = 5000\n",
        dir.path().join("cache").display(),
        rm3.display()
    );
    std::fs::write(dir.path().join("exp.toml"), config).unwrap();
    let assert = irexp()
        .current_dir(repo())
        .arg("run")
        .arg(dir.path().join("exp.toml"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let full = lines(&dir.path().join("out/bm25.run"));
    let reranked = lines(&dir.path().join("out/bm25-over-rm3.run"));
    let candidates = common::read_gz(&rm3);
    let (mut kept, mut unmatched) = (0, 0);
    for line in candidates.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let key = (f[0].to_string(), f[2].to_string());
        match (full.get(&key), reranked.get(&key)) {
            (Some((_, want)), Some((_, got))) => {
                assert_eq!(
                    got, want,
                    "{key:?}: re-ranked score differs from full retrieval"
                );
                kept += 1;
            }
            // A candidate with no query term has no BM25 score and is left out.
            (None, None) => unmatched += 1,
            (f, r) => panic!("{key:?}: in the full run {f:?}, in the re-ranked run {r:?}"),
        }
    }
    assert_eq!(
        kept,
        reranked.len(),
        "the re-ranked run holds only candidates"
    );
    assert!(
        kept > 50_000 && unmatched > 0,
        "kept {kept}, unmatched {unmatched}"
    );
    assert!(
        stderr.contains(&format!("{unmatched} candidates contain no query term")),
        "{stderr}"
    );
    // Ranks follow the re-ranked scores: within a topic, the order of the full run.
    let mut by_topic: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for ((qid, docno), (rank, _)) in &reranked {
        let full_rank = full[&(qid.clone(), docno.clone())].0;
        by_topic.entry(qid).or_default().push((*rank, full_rank));
    }
    for (qid, mut ranks) in by_topic {
        ranks.sort();
        assert!(
            ranks.windows(2).all(|w| w[0].1 < w[1].1) && ranks[0].0 == 1,
            "topic {qid}: the re-ranked order is not the full-retrieval order"
        );
    }
}

/// The sample collection with bm25 and qld, and `extra` sections.
fn sample(dir: &Path, extra: &str) -> std::path::PathBuf {
    let root = repo();
    let text = format!(
        "[experiment]\nname = \"r\"\noutput = \"out\"\n\n[corpus]\npath = \"{r}/corpus/*.trec*\"\n\n[topics]\npath = \"{r}/topics/topics.trec\"\n\n[qrels]\npath = \"{r}/qrels/qrels.txt\"\n\n[index]\ncache = \"cache\"\n\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n\n[[ranker]]\nname = \"qld\"\nmodel = \"ql\"\n\n{extra}",
        r = root.display()
    );
    let path = dir.join("exp.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn candidates_from_a_fusion_of_the_same_config_are_reranked() {
    let dir = tempfile::tempdir().unwrap();
    let config = sample(
        dir.path(),
        "[[fusion]]\nname = \"rrf\"\nmethod = \"rrf\"\nruns = [\"bm25\", \"qld\"]\n\n[[rerank]]\nname = \"qld-over-rrf\"\nranker = \"qld\"\ncandidates = \"rrf\"\ncandidates_depth = 5\n\n[compare]\nbaseline = \"qld-over-rrf\"\n",
    );
    irexp().args(["run", "-q"]).arg(&config).assert().success();
    let out = dir.path().join("out");
    let rrf = lines(&out.join("rrf.run"));
    let qld = lines(&out.join("qld.run"));
    let reranked = lines(&out.join("qld-over-rrf.run"));
    assert!(!reranked.is_empty());
    for (key, (_, score)) in &reranked {
        assert!(
            rrf[key].0 <= 5,
            "{key:?} is not among the first 5 candidates"
        );
        assert_eq!(&qld[key].1, score, "{key:?}");
    }
    assert!(out.join("compare/qld-over-rrf/compare.csv").is_file());
}

#[test]
fn unknown_candidates_are_an_error_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    // Topic 101 of the sample; IRX-0002 is a document, NOPE-1 is not.
    std::fs::write(
        dir.path().join("cand.run"),
        "101 Q0 IRX-0002 1 2 c\n101 Q0 NOPE-1 2 1 c\n",
    )
    .unwrap();
    let section =
        "[[rerank]]\nname = \"re\"\nranker = \"bm25\"\ncandidates = { file = \"cand.run\" }\n";
    let config = sample(dir.path(), section);
    common::run_fails(
        &config,
        &[
            "cand.run: 1 candidates have a docno the index does not have (the first: NOPE-1, topic 101)",
            "on_unknown = \"skip\"",
        ],
    );
    assert!(!dir.path().join("out").exists());
    let config = sample(dir.path(), &format!("{section}on_unknown = \"skip\"\n"));
    irexp()
        .arg("run")
        .arg(&config)
        .assert()
        .success()
        .stderr(predicate::str::contains("re: 1 candidates have a docno"));
    let run = std::fs::read_to_string(dir.path().join("out/re.run")).unwrap();
    assert_eq!(run.lines().count(), 1, "{run}");
    assert!(run.starts_with("101 Q0 IRX-0002 1 "), "{run}");
}

#[test]
fn a_candidate_topic_outside_the_topics_file_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cand.run"), "999 Q0 IRX-0002 1 2 c\n").unwrap();
    let config = sample(
        dir.path(),
        "[[rerank]]\nname = \"re\"\nranker = \"bm25\"\ncandidates = { file = \"cand.run\" }\n",
    );
    irexp()
        .arg("run")
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cand.run: candidate topic 999 is not a topic of",
        ))
        .stderr(predicate::str::contains("topics/topics.trec"));
}

#[test]
fn rerank_config_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for (extra, needle) in [
        (
            "[[rerank]]\nname = \"re\"\nranker = \"bm42\"\ncandidates = \"qld\"\n",
            "exp.toml:27: \"bm42\" is not a [[ranker]] with fixed parameters (rankers: bm25, qld)",
        ),
        (
            // A derived run may use only what is above it in the file.
            "[[fusion]]\nname = \"f\"\nmethod = \"rrf\"\nruns = [\"bm25\", \"re\"]\n\n[[rerank]]\nname = \"re\"\nranker = \"bm25\"\ncandidates = \"qld\"\n",
            "exp.toml:28: \"re\" is not a run of this config above this section",
        ),
        (
            "[[rerank]]\nname = \"re\"\nranker = \"bm25\"\ncandidates = \"qld\"\non_unknown = \"ignore\"\n",
            "exp.toml:29: unknown on_unknown \"ignore\"; expected error or skip",
        ),
    ] {
        common::run_fails(&sample(dir.path(), extra), &[needle]);
    }
}

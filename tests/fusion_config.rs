//! `[[fusion]]` in the experiment config: fused runs are written, evaluated and compared,
//! may be a `[compare]` baseline and the input of a later fusion, take run files as inputs,
//! and equal `irexp fuse` on the same runs.

use std::path::Path;

use irexp::fuse::{fuse_files, FuseOptions, Method, Norm};
use irexp::run::ScoreFormat;

use crate::common::{self, irexp, repo, run_in_temp};

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn cacm_fusion_config_equals_fusing_the_reference_runs() {
    let out = run_in_temp("configs/cacm-fusion.toml", None, &[]);
    // irexp's CACM runs are Anserini's reference runs line for line (tests/cacm.rs), so the
    // fused runs of the config are the fusion of the reference runs.
    let dir = common::shared_sibling(&common::collections(), "reference-runs");
    let refs: Vec<_> = ["bm25", "qld", "bm25rm3"]
        .iter()
        .map(|m| dir.join(format!("anserini-1.7.1.cacm.{m}.txt.gz")))
        .collect();
    for (name, method, norm) in [
        ("rrf", Method::Rrf, Norm::None),
        ("combsum-minmax", Method::CombSum, Norm::MinMax),
    ] {
        let mut o = FuseOptions::new(method);
        o.norm = norm;
        o.hits = Some(1000);
        o.tag = name.into();
        let want = fuse_files(&refs, &o)
            .unwrap()
            .to_trec(ScoreFormat::Shortest);
        let got = std::fs::read_to_string(out.path().join(format!("{name}.run"))).unwrap();
        assert!(
            got == want,
            "{name}.run differs from the fusion of the reference runs"
        );
        assert!(out.path().join(format!("{name}.eval")).is_file());
    }
    let compare = std::fs::read_to_string(out.path().join("compare/bm25/compare.csv")).unwrap();
    assert!(
        compare.contains("rrf") && compare.contains("combsum-minmax"),
        "{compare}"
    );
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"rrf.run\""),
        "the manifest lists the fused run"
    );
}

/// The sample collection with two rankers and `fusions` appended; returns the config path.
fn sample_config(dir: &Path, fusions: &str, compare: &str) -> std::path::PathBuf {
    let root = repo();
    let text = format!(
        "[experiment]\nname = \"f\"\noutput = \"out\"\n\n[corpus]\npath = \"{}/corpus/*.trec*\"\n\n[topics]\npath = \"{}/topics/topics.trec\"\n\n[qrels]\npath = \"{}/qrels/qrels.txt\"\n\n[index]\ncache = \"cache\"\n\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n\n[[ranker]]\nname = \"qld\"\nmodel = \"ql\"\n\n{fusions}\n{compare}",
        root.display(),
        root.display(),
        root.display()
    );
    let path = dir.join("exp.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_fusion_is_a_baseline_fuses_again_and_takes_run_files() {
    let dir = tempfile::tempdir().unwrap();
    // A first run gives an "external" run file.
    let first = sample_config(dir.path(), "", "");
    irexp().arg("run").arg("-q").arg(&first).assert().success();
    let external = dir.path().join("external.run");
    std::fs::copy(dir.path().join("out/qld.run"), &external).unwrap();
    let fusions = "[[fusion]]\nname = \"rrf\"\nmethod = \"rrf\"\nruns = [\"bm25\", \"qld\"]\n\n[[fusion]]\nname = \"again\"\nmethod = \"wsum\"\nnorm = \"zscore\"\nalpha = 0.7\nruns = [\"rrf\", { file = \"external.run\" }]\n";
    let config = sample_config(dir.path(), fusions, "[compare]\nbaseline = \"rrf\"\n");
    irexp().arg("run").arg("-q").arg(&config).assert().success();
    let out = dir.path().join("out");
    // The second fusion is irexp fuse of the first's run and the file.
    let mut o = FuseOptions::new(Method::WSum).alpha(0.7);
    o.norm = Norm::ZScore;
    o.tag = "again".into();
    let want = fuse_files(&[out.join("rrf.run"), external], &o)
        .unwrap()
        .to_trec(ScoreFormat::Shortest);
    assert_eq!(
        std::fs::read_to_string(out.join("again.run")).unwrap(),
        want
    );
    let compare = std::fs::read_to_string(out.join("compare/rrf/compare.csv")).unwrap();
    assert!(
        compare.contains("again") && compare.contains("bm25"),
        "{compare}"
    );
    let resolved = std::fs::read_to_string(out.join("config.resolved.toml")).unwrap();
    assert!(
        resolved.contains("weights = [0.7, 0.30000000000000004]"),
        "{resolved}"
    );
    // --ranker again keeps what it needs.
    irexp()
        .args(["run", "-q", "--ranker", "again"])
        .arg(&config)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.join("again.run")).unwrap(),
        want
    );
}

#[test]
fn fusion_config_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for (fusions, needle) in [
        (
            "[[fusion]]\nname = \"f\"\nmethod = \"rrf\"\nruns = [\"bm25\", \"dense\"]\n",
            "exp.toml:28: \"dense\" is not a run of this config above this section (runs: bm25, qld)",
        ),
        (
            "[[fusion]]\nname = \"qld\"\nmethod = \"rrf\"\nruns = [\"bm25\", \"qld\"]\n",
            "exp.toml:26: \"qld\" already names a run of this config",
        ),
        (
            "[[fusion]]\nname = \"f\"\nmethod = \"combfoo\"\nruns = [\"bm25\", \"qld\"]\n",
            "exp.toml:27: unknown fusion method \"combfoo\"",
        ),
        (
            "[[fusion]]\nname = \"f\"\nmethod = \"wsum\"\nweights = [1.0]\nruns = [\"bm25\", \"qld\"]\n",
            "exp.toml:28: 1 weights for 2 runs",
        ),
    ] {
        common::run_fails(&sample_config(dir.path(), fusions, ""), &[needle]);
    }
    // A run file that lacks a topic of the experiment is an error naming it.
    std::fs::write(dir.path().join("short.run"), "1 Q0 A-1 1 1 x\n").unwrap();
    let config = sample_config(
        dir.path(),
        "[[fusion]]\nname = \"f\"\nmethod = \"rrf\"\nruns = [\"bm25\", { file = \"short.run\" }]\n",
        "",
    );
    common::run_fails(&config, &["short.run: has no topic", "fusion f"]);
    assert!(!dir.path().join("out/f.run").exists());
}

//! `irexp slurm` against a real Slurm: `.ci/run` installs Debian's slurm-wlm and munge, starts
//! a single-node Slurm with `.ci/slurm-start` and sets `IREXP_SLURM=1`; without it this test
//! is ignored, with the reason. The chain (index array, search array, merge, RM3's second
//! round) is submitted for CACM with 3 shards and waited for; the merged outputs must be one
//! machine's `irexp run`'s, byte for byte.

use std::fs;

use crate::common::{collections, irexp, repo};

#[test]
#[cfg_attr(
    any(irexp_no_slurm, irexp_no_collections),
    ignore = "needs a running Slurm (IREXP_SLURM=1, as .ci/run sets once .ci/slurm-start has started one) and IREXP_COLLECTIONS"
)]
fn a_submitted_chain_merges_to_one_machines_run_on_cacm() {
    let _ = collections();
    let root = tempfile::tempdir().unwrap();
    let config = repo().join("tests/data/shard/cacm-all.toml");
    let rankers = [
        "--ranker", "bm25", "--ranker", "qld", "--ranker", "bm25-rm3",
    ];
    let run = |out: &str, cache: &str| -> Vec<String> {
        vec![
            "--set".into(),
            format!("experiment.output={}", root.path().join(out).display()),
            "--set".into(),
            format!("index.cache={}", root.path().join(cache).display()),
        ]
    };
    irexp()
        .current_dir(repo())
        .arg("run")
        .arg(&config)
        .args(run("single", "cache-single"))
        .args(rankers)
        .arg("-q")
        .assert()
        .success();
    let submitted = irexp()
        .current_dir(repo())
        .arg("slurm")
        .arg(&config)
        .args(["--shards", "3", "--cpus", "1", "--submit", "--wait"])
        .args(run("slurm", "cache-slurm"))
        .args(rankers)
        .assert()
        .success();
    let text = String::from_utf8(submitted.get_output().stdout.clone()).unwrap();
    let jobs: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("index ") || l.starts_with("search ") || l.starts_with("merge "))
        .collect();
    assert_eq!(
        jobs.len(),
        5,
        "index, search, merge and RM3's second search and merge: {text}"
    );
    for name in [
        "bm25.run",
        "qld.run",
        "bm25-rm3.run",
        "bm25.eval",
        "bm25-rm3.eval",
        "eval.json",
    ] {
        let a = fs::read(root.path().join("single").join(name)).unwrap();
        let b = fs::read(root.path().join("slurm").join(name)).unwrap();
        assert!(a == b, "{name} differs from one machine's");
    }
    let logs = root.path().join("slurm.slurm/logs");
    assert!(logs.join("index-3.out").is_file() && logs.join("search-3.out").is_file());
}

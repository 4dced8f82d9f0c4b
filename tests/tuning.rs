//! Sweeps, cross-validation and the run cache, checked from outside: a tuned run against an
//! independent computation from points run one by one with `--set`, grid points against the
//! same point run alone, no leakage from a fold's test judgments, fold-file errors, every
//! part of the run cache key, and `--ranker` / `--topics`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::{self, irexp, repo, TempRun};

/// `irexp run -q CONFIG` with this output folder and cache, and `--set`s; asserts success.
fn run(config: &Path, out: &Path, cache: &Path, sets: &[String]) {
    let mut cmd = irexp();
    cmd.current_dir(repo()).args(["run", "-q"]).arg(config);
    cmd.arg("--set")
        .arg(format!("experiment.output={}", out.display()));
    cmd.arg("--set")
        .arg(format!("index.cache={}", cache.display()));
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Per-topic values of `measure` of run `name` in an output folder's eval.json.
fn per_topic(out: &Path, name: &str, measure: &str) -> HashMap<String, f64> {
    let eval = json(&out.join("eval.json"));
    eval[name]["per_topic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["qid"].as_str().unwrap().to_string(),
                t[measure].as_f64().unwrap(),
            )
        })
        .collect()
}

/// `(qid, fold)` from `tune/RANKER/folds.csv`, in file order.
fn folds(out: &Path, ranker: &str) -> Vec<(String, usize)> {
    std::fs::read_to_string(out.join(format!("tune/{ranker}/folds.csv")))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (q, f) = l.split_once(',').unwrap();
            (q.to_string(), f.parse().unwrap())
        })
        .collect()
}

/// The chosen point per fold from `tune/RANKER/choices.csv`.
fn choices(out: &Path, ranker: &str) -> Vec<(usize, String, String)> {
    std::fs::read_to_string(out.join(format!("tune/{ranker}/choices.csv")))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (fold, rest) = l.split_once(',').unwrap();
            let (point, rest) = rest[1..].split_once("\",").unwrap();
            let train = rest.split(',').nth(3).unwrap().to_string();
            (fold.parse().unwrap(), point.to_string(), train)
        })
        .collect()
}

/// A copy of `config` in `dir` (its paths are `${IREXP_COLLECTIONS}`-based) with `extra`
/// appended.
fn config_with(config: &str, dir: &Path, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo().join(config)).unwrap();
    let path = dir.join("exp.toml");
    std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
    path
}

const K1: [&str; 3] = ["0.6", "0.9", "1.2"];
const B: [&str; 3] = ["0.3", "0.4", "0.5"];

/// The acceptance check: 5 folds over a 3 × 3 grid. Every point is also run alone with
/// `--set` (another cache, so it is ranked again, not reused); its run must be the grid
/// point's byte for byte, and the tuned run's per-topic values must be those of the point
/// that the documented rule picks from the independent runs' per-topic MAP.
fn cv_equals_independent_computation(config: &str) {
    let tmp = TempRun::new();
    let tuned = config_with(
        config,
        tmp.root(),
        "[[tune]]\nranker = \"bm25\"\nmeasure = \"map\"\nfolds = 5\nseed = 11\n",
    );
    let out = tmp.path().to_path_buf();
    run(
        &tuned,
        &out,
        &tmp.cache(),
        &[
            format!("ranker.bm25.k1=[{}]", K1.join(",")),
            format!("ranker.bm25.b=[{}]", B.join(",")),
        ],
    );
    let measures: Vec<String> = json(&out.join("eval.json"))["bm25.cv"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let mut points = Vec::new();
    for k1 in K1 {
        for b in B {
            let alone = tmp.root().join(format!("alone-{k1}-{b}"));
            run(
                &repo().join(config),
                &alone,
                &tmp.root().join("other-cache"),
                &[format!("ranker.bm25.k1={k1}"), format!("ranker.bm25.b={b}")],
            );
            let name = format!("bm25[k1={k1},b={b}]");
            assert_eq!(
                std::fs::read(out.join(format!("sweep/bm25/{name}.run"))).unwrap(),
                std::fs::read(alone.join("bm25.run")).unwrap(),
                "{config}: the grid point {name} differs from the point run alone"
            );
            points.push((name, alone));
        }
    }
    let folds = folds(&out, "bm25");
    let k = folds.iter().map(|(_, f)| *f).max().unwrap();
    assert_eq!(k, 5);
    let ap: Vec<HashMap<String, f64>> = points
        .iter()
        .map(|(_, o)| per_topic(o, "bm25", "map"))
        .collect();
    let chosen = choices(&out, "bm25");
    for fold in 1..=k {
        // Training topics: every other fold's, in topic order; a topic without a value
        // (no judgments, or no results) is left out of the mean.
        let mean = |values: &HashMap<String, f64>| {
            let v: Vec<f64> = folds
                .iter()
                .filter(|(_, f)| *f != fold)
                .filter_map(|(q, _)| values.get(q).copied())
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let mut best = 0;
        for i in 1..points.len() {
            if mean(&ap[i]) > mean(&ap[best]) {
                best = i;
            }
        }
        assert_eq!(chosen[fold - 1].0, fold);
        assert_eq!(chosen[fold - 1].1, points[best].0, "{config}: fold {fold}");
        // The fold's test topics take every measure from the chosen point.
        for m in &measures {
            let cv = per_topic(&out, "bm25.cv", m);
            let alone = per_topic(&points[best].1, "bm25", m);
            for (q, _) in folds.iter().filter(|(_, f)| *f == fold) {
                assert_eq!(
                    cv.get(q),
                    alone.get(q),
                    "{config}: fold {fold}, topic {q}, {m}"
                );
            }
        }
    }
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn cacm_cross_validation_equals_an_independent_computation() {
    cv_equals_independent_computation("configs/cacm-bm25.toml");
}

#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn vaswani_cross_validation_equals_an_independent_computation() {
    cv_equals_independent_computation("configs/vaswani-bm25.toml");
}

/// Changing the judgments of one fold's test topics changes nothing of that fold's choice:
/// the qrels of the CACM test topics of fold 1 are replaced by others (every retrieved
/// document of the first point made relevant), and fold 1's point and training mean stay.
#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn a_folds_test_judgments_do_not_change_its_choice() {
    let tmp = TempRun::new();
    let tuned = config_with(
        "configs/cacm-bm25.toml",
        tmp.root(),
        "[[tune]]\nranker = \"bm25\"\nmeasure = \"map\"\nfolds = 5\nseed = 2\n",
    );
    let sets = vec![
        "ranker.bm25.k1=[0.6,1.2]".to_string(),
        "ranker.bm25.b=[0.2,0.75]".to_string(),
    ];
    let first = tmp.root().join("first");
    run(&tuned, &first, &tmp.cache(), &sets);
    let folds = folds(&first, "bm25");
    let test: Vec<&str> = folds
        .iter()
        .filter(|(_, f)| *f == 1)
        .map(|(q, _)| q.as_str())
        .collect();
    let qrels_path = common::collections().join("cacm/qrels.cacm.txt");
    let qrels = std::fs::read_to_string(&qrels_path).unwrap();
    let mut changed: String = qrels
        .lines()
        .filter(|l| !test.contains(&l.split_whitespace().next().unwrap_or("")))
        .map(|l| format!("{l}\n"))
        .collect();
    let run_text =
        std::fs::read_to_string(first.join("sweep/bm25/bm25[k1=0.6,b=0.2].run")).unwrap();
    for l in run_text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        if test.contains(&f[0]) && f[3].parse::<usize>().unwrap() % 3 == 0 {
            changed.push_str(&format!("{} 0 {} 1\n", f[0], f[2]));
        }
    }
    let new_qrels = tmp.root().join("qrels.txt");
    std::fs::write(&new_qrels, changed).unwrap();
    let second = tmp.root().join("second");
    let mut sets2 = sets.clone();
    sets2.push(format!("qrels.path={}", new_qrels.display()));
    run(&tuned, &second, &tmp.cache(), &sets2);
    let (a, b) = (choices(&first, "bm25"), choices(&second, "bm25"));
    assert_eq!(
        a[0], b[0],
        "fold 1's choice moved with its own test judgments"
    );
    // The changed judgments did change the test topics' values (the check can fail).
    let (ap1, ap2) = (
        per_topic(&first, "bm25.cv", "map"),
        per_topic(&second, "bm25.cv", "map"),
    );
    assert!(test.iter().any(|q| ap1.get(*q) != ap2.get(*q)));
}

/// A sample-collection config with a swept ranker, a tune and a fold file.
fn sample_config(dir: &Path, folds: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("configs/bm25.toml")).unwrap();
    let text = text
        .replace("../corpus", &repo().join("corpus").display().to_string())
        .replace("../topics", &repo().join("topics").display().to_string())
        .replace("../qrels", &repo().join("qrels").display().to_string());
    let path = dir.join("exp.toml");
    std::fs::write(
        &path,
        format!(
            "{text}\n[[ranker]]\nname = \"grid\"\nmodel = \"bm25\"\nk1 = [0.5, 1.2]\nb = {{ from = 0.25, to = 0.75, step = 0.25 }}\n\n[[tune]]\nranker = \"grid\"\nmeasure = \"ndcg_cut.10\"\nfolds = {folds}\n"
        ),
    )
    .unwrap();
    path
}

fn sample_qids() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("topics/topics.trec")).unwrap();
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("<num>"))
        .map(|n| n.trim().trim_start_matches("Number:").trim().to_string())
        .collect()
}

#[test]
fn fold_files_are_read_and_their_errors_name_the_file_and_line() {
    let tmp = TempRun::new();
    let qids = sample_qids();
    assert!(qids.len() >= 4, "{qids:?}");
    let folds_path = tmp.root().join("folds.txt");
    let half = qids.len() / 2;
    std::fs::write(
        &folds_path,
        format!("{}\n{}\n", qids[..half].join(" "), qids[half..].join(" ")),
    )
    .unwrap();
    let config = sample_config(
        tmp.root(),
        &format!("{:?}", folds_path.display().to_string()),
    );
    run(&config, tmp.path(), &tmp.cache(), &[]);
    let f = folds(tmp.path(), "grid");
    assert_eq!(f.len(), qids.len());
    assert!(f[..half].iter().all(|(_, k)| *k == 1) && f[half..].iter().all(|(_, k)| *k == 2));
    assert!(tmp.path().join("grid.cv.run").is_file());
    assert!(tmp.path().join("sweep/grid/heatmap.svg").is_file());
    let grid = std::fs::read_to_string(tmp.path().join("sweep/grid/grid.csv")).unwrap();
    assert!(grid.starts_with("point,k1,b,measure,mean\n\"grid[k1=0.5,b=0.25]\",0.5,0.25,"));
    assert!(grid.contains("\"grid[k1=1.2,b=0.75]\",1.2,0.75,ndcg_cut_10,"));

    let fails = |text: String, wanted: &[&str]| {
        std::fs::write(&folds_path, text).unwrap();
        let out = irexp()
            .args(["run", "-q"])
            .arg(&config)
            .arg("--set")
            .arg(format!("index.cache={}", tmp.cache().display()))
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        for w in wanted {
            assert!(err.contains(w), "{w:?} not in {err}");
        }
    };
    let name = folds_path.display().to_string();
    fails(
        format!(
            "{}\n{} 999\n",
            qids[..half].join(" "),
            qids[half..].join(" ")
        ),
        &[&format!("{name}:2"), "999", "not a topic"],
    );
    fails(
        format!(
            "{}\n{} {}\n",
            qids[..half].join(" "),
            qids[half..].join(" "),
            qids[0]
        ),
        &[&format!("{name}:2"), "two folds"],
    );
    fails(
        format!(
            "{}\n{}\n",
            qids[..half].join(" "),
            qids[half + 1..].join(" ")
        ),
        &[&name, "in no fold", &qids[half]],
    );
}

#[test]
fn sweep_config_errors_name_the_key() {
    let tmp = TempRun::new();
    let config = sample_config(tmp.root(), "3");
    let fails = |sets: &[&str], wanted: &[&str]| {
        let mut cmd = irexp();
        cmd.args(["run", "-q"]).arg(&config);
        for s in sets {
            cmd.args(["--set", s]);
        }
        let out = cmd.assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        for w in wanted {
            assert!(err.contains(w), "{w:?} not in {err}");
        }
    };
    fails(
        &["ranker.grid.b={from=0.1,to=0.95,step=0.1}"],
        &["--set ranker.grid.b", "whole number of steps"],
    );
    fails(&["ranker.grid.k1=[]"], &["k1", "no value"]);
    fails(&["ranker.grid.k1=[0.9,\"x\"]"], &["k1"]);
    fails(
        &["ranker.grid.k1=0.9", "ranker.grid.b=0.4"],
        &["sweeps no parameter"],
    );
    fails(&["run.depth=5", "ranker.grid.k1=[-1, 1]"], &["k1 must be"]);
    // Three folds of 16 topics are fine; more folds than topics are not.
    let config = sample_config(tmp.root(), "99");
    let out = irexp()
        .args(["run", "-q"])
        .arg(&config)
        .arg("--set")
        .arg(format!("index.cache={}", tmp.cache().display()))
        .arg("--set")
        .arg(format!("experiment.output={}", tmp.path().display()))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("folds = 99"), "{err}");
}

fn manifest_reuse(out: &Path) -> HashMap<String, bool> {
    json(&out.join("manifest.json"))["run_cache"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["reused"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Every part of the run cache key: a rerun reuses every run and writes the same bytes; a
/// change of any part ranks again (and a change that leaves a ranker alone reuses it).
#[test]
fn the_run_cache_is_reused_exactly_and_never_when_its_key_changes() {
    let tmp = TempRun::new();
    let config = repo().join("configs/bm25.toml");
    let cache = tmp.cache();
    let first = tmp.root().join("first");
    run(&config, &first, &cache, &[]);
    assert!(manifest_reuse(&first).values().all(|r| !r));
    let again = tmp.root().join("again");
    run(&config, &again, &cache, &[]);
    let reuse = manifest_reuse(&again);
    assert!(!reuse.is_empty() && reuse.values().all(|r| *r), "{reuse:?}");
    for f in ["bm25.run", "bm25-exact.run", "bm25.eval", "eval.json"] {
        assert_eq!(
            std::fs::read(first.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
    // A copy of the topics with one query changed.
    let topics = std::fs::read_to_string(repo().join("topics/topics.trec")).unwrap();
    let first_title = topics
        .lines()
        .find_map(|l| l.trim().strip_prefix("<title>"))
        .unwrap()
        .to_string();
    let edited = tmp.root().join("topics.trec");
    std::fs::write(
        &edited,
        topics.replacen(&first_title, &format!("{first_title} storm"), 1),
    )
    .unwrap();
    let same_topics = tmp.root().join("same-topics.trec");
    std::fs::write(&same_topics, &topics).unwrap();
    let cases: Vec<(&str, Vec<String>, bool)> = vec![
        ("a parameter", vec!["ranker.bm25.k1=1.1".into()], false),
        ("the depth", vec!["run.depth=50".into()], false),
        (
            "the tie policy",
            vec!["run.ties=\"anserini\"".into()],
            false,
        ),
        ("remove_query", vec!["run.remove_query=true".into()], false),
        (
            "the topic field",
            vec!["topics.field=\"title+desc\"".into()],
            false,
        ),
        (
            "the topics' text",
            vec![format!("topics.path={}", edited.display())],
            false,
        ),
        (
            "the analyzer (so the index)",
            vec!["analyzer.stemmer=\"none\"".into()],
            false,
        ),
        (
            "only the topics file's path",
            vec![format!("topics.path={}", same_topics.display())],
            true,
        ),
        (
            "only the retrieval method",
            vec!["run.retrieval=\"maxscore\"".into()],
            true,
        ),
    ];
    for (i, (what, sets, reused)) in cases.iter().enumerate() {
        let out = tmp.root().join(format!("case{i}"));
        run(&config, &out, &cache, sets);
        let r = manifest_reuse(&out);
        assert_eq!(r["bm25"], *reused, "changing {what}");
        if *reused {
            assert_eq!(
                std::fs::read(first.join("bm25.run")).unwrap(),
                std::fs::read(out.join("bm25.run")).unwrap(),
                "{what}"
            );
        }
    }
    // Changing one ranker's parameter reuses the other's run.
    let out = tmp.root().join("one");
    run(&config, &out, &cache, &["ranker.bm25.b=0.6".into()]);
    let r = manifest_reuse(&out);
    assert!(!r["bm25"] && r["bm25-exact"], "{r:?}");
}

/// Adding a value to a grid ranks only the new points.
#[test]
fn a_grown_grid_ranks_only_its_new_points() {
    let tmp = TempRun::new();
    let config = sample_config(tmp.root(), "3");
    run(&config, tmp.path(), &tmp.cache(), &[]);
    let out = tmp.root().join("grown");
    run(
        &config,
        &out,
        &tmp.cache(),
        &["ranker.grid.k1=[0.5, 1.2, 2.0]".into()],
    );
    let r = manifest_reuse(&out);
    let new: Vec<&String> = r.iter().filter(|(_, v)| !**v).map(|(k, _)| k).collect();
    let mut new: Vec<&str> = new.iter().map(|s| s.as_str()).collect();
    new.sort();
    assert_eq!(
        new,
        ["grid[k1=2,b=0.25]", "grid[k1=2,b=0.5]", "grid[k1=2,b=0.75]"]
    );
}

#[test]
fn ranker_and_topics_select_the_work() {
    let tmp = TempRun::new();
    let config = sample_config(tmp.root(), "2");
    let qids = sample_qids();
    let subset = tmp.root().join("subset.txt");
    std::fs::write(&subset, format!("{}\n{}\n", qids[0], qids[3..8].join(" "))).unwrap();
    let out = tmp.path();
    let mut cmd = irexp();
    cmd.args(["run", "-q"])
        .arg(&config)
        .args(["--ranker", "grid.cv", "--ranker", "bm25-exact", "--topics"])
        .arg(&subset)
        .arg("--set")
        .arg(format!("experiment.output={}", out.display()))
        .arg("--set")
        .arg(format!("index.cache={}", tmp.cache().display()));
    cmd.assert().success();
    let eval = json(&out.join("eval.json"));
    let mut names: Vec<&String> = eval.as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(names, ["bm25-exact", "grid.cv"]);
    assert!(!out.join("bm25.run").exists());
    let topics: Vec<&str> = eval["bm25-exact"]["per_topic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["qid"].as_str().unwrap())
        .collect();
    assert!(topics.len() <= 6 && topics.iter().all(|q| qids[..8].contains(&q.to_string())));
    assert_eq!(folds(out, "grid").len(), 6);
    // An unknown name, and a subset qid that is not a topic, are errors.
    irexp()
        .args(["run", "-q"])
        .arg(&config)
        .args(["--ranker", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--ranker nope"));
    std::fs::write(&subset, "zzz\n").unwrap();
    irexp()
        .args(["run", "-q"])
        .arg(&config)
        .arg("--topics")
        .arg(&subset)
        .arg("--set")
        .arg(format!("experiment.output={}", out.display()))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!("{}:1", subset.display())));
}

/// RM3's feedback parameters and QL's mu sweep like BM25's.
#[test]
fn rm3_and_ql_parameters_sweep() {
    let tmp = TempRun::new();
    let config = sample_config(tmp.root(), "2");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{text}\n[[ranker]]\nname = \"rm3\"\nmodel = \"rm3\"\nfirst_stage = \"bm25\"\nfb_docs = [5, 10]\nfb_terms = {{ from = 5, to = 15, step = 5 }}\noriginal_query_weight = [0.3, 0.7]\n\n[[ranker]]\nname = \"qld\"\nmodel = \"ql\"\nmu = [500, 1000]\n"
        ),
    )
    .unwrap();
    run(&config, tmp.path(), &tmp.cache(), &[]);
    let grid = std::fs::read_to_string(tmp.path().join("sweep/rm3/grid.csv")).unwrap();
    assert!(grid.starts_with("point,fb_docs,fb_terms,original_query_weight,measure,mean\n"));
    assert!(grid.contains("\"rm3[fb_docs=10,fb_terms=15,original_query_weight=0.7]\""));
    assert_eq!(
        std::fs::read_dir(tmp.path().join("sweep/rm3"))
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "run"))
            .count(),
        12
    );
    assert!(tmp.path().join("sweep/qld/line.svg").is_file());
    // A point equals the same ranker run alone.
    let alone = tmp.root().join("alone");
    run(
        &config,
        &alone,
        &tmp.root().join("cache2"),
        &[
            "ranker.rm3.fb_docs=5".into(),
            "ranker.rm3.fb_terms=10".into(),
            "ranker.rm3.original_query_weight=0.3".into(),
        ],
    );
    assert_eq!(
        std::fs::read(
            tmp.path()
                .join("sweep/rm3/rm3[fb_docs=5,fb_terms=10,original_query_weight=0.3].run")
        )
        .unwrap(),
        std::fs::read(alone.join("rm3.run")).unwrap()
    );
}

/// docs/tuning.md's measured part and docs/tuning/heatmap.svg are what docs/tuning.sh makes
/// now: the script runs into a temporary copy, which must equal the committed files.
#[test]
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
fn docs_tuning_is_current() {
    let tmp = TempRun::new();
    let dest = tmp.root().join("docs");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::copy(repo().join("docs/tuning.md"), dest.join("tuning.md")).unwrap();
    let status = std::process::Command::new("bash")
        .current_dir(repo())
        .arg("docs/tuning.sh")
        .arg(&dest)
        .env("IREXP", assert_cmd::cargo::cargo_bin("irexp"))
        .env("IREXP_COLLECTIONS", common::collections())
        .env("TUNING_CACHE", tmp.cache())
        .status()
        .unwrap();
    assert!(status.success());
    for f in ["tuning.md", "tuning/heatmap.svg"] {
        assert!(
            std::fs::read(dest.join(f)).unwrap()
                == std::fs::read(repo().join("docs").join(f)).unwrap(),
            "docs/{f} is stale: run `IREXP_COLLECTIONS=../shared/collections bash docs/tuning.sh`"
        );
    }
}

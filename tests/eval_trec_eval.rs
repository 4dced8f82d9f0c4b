//! `irexp eval` against trec_eval itself, byte for byte.
//!
//! `tests/data/trec_eval/cases.tsv` lists each case (inputs and flags); `expected/` holds
//! trec_eval's stdout for it, made as `tests/data/trec_eval/README.md` says. The Anserini
//! reference runs are read in place through `IREXP_COLLECTIONS` (runs from
//! `$IREXP_COLLECTIONS/../reference-runs`), their expected outputs are in `reference/`
//! (gzipped); without the variable that test is ignored.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::{irexp, repo, shared_sibling};

fn data() -> PathBuf {
    repo().join("tests/data/trec_eval")
}

/// Describes the first difference between two outputs, or `None` when they are identical.
fn first_difference(ours: &[u8], want: &[u8]) -> Option<String> {
    if ours == want {
        return None;
    }
    let ours = String::from_utf8_lossy(ours);
    let want = String::from_utf8_lossy(want);
    let (o, w): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), want.lines().collect());
    for i in 0..o.len().max(w.len()) {
        if o.get(i) != w.get(i) {
            return Some(format!(
                "line {}: ours {:?}, trec_eval {:?} ({} vs {} lines)",
                i + 1,
                o.get(i),
                w.get(i),
                o.len(),
                w.len()
            ));
        }
    }
    Some("same lines, different bytes (line endings?)".to_string())
}

/// Runs `irexp eval ARGS` in `dir` and returns its stdout, asserting exit code 0.
fn eval_stdout(dir: &Path, args: &[String]) -> Vec<u8> {
    let out = irexp()
        .current_dir(dir)
        .arg("eval")
        .args(args)
        .output()
        .expect("irexp runs");
    assert!(
        out.status.success(),
        "irexp eval {}: {:?}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn synthetic_cases_match_trec_eval_byte_for_byte() {
    let dir = data();
    let cases = std::fs::read_to_string(dir.join("cases.tsv")).expect("cases.tsv");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(fields.len() >= 4, "cases.tsv: bad line {line:?}");
        let (name, version, qrels, run) = (fields[0], fields[1], fields[2], fields[3]);
        let mut args: Vec<String> = Vec::new();
        if version == "10.0" {
            args.extend(["--compat".to_string(), "10.0".to_string()]);
        }
        args.extend(
            fields
                .get(4)
                .unwrap_or(&"")
                .split_whitespace()
                .map(String::from),
        );
        args.extend([qrels.to_string(), run.to_string()]);
        let want = std::fs::read(dir.join("expected").join(name)).expect("expected file");
        let ours = eval_stdout(&dir, &args);
        if let Some(d) = first_difference(&ours, &want) {
            failures.push(format!("{name} ({}): {d}", args.join(" ")));
        }
        count += 1;
    }
    assert!(count >= 20, "only {count} cases read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn run_from_stdin_gives_the_same_output() {
    let dir = data();
    let run = std::fs::read(dir.join("synth.run")).expect("run");
    let want = std::fs::read(dir.join("expected/synth.aq")).expect("expected");
    let out = irexp()
        .current_dir(&dir)
        .args(["eval", "-q", "-m", "all_trec", "synth.qrels", "-"])
        .write_stdin(run)
        .output()
        .expect("irexp runs");
    assert!(out.status.success());
    assert_eq!(first_difference(&out.stdout, &want), None);
}

/// The qrels of a reference run, by collection.
fn reference_qrels(collections: &Path, run: &str) -> PathBuf {
    if run.contains(".cacm.") {
        collections.join("cacm/qrels.cacm.txt")
    } else if run.contains(".vaswani.") {
        collections.join("vaswani/qrels")
    } else {
        collections.join("scifact/qrels.beir-v1.0.0-scifact.test.txt")
    }
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn anserini_reference_runs_match_trec_eval_with_and_without_c() {
    let collections = common::collections();
    let runs_dir = shared_sibling(&collections, "reference-runs");
    let mut names: Vec<String> = std::fs::read_dir(&runs_dir)
        .expect("reference-runs folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt.gz"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 13, "expected the 13 Anserini reference runs");
    let mut failures = Vec::new();
    for name in &names {
        let stem = name.trim_end_matches(".txt.gz");
        let run = runs_dir.join(name);
        let qrels = reference_qrels(&collections, name);
        for (suffix, flags) in [("aq", vec!["-q"]), ("aqc", vec!["-q", "-c"])] {
            let expected = data().join("reference").join(format!("{stem}.{suffix}.gz"));
            let mut want = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&expected).expect("expected file"))
                .read_to_end(&mut want)
                .expect("gunzip");
            let mut args: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
            args.extend(["-m".into(), "all_trec".into()]);
            args.push(qrels.display().to_string());
            args.push(run.display().to_string());
            let ours = eval_stdout(&data(), &args);
            if let Some(d) = first_difference(&ours, &want) {
                failures.push(format!("{stem} {suffix}: {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

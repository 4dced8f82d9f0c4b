//! `irexp compare` end to end: outputs, and errors on bad input (exit code 2, messages that
//! name the runs and topics).

use crate::common;

use std::path::PathBuf;

use crate::common::irexp;
use predicates::prelude::*;

/// Qrels and runs over topics 1..=6 in a temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
}

const QRELS: &str = "\
1 0 a 1\n1 0 b 0\n2 0 c 1\n2 0 d 1\n3 0 e 1\n4 0 f 1\n4 0 g 0\n5 0 h 1\n6 0 i 1\n6 0 j 1\n";

/// A run answering `topics`, putting the relevant document first on topics in `good`.
fn run(tag: &str, topics: &[u32], good: &[u32]) -> String {
    let rel = ["", "a", "c", "e", "f", "h", "i"];
    let mut s = String::new();
    for &t in topics {
        let first = rel[t as usize];
        if good.contains(&t) {
            s.push_str(&format!(
                "{t} Q0 {first} 1 2.0 {tag}\n{t} Q0 zz 2 1.0 {tag}\n"
            ));
        } else {
            s.push_str(&format!(
                "{t} Q0 zz 1 2.0 {tag}\n{t} Q0 {first} 2 1.0 {tag}\n"
            ));
        }
    }
    s
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        f.write("qrels.txt", QRELS);
        f.write("base.run", &run("base", &[1, 2, 3, 4, 5, 6], &[1, 2]));
        f.write(
            "better.run",
            &run("better", &[1, 2, 3, 4, 5, 6], &[1, 2, 3, 4, 5]),
        );
        f.write("other.run", &run("other", &[1, 2, 3, 4, 5, 6], &[3]));
        f
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    fn compare(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        let mut cmd = irexp();
        cmd.current_dir(self.dir.path()).arg("compare");
        cmd.args(args);
        cmd.assert()
    }

    fn fails_with(&self, args: &[&str], needles: &[&str]) {
        let mut a = self.compare(args).code(2);
        for n in needles {
            a = a.stderr(predicate::str::contains(*n));
        }
    }
}

#[test]
fn compares_runs_and_writes_every_output() {
    let f = Fixture::new();
    f.compare(&[
        "--qrels",
        "qrels.txt",
        "base.run",
        "better.run",
        "other.run",
        "-m",
        "map",
        "-m",
        "P.1",
        "--out",
        "out",
    ])
    .success()
    .stdout(predicate::str::contains("base (baseline)"))
    .stdout(predicate::str::contains("Holm correction"))
    .stdout(predicate::str::contains("6 topics paired by qid"));
    for name in [
        "compare.txt",
        "compare.md",
        "compare.tex",
        "compare.csv",
        "compare.topics.csv",
        "compare.json",
        "diff-map.svg",
        "diff-P_1.svg",
        "pr.svg",
    ] {
        assert!(f.path("out").join(name).is_file(), "{name} is written");
    }
    for svg in ["diff-map.svg", "pr.svg"] {
        let text = std::fs::read_to_string(f.path("out").join(svg)).unwrap();
        let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.path("out/compare.json")).unwrap())
            .unwrap();
    assert_eq!(json["baseline"], "base");
    assert_eq!(json["topics"].as_array().unwrap().len(), 6);
    assert_eq!(
        json["measures"][0]["comparisons"].as_array().unwrap().len(),
        2
    );
    let topics_csv = std::fs::read_to_string(f.path("out/compare.topics.csv")).unwrap();
    // 2 measures × 3 systems × 6 topics + header.
    assert_eq!(topics_csv.lines().count(), 37);
    let tex = std::fs::read_to_string(f.path("out/compare.tex")).unwrap();
    assert!(tex.contains("\\toprule") && tex.contains("\\textbf{"));
    assert!(tex.contains("over 6 topics"));
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(f.path("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn output_is_identical_for_one_and_two_threads() {
    let f = Fixture::new();
    let out = |threads: &str| {
        let mut cmd = irexp();
        cmd.current_dir(f.path(""))
            .env("RAYON_NUM_THREADS", threads)
            .args(["compare", "--qrels", "qrels.txt", "base.run", "better.run"])
            .args(["--format", "json", "--permutations", "20000"]);
        cmd.assert().success().get_output().stdout.clone()
    };
    assert_eq!(out("1"), out("2"));
}

#[test]
fn runs_judged_by_different_qrels_are_refused() {
    let f = Fixture::new();
    f.write("qrels2.txt", &QRELS.replace("4 0 g 0", "4 0 g 1"));
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "--qrels",
            "qrels2.txt",
            "base.run",
            "better.run",
        ],
        &["runs base and better", "different qrels", "topics 4"],
    );
}

#[test]
fn a_run_with_no_topic_in_common_with_the_baseline_is_refused() {
    let f = Fixture::new();
    f.write("base.run", &run("base", &[1, 2, 3], &[1]));
    f.write("disjoint.run", &run("disjoint", &[4, 5, 6], &[4]));
    f.fails_with(
        &["--qrels", "qrels.txt", "base.run", "disjoint.run"],
        &[
            "run disjoint has no topics in common with the baseline base",
            "baseline topics: 1 2 3",
            "disjoint topics: 4 5 6",
        ],
    );
}

#[test]
fn a_missing_topic_is_an_error_unless_missing_zero() {
    let f = Fixture::new();
    f.write("partial.run", &run("partial", &[1, 2, 3, 5, 6], &[1, 2, 3]));
    f.fails_with(
        &["--qrels", "qrels.txt", "base.run", "partial.run"],
        &["run partial has no results for topics 4", "--missing zero"],
    );
    f.compare(&[
        "--qrels",
        "qrels.txt",
        "base.run",
        "partial.run",
        "--missing",
        "zero",
    ])
    .success()
    .stdout(predicate::str::contains("Missing topics scored 0"))
    .stdout(predicate::str::contains("partial: 4;"));
}

#[test]
fn unknown_test_or_correction_is_a_usage_error() {
    let f = Fixture::new();
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "--test",
            "sign",
        ],
        &["unknown test \"sign\"", "randomization, t, wilcoxon, tukey"],
    );
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "--correction",
            "sidak",
        ],
        &["unknown correction \"sidak\"", "none, bonferroni, holm, bh"],
    );
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "--test",
            "tukey",
            "--correction",
            "holm",
        ],
        &["Tukey HSD already controls the family-wise error rate"],
    );
}

#[test]
fn alpha_outside_zero_one_is_a_usage_error() {
    let f = Fixture::new();
    for alpha in ["0", "1", "1.5", "-0.05", "nan"] {
        f.fails_with(
            &[
                "--qrels",
                "qrels.txt",
                "base.run",
                "better.run",
                &format!("--alpha={alpha}"),
            ],
            &["--alpha", "alpha must be strictly between 0 and 1"],
        );
    }
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "--alpha",
            "1.5",
        ],
        &["alpha must be strictly between 0 and 1, not 1.5"],
    );
}

#[test]
fn a_count_measure_or_unknown_baseline_is_refused() {
    let f = Fixture::new();
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "-m",
            "num_ret",
        ],
        &["num_ret cannot be compared topic by topic"],
    );
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "base.run",
            "better.run",
            "--baseline",
            "bm25",
        ],
        &["the baseline \"bm25\" is not one of the runs (base, better)"],
    );
}

#[test]
fn irexp_run_ends_with_the_comparison_of_its_rankers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    irexp()
        .args(["run", "-q"])
        .arg(common::repo().join("configs/compare.toml"))
        .arg("--set")
        .arg(format!("experiment.output={}", out.display()))
        .assert()
        .success()
        .stdout(predicate::str::contains("Comparison with bm25"))
        .stdout(predicate::str::contains("16 topics paired by qid"));
    for name in [
        "compare.md",
        "compare.tex",
        "compare.json",
        "pr.svg",
        "diff-map.svg",
    ] {
        assert!(out.join("compare/bm25").join(name).is_file(), "{name}");
    }
    let resolved = std::fs::read_to_string(out.join("config.resolved.toml")).unwrap();
    assert!(resolved.contains("[compare]") && resolved.contains("correction = \"holm\""));
    // The same comparison from the written runs, by irexp compare.
    let direct = irexp()
        .current_dir(&out)
        .args(["compare", "--qrels"])
        .arg(common::repo().join("qrels/qrels.txt"))
        .args(["bm25.run", "qld.run", "bm25-rm3.run", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let from_run = std::fs::read(out.join("compare/bm25/compare.json")).unwrap();
    assert_eq!(
        String::from_utf8(direct).unwrap(),
        String::from_utf8(from_run).unwrap()
    );
}

#[test]
fn the_documented_svgs_parse_as_xml() {
    for name in ["diff-map.svg", "pr.svg"] {
        let path = common::repo().join("docs/compare").join(name);
        let text =
            std::fs::read_to_string(&path).expect("the worked example's plots are committed");
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(
            doc.descendants().any(|n| n.has_tag_name("polyline")),
            "{name} draws lines"
        );
    }
}

/// The worked example of docs/compare.md, regenerated from CACM: the committed table,
/// Markdown and LaTeX are what `irexp compare` prints today.
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn the_cacm_worked_example_in_the_docs_is_current() {
    let collections = common::collections();
    let parity = std::fs::read_to_string(common::repo().join("configs/parity/cacm.toml")).unwrap();
    // The parity config, with only the four rankers of the example.
    let head = &parity[..parity.find("[[ranker]]").unwrap()];
    let config = format!(
        "{head}[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\nk1 = 0.9\nb = 0.4\nnorms = \"lucene\"\n\n\
         [[ranker]]\nname = \"qld\"\nmodel = \"ql\"\nsmoothing = \"dirichlet\"\nmu = 1000\n\n\
         [[ranker]]\nname = \"bm25-rm3\"\nmodel = \"rm3\"\nfirst_stage = \"bm25\"\n\n\
         [[ranker]]\nname = \"qld-rm3\"\nmodel = \"rm3\"\nfirst_stage = \"qld\"\n\n\
         [run]\ndepth = 1000\nties = \"anserini\"\n\n[eval]\nmeasures = [\"map\"]\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cacm.toml");
    std::fs::write(&cfg, config).unwrap();
    irexp()
        .args(["run", "-q"])
        .arg(&cfg)
        .arg("--set")
        .arg(format!(
            "experiment.output={}",
            dir.path().join("runs").display()
        ))
        .assert()
        .success();
    irexp()
        .current_dir(dir.path().join("runs"))
        .arg("compare")
        .arg("--qrels")
        .arg(collections.join("cacm/qrels.cacm.txt"))
        .args(["bm25.run", "qld.run", "bm25-rm3.run", "qld-rm3.run"])
        .args([
            "-m",
            "map",
            "-m",
            "P.30",
            "-m",
            "ndcg_cut.10",
            "--out",
            "compare",
        ])
        .assert()
        .success();
    for name in [
        "compare.txt",
        "compare.md",
        "compare.tex",
        "diff-map.svg",
        "pr.svg",
    ] {
        let ours = std::fs::read_to_string(dir.path().join("runs/compare").join(name)).unwrap();
        let docs = std::fs::read_to_string(common::repo().join("docs/compare").join(name)).unwrap();
        assert!(
            ours == docs,
            "docs/compare/{name} is out of date; regenerate it (docs/compare.md)"
        );
    }
    let md = std::fs::read_to_string(common::repo().join("docs/compare.md")).unwrap();
    let tex = std::fs::read_to_string(common::repo().join("docs/compare/compare.tex")).unwrap();
    assert!(
        md.contains(&tex),
        "docs/compare.md quotes the current LaTeX"
    );
}

/// Compiles `table` (a LaTeX table) in a minimal document with pdflatex; `None` (after a
/// printed SKIP) when pdflatex is not installed.
fn pdflatex(table: &str) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("table.tex"), table).unwrap();
    std::fs::write(
        dir.path().join("doc.tex"),
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{table.tex}\n\\end{document}\n",
    )
    .unwrap();
    match std::process::Command::new("pdflatex")
        .current_dir(dir.path())
        .args(["-interaction=nonstopmode", "-halt-on-error", "doc.tex"])
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "pdflatex failed:\n{}\n{table}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert!(dir.path().join("doc.pdf").is_file());
            Some(out)
        }
        Err(e) => {
            eprintln!("SKIP latex compilation: pdflatex is not available ({e})");
            None
        }
    }
}

#[test]
fn the_latex_tables_compile_when_pdflatex_is_installed() {
    let docs = std::fs::read_to_string(common::repo().join("docs/compare/compare.tex")).unwrap();
    pdflatex(&docs);
    // Names with LaTeX's special characters, and every caption variant.
    let f = Fixture::new();
    std::fs::rename(f.path("better.run"), f.path("bm25+rm3_&%#.run")).unwrap();
    for args in [
        ["--test", "wilcoxon", "--correction", "bh"],
        ["--test", "tukey", "--correction", "none"],
        ["--test", "t", "--correction", "bonferroni"],
        ["--test", "randomization", "--missing", "zero"],
    ] {
        let latex = irexp()
            .current_dir(f.path(""))
            .args([
                "compare",
                "--qrels",
                "qrels.txt",
                "base.run",
                "bm25+rm3_&%#.run",
            ])
            .args(["other.run", "--format", "latex"])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let latex = String::from_utf8(latex).unwrap();
        assert!(latex.contains("bm25+rm3\\_\\&\\%\\#"), "{latex}");
        pdflatex(&latex);
    }
}

#[test]
fn the_baseline_can_be_named_first_with_the_systems_after_it() {
    let f = Fixture::new();
    let stdout = |args: &[&str]| {
        String::from_utf8(f.compare(args).success().get_output().stdout.clone()).unwrap()
    };
    let positional = stdout(&[
        "--qrels",
        "qrels.txt",
        "base.run",
        "better.run",
        "other.run",
        "--format",
        "csv",
    ]);
    let named = stdout(&[
        "--qrels",
        "qrels.txt",
        "--baseline",
        "base.run",
        "better.run",
        "other.run",
        "--format",
        "csv",
    ]);
    assert!(positional.contains("better"), "{positional}");
    assert_eq!(positional, named);
    // One system after the baseline is enough.
    let one = stdout(&[
        "--qrels",
        "qrels.txt",
        "--baseline",
        "base.run",
        "better.run",
        "--format",
        "csv",
    ]);
    assert!(one.contains("better") && !one.contains("other"), "{one}");
    // A baseline named among the runs stays where it is.
    let among = stdout(&[
        "--qrels",
        "qrels.txt",
        "better.run",
        "base.run",
        "other.run",
        "--baseline",
        "base",
        "--format",
        "csv",
    ]);
    assert!(
        among.contains("better") && among.contains("other"),
        "{among}"
    );
    // One run and no baseline file is not a comparison.
    f.fails_with(
        &["--qrels", "qrels.txt", "better.run"],
        &["at least two runs"],
    );
    f.fails_with(
        &[
            "--qrels",
            "qrels.txt",
            "--baseline",
            "missing.run",
            "better.run",
        ],
        &["at least two runs", "--baseline missing.run is not a file"],
    );
}

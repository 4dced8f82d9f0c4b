//! `irexp eval`: flags, formats, and trec_eval's exit code for each error class, with a
//! message that names the file and line.

use std::path::PathBuf;

use crate::common::irexp;
use predicates::prelude::*;

const QRELS: &str = "1 0 a 1\n1 0 b 0\n1 0 c 2\n2 0 a 1\n2 0 d 0\n";
const RUN: &str = "1 Q0 a 1 3 r1\n1 Q0 b 2 2 r1\n1 Q0 c 3 1 r1\n2 Q0 d 1 2 r1\n2 Q0 a 2 1 r1\n";

/// Files in a temporary folder.
struct Files(tempfile::TempDir);

impl Files {
    fn new(files: &[(&str, &str)]) -> Files {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        Files(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    fn eval(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        irexp()
            .current_dir(self.0.path())
            .arg("eval")
            .args(args)
            .assert()
    }
}

fn ok_files() -> Files {
    Files::new(&[("qrels.txt", QRELS), ("run.txt", RUN), ("run2.txt", RUN)])
}

#[test]
fn default_output_is_official_with_runid() {
    let f = ok_files();
    let out = f.eval(&["qrels.txt", "run.txt"]).code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("runid                 \tall\tr1\nnum_q                 \tall\t2\n"));
    assert_eq!(text.lines().count(), 30);
}

#[test]
fn runid_is_printed_only_when_selected() {
    let f = ok_files();
    f.eval(&["-m", "map", "qrels.txt", "run.txt"])
        .code(0)
        .stdout("map                   \tall\t0.6667\n");
    f.eval(&["-m", "map", "-m", "runid", "qrels.txt", "run.txt"])
        .code(0)
        .stdout("runid                 \tall\tr1\nmap                   \tall\t0.6667\n");
}

#[test]
fn n_suppresses_the_summary() {
    let f = ok_files();
    f.eval(&["-n", "qrels.txt", "run.txt"]).code(0).stdout("");
    f.eval(&["-n", "-q", "-m", "P.1", "qrels.txt", "run.txt"])
        .code(0)
        .stdout("P_1                   \t1\t1.0000\nP_1                   \t2\t0.0000\n");
}

#[test]
fn ir_measures_names_are_accepted() {
    let f = ok_files();
    f.eval(&[
        "-m",
        "P(rel=2)@1",
        "-m",
        "Judged@10",
        "-m",
        "nDCG@2",
        "qrels.txt",
        "run.txt",
    ])
    .code(0)
    .stdout(predicate::str::contains(
        "P(rel=2)@1            \tall\t0.0000",
    ))
    .stdout(predicate::str::contains(
        "judged_10             \tall\t0.2500",
    ))
    .stdout(predicate::str::contains("ndcg_cut_2"));
}

#[test]
fn several_runs_are_side_by_side() {
    let f = ok_files();
    f.eval(&["-m", "map", "-m", "P.1", "qrels.txt", "run.txt", "run2.txt"])
        .code(0)
        .stdout(
            "measure               \tqid\trun.txt\trun2.txt\n\
             map                   \tall\t0.6667\t0.6667\n\
             P_1                   \tall\t0.5000\t0.5000\n",
        );
}

#[test]
fn json_and_csv_carry_per_topic_values() {
    let f = ok_files();
    let out = f
        .eval(&[
            "-q",
            "-m",
            "map",
            "--format",
            "json",
            "qrels.txt",
            "run.txt",
        ])
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v[0]["file"], "run.txt");
    assert_eq!(v[0]["runid"], "r1");
    assert_eq!(v[0]["per_topic"][1]["qid"], "2");
    assert_eq!(v[0]["per_topic"][1]["map"], 0.5);
    f.eval(&["-q", "-m", "map", "--format", "csv", "qrels.txt", "run.txt"])
        .code(0)
        .stdout(
            "file,runid,qid,measure,value\n\
             run.txt,r1,1,map,0.8333333333333333\n\
             run.txt,r1,2,map,0.5\n\
             run.txt,r1,all,map,0.6666666666666666\n",
        );
}

#[test]
fn malformed_qrels_line_exits_2_naming_file_line_and_field() {
    let f = Files::new(&[("q.txt", "1 0 a 1\n1 0 b\n"), ("run.txt", RUN)]);
    f.eval(&["q.txt", "run.txt"])
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("q.txt:2:"))
        .stderr(predicate::str::contains("expected 4 fields"));
    let f = Files::new(&[("q.txt", "1 0 a x\n"), ("run.txt", RUN)]);
    f.eval(&["q.txt", "run.txt"])
        .code(2)
        .stderr(predicate::str::contains("q.txt:1:"))
        .stderr(predicate::str::contains("field 4 (rel)"));
}

#[test]
fn malformed_run_line_exits_2_naming_file_line_and_field() {
    let f = Files::new(&[
        ("qrels.txt", QRELS),
        ("r.txt", "1 Q0 a 1 3 t\n1 Q0 b 2 2\n"),
    ]);
    f.eval(&["qrels.txt", "r.txt"])
        .code(2)
        .stderr(predicate::str::contains("r.txt:2:"))
        .stderr(predicate::str::contains("expected 6 fields"));
    let f = Files::new(&[
        ("qrels.txt", QRELS),
        ("r.txt", "1 Q0 a 1 3 t\n1 Q0 b 2 high t\n"),
    ]);
    f.eval(&["qrels.txt", "r.txt"])
        .code(2)
        .stderr(predicate::str::contains("r.txt:2:"))
        .stderr(predicate::str::contains("field 5 (score)"));
    let f = Files::new(&[("qrels.txt", QRELS), ("r.txt", "")]);
    f.eval(&["qrels.txt", "r.txt"])
        .code(2)
        .stderr(predicate::str::contains("r.txt"));
}

#[test]
fn duplicate_document_exits_4_naming_both_lines() {
    let f = Files::new(&[
        ("qrels.txt", QRELS),
        ("r.txt", "1 Q0 a 1 3 t\n1 Q0 b 2 2 t\n1 Q0 a 3 1 t\n"),
    ]);
    f.eval(&["qrels.txt", "r.txt"])
        .code(4)
        .stderr(predicate::str::contains("r.txt:3:"))
        .stderr(predicate::str::contains("first at line 1"))
        .stderr(predicate::str::contains("duplicate docs"));
    // Only topics that are evaluated are checked, as in trec_eval.
    let f = Files::new(&[
        ("qrels.txt", QRELS),
        ("r.txt", "1 Q0 a 1 3 t\n9 Q0 x 1 2 t\n9 Q0 x 2 1 t\n"),
    ]);
    f.eval(&["qrels.txt", "r.txt"]).code(0);
}

#[test]
fn duplicate_judgment_exits_4_naming_the_line() {
    let f = Files::new(&[("q.txt", "1 0 a 1\n1 0 a 0\n"), ("run.txt", RUN)]);
    f.eval(&["q.txt", "run.txt"])
        .code(4)
        .stderr(predicate::str::contains("q.txt:2:"))
        .stderr(predicate::str::contains("first at line 1"));
}

#[test]
fn no_overlapping_topic_exits_7() {
    let f = Files::new(&[("qrels.txt", QRELS), ("r.txt", "5 Q0 a 1 3 t\n")]);
    f.eval(&["qrels.txt", "r.txt"])
        .code(7)
        .stderr(predicate::str::contains("r.txt"))
        .stderr(predicate::str::contains("no topic has both"));
}

#[test]
fn illegal_measure_exits_1() {
    let f = ok_files();
    f.eval(&["-m", "mapp", "qrels.txt", "run.txt"])
        .code(1)
        .stderr(predicate::str::contains("unknown measure `mapp`"));
    f.eval(&["-m", "ndcg_p", "qrels.txt", "run.txt"]).code(1);
}

#[test]
fn bad_cutoffs_exit_2() {
    let f = ok_files();
    for bad in [
        "P.5,5",
        "P.0",
        "P.-3",
        "ndcg_cut.x",
        "iprec_at_recall.0.5,.5",
    ] {
        f.eval(&["-m", bad, "qrels.txt", "run.txt"])
            .code(2)
            .stderr(predicate::str::contains("bad parameter"));
    }
    // atol semantics: 23.4 is 23.
    f.eval(&["-m", "P.23.4", "qrels.txt", "run.txt"])
        .code(0)
        .stdout("P_23                  \tall\t0.0652\n");
}

#[test]
fn wrong_utility_parameter_count_exits_4() {
    let f = ok_files();
    f.eval(&["-m", "utility.1,2", "qrels.txt", "run.txt"])
        .code(4)
        .stderr(predicate::str::contains("expected 4 parameters"));
}

#[test]
fn default_formats_and_obsolete_o_are_accepted() {
    let f = ok_files();
    f.eval(&[
        "-R",
        "qrels",
        "-T",
        "trec_results",
        "-o",
        "-m",
        "map",
        "qrels.txt",
        "run.txt",
    ])
    .code(0)
    .stdout("map                   \tall\t0.6667\n");
    f.eval(&["-R", "prefs", "qrels.txt", "run.txt"]).code(1);
}

#[test]
fn usage_errors_exit_1_and_missing_files_2() {
    let f = ok_files();
    f.eval(&["qrels.txt"]).code(1);
    f.eval(&["qrels.txt", "nope.txt"])
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));
    assert!(f.path("qrels.txt").exists());
}

#[test]
fn compat_10_sorts_by_double_score() {
    // 0.123456789 and 0.123456788 are equal as float32: 9.0.8 ranks b (docno) above a.
    let f = Files::new(&[
        ("q.txt", "1 0 a 1\n1 0 b 0\n"),
        ("r.txt", "1 Q0 a 1 0.123456789 t\n1 Q0 b 2 0.123456788 t\n"),
    ]);
    f.eval(&["-m", "P.1", "q.txt", "r.txt"])
        .code(0)
        .stdout("P_1                   \tall\t0.0000\n");
    f.eval(&["--compat", "10.0", "-m", "P.1", "q.txt", "r.txt"])
        .code(0)
        .stdout("P_1                   \tall\t1.0000\n");
}

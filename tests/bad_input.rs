//! Bad input, end to end: each case exits with code 2, names the file and the line (or byte
//! offset, or archive member) and what was expected, and leaves no output behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::irexp;
use predicates::prelude::*;

struct Case {
    dir: tempfile::TempDir,
}

const TOPICS: &str = "1\tflood defences\n";
const QRELS: &str = "1 0 A-1 1\n";

impl Case {
    /// An experiment whose corpus has `format` and lives at `corpus` (relative).
    fn new(format: &str, corpus: &str) -> Case {
        let c = Case {
            dir: tempfile::tempdir().unwrap(),
        };
        c.write("topics.tsv", TOPICS.as_bytes());
        c.write("qrels.txt", QRELS.as_bytes());
        c.write(
            "exp.toml",
            format!(
                "[experiment]\nname = \"t\"\noutput = \"out\"\n\n[corpus]\nformat = \"{format}\"\npath = \"{corpus}\"\n\n[topics]\nformat = \"tsv\"\npath = \"topics.tsv\"\n\n[qrels]\npath = \"qrels.txt\"\n\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n"
            )
            .as_bytes(),
        );
        c
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// Runs; expects exit code 2, every needle in stderr, and no output folder at all.
    fn fails_with(&self, needles: &[&str]) {
        let mut assert = irexp()
            .arg("run")
            .arg(self.path("exp.toml"))
            .assert()
            .code(2);
        for n in needles {
            assert = assert.stderr(predicate::str::contains(*n));
        }
        assert!(
            !self.path("out").exists(),
            "output was written despite the error: {:?}",
            walk(&self.path("out"))
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn trec_docs(n: usize) -> String {
    (0..n)
        .map(|i| format!("<DOC>\n<DOCNO> A-{i} </DOCNO>\n<TEXT>\nriver flood defences number {i}\n</TEXT>\n</DOC>\n"))
        .collect()
}

#[test]
fn a_truncated_gzip_file_names_the_file_and_the_line_reached() {
    let c = Case::new("trec", "corpus");
    let gz = gzip(trec_docs(3000).as_bytes());
    c.write("corpus/a.trec.gz", &gz[..gz.len() / 2]);
    c.fails_with(&["corpus/a.trec.gz:", "truncated", "expected a complete"]);
}

#[test]
fn a_tar_member_that_is_not_html_names_archive_member_and_offset() {
    let c = Case::new("html", "pages.tar");
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in [
        ("A-1.html", &b"<p>river flood</p>"[..]),
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0"),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        builder.append_data(&mut h, name, data).unwrap();
    }
    c.write("pages.tar", &builder.into_inner().unwrap());
    c.fails_with(&[
        "pages.tar(logo.png)",
        "byte offset 8",
        "expected an HTML or text document",
    ]);
}

#[test]
fn a_jsonl_line_that_is_not_json_names_line_and_column() {
    let c = Case::new("jsonl", "c.jsonl");
    c.write(
        "c.jsonl",
        b"{\"id\": \"A-1\", \"contents\": \"river flood\"}\n{\"id\": \"A-2\", contents: \"x\"}\n",
    );
    c.fails_with(&["c.jsonl:2:", "expected one JSON object per line", "column"]);
}

#[test]
fn a_missing_id_field_names_the_line() {
    let c = Case::new("jsonl", "c.jsonl");
    c.write(
        "c.jsonl",
        b"{\"id\": \"A-1\", \"contents\": \"river flood\"}\n\n{\"title\": \"t\", \"text\": \"x\"}\n",
    );
    c.fails_with(&["c.jsonl:3:", "no \"id\" (or BEIR \"_id\") field"]);
}

#[test]
fn duplicate_ids_across_two_files_name_both_places() {
    let c = Case::new("jsonl", "corpus");
    c.write(
        "corpus/1.jsonl",
        b"{\"id\": \"A-1\", \"contents\": \"river flood\"}\n",
    );
    c.write(
        "corpus/2.jsonl",
        b"{\"id\": \"B-1\", \"contents\": \"x\"}\n{\"id\": \"A-1\", \"contents\": \"again\"}\n",
    );
    c.fails_with(&[
        "corpus/2.jsonl:2:",
        "duplicate document id A-1",
        "corpus/1.jsonl:1",
    ]);
}

#[test]
fn binary_garbage_is_an_error_at_its_first_line() {
    let c = Case::new("trec", "garbage.bin");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    c.write("garbage.bin", &garbage);
    c.fails_with(&["garbage.bin:1:", "expected <DOC>"]);
}

#[test]
fn an_unknown_format_lists_the_known_ones() {
    let c = Case::new("warc", "corpus");
    c.fails_with(&[
        "exp.toml:6:",
        "unknown variant `warc`",
        "`trec`, `trecweb`, `html`, `jsonl`, `tsv`, `smart`",
    ]);
}

#[test]
fn an_unknown_topics_format_lists_the_known_ones() {
    let c = Case::new("trec", "corpus");
    let text = std::fs::read_to_string(c.path("exp.toml"))
        .unwrap()
        .replace("format = \"tsv\"", "format = \"msmarco\"");
    c.write("exp.toml", text.as_bytes());
    c.fails_with(&[
        "unknown variant `msmarco`",
        "`trecxml`, `cacm`, `tsv`, `jsonl`, `smart`",
    ]);
}

#[test]
fn a_50_mb_single_line_document_is_read() {
    // One TSV line of 50 MB with inline markup, read end to end by `corpus show` (which reads
    // every document and analyses only the one it shows). Reading is linear; the timings are
    // in docs/PERFORMANCE.md.
    let c = Case::new("tsv", "c.tsv");
    let mut line = b"A-1\t".to_vec();
    while line.len() < 50 << 20 {
        line.extend_from_slice(b"<b>river</b> ");
    }
    line.extend_from_slice(b"\nA-2\tflood\n");
    c.write("c.tsv", &line);
    irexp()
        .args(["corpus", "show"])
        .arg(c.path("exp.toml"))
        .arg("A-2")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "--- tokens (1, analyzer anserini)\nflood\n",
        ));
}

#[test]
fn topics_that_do_not_match_the_qrels_are_a_warning_with_counts() {
    let c = Case::new("trec", "corpus");
    c.write("corpus/a.trec", trec_docs(3).as_bytes());
    c.write("topics.tsv", b"1\tflood\n2\triver\n3\tdefences\n");
    c.write("qrels.txt", b"1 0 A-1 1\n9 0 A-2 1\n");
    irexp()
        .arg("run")
        .arg(c.path("exp.toml"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: topics and qrels differ: 2 topics have no judgments and are not evaluated (2 3); 1 judged topics are not in the topics file and are left out of the averages (eval.complete = false) (9)",
        ));
    let text = std::fs::read_to_string(c.path("exp.toml"))
        .unwrap()
        .replace("[qrels]", "[eval]\ncomplete = true\n\n[qrels]");
    c.write("exp.toml", text.as_bytes());
    irexp()
        .arg("run")
        .arg(c.path("exp.toml"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "score 0 in the averages (eval.complete = true, trec_eval -c)",
        ));
}

#[test]
fn corpus_show_prints_text_and_tokens_and_names_a_missing_id() {
    let c = Case::new("trec", "corpus");
    c.write("corpus/a.trec", b"<DOC>\n<DOCNO> A-1 </DOCNO>\n<TEXT>\nThe <b>Rivers</b>' flood&amp;defences\n</TEXT>\n</DOC>\n");
    irexp()
        .args(["corpus", "show"])
        .arg(c.path("exp.toml"))
        .arg("A-1")
        .assert()
        .success()
        .stdout(predicate::str::contains("The Rivers' flood&defences"))
        .stdout(predicate::str::contains(
            "--- tokens (3, analyzer anserini)\nriver flood defenc\n",
        ));
    irexp()
        .args(["corpus", "show"])
        .arg(c.path("exp.toml"))
        .arg("A-9")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no document has the id \"A-9\""));
}

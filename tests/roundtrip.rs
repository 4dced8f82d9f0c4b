//! Property tests: for every reader, what a writer of that format writes reads back the same
//! (ids, text, queries, judgments); and no reader panics on arbitrary bytes.

use std::io::Write;
use std::path::Path;

use irexp::corpus::{Content, CorpusSpec, EmptyDocuments, Format};
use irexp::qrels::{Qrels, QrelsFormat};
use irexp::topics::{self, Numbering, TopicsFormat};
use proptest::prelude::*;

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-zA-Z0-9éßΩ]{1,8}", 1..20)
}

fn docs() -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
    prop::collection::btree_map("[A-Za-z0-9][A-Za-z0-9_.-]{0,10}", words(), 1..8)
        .prop_map(|m| m.into_iter().collect())
}

fn read(format: Format, content: Content, path: &Path) -> irexp::Result<Vec<(String, String)>> {
    let spec = CorpusSpec {
        format,
        path: path.to_path_buf(),
        content,
        skip_malformed: false,
        empty_documents: EmptyDocuments::Index,
    };
    let mut out = Vec::new();
    spec.for_each_document(|d| {
        out.push((d.docno, d.text));
        Ok(())
    })?;
    Ok(out)
}

fn normalized(docs: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    docs.iter()
        .map(|(id, t)| {
            (
                id.clone(),
                t.split_whitespace().map(str::to_string).collect(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn trec_round_trip(docs in docs(), gz in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for (id, w) in &docs {
            text.push_str(&format!("<DOC>\n<DOCNO> {id} </DOCNO>\n<TEXT>\n{}\n</TEXT>\n</DOC>\n", w.join(" ")));
        }
        let path = dir.path().join("c.trec");
        let bytes = if gz {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            e.finish().unwrap()
        } else {
            text.into_bytes()
        };
        std::fs::write(&path, bytes).unwrap();
        for content in [Content::AnseriniTags, Content::All] {
            let got = read(Format::Trec, content, &path).unwrap();
            prop_assert_eq!(normalized(&got), docs.clone());
        }
    }

    #[test]
    fn trecweb_round_trip(docs in docs()) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for (id, w) in &docs {
            text.push_str(&format!("<DOC>\n<DOCNO>{id}</DOCNO>\n<DOCHDR>\nhttp://x/{id}\n</DOCHDR>\n<html><body><p>{}</p></body></html>\n</DOC>\n", w.join(" ")));
        }
        let path = dir.path().join("c.web");
        std::fs::write(&path, text).unwrap();
        let got = read(Format::Trecweb, Content::All, &path).unwrap();
        prop_assert_eq!(normalized(&got), docs);
    }

    #[test]
    fn html_tar_round_trip(docs in docs(), gz in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = tar::Builder::new(Vec::new());
        for (id, w) in &docs {
            let page = format!("<html><pre>\n{}\n</pre></html>", w.join(" "));
            let mut h = tar::Header::new_gnu();
            h.set_size(page.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            builder.append_data(&mut h, format!("d/{id}.html"), page.as_bytes()).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let bytes = if gz {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&tar).unwrap();
            e.finish().unwrap()
        } else {
            tar
        };
        let path = dir.path().join("pages.tar.gz");
        std::fs::write(&path, bytes).unwrap();
        let got = read(Format::Html, Content::All, &path).unwrap();
        // Ids drop the last extension: "a.b" is written as "a.b.html" and read as "a.b".
        prop_assert_eq!(normalized(&got), docs);
    }

    #[test]
    fn jsonl_round_trip(docs in prop::collection::btree_map("[A-Za-z0-9_-]{1,10}", (".*", ".*"), 1..8), beir in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for (id, (title, body)) in &docs {
            let obj = if beir {
                serde_json::json!({"_id": id, "title": title, "text": body, "metadata": {}})
            } else {
                serde_json::json!({"id": id, "contents": format!("{title}\n{body}")})
            };
            text.push_str(&obj.to_string());
            text.push('\n');
        }
        let path = dir.path().join("c.jsonl");
        std::fs::write(&path, text).unwrap();
        let got = read(Format::Jsonl, Content::Auto, &path).unwrap();
        let want: Vec<(String, String)> = docs.iter().map(|(id, (t, b))| (id.clone(), format!("{t}\n{b}"))).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn tsv_round_trip(docs in prop::collection::btree_map("[A-Za-z0-9_-]{1,10}", "[^\t\r\n]*", 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let text: String = docs.iter().map(|(id, t)| format!("{id}\t{t}\r\n")).collect();
        let path = dir.path().join("c.tsv");
        std::fs::write(&path, text).unwrap();
        let got = read(Format::Tsv, Content::All, &path).unwrap();
        let want: Vec<(String, String)> = docs.into_iter().collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn smart_round_trip(docs in prop::collection::btree_map("[0-9]{1,5}", (words(), words()), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for (id, (t, w)) in &docs {
            text.push_str(&format!(".I {id}\n.T\n{}\n.A\nSomeone, A.\n.W\n{}\n", t.join(" "), w.join("\n")));
        }
        let path = dir.path().join("c.all");
        std::fs::write(&path, text).unwrap();
        let got = read(Format::Smart, Content::Names(vec!["T".into(), "W".into()]), &path).unwrap();
        let want: Vec<(String, Vec<String>)> = docs.iter().map(|(id, (t, w))| (id.clone(), t.iter().chain(w).cloned().collect())).collect();
        prop_assert_eq!(normalized(&got), want);
    }

    #[test]
    // Ids without leading zeros: TREC topic numbers lose them, as in Anserini.
    fn topics_round_trip(topics in prop::collection::btree_map("[1-9][0-9]{0,3}", words(), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let want: Vec<(String, String)> = topics.iter().map(|(q, w)| (q.clone(), w.join(" "))).collect();
        let write = |name: &str, text: String| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let cases = [
            (TopicsFormat::Trec, write("t.trec", topics.iter().map(|(q, w)| format!("<top>\n<num> Number: {q}\n<title> {}\n<desc> Description:\nx\n</top>\n", w.join(" "))).collect())),
            (TopicsFormat::Trecxml, write("t.xml", format!("<topics>\n{}</topics>\n", topics.iter().map(|(q, w)| format!("<topic number=\"{q}\"><title>{}</title></topic>\n", w.join(" "))).collect::<String>()))),
            (TopicsFormat::Cacm, write("t.cacm", topics.iter().map(|(q, w)| format!("<DOC>\n<DOCNO> {q} </DOCNO>\n{}\n</DOC>\n", w.join("\n"))).collect())),
            (TopicsFormat::Tsv, write("t.tsv", topics.iter().map(|(q, w)| format!("{q}\t{}\n", w.join(" "))).collect())),
            (TopicsFormat::Jsonl, write("t.jsonl", topics.iter().map(|(q, w)| format!("{}\n", serde_json::json!({"_id": q, "text": w.join(" ")}))).collect())),
            (TopicsFormat::Singleline, write("t.single", topics.iter().map(|(q, w)| format!("{q} {}\n", w.join(" "))).collect())),
            (TopicsFormat::Smart, write("t.qry", topics.iter().map(|(q, w)| format!(".I {q}\n.W\n{}\n", w.join("\n"))).collect())),
        ];
        for (format, path) in cases {
            let got: Vec<(String, String)> = topics::read(&path, format, Numbering::Id)
                .unwrap()
                .into_iter()
                .map(|t| (t.qid, t.title))
                .collect();
            prop_assert_eq!(&got, &want, "{:?}", format);
        }
    }

    #[test]
    fn qrels_round_trip(judgments in prop::collection::btree_map(("[0-9]{1,3}", "[A-Za-z0-9-]{1,8}"), -2i64..5, 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let trec: String = judgments.iter().map(|((q, d), r)| format!("{q} 0 {d} {r}\n")).collect();
        let beir: String = std::iter::once("query-id\tcorpus-id\tscore\n".to_string())
            .chain(judgments.iter().map(|((q, d), r)| format!("{q}\t{d}\t{r}\n")))
            .collect();
        for (name, text, format) in [("q.trec", trec, QrelsFormat::Trec), ("q.tsv", beir, QrelsFormat::Beir)] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let q = Qrels::read_format(&path, format).unwrap();
            for ((qid, d), r) in &judgments {
                prop_assert_eq!(q.topic(qid).and_then(|t| t.get(d)), Some(*r));
            }
        }
    }

    /// Arbitrary bytes: every reader returns documents or an error, never panics.
    #[test]
    fn no_reader_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000), prefix in prop::sample::select(vec!["", "<DOC>\n<DOCNO>a</DOCNO>\n<TEXT>", "{\"id\": \"a\", \"contents\": \"", ".I 1\n.W\n", "<DOC id=\"x\">\n<DOCHDR>", "<topics><topic number=\"1\">"]) ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut data = prefix.as_bytes().to_vec();
        data.extend_from_slice(&bytes);
        std::fs::write(&path, &data).unwrap();
        for format in [Format::Trec, Format::Trecweb, Format::Html, Format::Jsonl, Format::Tsv, Format::Smart] {
            let _ = read(format, format.default_content(), &path);
        }
        for format in [TopicsFormat::Trec, TopicsFormat::Trecxml, TopicsFormat::Cacm, TopicsFormat::Tsv, TopicsFormat::Jsonl, TopicsFormat::Singleline, TopicsFormat::Smart] {
            let _ = topics::read(&path, format, Numbering::Position);
        }
        for format in [QrelsFormat::Trec, QrelsFormat::Beir] {
            let _ = Qrels::read_format(&path, format);
        }
    }
}

//! Every file in `${IREXP_COLLECTIONS}/trec-sgml-samples` either parses or gets a deliberate
//! error; docs/formats.md has the same table. Also the seed document with its encoding damage.

use crate::common;

use std::path::{Path, PathBuf};

use irexp::corpus::{Content, CorpusSpec, EmptyDocuments, Format};
use irexp::qrels::{Qrels, QrelsFormat};
use irexp::topics::{self, Numbering, TopicsFormat};

fn spec(format: Format, path: PathBuf) -> CorpusSpec {
    CorpusSpec {
        format,
        content: format.default_content(),
        path,
        skip_malformed: false,
        empty_documents: EmptyDocuments::Index,
    }
}

/// The document ids, and the read statistics, of a corpus.
fn docs(spec: &CorpusSpec) -> irexp::Result<(Vec<String>, irexp::corpus::ReadStats)> {
    let mut ids = Vec::new();
    let stats = spec.for_each_document(|d| {
        ids.push(d.docno);
        Ok(())
    })?;
    Ok((ids, stats))
}

fn error_of(spec: &CorpusSpec) -> String {
    match docs(spec) {
        Ok((ids, _)) => panic!("{} read without an error: {ids:?}", spec.path.display()),
        Err(e) => e.to_string(),
    }
}

fn topic_ids(path: &Path, format: TopicsFormat) -> Vec<String> {
    topics::read(path, format, Numbering::Id)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|t| t.qid)
        .collect()
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn every_sample_file_parses_or_gets_a_deliberate_error() {
    let collections = common::collections();
    let s = collections.join("trec-sgml-samples");
    let a = s.join("anserini/sample_docs");

    // Anserini's own samples, read as Anserini reads them.
    let (ids, _) = docs(&spec(Format::Html, a.join("cacm/cacm.tar.gz"))).unwrap();
    assert_eq!(ids, ["CACM-0001", "CACM-0002", "CACM-0003", "CACM-0004"]);
    let (ids, _) = docs(&spec(Format::Trec, a.join("clean_trec/collection1"))).unwrap();
    assert_eq!(ids, ["doc1", "doc2"]);
    let (ids, _) = docs(&spec(Format::Trec, a.join("trec/collection1"))).unwrap();
    assert_eq!(ids, ["AP-0001", "doc2"]);
    for c in ["collection2", "collection3"] {
        let (ids, _) = docs(&spec(Format::Trec, a.join("trec").join(c).join("trec1"))).unwrap();
        assert_eq!(ids.len(), 2, "{c}");
        let (ids, _) = docs(&spec(Format::Trec, a.join("trec").join(c).join("trec2"))).unwrap();
        assert_eq!(ids, ["WSJ_1"]);
    }
    // collection2 also holds two word lists, which are not TREC files: a deliberate error
    // (Anserini reads them silently as files without documents).
    for f in ["stopwords.txt", "whitelist.txt"] {
        let msg = error_of(&spec(Format::Trec, a.join("trec/collection2").join(f)));
        assert!(msg.contains(&format!("{f}:1: expected <DOC>")), "{msg}");
    }
    // TREC Web: the broken record (no DOCNO) is an error naming its line, or, with
    // skip_malformed, skipped and counted, leaving WEB-0001 and WEB-0003 as in Anserini.
    let mut web = spec(Format::Trecweb, a.join("trecweb/collection1"));
    let msg = error_of(&web);
    assert!(msg.contains("segment1.txt:10: expected <DOCNO>"), "{msg}");
    web.skip_malformed = true;
    let (ids, stats) = docs(&web).unwrap();
    assert_eq!(ids, ["WEB-0001", "WEB-0003"]);
    assert_eq!(stats.skipped_documents, 1);

    // Terrier's Shakespeare: 14 + 8 documents. Anserini's tags are upper case, so with the
    // default content every document is empty (Anserini indexes none of them); the lower-case
    // <title> can be chosen, or everything.
    let shk = s.join("terrier/shakespeare/shakespeare-merchant.trec.*");
    let mut sp = spec(Format::Trec, shk.clone());
    let (ids, stats) = docs(&sp).unwrap();
    assert_eq!((ids.len(), stats.empty_documents), (22, 22));
    assert_eq!(
        stats
            .per_file
            .iter()
            .map(|f| f.documents)
            .collect::<Vec<_>>(),
        [14, 8]
    );
    sp.empty_documents = EmptyDocuments::Skip;
    let msg = error_of(&sp);
    assert!(msg.contains("no documents"), "{msg}");
    sp.content = Content::All;
    let (ids, stats) = docs(&sp).unwrap();
    assert_eq!((ids.len(), stats.skipped_empty_documents), (21, 1));
    assert!(!ids.contains(&"SHK-MOV-interval".to_string()));

    // Terrier's compression fixtures: one document each, whatever the compression.
    for f in [
        "helloworld.txt",
        "helloworld.txt.gz",
        "helloworld.txt.bz2",
        "helloworld.txt.bgz",
    ] {
        let mut text = String::new();
        spec(Format::Html, s.join("terrier/files").join(f))
            .for_each_document(|d| {
                text = d.text;
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(text.trim(), "hello world", "{f}");
    }

    // Topics. `<num> Number: 001` is topic 1, as Anserini reads it (and as the sample qrels
    // say).
    assert_eq!(
        topic_ids(&s.join("anserini/sample_topics/Trec"), TopicsFormat::Trec),
        ["1"]
    );
    let msg = topics::read(
        &s.join("anserini/sample_topics/topics.sample.cacm.txt"),
        TopicsFormat::Cacm,
        Numbering::Id,
    )
    .unwrap_err()
    .to_string();
    assert!(
        msg.contains("topics.sample.cacm.txt:1: expected <DOC>"),
        "{msg}"
    );
    assert_eq!(
        topic_ids(
            &s.join("anserini/sample_topics/topics.sample.cacm.txt"),
            TopicsFormat::Tsv
        ),
        ["1"]
    );
    let ids = topic_ids(&s.join("pyterrier/topics.51-100.gz"), TopicsFormat::Trec);
    assert_eq!(
        (ids.len(), ids[0].as_str(), ids[49].as_str()),
        (50, "51", "100")
    );
    assert_eq!(
        topic_ids(&s.join("pyterrier/topics.trec"), TopicsFormat::Trec),
        ["1", "2", "3"]
    );
    assert_eq!(
        topic_ids(&s.join("pyterrier/topics.trecxml"), TopicsFormat::Trecxml),
        ["1", "2", "3"]
    );
    assert_eq!(
        topic_ids(
            &s.join("pyterrier/singleline.topics"),
            TopicsFormat::Singleline
        ),
        ["1", "2"]
    );
    let shk_topics: usize = [
        ("basic", 7),
        ("disjunctive", 2),
        ("field", 3),
        ("phrase-fields", 2),
        ("phrase", 2),
    ]
    .iter()
    .map(|(name, n)| {
        let path = s.join(format!(
            "terrier/shakespeare/test.shakespeare-merchant.{name}.topics"
        ));
        let got = topic_ids(&path, TopicsFormat::Singleline).len();
        assert_eq!(got, *n, "{name}");
        got
    })
    .sum();
    assert_eq!(shk_topics, 16);

    // Qrels.
    let q = Qrels::read_format(&s.join("anserini/sample_qrels/Trec"), QrelsFormat::Trec).unwrap();
    assert_eq!(q.num_topics(), 1);
    // Topics 1, 2, 3 and "003": ids are strings, as in trec_eval.
    let q = Qrels::read_format(&s.join("pyterrier/qrels"), QrelsFormat::Trec).unwrap();
    assert_eq!(q.num_topics(), 4);
    let q = Qrels::read_format(
        &s.join("terrier/shakespeare/test.shakespeare-merchant.all.qrels"),
        QrelsFormat::Trec,
    )
    .unwrap();
    assert_eq!(
        (
            q.num_topics(),
            q.topics().map(|(_, t)| t.len()).sum::<usize>()
        ),
        (16, 51)
    );
}

/// The seed document has real-world encoding damage: `Â` followed by a no-break space, a
/// UTF-8 no-break space read once as Latin-1 and re-encoded. It is valid UTF-8, so it is read
/// as it is (no Windows-1252 fallback) and `to.Â` is one token, as in Anserini 1.7.1.
#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn the_seed_document_loads_and_shows_what_is_indexed() {
    let collections = common::collections();
    let seed = spec(Format::Trec, collections.join("seed"));
    let mut doc = None;
    let stats = seed
        .for_each_document(|d| {
            doc = Some(d);
            Ok(())
        })
        .unwrap();
    let doc = doc.unwrap();
    assert_eq!(doc.docno, "CB091323-0002");
    assert_eq!(stats.decoded_as_cp1252, 0);
    assert!(
        doc.text
            .contains("attention to.\u{c2}\u{a0}We're discussing"),
        "{}",
        doc.text
    );
    let analyzer = irexp::analysis::Analyzer::anserini();
    let tokens = analyzer.analyze(&doc.text);
    assert!(tokens.contains(&"to.\u{e2}".to_string()), "{tokens:?}");
    // Anserini 1.7.1 indexes 578 tokens for this document (its document vector), and so do we.
    assert_eq!(tokens.len(), 578);
    assert_eq!(tokens.iter().filter(|t| *t == "kim").count(), 16);
}

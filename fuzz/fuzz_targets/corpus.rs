//! Every corpus reader on the same bytes: the first byte picks the format, the rest is the
//! file. A reader may return an error but must not panic, hang or use unbounded memory.
#![no_main]

use irexp::corpus::{Content, CorpusSpec, EmptyDocuments, Format};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const FORMATS: [Format; 6] = [
    Format::Trec,
    Format::Trecweb,
    Format::Html,
    Format::Jsonl,
    Format::Tsv,
    Format::Smart,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[pick as usize % FORMATS.len()];
    let content = match (format, pick / 8 % 3) {
        (Format::Trec, 1) => Content::All,
        (Format::Trec, 2) => Content::Names(vec!["text".into(), "p".into()]),
        (Format::Jsonl, 1) => Content::Flat,
        (f, _) => f.default_content(),
    };
    let spec = CorpusSpec {
        format,
        path: common::scratch(rest),
        content,
        skip_malformed: pick & 0x80 != 0 && matches!(format, Format::Trec | Format::Trecweb),
        empty_documents: EmptyDocuments::Index,
    };
    let _ = spec.for_each_document(|d| {
        assert!(!d.docno.is_empty());
        Ok(())
    });
});

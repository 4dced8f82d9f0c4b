//! Every topics reader: the first byte picks the format and numbering.
#![no_main]

use irexp::topics::{self, Numbering, TopicsFormat};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const FORMATS: [TopicsFormat; 7] = [
    TopicsFormat::Trec,
    TopicsFormat::Trecxml,
    TopicsFormat::Cacm,
    TopicsFormat::Tsv,
    TopicsFormat::Jsonl,
    TopicsFormat::Singleline,
    TopicsFormat::Smart,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[pick as usize % FORMATS.len()];
    let numbering = if pick & 0x80 != 0 {
        Numbering::Position
    } else {
        Numbering::Id
    };
    if let Ok(topics) = topics::read(&common::scratch(rest), format, numbering) {
        for t in topics {
            assert!(!t.qid.is_empty());
        }
    }
});

//! Both qrels readers.
#![no_main]

use irexp::qrels::{Qrels, QrelsFormat};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let format = if pick & 1 == 0 {
        QrelsFormat::Trec
    } else {
        QrelsFormat::Beir
    };
    let _ = Qrels::read_format(&common::scratch(rest), format);
});

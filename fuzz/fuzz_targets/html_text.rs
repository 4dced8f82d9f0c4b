//! The JSoup-like text extraction and entity decoding, on any UTF-8 string (no files).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut out = String::new();
    irexp::corpus::text::html_to_text(text, &mut out);
    // Extraction never makes text out of nothing: every output character comes from the
    // input or from a character reference, so the output is at most a few times longer.
    assert!(out.len() <= text.len() * 4 + 4);
    let mut decoded = String::new();
    irexp::corpus::text::decode_entities(text, &mut decoded);
});

//! Text analysis: from document or query text to index terms.
//!
//! The `anserini` profile reproduces Anserini's default English analyzer (Lucene's
//! `StandardTokenizer` → `EnglishPossessiveFilter` → `LowerCaseFilter` → `StopFilter` with
//! Lucene's 33-word English stop set → `PorterStemFilter`). The same analyzer is used for
//! documents and queries.
//!
//! ```
//! use irexp::analysis::Analyzer;
//! let analyzer = Analyzer::anserini();
//! assert_eq!(analyzer.analyze("The city's flood defences were raised."),
//!            ["citi", "flood", "defenc", "were", "rais"]);
//! ```

pub mod porter;
mod stopwords;
mod tokenizer;

use serde::{Deserialize, Serialize};

pub use stopwords::LUCENE_ENGLISH_STOP_WORDS;
pub use tokenizer::{tokenize, MAX_TOKEN_LENGTH};

/// The analyzer profiles a config can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Anserini's default English analyzer (see the module documentation).
    #[default]
    Anserini,
}

impl Profile {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Anserini => "anserini",
        }
    }
}

/// Turns text into a sequence of index terms.
#[derive(Debug, Clone)]
pub struct Analyzer {
    profile: Profile,
    stop: std::collections::HashSet<&'static str>,
}

impl Analyzer {
    /// The analyzer for `profile`.
    pub fn new(profile: Profile) -> Analyzer {
        match profile {
            Profile::Anserini => Analyzer {
                profile,
                stop: LUCENE_ENGLISH_STOP_WORDS.iter().copied().collect(),
            },
        }
    }

    /// Anserini's default English analyzer.
    pub fn anserini() -> Analyzer {
        Analyzer::new(Profile::Anserini)
    }

    /// The profile this analyzer implements.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Analyzes `text`, calling `emit` with each term in order. Reuses internal buffers, so
    /// analysing a document allocates only for the terms the caller keeps.
    pub fn for_each_term(&self, text: &str, mut emit: impl FnMut(&str)) {
        let mut lower = String::new();
        let mut stemmed = String::new();
        tokenize(text, |token| {
            let token = strip_possessive(token);
            lowercase_into(token, &mut lower);
            if self.stop.contains(lower.as_str()) {
                return;
            }
            porter::stem_into(&lower, &mut stemmed);
            emit(&stemmed);
        });
    }

    /// Analyzes `text` into a vector of terms.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        self.for_each_term(text, |t| terms.push(t.to_string()));
        terms
    }
}

/// Lucene's `EnglishPossessiveFilter`: drops a trailing `'s` (apostrophe U+0027, U+2019 or
/// U+FF07, and `s` or `S`).
fn strip_possessive(token: &str) -> &str {
    let mut chars = token.chars().rev();
    match (chars.next(), chars.next()) {
        (Some('s' | 'S'), Some(q @ ('\'' | '\u{2019}' | '\u{FF07}'))) => {
            &token[..token.len() - 1 - q.len_utf8()]
        }
        _ => token,
    }
}

/// Lucene's `LowerCaseFilter`: Java's per-code-point `Character.toLowerCase`, i.e. the simple
/// (one-to-one) Unicode lowercase mapping.
fn lowercase_into(token: &str, out: &mut String) {
    out.clear();
    if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
        return;
    }
    for c in token.chars() {
        // Rust's `to_lowercase` is the full mapping; it differs from the simple mapping only
        // for U+0130 (capital I with dot), which Java lowercases to a plain `i`.
        if c == '\u{130}' {
            out.push('i');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_are_removed_before_lowercasing() {
        assert_eq!(strip_possessive("Kim's"), "Kim");
        assert_eq!(strip_possessive("KIM'S"), "KIM");
        assert_eq!(strip_possessive("Kim\u{2019}s"), "Kim");
        assert_eq!(strip_possessive("its"), "its");
        assert_eq!(strip_possessive("'s"), "");
    }

    #[test]
    fn stop_words_and_stemming_follow_anserini() {
        let a = Analyzer::anserini();
        assert_eq!(
            a.analyze(
                "MEASUREMENT OF DIELECTRIC CONSTANT OF LIQUIDS BY THE USE OF MICROWAVE TECHNIQUES"
            ),
            ["measur", "dielectr", "constant", "liquid", "us", "microwav", "techniqu"]
        );
    }

    #[test]
    fn lowercasing_uses_the_simple_mapping() {
        let mut out = String::new();
        lowercase_into("İSTANBUL", &mut out);
        assert_eq!(out, "istanbul");
        lowercase_into("ΟΔΟΣ", &mut out);
        assert_eq!(
            out, "οδοσ",
            "no final-sigma rule, as in Java's Character.toLowerCase"
        );
    }
}

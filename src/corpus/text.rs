//! Markup removal and character decoding shared by the corpus readers.

/// Elements whose boundaries separate words in JSoup's `Element.text()` (its block tags,
/// minus those the HTML parser drops when they appear inside a body: `html`, `head`, `body`,
/// and the table parts, which count only inside a `<table>`). Every other element, including
/// unknown ones such as SGML's `<HEADLINE>` or `<TEXT>`, is inline: `x<HEADLINE>y</HEADLINE>z`
/// reads `xyz`, as in Anserini.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "audio",
    "blockquote",
    "br",
    "canvas",
    "center",
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
    "header",
    "hgroup",
    "hr",
    "ins",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "math",
    "menu",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "plaintext",
    "pre",
    "section",
    "svg",
    "table",
    "template",
    "title",
    "ul",
    "video",
];

/// Table parts: block inside a `<table>`, ignored (so inline) outside one.
const TABLE_PARTS: &[&str] = &[
    "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Void elements: no end tag, so no nesting to count.
const VOID_ELEMENTS: &[&str] = &["br", "col", "frame", "hr", "link", "meta"];

/// How the content of an element is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Dropped (`script`, `style`): not text.
    Dropped,
    /// Text with entities decoded, tags literal (`title`, `textarea`).
    Rcdata,
    /// Literal text (`xmp`, `iframe`, `noembed`, `noframes`).
    Rawtext,
}

fn raw_kind(name: &str) -> Option<Raw> {
    match name {
        "script" | "style" => Some(Raw::Dropped),
        "title" | "textarea" => Some(Raw::Rcdata),
        "xmp" | "iframe" | "noembed" | "noframes" => Some(Raw::Rawtext),
        _ => None,
    }
}

fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(|c: char| c.is_whitespace()) {
        out.push(' ');
    }
}

/// Appends the text of an HTML (or SGML) fragment to `out` as JSoup's `Element.text()`
/// extracts it, which is what Anserini indexes (checked against Anserini 1.7.1 on the cases
/// in the tests below):
/// - tags are removed; block elements (`p`, `div`, `br`, `li`, `title`, ...) separate the
///   words on either side, inline and unknown elements join them (`in<i>line</i>` is
///   `inline`); table parts separate only inside a `<table>`;
/// - comments, `<!...>` declarations and `<?...?>` instructions are dropped, and so is the
///   content of `script` and `style`; `<![CDATA[...]]>` is text;
/// - `title` and `textarea` hold text whose tags are literal; `xmp`, `iframe`, `noembed` and
///   `noframes` hold literal text; `plaintext` makes the rest of the input literal text;
/// - character references are decoded as [`decode_entities`] does;
/// - a `<` that does not start a tag is text; a tag left open at the end of the input is
///   dropped with everything after it.
///
/// Runs in time linear in the input.
pub fn html_to_text(html: &str, out: &mut String) {
    let bytes = html.as_bytes();
    let mut open_blocks: std::collections::HashMap<&'static str, u32> = Default::default();
    let mut tables = 0u32;
    let mut text_start = 0;
    let mut i = 0;
    while let Some(rel) = bytes[i..].iter().position(|&b| b == b'<') {
        let open = i + rel;
        let after = &html[open + 1..];
        let next = after.as_bytes().first().copied();
        // Where the markup ends (exclusive), or None when this '<' is text.
        let end: usize;
        if let Some(comment) = after.strip_prefix("!--") {
            decode_entities(&html[text_start..open], out);
            end = comment.find("-->").map_or(html.len(), |e| open + 4 + e + 3);
        } else if let Some(cdata) = after.strip_prefix("![CDATA[") {
            decode_entities(&html[text_start..open], out);
            let stop = cdata.find("]]>").unwrap_or(cdata.len());
            out.push_str(&cdata[..stop]);
            end = (open + 9 + stop + 3).min(html.len());
        } else if next == Some(b'!') || next == Some(b'?') {
            decode_entities(&html[text_start..open], out);
            end = after.find('>').map_or(html.len(), |e| open + 1 + e + 1);
        } else if next == Some(b'/') && after.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic)
        {
            decode_entities(&html[text_start..open], out);
            let Some(close) = after.find('>') else {
                text_start = html.len();
                break;
            };
            let name = tag_name(&after[1..close]);
            end_tag(name.as_str(), &mut open_blocks, &mut tables, out);
            end = open + 1 + close + 1;
        } else if next.is_some_and(|b| b.is_ascii_alphabetic()) {
            decode_entities(&html[text_start..open], out);
            let Some(close) = after.find('>') else {
                text_start = html.len();
                break;
            };
            let name = tag_name(&after[..close]);
            let name = name.as_str();
            let mut stop = open + 1 + close + 1;
            if name == "plaintext" {
                space(out);
                out.push_str(&html[stop..]);
                text_start = html.len();
                break;
            }
            start_tag(name, &mut open_blocks, &mut tables, out);
            let self_closing = after[..close].ends_with('/');
            if let (Some(kind), false) = (raw_kind(name), self_closing) {
                let content_end = find_ascii_ci(&html[stop..], &format!("</{name}"))
                    .map_or(html.len(), |e| stop + e);
                match kind {
                    Raw::Dropped => {}
                    Raw::Rcdata => decode_entities(&html[stop..content_end], out),
                    Raw::Rawtext => out.push_str(&html[stop..content_end]),
                }
                stop = html[content_end..]
                    .find('>')
                    .map_or(html.len(), |g| content_end + g + 1);
                end_tag(name, &mut open_blocks, &mut tables, out);
            }
            end = stop;
        } else {
            i = open + 1;
            continue;
        }
        i = end;
        text_start = end;
    }
    if text_start < html.len() {
        decode_entities(&html[text_start..], out);
    }
}

/// The lower-cased element name at the start of a tag's inside (`DIV class=x` → `div`).
fn tag_name(inside: &str) -> TagName {
    let len = inside
        .bytes()
        .position(|b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
        .unwrap_or(inside.len());
    let mut name = TagName {
        buf: [0; 12],
        len: 0,
    };
    // Every element with a meaning here has a name of at most 12 bytes; a longer one is
    // unknown, so inline, and is left empty.
    if len <= name.buf.len() && inside.is_char_boundary(len) {
        name.buf[..len].copy_from_slice(&inside.as_bytes()[..len]);
        name.buf[..len].make_ascii_lowercase();
        name.len = len;
    }
    name
}

/// A lower-cased element name, without allocating.
struct TagName {
    buf: [u8; 12],
    len: usize,
}

impl TagName {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

fn block_name(name: &str) -> Option<&'static str> {
    BLOCK_ELEMENTS
        .binary_search(&name)
        .ok()
        .map(|i| BLOCK_ELEMENTS[i])
}

fn start_tag(
    name: &str,
    open_blocks: &mut std::collections::HashMap<&'static str, u32>,
    tables: &mut u32,
    out: &mut String,
) {
    if name == "table" {
        *tables += 1;
    }
    if TABLE_PARTS.contains(&name) {
        if *tables > 0 {
            space(out);
        }
        return;
    }
    if let Some(b) = block_name(name) {
        space(out);
        if !VOID_ELEMENTS.contains(&b) {
            *open_blocks.entry(b).or_default() += 1;
        }
    }
}

fn end_tag(
    name: &str,
    open_blocks: &mut std::collections::HashMap<&'static str, u32>,
    tables: &mut u32,
    out: &mut String,
) {
    if TABLE_PARTS.contains(&name) {
        if *tables > 0 {
            space(out);
        }
        return;
    }
    // A stray </p> makes an empty paragraph and </br> is read as <br>: both separate words.
    if name == "p" || name == "br" {
        space(out);
    }
    if let Some(b) = block_name(name) {
        if let Some(n) = open_blocks.get_mut(b).filter(|n| **n > 0) {
            *n -= 1;
            space(out);
            if b == "table" {
                *tables = tables.saturating_sub(1);
            }
        }
    }
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

/// Appends `text` to `out` with character references decoded as JSoup decodes them in text:
/// - the 2,125 HTML5 names with their semicolon (`&eacute;`, `&blank;`, `&AMP;`), and the 106
///   legacy names also without it (`&amp`, `&not`); a name runs over letters then digits, so
///   `&amp123` and `&ampx` stay as they are;
/// - numeric references, decimal or hex, with or without the semicolon; 0x80–0x9F map to
///   Windows-1252, surrogates and values beyond U+10FFFF to U+FFFD;
/// - anything else, such as SGML's `&hyph;`, stays as text.
pub fn decode_entities(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_reference(after) {
            Some((decoded, used)) => {
                match decoded {
                    Decoded::Char(c) => out.push(c),
                    Decoded::Str(s) => out.push_str(s),
                }
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

/// Decodes the reference after an `&`; returns it and the bytes it used.
fn decode_reference(after: &str) -> Option<(Decoded, usize)> {
    let b = after.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let digits_start = if hex { 2 } else { 1 };
        let digits_len = b[digits_start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits_len == 0 {
            return None;
        }
        let digits = &after[digits_start..digits_start + digits_len];
        let value = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut used = digits_start + digits_len;
        if b.get(used) == Some(&b';') {
            used += 1;
        }
        let c = match value {
            0x80..=0x9F => char::from_u32(CP1252_HIGH[(value - 0x80) as usize] as u32),
            v => char::from_u32(v),
        }
        .unwrap_or('\u{fffd}');
        return Some((Decoded::Char(c), used));
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    let len = letters
        + b[letters..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    let name = &after[..len];
    let semicolon = b.get(len) == Some(&b';');
    let replacement = super::entities::lookup(name)?;
    if semicolon {
        Some((Decoded::Str(replacement), len + 1))
    } else if super::entities::is_legacy(name) {
        Some((Decoded::Str(replacement), len))
    } else {
        None
    }
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

    fn html(s: &str) -> String {
        let mut out = String::new();
        html_to_text(s, &mut out);
        out
    }

    fn words(s: &str) -> Vec<String> {
        html(s).split_whitespace().map(str::to_string).collect()
    }

    fn decoded(s: &str) -> String {
        let mut out = String::new();
        decode_entities(s, &mut out);
        out
    }

    // Every expectation below is what Anserini 1.7.1 (TrecCollection, JSoup) indexed for the
    // same text inside <TEXT>; see docs/formats.md.

    #[test]
    fn element_tables_are_sorted_for_binary_search() {
        assert!(BLOCK_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        assert!(BLOCK_ELEMENTS.iter().all(|b| b.len() <= 12));
    }

    #[test]
    fn inline_and_unknown_tags_join_block_tags_separate() {
        assert_eq!(words("x<HEADLINE>y</HEADLINE>z"), ["xyz"]);
        assert_eq!(words("u<TITLE>t</TITLE>v"), ["u", "t", "v"]);
        assert_eq!(words("w<DATE>d</DATE>e f<HEAD>h</HEAD>g"), ["wde", "fhg"]);
        assert_eq!(
            words("a<font>b</font>c<a href='x'>d</a>e<em>f</em>g<sup>2</sup>h"),
            ["abcdefg2h"]
        );
        assert_eq!(
            words("a<p>b<p>c<hr>d<img src=x>e<input>f"),
            ["a", "b", "c", "def"]
        );
        assert_eq!(
            words("a</p>b</br>c</div>d<P/>e<BR/>f"),
            ["a", "b", "cd", "e", "f"]
        );
        assert_eq!(
            words("a<tr>b</tr>c<th>d</th>e<dt>f</dt>g<dd>h</dd>i<ul>j</ul>k<center>l</center>m"),
            ["abcde", "f", "g", "h", "i", "j", "k", "l", "m"]
        );
        assert_eq!(
            words("a<td>b</td>c<li>d</li>e<table>f</table>g<h1>h</h1>i"),
            ["abc", "d", "e", "f", "g", "h", "i"]
        );
    }

    #[test]
    fn raw_text_elements_comments_and_declarations() {
        assert_eq!(
            words("a<![CDATA[cdata]]>b <?pi x?>c <!DOCTYPE x>d"),
            ["acdatab", "c", "d"]
        );
        assert_eq!(
            words("a<textarea>ta</textarea>b<noscript>ns</noscript>c<iframe>if</iframe>d<title>tt</title>e"),
            ["atab", "ns", "cifd", "tt", "e"]
        );
        assert_eq!(
            words("a<xmp>x</xmp>b<select><option>o</option></select>c<button>bt</button>d<label>l</label>e"),
            ["axbocbtdle"]
        );
        assert_eq!(
            words("<script>var hidden = 1;</script> <style>p {}</style> vis<!-- c -->ible"),
            ["visible"]
        );
        assert_eq!(
            words("less < than and 3<4 and a<b tag\n</TEXT>\nnot seen"),
            ["less", "<", "than", "and", "3<4", "and", "a", "not", "seen"]
        );
        assert_eq!(html("text <unterminated"), "text ");
    }

    #[test]
    fn entities_as_jsoup_decodes_them() {
        assert_eq!(
            decoded(
                "&amp123 &ampx &copy2 &notit; &notin; &not &#65 &#x41x &#128; &#150; &#xD800; &lt"
            ),
            "&amp123 &ampx &copy2 &notit; \u{2209} \u{ac} A Ax \u{20ac} \u{2013} \u{fffd} <"
        );
        assert_eq!(
            decoded("&hyph; &blank; &amp &lt;p&gt; &AMP; &eacute;"),
            "&hyph; \u{2423} & <p> & é"
        );
        assert_eq!(decoded("a & b &; &#; &#x;"), "a & b &; &#; &#x;");
    }

    #[test]
    fn cp1252_maps_the_high_range() {
        assert_eq!(
            decode_cp1252(b"\x93quoted\x94 caf\xe9 \x80"),
            "\u{201c}quoted\u{201d} café €"
        );
    }
}

//! The page skeleton and the HTML helpers the report and the status page share.

/// The stylesheet (screen and print), inlined in every page.
const CSS: &str = include_str!("report.css");
/// Table sorting and the per-topic table's search and filter, inlined in every page.
const JS: &str = include_str!("report.js");

/// `s` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One self-contained HTML document: the stylesheet and the script inline, and a content
/// security policy that allows no request at all (no fonts, images or scripts from anywhere).
/// `nav` holds (section id, label) pairs.
pub fn document(
    title: &str,
    facts: &str,
    nav: &[(String, String)],
    main: &str,
    footer: &str,
) -> String {
    let links: String = nav
        .iter()
        .map(|(id, label)| format!("<a href=\"#{}\">{}</a>", esc(id), esc(label)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"irexp {version}\">\n\
         <title>{t}</title>\n<style id=\"topic-style\"></style>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
         <header><h1>{t}</h1><p class=\"facts\">{facts}</p></header>\n<nav>{links}</nav>\n<main>\n{main}</main>\n\
         <footer>{footer}</footer>\n<script>\n{JS}</script>\n</body>\n</html>\n",
        version = esc(crate::manifest::BUILD.irexp_version),
        t = esc(title),
    )
}

/// A table cell holding a number: shown at 4 decimals (counts whole), with the full value in
/// `data-v` for sorting and for anyone who reads the page's source.
pub fn number_cell(v: &serde_json::Value, class: &str) -> String {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            format!("<td{class} data-v=\"{n}\">{x:.4}</td>")
        }
        serde_json::Value::Number(n) => format!("<td{class} data-v=\"{n}\">{n}</td>"),
        serde_json::Value::String(s) => format!("<td{class}>{}</td>", esc(s)),
        _ => format!("<td{class} data-v=\"\">–</td>"),
    }
}

/// A `<table>` with a header row and rows of ready cells, wrapped for horizontal scrolling.
pub fn table(id: &str, class: &str, head: &[String], rows: &[String]) -> String {
    let id = if id.is_empty() {
        String::new()
    } else {
        format!(" id=\"{id}\"")
    };
    let mut s = format!("<div class=\"scroll\"><table{id} class=\"{class}\"><thead><tr>");
    for h in head {
        s.push_str(h);
    }
    s.push_str("</tr></thead><tbody>\n");
    for r in rows {
        s.push_str("<tr>");
        s.push_str(r);
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>\n");
    s
}

/// A header cell.
pub fn th(text: &str) -> String {
    format!("<th>{}</th>", esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn numbers_show_four_decimals_and_keep_the_value() {
        assert_eq!(
            number_cell(&serde_json::json!(0.31234567), ""),
            "<td data-v=\"0.31234567\">0.3123</td>"
        );
        assert_eq!(
            number_cell(&serde_json::json!(52), "b"),
            "<td class=\"b\" data-v=\"52\">52</td>"
        );
    }
}

//! Printing an [`Evaluation`]: trec_eval's text format, and JSON.

use std::fmt::{self, Write as _};

use serde_json::{json, Map, Value};

use super::{Evaluation, Measure};

/// A value printed as C's `%6.4f`, including glibc's spelling of NaN.
struct Fixed4(f64);

impl fmt::Display for Fixed4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_nan() {
            let text = if self.0.is_sign_negative() {
                "-nan"
            } else {
                "nan"
            };
            write!(f, "{text:>6}")
        } else {
            // Rust rounds the exact binary value half-to-even, as glibc does (spec §6).
            write!(f, "{:6.4}", self.0)
        }
    }
}

/// Appends one trec_eval output line.
pub(super) fn push_line(out: &mut String, m: &Measure, qid: &str, value: f64, zscore: bool) {
    // Writing to a String cannot fail.
    let _ = if zscore {
        writeln!(out, "Z{m:<22}\t{qid}\t{}", Fixed4(value))
    } else if m.is_integer() {
        // trec_eval prints counts with %ld of the value truncated to long.
        writeln!(out, "{m:<22}\t{qid}\t{}", value as i64)
    } else {
        writeln!(out, "{m:<22}\t{qid}\t{}", Fixed4(value))
    };
}

/// The header line of [`Evaluation::write_csv_rows`].
pub const CSV_HEADER: &str = "file,runid,qid,measure,value\n";

/// What [`Evaluation::trec_eval_text`] prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// `-q`: one block per topic before the summary.
    pub per_topic: bool,
    /// The summary block (trec_eval's `-n` turns it off).
    pub summary: bool,
    /// The `runid` line, printed when `runid` is among the measures (trec_eval's default
    /// `official` set, `all_trec`, `set`, or `-m runid`).
    pub runid: bool,
    /// trec_eval's `-Z` layout: every measure name but `runid` and `relstring` prefixed
    /// with `Z`, counts printed as `%6.4f`.
    pub zscore: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            per_topic: false,
            summary: true,
            runid: true,
            zscore: false,
        }
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV number: integers for counts, else the shortest round-trip decimal; NaN as `NaN`.
fn csv_number(m: &Measure, value: f64) -> String {
    if m.is_integer() {
        format!("{}", value as i64)
    } else if value.is_nan() {
        "NaN".to_string()
    } else {
        format!("{value:?}")
    }
}

/// A JSON number for `value`: an integer for counts, else a float (NaN becomes null).
fn json_value(m: &Measure, value: f64) -> Value {
    if m.is_integer() {
        json!(value as i64)
    } else {
        json!(value)
    }
}

impl Evaluation {
    /// Indexes into `measures`, in trec_eval's output order.
    fn output_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.measures.len()).collect();
        order.sort_by(|&a, &b| self.measures[a].cmp(&self.measures[b]));
        order
    }

    /// The text trec_eval 9.0.8 prints for these measures, byte for byte: with `per_topic`
    /// (trec_eval's `-q`), one block per topic in qid order first, then the summary (`all`),
    /// which starts with the `runid` line. Within a block, measures come in trec_eval's
    /// table order whatever the requested order; `num_q`, `gm_map` and `gm_bpref` appear
    /// only in the summary, `relstring` only per topic.
    ///
    /// Each line is `name` left-aligned in 22 columns, a tab, the qid or `all`, a tab, and the
    /// value as `%6.4f` (counts as integers).
    ///
    /// This always prints `runid`; [`Evaluation::trec_eval_text`] prints it only when asked,
    /// as trec_eval does.
    pub fn to_trec_eval_text(&self, per_topic: bool) -> String {
        self.trec_eval_text(&TextOptions {
            per_topic,
            ..TextOptions::default()
        })
    }

    /// The text trec_eval prints with the flags `options` stand for (`-q`, `-n`, and whether
    /// `runid` is among the measures).
    pub fn trec_eval_text(&self, options: &TextOptions) -> String {
        let order = self.output_order();
        let blocks = usize::from(options.summary)
            + if options.per_topic {
                self.per_topic.len()
            } else {
                0
            };
        let mut out = String::with_capacity((1 + order.len() * blocks) * 40);
        if options.per_topic {
            for topic in &self.per_topic {
                for &i in &order {
                    let m = &self.measures[i];
                    if m.is_summary_only() {
                        continue;
                    }
                    match topic.text(i) {
                        Some(text) => {
                            let _ = writeln!(out, "{m:<22}\t{}\t'{text}'", topic.qid);
                        }
                        None => push_line(&mut out, m, &topic.qid, topic.values[i], options.zscore),
                    }
                }
            }
        }
        if options.summary {
            if options.runid {
                let _ = writeln!(out, "{:<22}\tall\t{}", "runid", self.runid);
            }
            for &i in &order {
                let m = &self.measures[i];
                if !m.is_text() {
                    push_line(&mut out, m, "all", self.summary[i], options.zscore);
                }
            }
        }
        out
    }

    /// Tidy CSV rows `file,runid,qid,measure,value` (per topic with `per_topic`, then the
    /// summary with qid `all`), without a header ([`CSV_HEADER`]); `file` names the run.
    pub fn write_csv_rows(&self, file: &str, per_topic: bool, out: &mut String) {
        let order = self.output_order();
        let run = format!("{},{}", csv_field(file), csv_field(&self.runid));
        if per_topic {
            for topic in &self.per_topic {
                let qid = csv_field(&topic.qid);
                for &i in &order {
                    let m = &self.measures[i];
                    if m.is_summary_only() {
                        continue;
                    }
                    let value = match topic.text(i) {
                        Some(text) => csv_field(text),
                        None => csv_number(m, topic.values[i]),
                    };
                    let _ = writeln!(out, "{run},{qid},{},{value}", csv_field(&m.name()));
                }
            }
        }
        for &i in &order {
            let m = &self.measures[i];
            if !m.is_text() {
                let _ = writeln!(
                    out,
                    "{run},all,{},{}",
                    csv_field(&m.name()),
                    csv_number(m, self.summary[i])
                );
            }
        }
    }

    /// The evaluation as JSON, values keyed by printed measure name:
    ///
    /// ```json
    /// {"runid": "bm25", "measures": ["map", "P_10"],
    ///  "summary": {"map": 0.25, "P_10": 0.3},
    ///  "per_topic": [{"qid": "1", "map": 0.2, "P_10": 0.4}, ...]}
    /// ```
    ///
    /// `measures` lists the names in trec_eval's output order; `per_topic` is in qid order and
    /// leaves out the summary-only measures, so `pandas.DataFrame(j["per_topic"])` gives one
    /// row per topic. Counts are integers; a NaN value is `null`.
    pub fn to_json(&self) -> Value {
        let order = self.output_order();
        let names: Vec<String> = self.measures.iter().map(Measure::name).collect();
        let mut summary = Map::new();
        for &i in &order {
            if self.measures[i].is_text() {
                continue;
            }
            summary.insert(
                names[i].clone(),
                json_value(&self.measures[i], self.summary[i]),
            );
        }
        let per_topic: Vec<Value> = self
            .per_topic
            .iter()
            .map(|t| {
                let mut row = Map::new();
                row.insert("qid".to_string(), json!(t.qid));
                for &i in &order {
                    let m = &self.measures[i];
                    if !m.is_summary_only() {
                        let v = match t.text(i) {
                            Some(text) => json!(text),
                            None => json_value(m, t.values[i]),
                        };
                        row.insert(names[i].clone(), v);
                    }
                }
                Value::Object(row)
            })
            .collect();
        let ordered_names: Vec<&String> = order.iter().map(|&i| &names[i]).collect();
        json!({
            "runid": self.runid,
            "measures": ordered_names,
            "summary": summary,
            "per_topic": per_topic,
        })
    }
}

/// The value of measure `i` on `topic`, as trec_eval prints it.
fn printed(m: &Measure, value: f64, text: Option<&str>) -> String {
    match text {
        Some(t) => format!("'{t}'"),
        None if m.is_integer() => format!("{}", value as i64),
        None => Fixed4(value).to_string(),
    }
}

/// Several evaluations of the same measures side by side, one column per run (`names` heads
/// the columns): a header line, then, with `per_topic`, one line per (topic, measure) over
/// the union of the evaluated topics (`-` where a run did not evaluate the topic), then the
/// summary lines (qid `all`, with `runid` first when `runid` is set). Columns are separated
/// by tabs; the measure is padded to 22 columns as in trec_eval.
pub fn side_by_side_text(
    names: &[&str],
    evals: &[&Evaluation],
    per_topic: bool,
    runid: bool,
) -> String {
    let mut out = String::new();
    let Some(first) = evals.first() else {
        return out;
    };
    let _ = writeln!(out, "{:<22}\tqid\t{}", "measure", names.join("\t"));
    let order = first.output_order();
    if per_topic {
        let mut qids: Vec<&str> = evals
            .iter()
            .flat_map(|e| e.per_topic.iter().map(|t| t.qid.as_str()))
            .collect();
        qids.sort_unstable();
        qids.dedup();
        for qid in qids {
            for &i in &order {
                let m = &first.measures[i];
                if m.is_summary_only() {
                    continue;
                }
                let cells: Vec<String> = evals
                    .iter()
                    .map(|e| match e.per_topic.iter().find(|t| t.qid == qid) {
                        Some(t) => printed(m, t.values[i], t.text(i)),
                        None => "-".to_string(),
                    })
                    .collect();
                let _ = writeln!(out, "{m:<22}\t{qid}\t{}", cells.join("\t"));
            }
        }
    }
    if runid {
        let tags: Vec<&str> = evals.iter().map(|e| e.runid.as_str()).collect();
        let _ = writeln!(out, "{:<22}\tall\t{}", "runid", tags.join("\t"));
    }
    for &i in &order {
        let m = &first.measures[i];
        if m.is_text() {
            continue;
        }
        let cells: Vec<String> = evals
            .iter()
            .map(|e| printed(m, e.summary[i], None))
            .collect();
        let _ = writeln!(out, "{m:<22}\tall\t{}", cells.join("\t"));
    }
    out
}

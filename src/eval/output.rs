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
pub(super) fn push_line(out: &mut String, m: &Measure, qid: &str, value: f64) {
    // Writing to a String cannot fail.
    let _ = if m.is_integer() {
        // trec_eval prints counts with %ld of the value truncated to long.
        writeln!(out, "{m:<22}\t{qid}\t{}", value as i64)
    } else {
        writeln!(out, "{m:<22}\t{qid}\t{}", Fixed4(value))
    };
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
    /// only in the summary.
    ///
    /// Each line is `name` left-aligned in 22 columns, a tab, the qid or `all`, a tab, and the
    /// value as `%6.4f` (counts as integers).
    ///
    /// trec_eval prints `runid` only when it is among its measures (as in its default
    /// `official` set); irexp always prints it.
    pub fn to_trec_eval_text(&self, per_topic: bool) -> String {
        let order = self.output_order();
        let lines = 1 + order.len() * (1 + if per_topic { self.per_topic.len() } else { 0 });
        let mut out = String::with_capacity(lines * 40);
        if per_topic {
            for topic in &self.per_topic {
                for &i in &order {
                    let m = &self.measures[i];
                    if !m.is_summary_only() {
                        push_line(&mut out, m, &topic.qid, topic.values[i]);
                    }
                }
            }
        }
        let _ = writeln!(out, "{:<22}\tall\t{}", "runid", self.runid);
        for &i in &order {
            push_line(&mut out, &self.measures[i], "all", self.summary[i]);
        }
        out
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
                        row.insert(names[i].clone(), json_value(m, t.values[i]));
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

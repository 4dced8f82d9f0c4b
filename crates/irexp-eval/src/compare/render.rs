//! Rendering a [`Report`]: terminal table, Markdown, LaTeX, CSV and JSON.
//!
//! Every format is a pure function of the report, so they always agree.

use std::fmt::Write as _;

#[cfg(feature = "table")]
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::stats::{RandomizationMode, WilcoxonMethod};
use super::{Comparison, Missing, Report, Test};

/// The marker of a significant difference from the baseline.
pub const MARKER: &str = "†";

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

/// A signed value to four decimals; a value that rounds to zero prints as +0.0000.
fn signed4(x: f64) -> String {
    let s = format!("{x:+.4}");
    if s == "-0.0000" {
        "+0.0000".to_string()
    } else {
        s
    }
}

fn opt2(x: Option<f64>) -> String {
    x.map_or_else(
        || "n/a".to_string(),
        |v| {
            let s = format!("{v:+.2}");
            if s == "-0.00" {
                "+0.00".to_string()
            } else {
                s
            }
        },
    )
}

/// p-values: four decimals, or `<0.0001`.
fn pval(p: f64) -> String {
    if p < 1e-4 {
        "<0.0001".to_string()
    } else {
        format!("{p:.4}")
    }
}

impl Report {
    /// The test as a phrase: "two-sided paired randomization test (10,000 permutations,
    /// seed 42)".
    pub fn test_phrase(&self) -> String {
        match self.test {
            Test::Randomization => match self.randomization_mode {
                Some(RandomizationMode::Exact) => format!(
                    "two-sided paired randomization test (exact: all {} sign assignments of \
                     the {} topics)",
                    thousands(1usize << self.topics.len()),
                    self.topics.len()
                ),
                _ => format!(
                    "two-sided paired randomization test ({} permutations, seed {})",
                    thousands(self.permutations),
                    self.seed
                ),
            },
            Test::T => "two-sided paired t-test".to_string(),
            Test::Wilcoxon => {
                let mut methods: Vec<&str> = Vec::new();
                for c in self.measures.iter().flat_map(|m| &m.comparisons) {
                    let name = match c.wilcoxon {
                        Some((WilcoxonMethod::Exact, _)) => "exact distribution",
                        Some((WilcoxonMethod::Enumerated, _)) => "all sign assignments",
                        Some((WilcoxonMethod::Normal, _)) => "normal approximation",
                        None => continue,
                    };
                    if !methods.contains(&name) {
                        methods.push(name);
                    }
                }
                format!(
                    "two-sided Wilcoxon signed-rank test (zero differences dropped; {})",
                    methods.join(", ")
                )
            }
            Test::Tukey => format!(
                "randomized Tukey HSD over {} systems ({} trials, seed {})",
                self.systems.len(),
                thousands(self.permutations),
                self.seed
            ),
        }
    }

    /// The settings in one paragraph, printed above every table.
    pub fn settings_text(&self) -> String {
        let mut s = format!(
            "Baseline {}; {} topics paired by qid; {}; {}; alpha = {}; {} marks p < alpha after \
             correction.",
            self.baseline,
            self.topics.len(),
            self.test_phrase(),
            self.correction.label(),
            self.alpha,
            MARKER
        );
        let _ = write!(
            s,
            " CI: t interval and percentile bootstrap ({} resamples, seed {}) of the mean \
             difference at {}%. W/T/L with tie margin {}; URisk/TRisk at risk alpha {}; MDE: \
             minimum detectable difference at 80% power (paired t, d_z = {:.3}).",
            thousands(self.bootstrap),
            self.seed,
            confidence(self.alpha),
            self.tie_margin,
            self.risk_alpha,
            self.mde_dz
        );
        match self.missing {
            Missing::Error => s.push_str(" Missing topics: none (every run answers every topic)."),
            Missing::Zero => {
                s.push_str(" Missing topics scored 0 (--missing zero, trec_eval -c):");
                if self.filled_with_zero.is_empty() {
                    s.push_str(" none were missing.");
                } else {
                    for (sys, topics) in &self.filled_with_zero {
                        let _ = write!(s, " {sys}: {};", topics.join(" "));
                    }
                }
            }
        }
        s
    }

    fn comparison(&self, measure: usize, system: usize) -> Option<&Comparison> {
        system
            .checked_sub(1)
            .and_then(|i| self.measures[measure].comparisons.get(i))
    }

    /// Index of the best mean per measure (the first of equal ones).
    fn best(&self, measure: usize) -> usize {
        let means = &self.measures[measure].means;
        let mut best = 0;
        for (i, &m) in means.iter().enumerate() {
            if m > means[best] {
                best = i;
            }
        }
        best
    }

    /// The terminal table: the paper table (means, markers), then one detail row per
    /// comparison (feature `table`).
    #[cfg(feature = "table")]
    pub fn to_terminal(&self) -> String {
        let mut out = String::new();
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED);
        let mut header = vec![Cell::new("system")];
        header.extend(self.measures.iter().map(|m| Cell::new(&m.measure)));
        table.set_header(header);
        for (s, name) in self.systems.iter().enumerate() {
            let label = if s == 0 {
                format!("{name} (baseline)")
            } else {
                name.clone()
            };
            let mut row = vec![Cell::new(label)];
            for mi in 0..self.measures.len() {
                row.push(Cell::new(self.cell_text(mi, s, "*")).set_alignment(CellAlignment::Right));
            }
            table.add_row(row);
        }
        let _ = writeln!(out, "{table}");
        let mut detail = Table::new();
        detail.load_preset(UTF8_FULL_CONDENSED);
        detail.set_header(DETAIL_HEADER.iter().map(Cell::new).collect::<Vec<_>>());
        for row in self.detail_rows() {
            detail.add_row(
                row.into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let cell = Cell::new(c);
                        if i >= 2 {
                            cell.set_alignment(CellAlignment::Right)
                        } else {
                            cell
                        }
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let _ = writeln!(out, "{detail}");
        let _ = writeln!(out, "{}", self.settings_text().replace(MARKER, "*"));
        out
    }

    /// A mean with its marker (`marker` after a significant difference) and, for the
    /// terminal and Markdown, nothing else.
    fn cell_text(&self, measure: usize, system: usize, marker: &str) -> String {
        let mean = self.measures[measure].means[system];
        match self.comparison(measure, system) {
            Some(c) if c.significant => format!("{}{marker}", f4(mean)),
            _ => f4(mean),
        }
    }

    fn detail_rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for m in &self.measures {
            for c in &m.comparisons {
                rows.push(vec![
                    m.measure.clone(),
                    c.system.clone(),
                    signed4(c.difference),
                    c.relative_percent.map_or_else(
                        || "n/a".into(),
                        |r| match format!("{r:+.1}%") {
                            z if z == "-0.0%" => "+0.0%".to_string(),
                            other => other,
                        },
                    ),
                    format!("[{}, {}]", signed4(c.ci.0), signed4(c.ci.1)),
                    format!(
                        "[{}, {}]",
                        signed4(c.bootstrap_ci.0),
                        signed4(c.bootstrap_ci.1)
                    ),
                    pval(c.p),
                    pval(c.p_adjusted),
                    opt2(c.d_z),
                    format!("{}/{}/{}", c.wins, c.ties, c.losses),
                    signed4(c.urisk),
                    opt2(c.trisk),
                    c.mde.map_or_else(|| "n/a".into(), f4),
                ]);
            }
        }
        rows
    }

    /// Markdown: the settings, the paper table (best per measure in bold, † for significance),
    /// and the detail table.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.settings_text());
        let _ = write!(out, "| system |");
        for m in &self.measures {
            let _ = write!(out, " {} |", md_escape(&m.measure));
        }
        let _ = write!(out, "\n|---|");
        for _ in &self.measures {
            out.push_str("---:|");
        }
        out.push('\n');
        for (s, name) in self.systems.iter().enumerate() {
            let label = if s == 0 {
                format!("{} (baseline)", md_escape(name))
            } else {
                md_escape(name)
            };
            let _ = write!(out, "| {label} |");
            for mi in 0..self.measures.len() {
                let text = self.cell_text(mi, s, MARKER);
                if self.best(mi) == s {
                    let _ = write!(out, " **{text}** |");
                } else {
                    let _ = write!(out, " {text} |");
                }
            }
            out.push('\n');
        }
        out.push('\n');
        let _ = writeln!(out, "| {} |", DETAIL_HEADER.join(" | "));
        let _ = writeln!(
            out,
            "|{}",
            DETAIL_HEADER
                .iter()
                .enumerate()
                .map(|(i, _)| if i < 2 { "---|" } else { "---:|" })
                .collect::<String>()
        );
        for row in self.detail_rows() {
            let cells: Vec<String> = row.iter().map(|c| md_escape(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out
    }

    /// The caption of the LaTeX table.
    pub fn caption(&self) -> String {
        format!(
            "Mean effectiveness over {} topics. Best value per measure in bold; $^\\dagger$ marks \
             a significant difference from the baseline ({}) under a {} with {} at $\\alpha = {}$.",
            self.topics.len(),
            latex_escape(&self.baseline),
            latex_escape(&self.test_phrase()),
            latex_escape(self.correction.label()).replace('–', "--"),
            self.alpha
        ) + &match self.missing {
            Missing::Error => String::new(),
            Missing::Zero => {
                let n: usize = self.filled_with_zero.iter().map(|(_, t)| t.len()).sum();
                format!(" Topics a run did not answer score 0 ({n} system--topic pairs).")
            }
        }
    }

    /// A LaTeX table (booktabs): systems as rows, measures as columns, the best value per
    /// measure in bold, $^\dagger$ after a significant difference, and a generated caption.
    pub fn to_latex(&self) -> String {
        let mut out = String::new();
        out.push_str("% Generated by irexp compare; needs \\usepackage{booktabs}.\n");
        out.push_str("\\begin{table}[t]\n\\centering\n");
        let _ = writeln!(out, "\\caption{{{}}}", self.caption());
        out.push_str("\\label{tab:compare}\n");
        let _ = writeln!(
            out,
            "\\begin{{tabular}}{{l{}}}",
            "r".repeat(self.measures.len())
        );
        out.push_str("\\toprule\n");
        out.push_str("System");
        for m in &self.measures {
            let _ = write!(out, " & {}", latex_escape(&m.measure));
        }
        out.push_str(" \\\\\n\\midrule\n");
        for (s, name) in self.systems.iter().enumerate() {
            out.push_str(&latex_escape(name));
            if s == 0 {
                out.push_str(" (baseline)");
            }
            for mi in 0..self.measures.len() {
                let mean = f4(self.measures[mi].means[s]);
                let value = if self.best(mi) == s {
                    format!("\\textbf{{{mean}}}")
                } else {
                    mean
                };
                let sig = self.comparison(mi, s).is_some_and(|c| c.significant);
                let _ = write!(
                    out,
                    " & {value}{}",
                    if sig {
                        "$^\\dagger$"
                    } else {
                        "\\phantom{$^\\dagger$}"
                    }
                );
            }
            out.push_str(" \\\\\n");
            if s == 0 {
                out.push_str("\\midrule\n");
            }
        }
        out.push_str("\\bottomrule\n\\end{tabular}\n\\end{table}\n");
        out
    }

    /// CSV, one row per (measure, system): means, differences, intervals, p-values, effects.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "measure,system,is_baseline,mean,difference,relative_percent,ci_low,ci_high,\
             bootstrap_ci_low,bootstrap_ci_high,p,p_adjusted,significant,d_z,wins,ties,losses,\
             urisk,trisk,mde,n_topics,test,correction,alpha\n",
        );
        let opt = |x: Option<f64>| x.map_or_else(String::new, |v| v.to_string());
        for m in &self.measures {
            for (s, name) in self.systems.iter().enumerate() {
                let common = format!(
                    "{},{},{},{}",
                    self.topics.len(),
                    self.test.name(),
                    self.correction.name(),
                    self.alpha
                );
                match s.checked_sub(1).map(|i| &m.comparisons[i]) {
                    None => {
                        let _ = writeln!(
                            out,
                            "{},{},true,{},,,,,,,,,,,,,,,,,{common}",
                            csv_field(&m.measure),
                            csv_field(name),
                            m.means[s]
                        );
                    }
                    Some(c) => {
                        let _ = writeln!(
                            out,
                            "{},{},false,{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{common}",
                            csv_field(&m.measure),
                            csv_field(name),
                            c.mean,
                            c.difference,
                            opt(c.relative_percent),
                            c.ci.0,
                            c.ci.1,
                            c.bootstrap_ci.0,
                            c.bootstrap_ci.1,
                            c.p,
                            c.p_adjusted,
                            c.significant,
                            opt(c.d_z),
                            c.wins,
                            c.ties,
                            c.losses,
                            c.urisk,
                            opt(c.trisk),
                            opt(c.mde),
                        );
                    }
                }
            }
        }
        out
    }

    /// CSV in long form, one row per (measure, system, topic):
    /// `measure,system,qid,value,baseline,difference` (`pandas.read_csv` then `pivot`).
    pub fn to_topics_csv(&self) -> String {
        let mut out = String::from("measure,system,qid,value,baseline,difference\n");
        for m in &self.measures {
            for (s, name) in self.systems.iter().enumerate() {
                for (t, qid) in self.topics.iter().enumerate() {
                    let v = m.values[s][t];
                    let b = m.values[0][t];
                    let _ = writeln!(
                        out,
                        "{},{},{},{v},{b},{}",
                        csv_field(&m.measure),
                        csv_field(name),
                        csv_field(qid),
                        v - b
                    );
                }
            }
        }
        out
    }

    /// The whole report as JSON (settings, per-measure comparisons, per-topic values keyed by
    /// topic order in `topics`), pretty-printed.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// The columns of the per-comparison table, in every rendering (and irexp's report page).
pub const DETAIL_HEADER: [&str; 13] = [
    "measure",
    "system",
    "Δ",
    "Δ%",
    "95% CI",
    "bootstrap CI",
    "p",
    "p adj",
    "d_z",
    "W/T/L",
    "URisk",
    "TRisk",
    "MDE",
];

fn confidence(alpha: f64) -> String {
    let c = 100.0 * (1.0 - alpha);
    if (c - c.round()).abs() < 1e-9 {
        format!("{c:.0}")
    } else {
        format!("{c}")
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('_', "\\_")
}

/// Escapes LaTeX's special characters in plain text.
pub fn latex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(ch),
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

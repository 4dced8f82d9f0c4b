//! `report.html`: one self-contained page that shows an experiment's output folder, and the
//! status page of `irexp verify --report`.
//!
//! The experiment page is rendered from the folder's own files only: `eval.json` (the
//! measure table and the per-topic table), each `compare/BASELINE/compare.json` (the
//! comparison tables, the per-topic difference plots and the precision–recall curves),
//! `config.resolved.toml`, every other SVG and CSV in a subfolder (sweeps, tuning), and the
//! manifest (provenance). [`write_experiment_report`] writes it into a staging folder before
//! the manifest, and [`rerender`] (`irexp report DIR`) writes it again from a published
//! folder: for the same files it gives the same bytes, because the page holds nothing the
//! files do not (no time of rendering, no absolute path of its own, and the manifest's file
//! list without `report.html` itself). Everything is inline (CSS, JavaScript, SVG) and a
//! content security policy forbids any request, so the page works mailed or archived.

mod page;
mod svg;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::regression::Verified;
use page::{esc, number_cell, th};

/// The report's file name in an output folder.
pub const REPORT: &str = "report.html";

/// At most this many rows of a CSV file are shown (the file has them all).
const CSV_ROWS: usize = 500;

/// One ranker's evaluation, as read from `eval.json`.
#[derive(Debug, Clone)]
struct RankerEval {
    name: String,
    /// Measure names in output order.
    measures: Vec<String>,
    summary: serde_json::Map<String, Value>,
    per_topic: Vec<serde_json::Map<String, Value>>,
}

/// A comparison, as read from `compare.json`.
#[derive(Debug, Clone)]
struct Comparison {
    /// Its folder in the output folder (`compare/bm25`).
    folder: String,
    json: Value,
}

/// Another result file shown as it is: an SVG inline, a CSV as a table.
#[derive(Debug, Clone)]
struct Extra {
    path: String,
    text: String,
}

/// Everything the experiment page shows, read from an output folder.
#[derive(Debug, Clone)]
struct Sources {
    manifest: Value,
    config: Option<String>,
    rankers: Vec<RankerEval>,
    comparisons: Vec<Comparison>,
    extras: Vec<Extra>,
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn read_json(path: &Path) -> Result<Value> {
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| Error::input(Location::line(path, e.line()), format!("not JSON: {e}")))
}

/// The paths of the manifest's `files` (without `report.html`).
fn listed_files(manifest: &Value) -> Vec<String> {
    manifest["files"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|f| f["path"].as_str())
                .filter(|p| *p != REPORT)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

impl Sources {
    /// Reads what the page shows from `dir`, with `manifest` as the folder's manifest (its
    /// `files` list names the other result files).
    fn read(dir: &Path, manifest: &Value) -> Result<Sources> {
        let rankers_in_order: Vec<String> = manifest["outputs"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|o| o.as_str())
                    .map(|o| o.trim_end_matches(".run").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let eval_path = dir.join("eval.json");
        let mut rankers = Vec::new();
        if eval_path.is_file() {
            let eval = read_json(&eval_path)?;
            for name in &rankers_in_order {
                let Some(e) = eval.get(name) else { continue };
                rankers.push(RankerEval {
                    name: name.clone(),
                    measures: strings(&e["measures"]),
                    summary: e["summary"].as_object().cloned().unwrap_or_default(),
                    per_topic: e["per_topic"]
                        .as_array()
                        .map(|v| v.iter().filter_map(|t| t.as_object().cloned()).collect())
                        .unwrap_or_default(),
                });
            }
        }
        let mut comparisons = Vec::new();
        for c in manifest["comparisons"].as_array().into_iter().flatten() {
            let Some(folder) = c.as_str() else { continue };
            comparisons.push(Comparison {
                folder: folder.to_string(),
                json: read_json(&dir.join(folder).join("compare.json"))?,
            });
        }
        let config_path = dir.join("config.resolved.toml");
        let config = if config_path.is_file() {
            Some(read_text(&config_path)?)
        } else {
            None
        };
        let mut extras = Vec::new();
        for path in listed_files(manifest) {
            let shown = path.contains('/')
                && !path.starts_with("compare/")
                && (path.ends_with(".svg") || path.ends_with(".csv"));
            if shown {
                extras.push(Extra {
                    text: read_text(&dir.join(&path))?,
                    path,
                });
            }
        }
        Ok(Sources {
            manifest: manifest.clone(),
            config,
            rankers,
            comparisons,
            extras,
        })
    }
}

/// Renders the page of the output folder `dir` (a staging folder during a run) with
/// `manifest`, and writes it to `dir/report.html`.
pub fn write_experiment_report(dir: &Path, manifest: &Value) -> Result<()> {
    let html = render(&Sources::read(dir, manifest)?);
    crate::atomic::write(&dir.join(REPORT), html.as_bytes())
}

/// What the page of an `irexp compare --out` folder shows, from its `compare.json`: each run
/// as a ranker (its means and per-topic values of the compared measures) and the comparison.
fn comparison_sources(dir: &Path) -> Result<Sources> {
    let json = read_json(&dir.join("compare.json"))?;
    let systems = strings(&json["systems"]);
    let topics = strings(&json["topics"]);
    let measures = json["measures"].as_array().cloned().unwrap_or_default();
    let names: Vec<String> = measures
        .iter()
        .filter_map(|m| m["measure"].as_str().map(String::from))
        .collect();
    let rankers = systems
        .iter()
        .enumerate()
        .map(|(si, name)| RankerEval {
            name: name.clone(),
            measures: names.clone(),
            summary: names
                .iter()
                .zip(&measures)
                .map(|(n, m)| (n.clone(), m["means"][si].clone()))
                .collect(),
            per_topic: topics
                .iter()
                .enumerate()
                .map(|(ti, q)| {
                    let mut row = serde_json::Map::new();
                    row.insert("qid".into(), Value::String(q.clone()));
                    for (n, m) in names.iter().zip(&measures) {
                        row.insert(n.clone(), m["values"][si][ti].clone());
                    }
                    row
                })
                .collect(),
        })
        .collect();
    Ok(Sources {
        manifest: Value::Null,
        config: None,
        rankers,
        comparisons: vec![Comparison {
            folder: ".".to_string(),
            json,
        }],
        extras: Vec::new(),
    })
}

/// Writes `DIR/report.html` for a folder of `irexp compare --out`, from its `compare.json`.
pub fn write_comparison_report(dir: &Path) -> Result<()> {
    let html = render(&comparison_sources(dir)?);
    crate::atomic::write(&dir.join(REPORT), html.as_bytes())
}

/// `irexp report DIR`: renders `DIR/report.html` again from the folder's files and, when
/// its bytes changed (another irexp version), updates its entry in the manifest so that
/// `irexp check` still passes. A folder of `irexp compare --out` (no manifest, a
/// `compare.json`) gets its comparison page. Returns the report's path and whether it
/// changed.
pub fn rerender(dir: &Path) -> Result<(PathBuf, bool)> {
    let manifest_path = dir.join(crate::outdir::MANIFEST);
    if !manifest_path.is_file() {
        if dir.join("compare.json").is_file() {
            let html = render(&comparison_sources(dir)?);
            let path = dir.join(REPORT);
            if std::fs::read(&path).is_ok_and(|old| old == html.as_bytes()) {
                return Ok((path, false));
            }
            crate::atomic::write(&path, html.as_bytes())?;
            return Ok((path, true));
        }
        return Err(Error::input(
            Location::file(dir),
            "no manifest.json (an output folder of irexp run) or compare.json (of irexp compare --out)",
        ));
    }
    let mut manifest = read_json(&manifest_path)?;
    let html = render(&Sources::read(dir, &manifest)?);
    let path = dir.join(REPORT);
    let entry = serde_json::to_value(crate::outdir::OutputFile::of(REPORT, html.as_bytes()))
        .map_err(|e| Error::io(&manifest_path, e.into()))?;
    let listed = manifest["files"]
        .as_array()
        .and_then(|v| v.iter().find(|f| f["path"] == REPORT))
        .cloned();
    let unchanged = std::fs::read(&path).is_ok_and(|old| old == html.as_bytes());
    if unchanged && listed.as_ref() == Some(&entry) {
        return Ok((path, false));
    }
    crate::atomic::write(&path, html.as_bytes())?;
    if let Some(files) = manifest["files"].as_array_mut() {
        files.retain(|f| f["path"] != REPORT);
        files.push(entry);
        files.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    }
    let mut text =
        serde_json::to_string_pretty(&manifest).map_err(|e| Error::io(&manifest_path, e.into()))?;
    text.push('\n');
    crate::atomic::write(&manifest_path, text.as_bytes())?;
    Ok((path, true))
}

/// Whether a measure name is one of the 11 interpolated precision levels.
fn is_iprec(m: &str) -> bool {
    m.starts_with("iprec_at_recall_")
}

fn render(src: &Sources) -> String {
    let m = &src.manifest;
    // A folder of `irexp compare --out` has no manifest: its page is the comparison alone.
    let compare_only = m.is_null();
    let name = match (compare_only, src.comparisons.first()) {
        (true, Some(c)) => format!(
            "Comparison with {}",
            c.json["baseline"].as_str().unwrap_or("the baseline")
        ),
        _ => m["experiment"].as_str().unwrap_or("experiment").to_string(),
    };
    let mut nav = Vec::new();
    let mut main = String::new();

    let facts = if compare_only {
        esc(&format!(
            "{} topics · {} runs · irexp compare · irexp {}",
            src.comparisons
                .first()
                .map_or(0, |c| c.json["topics"].as_array().map_or(0, Vec::len)),
            src.rankers.len(),
            crate::manifest::BUILD.irexp_version
        ))
    } else {
        headline(src)
    };

    if !src.rankers.is_empty() {
        nav.push(("measures".to_string(), "Measures".to_string()));
        main.push_str(&measures_section(src));
    } else {
        main.push_str("<section id=\"measures\"><h2>Measures</h2><p class=\"note\">No evaluation: the experiment has no qrels, so its runs were written but not scored.</p></section>\n");
    }
    for (i, c) in src.comparisons.iter().enumerate() {
        let id = format!("compare-{i}");
        let base = c.json["baseline"].as_str().unwrap_or("");
        nav.push((id.clone(), format!("Compared with {base}")));
        main.push_str(&comparison_section(&id, c));
    }
    if src.comparisons.is_empty() {
        if let Some(s) = pr_from_eval(src) {
            nav.push(("pr".to_string(), "Precision–recall".to_string()));
            main.push_str(&s);
        }
    }
    if src.rankers.iter().any(|r| !r.per_topic.is_empty()) {
        nav.push(("topics".to_string(), "Per topic".to_string()));
        main.push_str(&topics_section(src));
    }
    let (extra_nav, extra) = extras_sections(src);
    nav.extend(extra_nav);
    main.push_str(&extra);
    let sources = if compare_only {
        "compare.json"
    } else {
        nav.push(("provenance".to_string(), "Provenance".to_string()));
        main.push_str(&provenance_section(src));
        "eval.json, compare/, manifest.json, config.resolved.toml"
    };
    let footer = format!(
        "Written by irexp {} from the files of this folder ({sources}); <code>irexp report FOLDER</code> writes it again. Self-contained: it loads nothing from the network.",
        esc(crate::manifest::BUILD.irexp_version)
    );
    page::document(&name, &facts, &nav, &main, &footer)
}

/// The line under the title: topics, rankers, index, version, start.
fn headline(src: &Sources) -> String {
    let m = &src.manifest;
    let mut parts = Vec::new();
    let topics = src
        .rankers
        .first()
        .map(|r| r.per_topic.len())
        .filter(|n| *n > 0);
    match topics {
        Some(n) => parts.push(format!(
            "{n} evaluated topics (of {} read)",
            m["topics"].as_u64().unwrap_or(0)
        )),
        None => parts.push(format!("{} topics", m["topics"].as_u64().unwrap_or(0))),
    }
    parts.push(format!(
        "{} rankers",
        m["outputs"].as_array().map_or(0, Vec::len)
    ));
    parts.push(format!(
        "index of {} documents, {} terms",
        m["index"]["documents"], m["index"]["terms"]
    ));
    let commit = m["git_commit"]
        .as_str()
        .map(|c| format!(" ({})", &c[..c.len().min(10)]))
        .unwrap_or_default();
    parts.push(format!(
        "irexp {}{commit}",
        m["irexp_version"].as_str().unwrap_or("?")
    ));
    parts.push(format!(
        "run started {}",
        m["started_utc"].as_str().unwrap_or("?")
    ));
    esc(&parts.join(" · "))
}

fn measures_section(src: &Sources) -> String {
    let first = &src.rankers[0];
    let measures: Vec<&String> = first
        .measures
        .iter()
        .filter(|m| first.summary.contains_key(*m))
        .collect();
    let mut head = vec![th("ranker")];
    head.extend(measures.iter().map(|m| th(m)));
    let best: Vec<Option<f64>> = measures
        .iter()
        .map(|m| {
            let vals: Vec<f64> = src
                .rankers
                .iter()
                .filter_map(|r| r.summary.get(*m).and_then(Value::as_f64))
                .collect();
            let integer = first.summary.get(*m).is_some_and(|v| !v.is_f64());
            (!integer && src.rankers.len() > 1)
                .then(|| vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max))
        })
        .collect();
    let rows: Vec<String> = src
        .rankers
        .iter()
        .map(|r| {
            let mut row = format!("<td class=\"l\">{}</td>", esc(&r.name));
            for (m, b) in measures.iter().zip(&best) {
                let v = r.summary.get(*m).cloned().unwrap_or(Value::Null);
                let is_best = b.is_some_and(|b| v.as_f64() == Some(b));
                row.push_str(&number_cell(&v, if is_best { "best" } else { "" }));
            }
            row
        })
        .collect();
    format!(
        "<section id=\"measures\"><h2>Measures</h2><p class=\"note\">Mean over the evaluated topics, as trec_eval computes it. The best value of each measure is in bold. Click a column to sort.</p>\n{}</section>\n",
        page::table("measure-table", "sortable", &head, &rows)
    )
}

/// The strings of a JSON array (none for anything else).
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The mark of a significant difference (after correction), or nothing.
fn sig_mark(significant: bool) -> String {
    if significant {
        "<span class=\"sig\" title=\"significant after correction\">†</span>".to_string()
    } else {
        String::new()
    }
}

/// `x` with its sign at `d` decimals; a value that rounds to zero is `+0.0…` (not `-0.0…`,
/// which would read as a loss).
fn signed(x: f64, d: usize) -> String {
    let s = format!("{x:+.d$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => format!("+{rest}"),
        _ => s,
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn comparison_section(id: &str, c: &Comparison) -> String {
    let j = &c.json;
    let baseline = j["baseline"].as_str().unwrap_or("");
    let systems = strings(&j["systems"]);
    let topics = strings(&j["topics"]);
    let measures = j["measures"].as_array().cloned().unwrap_or_default();
    let mut s = format!(
        "<section id=\"{id}\"><h2>Compared with {b}</h2><p class=\"note\">{desc}</p>\n",
        b = esc(baseline),
        desc = esc(&describe_comparison(j, topics.len())),
    );
    // Means, with the mark where the difference is significant after correction.
    let mut head = vec![th("system")];
    head.extend(
        measures
            .iter()
            .map(|m| th(m["measure"].as_str().unwrap_or(""))),
    );
    let rows: Vec<String> = systems
        .iter()
        .enumerate()
        .map(|(si, sys)| {
            let label = if sys == baseline {
                format!("{} (baseline)", esc(sys))
            } else {
                esc(sys)
            };
            let mut row = format!("<td class=\"l\">{label}</td>");
            for m in &measures {
                let mean = &m["means"][si];
                let sig = m["comparisons"]
                    .as_array()
                    .and_then(|cs| cs.iter().find(|c| c["system"] == sys.as_str()))
                    .is_some_and(|c| c["significant"] == true);
                let shown = format!("{:.4}", f(mean));
                row.push_str(&format!(
                    "<td data-v=\"{}\">{shown}{}</td>",
                    mean,
                    sig_mark(sig)
                ));
            }
            row
        })
        .collect();
    s.push_str(&page::table(
        &format!("{id}-means"),
        "sortable means",
        &head,
        &rows,
    ));
    // Every test.
    let head: Vec<String> = crate::compare::DETAIL_HEADER
        .iter()
        .map(|h| th(h))
        .collect();
    let mut rows = Vec::new();
    for m in &measures {
        let name = m["measure"].as_str().unwrap_or("");
        for c in m["comparisons"].as_array().into_iter().flatten() {
            let ci = |k: &str| format!("[{}, {}]", signed(f(&c[k][0]), 4), signed(f(&c[k][1]), 4));
            let sig = c["significant"] == true;
            rows.push(format!(
                "<td class=\"l\">{}</td><td class=\"l\">{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}%</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td data-v=\"{}\">{:.4}</td><td data-v=\"{}\">{:.4}{}</td><td data-v=\"{}\">{}</td><td class=\"l\">{}/{}/{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{:.4}</td>",
                esc(name),
                esc(c["system"].as_str().unwrap_or("")),
                c["difference"], signed(f(&c["difference"]), 4),
                c["relative_percent"], signed(f(&c["relative_percent"]), 1),
                ci("ci"),
                ci("bootstrap_ci"),
                c["p"], f(&c["p"]),
                c["p_adjusted"], f(&c["p_adjusted"]),
                sig_mark(sig),
                c["d_z"], signed(f(&c["d_z"]), 2),
                c["wins"], c["ties"], c["losses"],
                c["urisk"], signed(f(&c["urisk"]), 4),
                c["trisk"], signed(f(&c["trisk"]), 2),
                c["mde"], f(&c["mde"]),
            ));
        }
    }
    s.push_str(&format!("<h3>Tests against {}</h3>\n", esc(baseline)));
    s.push_str(&page::table(
        &format!("{id}-tests"),
        "sortable tests",
        &head,
        &rows,
    ));
    // Per-topic differences, one plot per measure and system.
    s.push_str("<h3>Per-topic differences</h3><p class=\"note\">Each bar is one topic: the system's value minus the baseline's, sorted from the largest gain to the largest loss. Hover over a bar for its topic.</p><div class=\"plots\">\n");
    for m in &measures {
        let name = m["measure"].as_str().unwrap_or("");
        let all: Vec<(&str, Vec<f64>)> = m["comparisons"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let diffs = c["differences"]
                    .as_array()
                    .map(|v| v.iter().map(f).collect())
                    .unwrap_or_default();
                (c["system"].as_str().unwrap_or(""), diffs)
            })
            .collect();
        let scale = all
            .iter()
            .flat_map(|(_, d)| d.iter())
            .fold(0.0f64, |m, d| m.max(d.abs()));
        for (sys, diffs) in &all {
            s.push_str(&format!(
                "<figure>{}</figure>\n",
                svg::differences(name, sys, baseline, &topics, diffs, scale)
            ));
        }
    }
    s.push_str("</div>\n");
    let curves: Vec<(String, Vec<f64>)> = j["pr_curves"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["system"].as_str().unwrap_or("").to_string(),
                c["precision"]
                    .as_array()
                    .map(|v| v.iter().map(f).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    if !curves.is_empty() {
        s.push_str(&format!(
            "<h3>Precision–recall</h3><figure>{}</figure>\n",
            svg::precision_recall(
                "Interpolated precision at 11 recall levels (mean over topics)",
                &curves
            )
        ));
    }
    s.push_str(&format!(
        "<p class=\"note\">From {}; the same tables as Markdown, LaTeX and CSV are beside it.</p></section>\n",
        esc(&Path::new(&c.folder).join("compare.json").display().to_string())
    ));
    s
}

/// The sentence that says how a comparison was made.
fn describe_comparison(j: &Value, topics: usize) -> String {
    let test = match j["test"].as_str().unwrap_or("") {
        "randomization" => format!(
            "two-sided paired randomization test ({} permutations, {}, seed {})",
            j["permutations"],
            j["randomization_mode"].as_str().unwrap_or(""),
            j["seed"]
        ),
        "t" => "two-sided paired t-test".to_string(),
        "wilcoxon" => "two-sided Wilcoxon signed-rank test".to_string(),
        "tukey" => format!(
            "randomized Tukey HSD ({} trials, seed {})",
            j["permutations"], j["seed"]
        ),
        other => other.to_string(),
    };
    let missing = match j["missing"].as_str() {
        Some("zero") => "topics missing from a run score 0 (trec_eval -c)",
        _ => "every run answers every topic compared",
    };
    format!(
        "{topics} topics paired by qid; {test}; correction: {}; alpha = {}; † marks p < alpha after correction; {missing}.",
        j["correction"].as_str().unwrap_or(""),
        j["alpha"],
    )
}

/// Precision–recall curves from eval.json when it holds the 11 `iprec_at_recall` levels.
fn pr_from_eval(src: &Sources) -> Option<String> {
    let curves: Vec<(String, Vec<f64>)> = src
        .rankers
        .iter()
        .map(|r| {
            let p: Vec<f64> = r
                .measures
                .iter()
                .filter(|m| is_iprec(m))
                .filter_map(|m| r.summary.get(m).and_then(Value::as_f64))
                .collect();
            (r.name.clone(), p)
        })
        .collect();
    if curves.is_empty() || curves.iter().any(|(_, p)| p.len() != 11) {
        return None;
    }
    Some(format!(
        "<section id=\"pr\"><h2>Precision–recall</h2><figure>{}</figure></section>\n",
        svg::precision_recall(
            "Interpolated precision at 11 recall levels (mean over topics)",
            &curves
        )
    ))
}

fn topics_section(src: &Sources) -> String {
    let first = &src.rankers[0];
    let measures: Vec<&String> = first
        .measures
        .iter()
        .filter(|m| {
            first
                .per_topic
                .first()
                .is_some_and(|t| t.get(*m).is_some_and(Value::is_number))
        })
        .collect();
    let mut qids: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut values: Vec<std::collections::HashMap<&str, &serde_json::Map<String, Value>>> =
        Vec::new();
    for r in &src.rankers {
        let mut by = std::collections::HashMap::new();
        for t in &r.per_topic {
            let Some(q) = t.get("qid").and_then(Value::as_str) else {
                continue;
            };
            if seen.insert(q.to_string()) {
                qids.push(q.to_string());
            }
            by.insert(q, t);
        }
        values.push(by);
    }
    let mut head = vec![th("topic")];
    for (k, m) in measures.iter().enumerate() {
        for r in &src.rankers {
            head.push(format!(
                "<th class=\"mc m{k}\" title=\"{}\">{}</th>",
                esc(m),
                esc(&r.name)
            ));
        }
    }
    let rows: Vec<String> = qids
        .iter()
        .map(|q| {
            let mut row = format!("<td class=\"l\">{}</td>", esc(q));
            for (k, m) in measures.iter().enumerate() {
                for by in &values {
                    let v = by
                        .get(q.as_str())
                        .and_then(|t| t.get(*m))
                        .cloned()
                        .unwrap_or(Value::Null);
                    row.push_str(&number_cell(&v, &format!("mc m{k}")));
                }
            }
            row
        })
        .collect();
    let options: String = measures
        .iter()
        .enumerate()
        .map(|(k, m)| format!("<option value=\"{k}\">{}</option>", esc(m)))
        .collect();
    format!(
        "<section id=\"topics\"><h2>Per topic</h2><p class=\"note\">Each ranker's value of the chosen measure on every evaluated topic (eval.json). Search by topic id, keep only the topics where the rankers disagree, and click a column to sort.</p>\n\
         <div class=\"controls\"><label>measure <select id=\"topic-measure\">{options}</select></label>\
         <label>topic <input id=\"topic-search\" type=\"search\" placeholder=\"search topic ids\"></label>\
         <label><input id=\"topic-differ\" type=\"checkbox\"> only topics where the rankers differ</label>\
         <span id=\"topic-count\"></span></div>\n{}</section>\n",
        page::table("topic-table", "sortable", &head, &rows)
    )
}

/// The sections of the other results, one per top folder: `sweep/` (parameter sweeps: the
/// heatmap or line plot, the grid), `tune/` (cross-validation: the choice per fold, the
/// folds), and any other folder. Within a folder, plots come first; a CSV file of more than
/// [`OPEN_ROWS`] rows is folded.
fn extras_sections(src: &Sources) -> (Vec<(String, String)>, String) {
    let mut folders: Vec<&str> = Vec::new();
    for e in &src.extras {
        let top = e.path.split('/').next().unwrap_or("");
        if !folders.contains(&top) {
            folders.push(top);
        }
    }
    let mut nav = Vec::new();
    let mut s = String::new();
    for (fi, folder) in folders.iter().enumerate() {
        let (id, title, note) = match *folder {
            "sweep" => (
                "sweeps".to_string(),
                "Sweeps".to_string(),
                "Each ranker's parameter grid (sweep/RANKER/): the measure over the grid, then the grid's table (grid.csv: one row per point and measure) and its per-topic values (grid.topics.csv).",
            ),
            "tune" => (
                "tuning".to_string(),
                "Cross-validation".to_string(),
                "The parameters chosen for each fold on the other folds' topics, with the training and test means (tune/RANKER/choices.csv), and each topic's fold (folds.csv).",
            ),
            other => (
                format!("more-{fi}"),
                format!("{other}/"),
                "Other plots and tables of the output folder, shown as written.",
            ),
        };
        s.push_str(&format!(
            "<section id=\"{id}\"><h2>{}</h2><p class=\"note\">{}</p>\n",
            esc(&title),
            esc(note)
        ));
        let mut files: Vec<(usize, &Extra)> = src
            .extras
            .iter()
            .enumerate()
            .filter(|(_, e)| e.path.split('/').next() == Some(*folder))
            .collect();
        // Plots first, then tables; each in path order.
        files.sort_by_key(|(_, e)| (!e.path.ends_with(".svg"), e.path.clone()));
        for (i, e) in files {
            if e.path.ends_with(".svg") {
                s.push_str(&format!(
                    "<h3><code>{}</code></h3>\n<figure>{}</figure>\n",
                    esc(&e.path),
                    inline_svg(&e.text)
                ));
                continue;
            }
            let rows = e.text.lines().count().saturating_sub(1);
            let table = csv_table(&format!("extra-{i}"), &e.text);
            if rows <= OPEN_ROWS {
                s.push_str(&format!("<h3><code>{}</code></h3>\n{table}", esc(&e.path)));
            } else {
                s.push_str(&format!(
                    "<details><summary><code>{}</code> ({rows} rows)</summary>\n{table}</details>\n",
                    esc(&e.path)
                ));
            }
        }
        s.push_str("</section>\n");
        nav.push((id, title));
    }
    (nav, s)
}

/// CSV files with at most this many rows are shown open.
const OPEN_ROWS: usize = 30;

/// The fields of one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// An SVG file's markup from its `<svg` on (no XML declaration or doctype), marked as a plot.
fn inline_svg(text: &str) -> String {
    let start = text.find("<svg").unwrap_or(0);
    let body = &text[start..];
    match body.strip_prefix("<svg") {
        Some(rest) if !rest.contains("class=\"plot") => format!("<svg class=\"plot\"{rest}"),
        _ => body.to_string(),
    }
}

/// A CSV file as a sortable table, its first [`CSV_ROWS`] rows.
fn csv_table(id: &str, text: &str) -> String {
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return "<p class=\"note\">(empty)</p>".to_string();
    };
    let head: Vec<String> = csv_fields(header).iter().map(|h| th(h)).collect();
    let all: Vec<&str> = lines.collect();
    let rows: Vec<String> = all
        .iter()
        .take(CSV_ROWS)
        .map(|l| {
            csv_fields(l)
                .iter()
                .map(|cell| match cell.parse::<f64>() {
                    // Long decimals at 4 places (the full value in data-v).
                    Ok(v) if cell.split_once('.').is_some_and(|(_, d)| d.len() > 4) => {
                        format!("<td data-v=\"{}\">{v:.4}</td>", esc(cell))
                    }
                    Ok(_) => format!("<td data-v=\"{}\">{}</td>", esc(cell), esc(cell)),
                    Err(_) => format!("<td class=\"l\">{}</td>", esc(cell)),
                })
                .collect()
        })
        .collect();
    let mut s = page::table(id, "sortable", &head, &rows);
    if all.len() > CSV_ROWS {
        s.push_str(&format!(
            "<p class=\"note\">The first {CSV_ROWS} of {} rows; the file has them all.</p>\n",
            all.len()
        ));
    }
    s
}

fn provenance_section(src: &Sources) -> String {
    let m = &src.manifest;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "–".to_string(),
        other => other.to_string(),
    };
    let command: Vec<String> = m["command"]
        .as_array()
        .map(|v| v.iter().map(|a| shell_quote(&text(a))).collect())
        .unwrap_or_default();
    let list = |v: &Value| -> String {
        match v.as_array() {
            Some(a) if !a.is_empty() => {
                let items: Vec<String> = a.iter().map(text).collect();
                format!("{} ({})", a.len(), items.join(" "))
            }
            _ => "none".to_string(),
        }
    };
    let mut dl = Vec::new();
    let mut item = |k: &str, v: String| dl.push(format!("<dt>{}</dt><dd>{v}</dd>", esc(k)));
    item(
        "command",
        format!("<code>{}</code>", esc(&command.join(" "))),
    );
    item("irexp", esc(&text(&m["irexp_version"])));
    item("git commit", esc(&text(&m["git_commit"])));
    item("started (UTC)", esc(&text(&m["started_utc"])));
    item("threads", esc(&text(&m["threads"])));
    item(
        "index",
        esc(&format!(
            "{} documents ({} with terms), {} terms, {} tokens; cache key {}{}",
            m["index"]["documents"],
            m["index"]["documents_with_terms"],
            m["index"]["terms"],
            m["index"]["tokens"],
            text(&m["index_cache"]["key"]),
            if m["index_cache"]["reused"] == true {
                " (reused)"
            } else {
                " (built by this run)"
            }
        )),
    );
    item(
        "analyzer, ties, retrieval, depth",
        esc(&format!(
            "{}, {}, {}, {}",
            text(&m["analyzer"]),
            text(&m["tie_policy"]),
            text(&m["retrieval"]),
            text(&m["depth"])
        )),
    );
    item(
        "evaluation",
        esc(&format!(
            "eval.complete = {}, run.remove_query = {}",
            text(&m["eval_complete"]),
            text(&m["remove_query"])
        )),
    );
    item("topics read", esc(&text(&m["topics"])));
    item("empty topics", esc(&list(&m["topics_empty"])));
    item(
        "topics without terms",
        esc(&list(&m["topics_without_terms"])),
    );
    if let Some(mm) = m["topics_qrels_mismatch"].as_object() {
        item(
            "topics without qrels",
            esc(&list(
                &mm.get("topics_without_qrels").cloned().unwrap_or_default(),
            )),
        );
        item(
            "judged topics not in the topics",
            esc(&list(
                &mm.get("qrels_without_topics").cloned().unwrap_or_default(),
            )),
        );
    }
    let t = &m["timings_seconds"];
    let search: Vec<String> = t["search"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| format!("{} {:.2} s", text(&p[0]), f(&p[1])))
        .collect();
    item(
        "timings",
        esc(&format!(
            "index {:.2} s; search {}; total {:.2} s",
            f(&t["index"]),
            search.join(", "),
            f(&t["total"])
        )),
    );
    let mut s = format!(
        "<section id=\"provenance\"><h2>Provenance</h2><p class=\"note\">From manifest.json: what ran, with which build, on which inputs.</p><dl class=\"prov\">{}</dl>\n",
        dl.join("")
    );
    let files_table = |id: &str, rows: Vec<String>| {
        page::table(
            id,
            "sortable files",
            &[th("role"), th("path"), th("bytes"), th("SHA-256")],
            &rows,
        )
    };
    let inputs: Vec<String> = m["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            format!(
                "<td class=\"l\">{}</td><td class=\"l\">{}</td><td data-v=\"{}\">{}</td><td class=\"l hash\">{}</td>",
                esc(&text(&i["role"])),
                esc(&text(&i["path"])),
                i["bytes"],
                i["bytes"],
                esc(&text(&i["sha256"]))
            )
        })
        .collect();
    s.push_str(&format!("<h3>Inputs ({})</h3>\n", inputs.len()));
    s.push_str(&files_table("inputs-table", inputs));
    let outputs: Vec<String> = m["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["path"] != REPORT)
        .map(|o| {
            format!(
                "<td class=\"l\">output</td><td class=\"l\">{}</td><td data-v=\"{}\">{}</td><td class=\"l hash\">{}</td>",
                esc(&text(&o["path"])),
                o["bytes"],
                o["bytes"],
                esc(&text(&o["sha256"]))
            )
        })
        .collect();
    s.push_str(&format!(
        "<details><summary>Output files ({}, besides this page and manifest.json)</summary>\n{}</details>\n",
        outputs.len(),
        files_table("outputs-table", outputs)
    ));
    if let Some(config) = &src.config {
        s.push_str(&format!(
            "<details><summary>config.resolved.toml (every default explicit)</summary><pre>{}</pre></details>\n",
            esc(config)
        ));
    }
    s.push_str("</section>\n");
    s
}

/// An argument as a POSIX shell would need it quoted.
fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

/// The status page of `irexp verify --report`: one row per regression and ranker (and one for
/// its index statistics), one column per measure, each cell the expected value against the
/// value got, marked pass or fail.
pub fn status_page(verified: &[Verified]) -> String {
    let mut columns: Vec<String> = Vec::new();
    for v in verified {
        for c in &v.checks {
            if !columns.contains(&c.measure) {
                columns.push(c.measure.clone());
            }
        }
    }
    let mut rows = Vec::new();
    for v in verified {
        let mut groups: Vec<Option<&str>> = Vec::new();
        for c in &v.checks {
            if !groups.contains(&c.ranker.as_deref()) {
                groups.push(c.ranker.as_deref());
            }
        }
        for g in groups {
            let mut row = format!(
                "<td class=\"l\">{}</td><td class=\"l\">{}</td>",
                esc(&v.regression.name),
                esc(g.unwrap_or("(index)"))
            );
            for col in &columns {
                match v
                    .checks
                    .iter()
                    .find(|c| c.ranker.as_deref() == g && &c.measure == col)
                {
                    Some(c) => row.push_str(&format!(
                        "<td class=\"{cls}\" data-v=\"{got}\" title=\"{file}:{line}, tolerance: {tol}\">{exp} / {gt} {mark}</td>",
                        cls = if c.passed { "pass" } else { "fail" },
                        got = c.got.map(|g| g.to_string()).unwrap_or_default(),
                        file = esc(&v.regression.path.display().to_string()),
                        line = c.line,
                        tol = esc(&c.tolerance.describe()),
                        exp = esc(&c.expected),
                        gt = esc(&c.got_text),
                        mark = if c.passed { "✓" } else { "✗" },
                    )),
                    None => row.push_str("<td data-v=\"\"></td>"),
                }
            }
            rows.push(row);
        }
    }
    let total: usize = verified.iter().map(|v| v.checks.len()).sum();
    let failed: usize = verified
        .iter()
        .map(|v| v.checks.iter().filter(|c| !c.passed).count())
        .sum();
    let mut head = vec![th("experiment"), "<th class=\"l\">ranker</th>".to_string()];
    head.extend(columns.iter().map(|c| th(c)));
    let status = if failed == 0 {
        format!("<span class=\"status-pass\">all {total} values as expected</span>")
    } else {
        format!("<span class=\"status-fail\">{failed} of {total} values differ</span>")
    };
    let files: Vec<String> = verified
        .iter()
        .map(|v| {
            format!(
                "<td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l {}\">{}</td>",
                esc(&v.regression.name),
                esc(&v.regression.path.display().to_string()),
                if v.passed() { "pass" } else { "fail" },
                if v.passed() { "pass" } else { "FAIL" }
            )
        })
        .collect();
    let main = format!(
        "<section id=\"status\"><h2>Expected against got</h2><p class=\"note\">Each cell: the expected value (from the regression file) / the value irexp got, ✓ when it is within the tolerance (hover for the file, line and tolerance). {status}.</p>\n{}</section>\n\
         <section id=\"files\"><h2>Regression files</h2>{}</section>\n",
        page::table("status-table", "sortable", &head, &rows),
        page::table("files-table", "sortable", &[th("experiment"), th("file"), th("result")], &files),
    );
    page::document(
        "irexp verify",
        &format!(
            "{} regression files · {total} values · irexp {}",
            verified.len(),
            esc(crate::manifest::BUILD.irexp_version)
        ),
        &[
            ("status".to_string(), "Status".to_string()),
            ("files".to_string(), "Files".to_string()),
        ],
        &main,
        "Written by <code>irexp verify --report</code>. Self-contained: it loads nothing from the network.",
    )
}

/// Writes [`status_page`] to `path`.
pub fn write_status_page(path: &Path, verified: &[Verified]) -> Result<()> {
    crate::atomic::write(path, status_page(verified).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_never_show_minus_zero() {
        assert_eq!(signed(-1e-17, 4), "+0.0000");
        assert_eq!(signed(-0.0, 1), "+0.0");
        assert_eq!(signed(-0.00006, 4), "-0.0001");
        assert_eq!(signed(0.25, 2), "+0.25");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("run"), "run");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn csv_tables_cap_their_rows() {
        let text: String = std::iter::once("k,v\n".to_string())
            .chain((0..CSV_ROWS + 3).map(|i| format!("r{i},{i}\n")))
            .collect();
        let s = csv_table("x", &text);
        assert_eq!(s.matches("<tr>").count(), CSV_ROWS + 1);
        assert!(s.contains(&format!("The first {CSV_ROWS} of {} rows", CSV_ROWS + 3)));
    }

    #[test]
    fn csv_fields_follow_quotes() {
        assert_eq!(
            csv_fields("1,\"bm25[k1=1.2,b=0.6]\",1.2,\"a \"\"q\"\"\""),
            ["1", "bm25[k1=1.2,b=0.6]", "1.2", "a \"q\""]
        );
        assert_eq!(csv_fields(""), [""]);
    }
}

//! Regression files: an experiment with its expected index statistics and scores, checked by
//! `irexp verify`.
//!
//! A regression file is TOML. It names an experiment config by a path relative to itself
//! (`config = "../configs/parity/cacm.toml"`) or embeds one as `[config.SECTION]` tables, and
//! lists what the experiment must give:
//!
//! ```toml
//! config = "../configs/parity/cacm.toml"
//!
//! [index]                     # expected index statistics (each optional)
//! documents = 3204
//! terms = 14363
//! tokens = 320968
//!
//! [ranker.bm25]               # expected measures of ranker "bm25" (trec_eval names)
//! map = 0.3123                # exact to the printed digits: got, rounded to 4 decimals, is 0.3123
//! P_30 = 0.1942
//!
//! [ranker.bm25-terrier]
//! map = { value = 0.296517, tolerance = 0.0005 }   # |got - value| <= tolerance
//! ```
//!
//! [`Regression::read`] parses and checks a file (errors name the file and line);
//! [`Regression::verify`] runs the experiment through [`crate::experiment::execute`] (the
//! index cache is reused as by `irexp run`) and returns one [`Check`] per expected value;
//! [`Regression::update`] rewrites the expected values in the file's text, keeping everything
//! else (comments, order, tolerances) as it was.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Experiment, Override};
use crate::error::{Error, Location, Result};
use crate::eval::Measure;
use crate::experiment::{self, Report};
use crate::progress::Progress;

/// How close a value got must be to the expected one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// Equal once rounded to this many decimals, the digits the expected value is written
    /// with (the default, as in Anserini's regressions). Integers: equal.
    Digits(usize),
    /// `|got - expected| <= tolerance`.
    Absolute(f64),
}

impl Tolerance {
    /// Whether `got` passes against `expected`.
    pub fn accepts(&self, expected: f64, got: f64) -> bool {
        match *self {
            Tolerance::Digits(d) => format!("{expected:.d$}") == format!("{got:.d$}"),
            // The tolerance is written in decimal; allow for its binary rounding.
            Tolerance::Absolute(t) => (got - expected).abs() <= t * (1.0 + 1e-9),
        }
    }

    /// As shown in tables: `exact (4 decimals)`, `exact`, `± 0.0005`.
    pub fn describe(&self) -> String {
        match *self {
            Tolerance::Digits(0) => "exact".to_string(),
            Tolerance::Digits(d) => format!("exact to {d} decimals"),
            Tolerance::Absolute(t) => format!("± {t}"),
        }
    }
}

/// One expected value of a regression file.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The ranker, or `None` for an index statistic.
    pub ranker: Option<String>,
    /// The key as written (`map`, `P_30`, `documents`).
    pub key: String,
    /// The measure, for a ranker's value.
    pub measure: Option<Measure>,
    /// The value.
    pub value: f64,
    /// The value as written in the file (its digits set the default tolerance).
    pub literal: String,
    /// The tolerance.
    pub tolerance: Tolerance,
    /// The line of the value in the file.
    pub line: usize,
    /// The byte range of the value's literal in the file (what `--update` replaces).
    span: Range<usize>,
}

/// Where a regression's experiment config comes from.
#[derive(Debug, Clone)]
pub enum ConfigSource {
    /// A config file (the path resolved against the regression file's folder).
    File(PathBuf),
    /// `[config.SECTION]` tables in the regression file itself.
    Embedded,
}

/// A parsed and checked regression file.
#[derive(Debug, Clone)]
pub struct Regression {
    /// The file.
    pub path: PathBuf,
    /// The regression's name: the file name without `.toml`.
    pub name: String,
    /// The config.
    pub config: ConfigSource,
    /// The expected values: index statistics first, then each ranker's, in file order.
    pub expected: Vec<Expected>,
    text: String,
}

/// One expected value against the value got.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The ranker, or `None` for an index statistic.
    pub ranker: Option<String>,
    /// The key as written (`map`, `documents`).
    pub measure: String,
    /// The expected value as written.
    pub expected: String,
    /// The value got (`None`: the experiment has no such value, for example no qrels).
    pub got: Option<f64>,
    /// The value got, shown at the expected value's digits.
    pub got_text: String,
    /// The tolerance.
    pub tolerance: Tolerance,
    /// The line of the expected value in the regression file.
    pub line: usize,
    /// Whether it passed.
    pub passed: bool,
}

/// What verifying one regression file gave.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The regression.
    pub regression: Regression,
    /// One check per expected value, in the order of [`Regression::expected`].
    pub checks: Vec<Check>,
    /// The experiment's output folder.
    pub output: PathBuf,
}

impl Verified {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// The index statistics a regression may expect.
pub const INDEX_KEYS: [&str; 3] = ["documents", "terms", "tokens"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegression {
    config: Option<toml::Value>,
    index: Option<RawIndex>,
    #[serde(default)]
    ranker: std::collections::BTreeMap<String, std::collections::BTreeMap<String, RawExpected>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    documents: Option<RawExpected>,
    terms: Option<RawExpected>,
    tokens: Option<RawExpected>,
}

/// A number with the byte range of its literal.
struct RawExpected {
    value: f64,
    integer: bool,
    span: Range<usize>,
    tolerance: Option<f64>,
}

/// A number, integer or float.
struct Number {
    value: f64,
    integer: bool,
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Number, E> {
                Ok(Number {
                    value: v as f64,
                    integer: true,
                })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Number, E> {
                Ok(Number {
                    value: v as f64,
                    integer: true,
                })
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Number, E> {
                Ok(Number {
                    value: v,
                    integer: false,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawExpected {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        // A bare number, or { value = N, tolerance = T }.
        enum Either {
            Bare(Number),
            Table(toml::Spanned<Number>, Option<f64>),
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Either;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or { value = NUMBER, tolerance = NUMBER }")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Either, E> {
                Ok(Either::Bare(Number {
                    value: v as f64,
                    integer: true,
                }))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Either, E> {
                self.visit_i64(v as i64)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Either, E> {
                Ok(Either::Bare(Number {
                    value: v,
                    integer: false,
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Either, A::Error> {
                use serde::de::Error as _;
                let mut value = None;
                let mut tolerance = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<toml::Spanned<Number>>()?),
                        "tolerance" => tolerance = Some(map.next_value::<Number>()?.value),
                        other => {
                            return Err(A::Error::custom(format!(
                                "unknown key `{other}`: an expected value is a number or {{ value = NUMBER, tolerance = NUMBER }} (quote measure names with a dot: \"P.30\", or write P_30)"
                            )))
                        }
                    }
                }
                let value = value.ok_or_else(|| A::Error::custom("missing `value`"))?;
                Ok(Either::Table(value, tolerance))
            }
        }
        struct Wrapper(Either);
        impl<'de> Deserialize<'de> for Wrapper {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<Self, D::Error> {
                d.deserialize_any(V).map(Wrapper)
            }
        }
        let spanned = toml::Spanned::<Wrapper>::deserialize(d)?;
        let span = spanned.span();
        Ok(match spanned.into_inner().0 {
            Either::Bare(n) => RawExpected {
                value: n.value,
                integer: n.integer,
                span,
                tolerance: None,
            },
            Either::Table(n, tolerance) => {
                let span = n.span();
                let n = n.into_inner();
                RawExpected {
                    value: n.value,
                    integer: n.integer,
                    span,
                    tolerance,
                }
            }
        })
    }
}

/// Decimals a float literal is written with: `0.3123` → 4, `1.5e-3` → 4, `2` → 0.
fn decimals(literal: &str) -> usize {
    let clean: String = literal.chars().filter(|c| *c != '_').collect();
    let (mantissa, exponent) = match clean.find(['e', 'E']) {
        Some(i) => (&clean[..i], clean[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (clean.as_str(), 0),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
    (fraction - exponent).max(0) as usize
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Regression {
    /// Reads and checks a regression file. Errors name the file and the line.
    pub fn read(path: &Path) -> Result<Regression> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Regression::parse(&text, path)
    }

    /// Parses a regression file's text; `path` names it in errors and locates the config.
    pub fn parse(text: &str, path: &Path) -> Result<Regression> {
        let raw: RawRegression =
            toml::from_str(text).map_err(|e| crate::config::toml_error(text, path, &e))?;
        let here = |offset: usize| Location::line(path, line_of(text, offset));
        let config = match raw.config {
            Some(toml::Value::String(s)) => {
                let p = Path::new(&s);
                let base = path.parent().unwrap_or(Path::new(""));
                ConfigSource::File(if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    base.join(p)
                })
            }
            Some(toml::Value::Table(_)) if embedded_config_text(text).trim().is_empty() => {
                return Err(Error::config(
                    Location::file(path),
                    "embed the config as [config.SECTION] tables ([config.experiment], [config.corpus], [[config.ranker]], ...)",
                ));
            }
            Some(toml::Value::Table(_)) => ConfigSource::Embedded,
            Some(_) => {
                return Err(Error::config(
                    key_location(text, path, "config"),
                    "config is a path (a string) or [config.SECTION] tables",
                ))
            }
            None => {
                return Err(Error::config(
                    Location::file(path),
                    "no config: give config = \"PATH\" (relative to this file) or embed one as [config.SECTION] tables",
                ))
            }
        };
        let mut expected = Vec::new();
        if let Some(index) = raw.index {
            for (key, v) in INDEX_KEYS
                .iter()
                .zip([index.documents, index.terms, index.tokens])
            {
                let Some(v) = v else { continue };
                if !v.integer || v.tolerance.is_some() || v.value < 0.0 {
                    return Err(Error::config(
                        here(v.span.start),
                        format!("index.{key} is a count: write it as a whole number, without a tolerance"),
                    ));
                }
                expected.push(Expected {
                    ranker: None,
                    key: key.to_string(),
                    measure: None,
                    value: v.value,
                    literal: text[v.span.clone()].to_string(),
                    tolerance: Tolerance::Digits(0),
                    line: line_of(text, v.span.start),
                    span: v.span,
                });
            }
        }
        let mut rankers: Vec<Expected> = Vec::new();
        for (ranker, measures) in raw.ranker {
            for (key, v) in measures {
                let at = here(v.span.start);
                let measure: Measure = key.parse().map_err(|e| {
                    Error::config(at.clone(), format!("ranker.{ranker}: {key:?}: {e}"))
                })?;
                if measure.is_text() {
                    return Err(Error::config(
                        at,
                        format!("{key} has per-topic text values only; it cannot be expected"),
                    ));
                }
                let tolerance = match v.tolerance {
                    Some(t) if !(t >= 0.0 && t.is_finite()) => {
                        return Err(Error::config(
                            at,
                            format!("ranker.{ranker}.{key}: the tolerance must be a number >= 0"),
                        ))
                    }
                    Some(t) => Tolerance::Absolute(t),
                    None if v.integer => Tolerance::Digits(0),
                    None => Tolerance::Digits(decimals(&text[v.span.clone()])),
                };
                if !v.value.is_finite() {
                    return Err(Error::config(
                        at,
                        format!("ranker.{ranker}.{key}: the value must be a finite number"),
                    ));
                }
                rankers.push(Expected {
                    ranker: Some(ranker.clone()),
                    key,
                    measure: Some(measure),
                    value: v.value,
                    literal: text[v.span.clone()].to_string(),
                    tolerance,
                    line: line_of(text, v.span.start),
                    span: v.span,
                });
            }
        }
        // File order, not the map's alphabetical order.
        rankers.sort_by_key(|e| e.span.start);
        expected.extend(rankers);
        if expected.is_empty() {
            return Err(Error::config(
                Location::file(path),
                "expects nothing: add [index] statistics or [ranker.NAME] measures",
            ));
        }
        Ok(Regression {
            path: path.to_path_buf(),
            name: name_of(path),
            config,
            expected,
            text: text.to_string(),
        })
    }

    /// Loads the experiment with its output folder set to `output` (the index cache, unless
    /// the config names one, is then `index-cache` beside it), and with every measure the
    /// regression expects added to its measures. A ranker the config does not have is an
    /// error naming the regression file's line.
    pub fn experiment(&self, output: &Path) -> Result<Experiment> {
        let overrides = [output_override(output)?];
        let mut exp = match &self.config {
            ConfigSource::File(p) => Experiment::load(p, &overrides)
                .map_err(|e| e.within(self.location_of("config"), "the regression's config"))?,
            ConfigSource::Embedded => {
                Experiment::from_toml(&embedded_config_text(&self.text), &self.path, &overrides)?
            }
        };
        for e in &self.expected {
            let (Some(ranker), Some(m)) = (&e.ranker, &e.measure) else {
                continue;
            };
            if !exp.rankers.iter().any(|r| &r.name == ranker) {
                let names: Vec<&str> = exp.rankers.iter().map(|r| r.name.as_str()).collect();
                return Err(Error::config(
                    Location::line(&self.path, e.line),
                    format!(
                        "the config has no ranker {ranker:?} (it has {})",
                        names.join(", ")
                    ),
                ));
            }
            if exp.qrels.is_none() {
                return Err(Error::config(
                    Location::line(&self.path, e.line),
                    "the config has no [qrels]: its runs are not evaluated",
                ));
            }
            if !exp.measures.contains(m) {
                exp.measures.push(m.clone());
                exp.measure_names.push(m.to_string());
            }
        }
        Ok(exp)
    }

    /// Runs the experiment into `output` and checks every expected value.
    pub fn verify(
        &self,
        output: &Path,
        progress: &Progress,
        command: &[String],
    ) -> Result<Verified> {
        let exp = self.experiment(output)?;
        let report = experiment::execute(&exp, false, progress, command)?;
        Ok(Verified {
            checks: self.check(&report),
            regression: self.clone(),
            output: report.output,
        })
    }

    /// Checks every expected value against what an experiment produced.
    pub fn check(&self, report: &Report) -> Vec<Check> {
        self.expected
            .iter()
            .map(|e| {
                let got = got(e, report);
                let passed = got.is_some_and(|g| e.tolerance.accepts(e.value, g));
                let digits = match e.tolerance {
                    Tolerance::Digits(d) => d,
                    Tolerance::Absolute(_) => decimals(&e.literal),
                };
                let got_text = match got {
                    None => "(none)".to_string(),
                    Some(g) if e.measure.as_ref().is_none_or(Measure::is_integer) => {
                        format!("{g}")
                    }
                    Some(g) => format!("{g:.digits$}"),
                };
                Check {
                    ranker: e.ranker.clone(),
                    measure: e.key.clone(),
                    expected: e.literal.clone(),
                    got,
                    got_text,
                    tolerance: e.tolerance,
                    line: e.line,
                    passed,
                }
            })
            .collect()
    }

    /// The file's text with every expected value replaced by the value got (at the digits it
    /// was written with; counts as whole numbers), and a line per value that changed
    /// (`FILE:LINE: ranker bm25 map: 0.3123 -> 0.3124`). Comments, order and tolerances stay.
    pub fn update(&self, checks: &[Check]) -> (String, Vec<String>) {
        let mut text = self.text.clone();
        let mut changes = Vec::new();
        // Replace from the end so earlier spans stay valid.
        let mut pairs: Vec<(&Expected, &Check)> = self.expected.iter().zip(checks).collect();
        pairs.sort_by_key(|(e, _)| std::cmp::Reverse(e.span.start));
        for (e, c) in pairs {
            let Some(g) = c.got else { continue };
            let new = if e.literal.contains(['.', 'e', 'E']) {
                let d = decimals(&e.literal).max(1);
                format!("{g:.d$}")
            } else {
                format!("{}", g.round() as i64)
            };
            if new != e.literal {
                text.replace_range(e.span.clone(), &new);
                changes.push(format!(
                    "{}:{}: {} {}: {} -> {}",
                    self.path.display(),
                    e.line,
                    e.ranker
                        .as_ref()
                        .map_or("index".to_string(), |r| format!("ranker {r}")),
                    e.key,
                    e.literal,
                    new
                ));
            }
        }
        changes.reverse();
        (text, changes)
    }

    /// The config as the file names it: `configs/parity/cacm.toml`, or `embedded`.
    fn config_shown(&self) -> String {
        match &self.config {
            ConfigSource::File(p) => format!("`{}`", normalize(p).display()),
            ConfigSource::Embedded => "embedded".to_string(),
        }
    }

    /// The line of a top-level key, for errors about it.
    fn location_of(&self, key: &str) -> Location {
        key_location(&self.text, &self.path, key)
    }
}

/// `docs/regressions.md`: every regression file with its leading comment, its config and a
/// table of its expected values. `files` are named as given (relative to the repository
/// root).
pub fn catalog_markdown(regressions: &[Regression]) -> String {
    let mut s = String::from(
        "# Bundled regressions\n\n\
         Generated from `regressions/*.toml` by\n\
         `IREXP_WRITE_DOCS=1 cargo test --test integration verify::regressions_doc_is_current`;\n\
         do not edit by hand. Check them all with\n\
         `IREXP_COLLECTIONS=../shared/collections irexp verify regressions/*.toml` (see\n\
         [the format](#the-format) below).\n\n\
         | file | config | index statistics | rankers | values |\n|---|---|---|---|---|\n",
    );
    for r in regressions {
        let rankers: Vec<&str> = r.expected.iter().filter_map(|e| e.ranker.as_deref()).fold(
            Vec::new(),
            |mut v, name| {
                if !v.contains(&name) {
                    v.push(name);
                }
                v
            },
        );
        let index: Vec<String> = r
            .expected
            .iter()
            .filter(|e| e.ranker.is_none())
            .map(|e| format!("{} {}", e.key, e.literal))
            .collect();
        s.push_str(&format!(
            "| [{name}](#{name}) | {config} | {index} | {rankers} | {n} |\n",
            name = r.name,
            config = r.config_shown(),
            index = if index.is_empty() {
                "-".into()
            } else {
                index.join(", ")
            },
            rankers = rankers.join(", "),
            n = r.expected.len()
        ));
    }
    for r in regressions {
        s.push_str(&format!(
            "\n## {}\n\n`{}`, config {}.\n\n",
            r.name,
            r.path.display(),
            r.config_shown()
        ));
        let comment: Vec<&str> = r
            .text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        if !comment.is_empty() {
            s.push_str(&comment.join("\n"));
            s.push_str("\n\n");
        }
        s.push_str("| ranker | measure | expected | tolerance |\n|---|---|---:|---|\n");
        for e in &r.expected {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                e.ranker.as_deref().unwrap_or("(index)"),
                e.key.replace('_', "\\_"),
                e.literal,
                e.tolerance.describe()
            ));
        }
    }
    s.push_str(FORMAT_DOC);
    s
}

/// The format's description at the end of `docs/regressions.md`.
const FORMAT_DOC: &str = include_str!("regression_format.md");

/// A regression's name: its file name without `.toml`.
pub fn name_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "regression".to_string(), |s| s.to_string_lossy().into())
}

/// `--set experiment.output=OUTPUT` (made absolute).
pub fn output_override(output: &Path) -> Result<Override> {
    Ok(Override {
        key: "experiment.output".into(),
        value: std::path::absolute(output)
            .map_err(|e| Error::io(output, e))?
            .display()
            .to_string(),
    })
}

/// The value got for one expected value.
fn got(e: &Expected, report: &Report) -> Option<f64> {
    match (&e.ranker, &e.measure) {
        (None, _) => Some(match e.key.as_str() {
            "documents" => report.index.documents as f64,
            "terms" => report.index.terms as f64,
            _ => report.index.tokens as f64,
        }),
        (Some(ranker), Some(m)) => report
            .rankers
            .iter()
            .find(|r| &r.name == ranker)?
            .evaluation
            .as_ref()?
            .get(m),
        (Some(_), None) => None,
    }
}

fn key_location(text: &str, path: &Path, key: &str) -> Location {
    match text
        .lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains('='))
    {
        Some(i) => Location::line(path, i + 1),
        None => Location::file(path),
    }
}

/// The embedded config of a regression file as an experiment config's text: the
/// `[config.SECTION]` tables with `config.` removed from their headers, every other line
/// blanked, so that line numbers in errors are the regression file's.
fn embedded_config_text(text: &str) -> String {
    let mut inside = false;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(after) = t.strip_prefix('[') {
            let (open, rest) = match after.strip_prefix('[') {
                Some(r) => ("[[", r),
                None => ("[", after),
            };
            match rest.trim_start().strip_prefix("config.") {
                Some(section) => {
                    inside = true;
                    out.push_str(open);
                    out.push_str(section);
                }
                None => inside = false,
            }
        } else if inside {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A new regression file for `config` (written at `path`): the index statistics and, for
/// every ranker, every summary measure of the experiment's measures, as got in `report`
/// (4 decimals; counts whole). The config is named relative to the new file's folder when
/// it can be.
pub fn new_file_text(path: &Path, config: &Path, report: &Report) -> String {
    let base = std::path::absolute(path.parent().unwrap_or(Path::new("")))
        .unwrap_or_else(|_| PathBuf::from("."));
    let config_abs = std::path::absolute(config).unwrap_or_else(|_| config.to_path_buf());
    let shown = relative_path(&base, &config_abs)
        .unwrap_or(config_abs)
        .display()
        .to_string();
    let mut s = format!(
        "# Expected values written by `irexp verify --update` from irexp {}'s own output:\n\
         # replace them with a reference toolkit's numbers (and say where they come from).\n\
         config = {}\n\n[index]\ndocuments = {}\nterms = {}\ntokens = {}\n",
        crate::manifest::BUILD.irexp_version,
        toml::Value::String(shown),
        report.index.documents,
        report.index.terms,
        report.index.tokens
    );
    for r in &report.rankers {
        let Some(ev) = &r.evaluation else { continue };
        s.push_str(&format!("\n[ranker.{}]\n", toml_key(&r.name)));
        for (m, v) in ev.measures.iter().zip(&ev.summary) {
            if m.is_text() {
                continue;
            }
            let name = toml_key(&m.to_string());
            if m.is_integer() {
                s.push_str(&format!("{name} = {}\n", *v as i64));
            } else {
                s.push_str(&format!("{name} = {v:.4}\n"));
            }
        }
    }
    s
}

fn toml_key(k: &str) -> String {
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        toml::Value::String(k.to_string()).to_string()
    }
}

/// `p` with `a/../` pairs removed (no file system access).
fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<std::path::Component> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir
                if matches!(out.last(), Some(std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// `to` relative to `from` (both absolute), with `..` where needed.
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to_c: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut p = PathBuf::new();
    for _ in common..from.len() {
        p.push("..");
    }
    for c in &to_c[common..] {
        p.push(c.as_os_str());
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_count_the_written_digits() {
        assert_eq!(decimals("0.3123"), 4);
        assert_eq!(decimals("0.290905"), 6);
        assert_eq!(decimals("0.312_3"), 4);
        assert_eq!(decimals("1.5e-3"), 4);
        assert_eq!(decimals("12"), 0);
        assert_eq!(decimals("0.30"), 2);
    }

    #[test]
    fn digits_tolerance_compares_rounded_values() {
        let t = Tolerance::Digits(4);
        assert!(t.accepts(0.3123, 0.31234));
        assert!(t.accepts(0.3123, 0.31226));
        assert!(!t.accepts(0.3123, 0.31236));
        assert!(Tolerance::Absolute(0.0005).accepts(0.296517, 0.296621));
        assert!(!Tolerance::Absolute(0.0001).accepts(0.296517, 0.296621));
        assert!(Tolerance::Absolute(0.001).accepts(0.3648, 0.3658));
    }

    #[test]
    fn values_keep_file_order_and_lines() {
        let text = "config = \"x.toml\"\n[index]\ntokens = 5\n[ranker.b]\nmap = 0.25\n[ranker.a]\n\"P.10\" = { value = 0.5, tolerance = 0.01 }\nnum_q = 3\n";
        let r = Regression::parse(text, Path::new("dir/r.toml")).unwrap();
        let keys: Vec<(Option<&str>, &str, usize)> = r
            .expected
            .iter()
            .map(|e| (e.ranker.as_deref(), e.key.as_str(), e.line))
            .collect();
        assert_eq!(
            keys,
            [
                (None, "tokens", 3),
                (Some("b"), "map", 5),
                (Some("a"), "P.10", 7),
                (Some("a"), "num_q", 8)
            ]
        );
        assert_eq!(r.expected[1].tolerance, Tolerance::Digits(2));
        assert_eq!(r.expected[2].tolerance, Tolerance::Absolute(0.01));
        assert_eq!(r.expected[2].literal, "0.5");
        assert!(matches!(&r.config, ConfigSource::File(p) if p == Path::new("dir/x.toml")));
    }

    #[test]
    fn bad_files_name_the_line() {
        let cases = [
            ("config = \"x\"\n[ranker.a]\nmap = \"high\"\n", ":3"),
            ("config = \"x\"\n[ranker.a]\nmapp = 0.1\n", ":3"),
            ("config = \"x\"\n[index]\ndocuments = 1.5\n", ":3"),
            (
                "config = \"x\"\n[ranker.a]\nmap = { value = 0.1, tol = 1 }\n",
                ":3",
            ),
            (
                "config = \"x\"\n[ranker.a]\nmap = { value = 0.1, tolerance = -1 }\n",
                ":3",
            ),
            ("config = \"x\"\n[rankers.a]\nmap = 0.1\n", ":2"),
        ];
        for (text, line) in cases {
            let e = Regression::parse(text, Path::new("r.toml")).unwrap_err();
            assert!(e.is_user_error(), "{e}");
            assert!(
                e.to_string().contains(&format!("r.toml{line}")),
                "{text}: {e}"
            );
        }
        let e = Regression::parse("[ranker.a]\nmap = 0.1\n", Path::new("r.toml")).unwrap_err();
        assert!(e.to_string().contains("no config"), "{e}");
        let e = Regression::parse("config = \"x\"\n", Path::new("r.toml")).unwrap_err();
        assert!(e.to_string().contains("expects nothing"), "{e}");
    }

    #[test]
    fn embedded_config_keeps_its_lines() {
        let text = "[index]\ndocuments = 3\n[config.experiment]\nname = \"x\"\n[[config.ranker]]\nname = \"bm25\"\n[ranker.bm25]\nmap = 0.5\n";
        let c = embedded_config_text(text);
        assert_eq!(
            c,
            "\n\n[experiment]\nname = \"x\"\n[[ranker]]\nname = \"bm25\"\n\n\n"
        );
        assert!(matches!(
            Regression::parse(text, Path::new("r.toml")).unwrap().config,
            ConfigSource::Embedded
        ));
    }

    #[test]
    fn update_rewrites_values_only() {
        let text = "config = \"x\" # c\n[index]\ndocuments = 3 # docs\n[ranker.a]\nmap = 0.2500 # from X\nP_10 = { value = 0.5, tolerance = 0.1 }\n";
        let r = Regression::parse(text, Path::new("r.toml")).unwrap();
        let check = |got: f64| Check {
            ranker: None,
            measure: String::new(),
            expected: String::new(),
            got: Some(got),
            got_text: String::new(),
            tolerance: Tolerance::Digits(0),
            line: 0,
            passed: false,
        };
        let (new, changes) = r.update(&[check(4.0), check(0.25), check(0.61)]);
        assert_eq!(
            new,
            "config = \"x\" # c\n[index]\ndocuments = 4 # docs\n[ranker.a]\nmap = 0.2500 # from X\nP_10 = { value = 0.6, tolerance = 0.1 }\n"
        );
        assert_eq!(
            changes,
            [
                "r.toml:3: index documents: 3 -> 4",
                "r.toml:6: ranker a P_10: 0.5 -> 0.6"
            ]
        );
    }
}

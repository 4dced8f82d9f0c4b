//! `[[fusion]]` sections: a run made by fusing runs of the same config (rankers, `RANKER.cv`
//! runs, earlier fusions) and external TREC run files, with the options of `irexp fuse`.
//!
//! ```toml
//! [[fusion]]
//! name = "rrf"
//! method = "rrf"
//! runs = ["bm25", "ql", { file = "dense.run.gz" }]
//! ```

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::paths;
use crate::error::{Location, Result};
use crate::fuse::{Compat, FuseOptions, Method, Missing, Norm};
use crate::run::{ScoreFormat, TiePolicy};

/// A `[[fusion]]` section as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFusion {
    pub name: String,
    pub method: String,
    pub runs: Vec<RawFusionInput>,
    pub norm: Option<String>,
    pub k: Option<f64>,
    pub weights: Option<Vec<f64>>,
    pub alpha: Option<f64>,
    pub depth: Option<usize>,
    pub hits: Option<usize>,
    pub missing: Option<String>,
    pub compat: Option<String>,
}

/// One input of a `[[fusion]]`: a run of the config by name, or a run file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum RawFusionInput {
    Name(String),
    File { file: String },
}

/// One input of a fusion.
#[derive(Debug, Clone, PartialEq)]
pub enum FusionInput {
    /// A ranker, a `RANKER.cv` run or an earlier fusion of the same config.
    Run(String),
    /// A TREC run file (resolved path).
    File(PathBuf),
}

/// A validated `[[fusion]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FusionSpec {
    /// The fused run's name (its files are NAME.run and NAME.eval).
    pub name: String,
    /// The runs fused, in order (the order of the weights).
    pub inputs: Vec<FusionInput>,
    /// The options, tag = the name.
    pub options: FuseOptions,
    /// Where the section is (the line of its `name`), for errors found while fusing.
    pub location: Location,
}

impl FusionSpec {
    /// How the fused run's scores are printed: as `FuseRuns` prints them under
    /// `compat = "anserini"`, else in full (whatever the experiment's tie policy, which is for
    /// rankers).
    pub fn score_format(&self) -> ScoreFormat {
        match self.options.compat {
            Compat::Anserini => TiePolicy::Anserini.score_format(),
            Compat::Irexp => ScoreFormat::Shortest,
        }
    }
}

/// The resolved form of a `[[fusion]]`, for `config.resolved.toml`.
#[derive(Debug, Serialize)]
pub struct ResolvedFusion {
    name: String,
    method: &'static str,
    runs: Vec<RawFusionInput>,
    norm: &'static str,
    k: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    weights: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    depth: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<usize>,
    missing: &'static str,
    compat: &'static str,
}

impl From<&FusionSpec> for ResolvedFusion {
    fn from(f: &FusionSpec) -> Self {
        let o = &f.options;
        ResolvedFusion {
            name: f.name.clone(),
            method: o.method.name(),
            runs: f
                .inputs
                .iter()
                .map(|i| match i {
                    FusionInput::Run(n) => RawFusionInput::Name(n.clone()),
                    FusionInput::File(p) => RawFusionInput::File {
                        file: p.display().to_string(),
                    },
                })
                .collect(),
            norm: o.norm.name(),
            k: o.rrf_k,
            weights: o.weights.clone(),
            depth: o.depth,
            hits: o.hits,
            missing: o.missing.name(),
            compat: o.compat.name(),
        }
    }
}

/// Validates the `[[fusion]]` sections in order: names unique among the names of the config
/// (`runs`: rankers and `RANKER.cv` runs; `taken`: swept rankers), inputs naming one of `runs` or an earlier fusion, method and options as `irexp fuse` checks
/// them.
pub fn validate(
    raw: &[RawFusion],
    cx: &paths::Context<'_>,
    runs: &[String],
    taken: &[String],
) -> Result<Vec<FusionSpec>> {
    let mut out: Vec<FusionSpec> = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        let err = |key: &str, m: String| cx.error("fusion", Some(i), key, &m);
        let name = f.name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(err(
                "name",
                format!("fusion name {name:?} must be letters, digits, '-', '_' or '.' (it names output files)"),
            ));
        }
        if runs.iter().chain(taken).any(|r| r == name) || out.iter().any(|o| o.name == name) {
            return Err(err(
                "name",
                format!("{name:?} already names a run of this config; names must be unique"),
            ));
        }
        let method: Method = f.method.parse().map_err(|m| err("method", m))?;
        let mut options = FuseOptions::new(method);
        options.tag = name.to_string();
        if let Some(n) = &f.norm {
            options.norm = n.parse::<Norm>().map_err(|m| err("norm", m))?;
        }
        if let Some(m) = &f.missing {
            options.missing = m.parse::<Missing>().map_err(|m| err("missing", m))?;
        }
        if let Some(c) = &f.compat {
            options.compat = c.parse::<Compat>().map_err(|m| err("compat", m))?;
        }
        if let Some(k) = f.k {
            options.rrf_k = k;
        }
        match (&f.weights, f.alpha) {
            (Some(_), Some(_)) => {
                return Err(err("alpha", "give weights or alpha, not both".to_string()))
            }
            (Some(w), None) => options.weights = Some(w.clone()),
            (None, Some(a)) if f.runs.len() == 2 => options = options.alpha(a),
            (None, Some(_)) => {
                return Err(err(
                    "alpha",
                    format!(
                        "alpha interpolates two runs, and this fusion has {}; give weights instead",
                        f.runs.len()
                    ),
                ))
            }
            (None, None) => {}
        }
        options.depth = f.depth;
        options.hits = f.hits;
        let mut inputs = Vec::new();
        for input in &f.runs {
            inputs.push(match input {
                RawFusionInput::Name(n) => {
                    if !runs.contains(n) && !out.iter().any(|o| &o.name == n) {
                        let mut known: Vec<&str> = runs.iter().map(String::as_str).collect();
                        known.extend(out.iter().map(|o| o.name.as_str()));
                        return Err(err(
                            "runs",
                            format!(
                                "{n:?} is not a run of this config (runs: {}); a run file is {{ file = \"PATH\" }}",
                                known.join(", ")
                            ),
                        ));
                    }
                    FusionInput::Run(n.clone())
                }
                RawFusionInput::File { file } => {
                    FusionInput::File(cx.resolve_path_nth("fusion", Some(i), "runs", file)?)
                }
            });
        }
        options.check(inputs.len()).map_err(|e| match e {
            crate::Error::Config {
                location: Location::Argument(key),
                message,
            } => err(&key, message),
            other => other,
        })?;
        out.push(FusionSpec {
            name: name.to_string(),
            inputs,
            options,
            location: cx.locate("fusion", Some(i), "name"),
        });
    }
    Ok(out)
}

/// `names` and, for every fusion among them, its inputs (and theirs), so that `--ranker`
/// keeps what a fusion it keeps needs.
pub fn with_inputs(fusions: &[FusionSpec], names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    // A fusion's inputs come before it, so one pass from the last fusion finds them all.
    for f in fusions.iter().rev() {
        if names.contains(&f.name) {
            for input in &f.inputs {
                if let FusionInput::Run(n) = input {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    names
}

//! Runs derived from other runs: `[[fusion]]` sections (fusing runs of the same config and
//! external TREC run files, with the options of `irexp fuse`) and `[[rerank]]` sections
//! ([`super::rerank`]). Both are validated here, in the order they appear in the file: a
//! derived run may use the rankers, the `RANKER.cv` runs and the derived runs above it.
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
use super::rerank::{OnUnknown, RawRerank, RerankSpec};
use crate::error::{Location, Result};
use crate::fuse::{Compat, FuseOptions, Method, Missing, Norm};
use crate::rank::RankerSpec;
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

/// One input of a fusion, or the candidates of a re-ranking.
#[derive(Debug, Clone, PartialEq)]
pub enum FusionInput {
    /// A ranker, a `RANKER.cv` run or a derived run above, of the same config.
    Run(String),
    /// A TREC run file (resolved path).
    File(PathBuf),
}

impl FusionInput {
    /// As written in a resolved config.
    pub fn raw(&self) -> RawFusionInput {
        match self {
            FusionInput::Run(n) => RawFusionInput::Name(n.clone()),
            FusionInput::File(p) => RawFusionInput::File {
                file: p.display().to_string(),
            },
        }
    }
}

/// A run derived from other runs, in the order of the config file.
#[derive(Debug, Clone, PartialEq)]
pub enum Derived {
    /// A `[[fusion]]`.
    Fusion(FusionSpec),
    /// A `[[rerank]]`.
    Rerank(RerankSpec),
}

impl Derived {
    /// The run's name.
    pub fn name(&self) -> &str {
        match self {
            Derived::Fusion(f) => &f.name,
            Derived::Rerank(r) => &r.name,
        }
    }

    /// The fusion, if it is one.
    pub fn as_fusion(&self) -> Option<&FusionSpec> {
        match self {
            Derived::Fusion(f) => Some(f),
            Derived::Rerank(_) => None,
        }
    }

    /// The re-ranking, if it is one.
    pub fn as_rerank(&self) -> Option<&RerankSpec> {
        match self {
            Derived::Rerank(r) => Some(r),
            Derived::Fusion(_) => None,
        }
    }

    /// The runs it reads.
    pub fn inputs(&self) -> Vec<&FusionInput> {
        match self {
            Derived::Fusion(f) => f.inputs.iter().collect(),
            Derived::Rerank(r) => vec![&r.candidates],
        }
    }
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
            runs: f.inputs.iter().map(FusionInput::raw).collect(),
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

/// Validates the `[[fusion]]` and `[[rerank]]` sections in the order of the file: names
/// unique among the names of the config (`runs`: rankers and `RANKER.cv` runs; `taken`: swept
/// rankers), inputs naming one of `runs` or a derived run above, a rerank's `ranker` one of
/// `rankers`, and a fusion's method and options as `irexp fuse` checks them.
pub fn validate(
    fusions: &[RawFusion],
    reranks: &[RawRerank],
    cx: &paths::Context<'_>,
    runs: &[String],
    taken: &[String],
    rankers: &[RankerSpec],
) -> Result<Vec<Derived>> {
    let line = |section: &str, i: usize| cx.locate(section, Some(i), "name").line_number();
    let mut order: Vec<(Option<usize>, bool, usize)> = (0..fusions.len())
        .map(|i| (line("fusion", i), true, i))
        .chain((0..reranks.len()).map(|i| (line("rerank", i), false, i)))
        .collect();
    order.sort();
    let mut out: Vec<Derived> = Vec::new();
    for (_, is_fusion, i) in order {
        let section = if is_fusion { "fusion" } else { "rerank" };
        let raw_name = if is_fusion {
            &fusions[i].name
        } else {
            &reranks[i].name
        };
        let err = |key: &str, m: String| cx.error(section, Some(i), key, &m);
        let name = raw_name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(err(
                "name",
                format!("{section} name {name:?} must be letters, digits, '-', '_' or '.' (it names output files)"),
            ));
        }
        if runs.iter().chain(taken).any(|r| r == name) || out.iter().any(|o| o.name() == name) {
            return Err(err(
                "name",
                format!("{name:?} already names a run of this config; names must be unique"),
            ));
        }
        let input = |raw: &RawFusionInput, key: &str| -> Result<FusionInput> {
            match raw {
                RawFusionInput::Name(n) => {
                    if !runs.contains(n) && !out.iter().any(|o| o.name() == n) {
                        let mut known: Vec<&str> = runs.iter().map(String::as_str).collect();
                        known.extend(out.iter().map(Derived::name));
                        return Err(err(
                            key,
                            format!(
                                "{n:?} is not a run of this config above this section (runs: {}); a run file is {{ file = \"PATH\" }}",
                                known.join(", ")
                            ),
                        ));
                    }
                    Ok(FusionInput::Run(n.clone()))
                }
                RawFusionInput::File { file } => Ok(FusionInput::File(cx.resolve_path_nth(
                    section,
                    Some(i),
                    key,
                    file,
                )?)),
            }
        };
        if !is_fusion {
            let r = &reranks[i];
            let ranker = rankers.iter().find(|k| k.name == r.ranker).ok_or_else(|| {
                let names: Vec<&str> = rankers.iter().map(|k| k.name.as_str()).collect();
                err(
                    "ranker",
                    format!(
                        "{:?} is not a [[ranker]] with fixed parameters (rankers: {})",
                        r.ranker,
                        names.join(", ")
                    ),
                )
            })?;
            let on_unknown = match &r.on_unknown {
                Some(o) => o.parse::<OnUnknown>().map_err(|m| err("on_unknown", m))?,
                None => OnUnknown::Error,
            };
            if r.candidates_depth == Some(0) {
                return Err(err(
                    "candidates_depth",
                    "candidates_depth must be at least 1".to_string(),
                ));
            }
            out.push(Derived::Rerank(RerankSpec {
                name: name.to_string(),
                ranker: RankerSpec {
                    name: name.to_string(),
                    model: ranker.model.clone(),
                },
                ranker_name: r.ranker.clone(),
                candidates: input(&r.candidates, "candidates")?,
                depth: r.candidates_depth,
                on_unknown,
                location: cx.locate(section, Some(i), "name"),
            }));
            continue;
        }
        let f = &fusions[i];
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
        let inputs = f
            .runs
            .iter()
            .map(|r| input(r, "runs"))
            .collect::<Result<Vec<_>>>()?;
        options.check(inputs.len()).map_err(|e| match e {
            crate::Error::Config {
                location: Location::Argument(key),
                message,
            } => err(&key, message),
            other => other,
        })?;
        out.push(Derived::Fusion(FusionSpec {
            name: name.to_string(),
            inputs,
            options,
            location: cx.locate(section, Some(i), "name"),
        }));
    }
    Ok(out)
}

/// `names` and, for every derived run among them, its inputs (and theirs; a re-ranking's
/// ranker too), so that `--ranker` keeps what a derived run it keeps needs.
pub fn with_inputs(derived: &[Derived], names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    // A derived run's inputs come before it, so one pass from the last finds them all.
    for d in derived.iter().rev() {
        if names.iter().any(|n| n == d.name()) {
            let mut needed: Vec<String> = d
                .inputs()
                .into_iter()
                .filter_map(|i| match i {
                    FusionInput::Run(n) => Some(n.clone()),
                    FusionInput::File(_) => None,
                })
                .collect();
            if let Derived::Rerank(r) = d {
                needed.push(r.ranker_name.clone());
            }
            for n in needed {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    names
}

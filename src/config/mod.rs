//! Experiment configuration: a TOML file, plus `--set key=value` overrides, resolved into a
//! validated [`Experiment`].
//!
//! Precedence is built-in defaults < the TOML file < `--set`. Resolution happens in two
//! stages, as in ripgrep: [`raw`] mirrors the file exactly (unknown keys are errors naming the
//! key and line), then [`Experiment::load`] validates values, expands `${VAR}` in paths,
//! resolves relative paths against the config file's folder and fills in every default.

mod paths;
mod raw;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::Profile;
use crate::corpus::{Content, CorpusSpec, Format};
use crate::error::{Error, Location, Result};
use crate::eval::Measure;
use crate::qrels::QrelsFormat;
use crate::rank::bm25::{Bm25, Norms};
use crate::rank::{Model, RankerSpec};
use crate::run::TiePolicy;
use crate::topics::{Numbering, TopicField, TopicsFormat};
use raw::RawConfig;

/// The measures computed when a config names none.
pub const DEFAULT_MEASURES: &[&str] = &[
    "num_q",
    "num_ret",
    "num_rel",
    "num_rel_ret",
    "map",
    "P.5,10,20,30",
    "recall.100,1000",
    "ndcg",
    "ndcg_cut.5,10,20",
    "recip_rank",
];

/// The default number of documents retrieved per topic.
pub const DEFAULT_DEPTH: usize = 1000;

/// Where the topics come from and which field is the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicsSpec {
    /// The file format.
    pub format: TopicsFormat,
    /// The topics file.
    pub path: PathBuf,
    /// The field (or fields) used as the query (TREC topics; the other formats have one).
    pub field: TopicField,
    /// How SMART queries are numbered.
    pub numbering: Numbering,
}

/// Where the judgments come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrelsSpec {
    /// The file format.
    pub format: QrelsFormat,
    /// The qrels file.
    pub path: PathBuf,
}

/// Run-writing options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Documents retrieved per topic.
    pub depth: usize,
    /// How score ties are ordered and written.
    pub ties: TiePolicy,
    /// Anserini's `-removeQuery`: drop retrieved documents whose id equals the topic id.
    pub remove_query: bool,
}

/// A validated experiment: every path resolved, every default filled in.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The experiment's name.
    pub name: String,
    /// The config file it was read from.
    pub config_path: PathBuf,
    /// The folder that receives every output.
    pub output: PathBuf,
    /// The corpus.
    pub corpus: CorpusSpec,
    /// The topics.
    pub topics: TopicsSpec,
    /// The qrels; without them, runs are written but not evaluated.
    pub qrels: Option<QrelsSpec>,
    /// The analyzer profile for documents and queries.
    pub analyzer: Profile,
    /// The rankers, in config order.
    pub rankers: Vec<RankerSpec>,
    /// Run options.
    pub run: RunOptions,
    /// Measures to compute.
    pub measures: Vec<Measure>,
    /// The measure names as configured (for the resolved config).
    pub measure_names: Vec<String>,
    /// `trec_eval -c`: average over every qrels topic, missing topics scoring 0.
    pub complete: bool,
}

/// One `--set key=value` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The dotted key, e.g. `ranker.bm25.k1` or `run.depth`.
    pub key: String,
    /// The value as typed; parsed as a TOML value when possible, else taken as a string.
    pub value: String,
}

impl std::str::FromStr for Override {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (key, value) = s
            .split_once('=')
            .ok_or_else(|| format!("expected key=value, got {s:?}"))?;
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(format!("{key:?} is not a dotted key such as run.depth"));
        }
        Ok(Override {
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

impl Experiment {
    /// Reads `path`, applies `overrides` and validates the result.
    pub fn load(path: &Path, overrides: &[Override]) -> Result<Experiment> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Experiment::from_toml(&text, path, overrides)
    }

    /// Like [`Experiment::load`], from text already read; `path` locates relative paths and
    /// names the file in errors.
    pub fn from_toml(text: &str, path: &Path, overrides: &[Override]) -> Result<Experiment> {
        // Stage 1: the file alone, so that schema errors carry the file's line numbers.
        let from_file: RawConfig = toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
        // Stage 2: apply overrides to the parsed tree and deserialize again.
        let raw = if overrides.is_empty() {
            from_file
        } else {
            let mut table: toml::Table =
                toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
            for o in overrides {
                apply_override(&mut table, o)?;
            }
            let keys: Vec<&str> = overrides.iter().map(|o| o.key.as_str()).collect();
            table.try_into().map_err(|e: toml::de::Error| {
                Error::config(
                    Location::file(format!("--set {}", keys.join(", "))),
                    e.message().to_string(),
                )
            })?
        };
        let cx = paths::Context {
            text,
            path,
            overrides,
        };
        Experiment::validate(raw, &cx)
    }

    fn validate(raw: RawConfig, cx: &paths::Context<'_>) -> Result<Experiment> {
        let name = raw.experiment.name.trim().to_string();
        if name.is_empty() {
            return Err(cx.error("experiment", None, "name", "experiment.name is empty"));
        }
        let output = match &raw.experiment.output {
            Some(o) => cx.resolve_path("experiment", "output", o)?,
            None => std::env::current_dir()
                .map_err(|e| Error::io(".", e))?
                .join("runs")
                .join(&name),
        };
        let content = match &raw.corpus.content {
            Some(v) => {
                Content::from_config(v).map_err(|m| cx.error("corpus", None, "content", &m))?
            }
            None => raw.corpus.format.default_content(),
        };
        raw.corpus
            .format
            .check_content(&content)
            .map_err(|m| cx.error("corpus", None, "content", &m))?;
        let corpus = CorpusSpec {
            format: raw.corpus.format,
            path: cx.resolve_path("corpus", "path", &raw.corpus.path)?,
            content,
            skip_malformed: raw.corpus.skip_malformed.unwrap_or(false),
            empty_documents: raw.corpus.empty_documents.unwrap_or_default(),
        };
        if corpus.skip_malformed && !matches!(corpus.format, Format::Trec | Format::Trecweb) {
            return Err(cx.error(
                "corpus",
                None,
                "skip_malformed",
                "corpus.skip_malformed applies only to the trec and trecweb formats",
            ));
        }
        if raw.topics.numbering.is_some() && raw.topics.format != TopicsFormat::Smart {
            return Err(cx.error(
                "topics",
                None,
                "numbering",
                "topics.numbering applies only to format = \"smart\"",
            ));
        }
        let topics = TopicsSpec {
            format: raw.topics.format,
            path: cx.resolve_path("topics", "path", &raw.topics.path)?,
            field: raw.topics.field,
            numbering: raw.topics.numbering.unwrap_or_default(),
        };
        let qrels = match &raw.qrels {
            Some(q) => Some(QrelsSpec {
                format: q.format,
                path: cx.resolve_path("qrels", "path", &q.path)?,
            }),
            None => None,
        };
        if raw.rankers.is_empty() {
            return Err(cx.error(
                "ranker",
                None,
                "name",
                "the config has no [[ranker]] section",
            ));
        }
        let mut rankers: Vec<RankerSpec> = Vec::new();
        for (i, r) in raw.rankers.iter().enumerate() {
            let spec = validate_ranker(r, i, cx)?;
            if rankers.iter().any(|other| other.name == spec.name) {
                return Err(cx.error(
                    "ranker",
                    Some(i),
                    "name",
                    &format!(
                        "two rankers are named {:?}; names must be unique",
                        spec.name
                    ),
                ));
            }
            rankers.push(spec);
        }
        let depth = raw.run.depth.unwrap_or(DEFAULT_DEPTH);
        if depth == 0 {
            return Err(cx.error("run", None, "depth", "run.depth must be at least 1"));
        }
        let measure_names: Vec<String> = match &raw.eval.measures {
            Some(m) => m.clone(),
            None => DEFAULT_MEASURES.iter().map(|s| s.to_string()).collect(),
        };
        let mut measures: Vec<Measure> = Vec::new();
        for spec in &measure_names {
            let parsed = crate::eval::parse_measures(spec)
                .map_err(|e| cx.error("eval", None, "measures", &e.to_string()))?;
            for m in parsed {
                if !measures.contains(&m) {
                    measures.push(m);
                }
            }
        }
        Ok(Experiment {
            name,
            config_path: cx.path.to_path_buf(),
            output,
            corpus,
            topics,
            qrels,
            analyzer: raw.analyzer.profile,
            rankers,
            run: RunOptions {
                depth,
                ties: raw.run.ties.unwrap_or_default(),
                remove_query: raw.run.remove_query.unwrap_or(false),
            },
            measures,
            measure_names,
            complete: raw.eval.complete.unwrap_or(false),
        })
    }

    /// The configuration as TOML with every default made explicit and every path resolved.
    pub fn to_resolved_toml(&self) -> String {
        #[derive(Serialize)]
        struct Resolved<'a> {
            experiment: ResolvedExperiment<'a>,
            corpus: ResolvedCorpus,
            topics: ResolvedTopics,
            #[serde(skip_serializing_if = "Option::is_none")]
            qrels: Option<ResolvedQrels>,
            analyzer: ResolvedAnalyzer,
            ranker: Vec<ResolvedRanker<'a>>,
            run: ResolvedRun,
            eval: ResolvedEval<'a>,
        }
        #[derive(Serialize)]
        struct ResolvedExperiment<'a> {
            name: &'a str,
            output: String,
        }
        #[derive(Serialize)]
        struct ResolvedCorpus {
            format: crate::corpus::Format,
            path: String,
            content: crate::corpus::ContentValue,
            skip_malformed: bool,
            empty_documents: crate::corpus::EmptyDocuments,
        }
        #[derive(Serialize)]
        struct ResolvedTopics {
            format: TopicsFormat,
            path: String,
            field: TopicField,
            #[serde(skip_serializing_if = "Option::is_none")]
            numbering: Option<Numbering>,
        }
        #[derive(Serialize)]
        struct ResolvedQrels {
            format: QrelsFormat,
            path: String,
        }
        #[derive(Serialize)]
        struct ResolvedAnalyzer {
            profile: Profile,
        }
        #[derive(Serialize)]
        struct ResolvedRanker<'a> {
            name: &'a str,
            #[serde(flatten)]
            model: &'a Model,
        }
        #[derive(Serialize)]
        struct ResolvedRun {
            depth: usize,
            ties: TiePolicy,
            remove_query: bool,
        }
        #[derive(Serialize)]
        struct ResolvedEval<'a> {
            measures: &'a [String],
            complete: bool,
        }
        let show = |p: &Path| p.display().to_string();
        let resolved = Resolved {
            experiment: ResolvedExperiment {
                name: &self.name,
                output: show(&self.output),
            },
            corpus: ResolvedCorpus {
                format: self.corpus.format,
                path: show(&self.corpus.path),
                content: self.corpus.content.to_config(),
                skip_malformed: self.corpus.skip_malformed,
                empty_documents: self.corpus.empty_documents,
            },
            topics: ResolvedTopics {
                format: self.topics.format,
                path: show(&self.topics.path),
                field: self.topics.field,
                numbering: (self.topics.format == TopicsFormat::Smart)
                    .then_some(self.topics.numbering),
            },
            qrels: self.qrels.as_ref().map(|q| ResolvedQrels {
                format: q.format,
                path: show(&q.path),
            }),
            analyzer: ResolvedAnalyzer {
                profile: self.analyzer,
            },
            ranker: self
                .rankers
                .iter()
                .map(|r| ResolvedRanker {
                    name: &r.name,
                    model: &r.model,
                })
                .collect(),
            run: ResolvedRun {
                depth: self.run.depth,
                ties: self.run.ties,
                remove_query: self.run.remove_query,
            },
            eval: ResolvedEval {
                measures: &self.measure_names,
                complete: self.complete,
            },
        };
        let mut out = format!(
            "# Resolved by irexp {} from {}; every default is explicit.\n",
            env!("CARGO_PKG_VERSION"),
            self.config_path.display()
        );
        out.push_str(
            &toml::to_string(&resolved).unwrap_or_else(|e| format!("# not serializable: {e}\n")),
        );
        out
    }
}

fn validate_ranker(r: &raw::RawRanker, i: usize, cx: &paths::Context<'_>) -> Result<RankerSpec> {
    let name = r.name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        || name.starts_with('.')
    {
        return Err(cx.error(
            "ranker",
            Some(i),
            "name",
            &format!("ranker name {name:?} must be letters, digits, '-', '_' or '.' (it names output files)"),
        ));
    }
    let model = match r.model.as_str() {
        "bm25" => {
            let d = Bm25::default();
            let k1 = r.k1.unwrap_or(d.k1);
            let b = r.b.unwrap_or(d.b);
            if !(k1.is_finite() && k1 >= 0.0) {
                return Err(cx.error(
                    "ranker",
                    Some(i),
                    "k1",
                    &format!("k1 must be a finite number >= 0, not {k1}"),
                ));
            }
            if !(0.0..=1.0).contains(&b) {
                return Err(cx.error(
                    "ranker",
                    Some(i),
                    "b",
                    &format!("b must be between 0 and 1, not {b}"),
                ));
            }
            Model::Bm25(Bm25 {
                k1,
                b,
                norms: r.norms.unwrap_or(Norms::Lucene),
            })
        }
        other => {
            return Err(cx.error(
                "ranker",
                Some(i),
                "model",
                &format!("unknown model {other:?}; known models: bm25"),
            ))
        }
    };
    Ok(RankerSpec {
        name: name.to_string(),
        model,
    })
}

/// Turns a TOML error into one that names the file and line.
fn toml_error(text: &str, path: &Path, e: &toml::de::Error) -> Error {
    let location = match e.span() {
        Some(span) => Location::line(
            path,
            text[..span.start.min(text.len())].matches('\n').count() + 1,
        ),
        None => Location::file(path),
    };
    Error::config(location, e.message().trim().to_string())
}

/// Applies one override to the parsed TOML tree. `ranker.NAME.key` addresses the
/// `[[ranker]]` whose name is NAME.
fn apply_override(table: &mut toml::Table, o: &Override) -> Result<()> {
    let here = || Location::file(format!("--set {}", o.key));
    let value = parse_override_value(&o.value);
    let parts: Vec<&str> = o.key.split('.').collect();
    let (section_path, key) = parts.split_at(parts.len() - 1);
    let key = key[0];
    let mut node: &mut toml::Table = table;
    let mut i = 0;
    while i < section_path.len() {
        let part = section_path[i];
        if part == "ranker" {
            let name = section_path.get(i + 1).ok_or_else(|| {
                Error::config(here(), "address a ranker by name: ranker.NAME.key")
            })?;
            let rankers = node
                .get_mut("ranker")
                .and_then(|v| v.as_array_mut())
                .ok_or_else(|| Error::config(here(), "the config has no [[ranker]] sections"))?;
            let found = rankers.iter_mut().find_map(|r| {
                r.as_table_mut()
                    .filter(|t| t.get("name").and_then(|n| n.as_str()) == Some(*name))
            });
            node = found
                .ok_or_else(|| Error::config(here(), format!("no ranker is named {name:?}")))?;
            i += 2;
            continue;
        }
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(Default::default()));
        node = entry
            .as_table_mut()
            .ok_or_else(|| Error::config(here(), format!("{part} is not a section")))?;
        i += 1;
    }
    node.insert(key.to_string(), value);
    Ok(())
}

fn parse_override_value(text: &str) -> toml::Value {
    let wrapped = format!("v = {text}");
    match toml::from_str::<toml::Table>(&wrapped) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(text.to_string())),
        Err(_) => toml::Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests;

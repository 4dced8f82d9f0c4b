//! Experiment configuration: a TOML file, plus `--set key=value` overrides, resolved into a
//! validated [`Experiment`].
//!
//! Precedence is built-in defaults < the TOML file < `--set`. Resolution happens in two
//! stages, as in ripgrep: [`raw`] mirrors the file exactly (unknown keys are errors naming the
//! key and line), then [`Experiment::load`] validates values, expands `${VAR}` in paths,
//! resolves relative paths against the config file's folder and fills in every default.

mod fusion;
mod paths;
mod raw;
mod rerank;
pub mod sweep;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::{AnalyzerSpec, Profile, Stemmer, Stopwords};
use crate::corpus::{Content, CorpusSpec, EmptyDocuments, Format};
use crate::error::{Error, Location, Result};
use crate::eval::Measure;
use crate::qrels::QrelsFormat;
use crate::rank::{registry, RankerSpec, Retrieval};
use crate::run::TiePolicy;
use crate::topics::{Numbering, TopicField, TopicsFormat};
pub use fusion::{Derived, FusionInput, FusionSpec};
use raw::{RawConfig, RawFolds};
pub use rerank::{OnUnknown, RerankSpec};
pub use sweep::{Axis, FoldsSpec, GridPoint, SweepSpec, TuneSpec};

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
    /// `topics.subset`: a file of qids (whitespace-separated); only these topics are ranked.
    pub subset: Option<PathBuf>,
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
    /// How the top k is found (the result is the same either way).
    pub retrieval: Retrieval,
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
    /// The folder that holds on-disk indexes, one subfolder per cache key, and the run cache
    /// (`[index] cache`, by default [`default_cache`]: never derived from the output folder,
    /// so changing `experiment.output` reuses the same indexes and runs).
    pub index_cache: PathBuf,
    /// Memory for buffered postings while indexing, in MiB (`[index] memory_mb`, default
    /// [`DEFAULT_MEMORY_MB`](crate::index::DEFAULT_MEMORY_MB)); past it, segments are flushed
    /// to disk and merged at the end. It does not change the index.
    pub index_memory_mb: usize,
    /// The corpus.
    pub corpus: CorpusSpec,
    /// The topics.
    pub topics: TopicsSpec,
    /// The qrels; without them, runs are written but not evaluated.
    pub qrels: Option<QrelsSpec>,
    /// The analyzer for documents and queries.
    pub analyzer: AnalyzerSpec,
    /// The rankers with fixed parameters, in config order.
    pub rankers: Vec<RankerSpec>,
    /// The swept rankers (a parameter given as a list or a range), in config order.
    pub sweeps: Vec<SweepSpec>,
    /// The `[[tune]]` sections: each cross-validates a sweep into the run `RANKER.cv`.
    pub tunes: Vec<TuneSpec>,
    /// The `[[fusion]]` and `[[rerank]]` sections, in the order of the file: each makes the
    /// run NAME from runs above it.
    pub derived: Vec<Derived>,
    /// Run options.
    pub run: RunOptions,
    /// Measures to compute.
    pub measures: Vec<Measure>,
    /// The measure names as configured (for the resolved config).
    pub measure_names: Vec<String>,
    /// `trec_eval -c`: average over every qrels topic, missing topics scoring 0.
    pub complete: bool,
    /// The comparison that ends the run (`[compare]`), if any.
    pub compare: Option<CompareSpec>,
    /// Where each path-valued key was set (`corpus.path` → the config file and line, or
    /// `--set corpus.path`), so that an error about the file can name the key.
    pub origins: Vec<(String, Location)>,
}

/// The `[compare]` section: the analysis, declared before any run exists.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSpec {
    /// The baselines, by ranker name; each is compared with every other ranker.
    pub baselines: Vec<String>,
    /// The measure names as configured (for the resolved config).
    pub measure_names: Vec<String>,
    /// Everything else; `options.baseline` is replaced by each baseline in turn.
    pub options: crate::compare::CompareOptions,
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
                    Location::arg(format!("--set {}", keys.join(", "))),
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
        let index_cache = match raw.index.as_ref().and_then(|i| i.cache.as_ref()) {
            Some(c) => cx.resolve_path("index", "cache", c)?,
            None => default_cache().ok_or_else(|| {
                cx.error(
                    "index",
                    None,
                    "cache",
                    "neither XDG_CACHE_HOME nor HOME is set, so there is no default cache folder: set index.cache",
                )
            })?,
        };
        let index_memory_mb = match raw.index.as_ref().and_then(|i| i.memory_mb) {
            None => crate::index::DEFAULT_MEMORY_MB,
            Some(mb) if (1..=1 << 30).contains(&mb) => mb as usize,
            Some(mb) => {
                return Err(cx.error(
                    "index",
                    None,
                    "memory_mb",
                    &format!("index.memory_mb must be a positive number of MiB, not {mb}"),
                ))
            }
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
            empty_documents: raw
                .corpus
                .empty_documents
                .unwrap_or_else(|| EmptyDocuments::default_for(raw.analyzer.profile)),
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
            subset: match &raw.topics.subset {
                Some(p) => Some(cx.resolve_path("topics", "subset", p)?),
                None => None,
            },
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
        let mut sweeps: Vec<SweepSpec> = Vec::new();
        for (i, r) in raw.rankers.iter().enumerate() {
            let (name, sweep) = validate_ranker(r, i, cx, &rankers)?;
            if rankers.iter().any(|other| other.name == name)
                || sweeps.iter().any(|other| other.name == name)
            {
                return Err(cx.error(
                    "ranker",
                    Some(i),
                    "name",
                    &format!("two rankers are named {name:?}; names must be unique"),
                ));
            }
            match sweep {
                Validated::Fixed(spec) => rankers.push(spec),
                Validated::Swept(spec) => sweeps.push(spec),
            }
        }
        let tunes = validate_tunes(&raw.tunes, cx, &rankers, &sweeps, qrels.is_some())?;
        let derived = fusion::validate(
            &raw.fusions,
            &raw.reranks,
            cx,
            &systems(&rankers, &tunes, &[]),
            &sweeps.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            &rankers,
        )?;
        if !sweeps.is_empty() && qrels.is_none() {
            return Err(cx.error(
                "ranker",
                None,
                "name",
                &format!(
                    "ranker {:?} sweeps parameters, which needs judgments to compare its points: add a [qrels] section",
                    sweeps[0].name
                ),
            ));
        }
        let analyzer = AnalyzerSpec {
            profile: raw.analyzer.profile,
            stopwords: match raw.analyzer.stopwords.as_deref() {
                None => match raw.analyzer.profile {
                    Profile::Anserini => Stopwords::Lucene,
                    Profile::Terrier => {
                        return Err(cx.error(
                            "analyzer",
                            None,
                            "profile",
                            "the terrier profile has no built-in stop list: set analyzer.stopwords to a \
                             file (Terrier's stopword-list.txt), \"lucene\" or \"none\"",
                        ))
                    }
                },
                Some("lucene") => Stopwords::Lucene,
                Some("none") => Stopwords::None,
                Some(path) => {
                    let path = cx.resolve_path("analyzer", "stopwords", path)?;
                    if !path.is_file() {
                        return Err(cx.error(
                            "analyzer",
                            None,
                            "stopwords",
                            &format!("stop list {} does not exist", path.display()),
                        ));
                    }
                    Stopwords::File(path)
                }
            },
            stemmer: raw.analyzer.stemmer.unwrap_or_default(),
        };
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
        let compare = match &raw.compare {
            Some(c) => Some(validate_compare(
                c,
                cx,
                &systems(&rankers, &tunes, &derived),
                qrels.is_some(),
            )?),
            None => None,
        };
        if output.exists() && !output.is_dir() {
            return Err(cx.error(
                "experiment",
                None,
                "output",
                &format!(
                    "experiment.output {} is a file; the output must be a folder",
                    output.display()
                ),
            ));
        }
        let absolute = |p: &Path| std::path::absolute(p).map(|a| paths::normalize(&a));
        if let (Ok(out), Ok(cache)) = (absolute(&output), absolute(&index_cache)) {
            if cache.starts_with(&out) {
                return Err(cx.error(
                    "index",
                    None,
                    "cache",
                    &format!(
                        "index.cache {} is inside the output folder {}, which every run replaces; put it beside it",
                        index_cache.display(),
                        output.display()
                    ),
                ));
            }
        }
        let mut origins = Vec::new();
        for (section, key, set) in [
            ("experiment", "output", raw.experiment.output.is_some()),
            (
                "index",
                "cache",
                raw.index.as_ref().is_some_and(|i| i.cache.is_some()),
            ),
            ("corpus", "path", true),
            ("topics", "path", true),
            ("topics", "subset", raw.topics.subset.is_some()),
            ("qrels", "path", raw.qrels.is_some()),
            ("analyzer", "stopwords", raw.analyzer.stopwords.is_some()),
        ] {
            if set {
                origins.push((format!("{section}.{key}"), cx.locate(section, None, key)));
            }
        }
        Ok(Experiment {
            name,
            config_path: cx.path.to_path_buf(),
            output,
            index_cache,
            index_memory_mb,
            corpus,
            topics,
            qrels,
            analyzer,
            rankers,
            sweeps,
            tunes,
            derived,
            run: RunOptions {
                depth,
                ties: raw.run.ties.unwrap_or_default(),
                remove_query: raw.run.remove_query.unwrap_or(false),
                retrieval: raw.run.retrieval.unwrap_or_default(),
            },
            measures,
            measure_names,
            complete: raw.eval.complete.unwrap_or(false),
            compare,
            origins,
        })
    }

    /// Keeps only the rankers named in `names` (fixed or swept rankers, or `RANKER.cv` for a
    /// `[[tune]]`, which keeps its sweep too, or a `[[fusion]]`, which keeps its inputs), as
    /// `--ranker` asks. `[compare]` keeps the
    /// baselines still there; it is dropped when none is left or fewer than two runs are.
    /// Returns notes on what was dropped. An unknown name is an error naming it.
    pub fn select_rankers(&mut self, names: &[String]) -> Result<Vec<String>> {
        let mut known: Vec<String> = self.rankers.iter().map(|r| r.name.clone()).collect();
        known.extend(self.sweeps.iter().map(|s| s.name.clone()));
        known.extend(self.tunes.iter().map(TuneSpec::run_name));
        known.extend(self.derived.iter().map(|d| d.name().to_string()));
        for n in names {
            if !known.contains(n) {
                return Err(Error::config(
                    Location::arg(format!("--ranker {n}")),
                    format!("no ranker is named {n:?} (rankers: {})", known.join(", ")),
                ));
            }
        }
        let names = fusion::with_inputs(&self.derived, names);
        let wanted = |n: &str| names.iter().any(|x| x == n);
        self.derived.retain(|d| wanted(d.name()));
        self.tunes.retain(|t| wanted(&t.run_name()));
        let tuned: Vec<String> = self.tunes.iter().map(|t| t.ranker.clone()).collect();
        self.rankers.retain(|r| wanted(&r.name));
        self.sweeps
            .retain(|s| wanted(&s.name) || tuned.contains(&s.name));
        let mut notes = Vec::new();
        if let Some(c) = &mut self.compare {
            let systems = systems(&self.rankers, &self.tunes, &self.derived);
            c.baselines.retain(|b| systems.contains(b));
            if c.baselines.is_empty() || systems.len() < 2 {
                notes.push(
                    "[compare] is skipped: --ranker leaves no baseline or fewer than two runs to compare"
                        .to_string(),
                );
                self.compare = None;
            }
        }
        Ok(notes)
    }

    /// Where the path-valued `key` (`topics.path`, say) was set: the config file and line,
    /// or the `--set` argument; the config file when the key has its default.
    pub fn origin(&self, key: &str) -> Location {
        self.origins
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| Location::file(&self.config_path))
    }

    /// Adds to an I/O error about the file that `key` names where `key` was set (see
    /// [`Error::at`]).
    pub fn at_key<T>(&self, key: &str, result: Result<T>) -> Result<T> {
        result.map_err(|e| e.at(&self.origin(key), key))
    }

    /// The configuration as TOML with every default made explicit and every path resolved.
    /// (It fails only if a value has no TOML form, which validation rules out; the error
    /// says so rather than writing a broken file.)
    pub fn to_resolved_toml(&self) -> Result<String> {
        #[derive(Serialize)]
        struct Resolved<'a> {
            experiment: ResolvedExperiment<'a>,
            corpus: ResolvedCorpus,
            topics: ResolvedTopics,
            #[serde(skip_serializing_if = "Option::is_none")]
            qrels: Option<ResolvedQrels>,
            analyzer: ResolvedAnalyzer,
            index: ResolvedIndex,
            ranker: Vec<ResolvedRanker<'a>>,
            run: ResolvedRun,
            eval: ResolvedEval<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            compare: Option<crate::compare::CompareSettings>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            tune: Vec<ResolvedTune>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            fusion: Vec<fusion::ResolvedFusion>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            rerank: Vec<rerank::ResolvedRerank>,
        }
        #[derive(Serialize)]
        struct ResolvedTune {
            ranker: String,
            measure: String,
            folds: toml::Value,
            #[serde(skip_serializing_if = "Option::is_none")]
            seed: Option<u64>,
        }
        #[derive(Serialize)]
        struct ResolvedIndex {
            cache: String,
            memory_mb: usize,
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
            #[serde(skip_serializing_if = "Option::is_none")]
            subset: Option<String>,
        }
        #[derive(Serialize)]
        struct ResolvedQrels {
            format: QrelsFormat,
            path: String,
        }
        #[derive(Serialize)]
        struct ResolvedAnalyzer {
            profile: Profile,
            stopwords: String,
            stemmer: Stemmer,
        }
        #[derive(Serialize)]
        struct ResolvedRanker<'a> {
            name: &'a str,
            #[serde(flatten)]
            model: toml::Table,
        }
        #[derive(Serialize)]
        struct ResolvedRun {
            depth: usize,
            ties: TiePolicy,
            remove_query: bool,
            retrieval: Retrieval,
        }
        #[derive(Serialize)]
        struct ResolvedEval<'a> {
            measures: &'a [String],
            complete: bool,
        }
        // Absolute, so that the file reruns from wherever it is (`irexp run
        // OUT/config.resolved.toml`): a relative path would be read against OUT.
        let show = |p: &Path| {
            std::path::absolute(p)
                .map(|a| paths::normalize(&a))
                .unwrap_or_else(|_| p.to_path_buf())
                .display()
                .to_string()
        };
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
                subset: self.topics.subset.as_deref().map(show),
            },
            qrels: self.qrels.as_ref().map(|q| ResolvedQrels {
                format: q.format,
                path: show(&q.path),
            }),
            index: ResolvedIndex {
                cache: show(&self.index_cache),
                memory_mb: self.index_memory_mb,
            },
            analyzer: ResolvedAnalyzer {
                profile: self.analyzer.profile,
                stopwords: match &self.analyzer.stopwords {
                    Stopwords::Lucene => "lucene".into(),
                    Stopwords::None => "none".into(),
                    Stopwords::File(p) => show(p),
                },
                stemmer: self.analyzer.stemmer,
            },
            ranker: self
                .rankers
                .iter()
                .map(|r| ResolvedRanker {
                    name: &r.name,
                    model: r
                        .model
                        .config_entries()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                })
                .chain(self.sweeps.iter().map(|s| {
                    ResolvedRanker {
                        name: &s.name,
                        // The first point's entries, each swept key with its list of values.
                        model: s.points[0]
                            .ranker
                            .model
                            .config_entries()
                            .into_iter()
                            .map(|(k, v)| {
                                let v = match s.axes.iter().find(|a| a.key == k) {
                                    Some(a) => toml::Value::Array(
                                        a.values.iter().map(registry::Value::to_toml).collect(),
                                    ),
                                    None => v,
                                };
                                (k.to_string(), v)
                            })
                            .collect(),
                    }
                }))
                .collect(),
            run: ResolvedRun {
                depth: self.run.depth,
                ties: self.run.ties,
                remove_query: self.run.remove_query,
                retrieval: self.run.retrieval,
            },
            eval: ResolvedEval {
                measures: &self.measure_names,
                complete: self.complete,
            },
            compare: self.compare.as_ref().map(|c| {
                crate::compare::CompareSettings::explicit(
                    &c.options,
                    &c.baselines,
                    c.measure_names.clone(),
                )
            }),
            tune: self
                .tunes
                .iter()
                .map(|t| {
                    let (folds, seed) = match &t.folds {
                        FoldsSpec::Random { k, seed } => {
                            (toml::Value::Integer(*k as i64), Some(*seed))
                        }
                        FoldsSpec::LeaveOneOut => (toml::Value::String("loo".into()), None),
                        FoldsSpec::File(p) => (toml::Value::String(show(p)), None),
                    };
                    ResolvedTune {
                        ranker: t.ranker.clone(),
                        measure: t.measure_name.clone(),
                        folds,
                        seed,
                    }
                })
                .collect(),
            fusion: self
                .derived
                .iter()
                .filter_map(Derived::as_fusion)
                .map(Into::into)
                .collect(),
            rerank: self
                .derived
                .iter()
                .filter_map(Derived::as_rerank)
                .map(Into::into)
                .collect(),
        };
        let mut out = format!(
            "# Resolved by irexp {} from {}; every default is explicit.\n",
            env!("CARGO_PKG_VERSION"),
            self.config_path.display()
        );
        let text = toml::to_string(&resolved).map_err(|e| {
            Error::config(
                Location::file(&self.config_path),
                format!("the resolved configuration has no TOML form: {e}"),
            )
        })?;
        out.push_str(&text);
        Ok(out)
    }
}

/// A `[[ranker]]` after validation.
enum Validated {
    /// Every parameter has one value.
    Fixed(RankerSpec),
    /// Some parameter is a list or a range.
    Swept(SweepSpec),
}

fn validate_ranker(
    r: &raw::RawRanker,
    i: usize,
    cx: &paths::Context<'_>,
    earlier: &[RankerSpec],
) -> Result<(String, Validated)> {
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
    let resolve = |given: &[(&'static str, registry::Value)]| {
        registry::resolve(&r.model, given, earlier).map_err(|e| {
            cx.error(
                "ranker",
                Some(i),
                e.key,
                &format!("ranker {name:?}: {}", e.message),
            )
        })
    };
    let mut axes: Vec<Axis> = Vec::new();
    for (key, param) in &r.params {
        let values = sweep::expand(key, param)
            .map_err(|m| cx.error("ranker", Some(i), key, &format!("ranker {name:?}: {m}")))?;
        if let Some(values) = values {
            axes.push(Axis { key, values });
        }
    }
    let fixed: Vec<(&'static str, registry::Value)> = r
        .params
        .iter()
        .filter_map(|(k, p)| p.one().map(|v| (*k, v.clone())))
        .collect();
    if axes.is_empty() {
        let model = resolve(&fixed)?;
        return Ok((
            name.to_string(),
            Validated::Fixed(RankerSpec {
                name: name.to_string(),
                model,
            }),
        ));
    }
    let grid = sweep::product(&axes);
    if grid.len() > sweep::MAX_POINTS {
        return Err(cx.error(
            "ranker",
            Some(i),
            axes[0].key,
            &format!(
                "ranker {name:?} sweeps {} points; at most {}",
                grid.len(),
                sweep::MAX_POINTS
            ),
        ));
    }
    let mut points = Vec::with_capacity(grid.len());
    for values in grid {
        let mut given = fixed.clone();
        given.extend(axes.iter().map(|a| a.key).zip(values.iter().cloned()));
        let model = resolve(&given)?;
        points.push(GridPoint {
            name: sweep::point_name(name, &axes, &values),
            values,
            ranker: RankerSpec {
                name: name.to_string(),
                model,
            },
        });
    }
    Ok((
        name.to_string(),
        Validated::Swept(SweepSpec {
            name: name.to_string(),
            axes,
            points,
        }),
    ))
}

/// The names of the runs that are evaluated and compared: the fixed rankers, then each
/// `[[tune]]`'s `RANKER.cv`.
fn systems(rankers: &[RankerSpec], tunes: &[TuneSpec], derived: &[Derived]) -> Vec<String> {
    rankers
        .iter()
        .map(|r| r.name.clone())
        .chain(tunes.iter().map(TuneSpec::run_name))
        .chain(derived.iter().map(|d| d.name().to_string()))
        .collect()
}

/// Validates `[[tune]]`: each names a swept ranker (once), one measure averaged over topics,
/// and folds; `RANKER.cv` must not be a ranker's name.
fn validate_tunes(
    raw: &[raw::RawTune],
    cx: &paths::Context<'_>,
    rankers: &[RankerSpec],
    sweeps: &[SweepSpec],
    has_qrels: bool,
) -> Result<Vec<TuneSpec>> {
    let mut tunes: Vec<TuneSpec> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let err = |key: &str, m: String| cx.error("tune", Some(i), key, &m);
        if !has_qrels {
            return Err(err(
                "ranker",
                "[[tune]] needs judgments: add a [qrels] section".into(),
            ));
        }
        if !sweeps.iter().any(|s| s.name == t.ranker) {
            let swept: Vec<&str> = sweeps.iter().map(|s| s.name.as_str()).collect();
            return Err(err(
                "ranker",
                if rankers.iter().any(|r| r.name == t.ranker) {
                    format!(
                        "tune.ranker {:?} sweeps no parameter; give one as a list or a range (k1 = [0.6, 0.9, 1.2])",
                        t.ranker
                    )
                } else {
                    format!(
                        "tune.ranker {:?} is not a swept ranker (swept: {})",
                        t.ranker,
                        if swept.is_empty() {
                            "none".to_string()
                        } else {
                            swept.join(", ")
                        }
                    )
                },
            ));
        }
        if tunes.iter().any(|u| u.ranker == t.ranker) {
            return Err(err(
                "ranker",
                format!(
                    "ranker {:?} is tuned twice; one [[tune]] per ranker",
                    t.ranker
                ),
            ));
        }
        let cv = format!("{}.cv", t.ranker);
        if rankers.iter().any(|r| r.name == cv) || sweeps.iter().any(|s| s.name == cv) {
            return Err(err(
                "ranker",
                format!("the tuned run is named {cv:?}, which is already a ranker's name"),
            ));
        }
        let parsed =
            crate::eval::parse_measures(&t.measure).map_err(|e| err("measure", e.to_string()))?;
        let measure = match parsed.as_slice() {
            [one] => one.clone(),
            _ => {
                return Err(err(
                    "measure",
                    format!(
                        "tune.measure {:?} names {} measures; name one (for example \"map\" or \"ndcg_cut.10\")",
                        t.measure,
                        parsed.len()
                    ),
                ))
            }
        };
        crate::compare::check_measure(&measure)
            .map_err(|m| err("measure", format!("tune.measure: {m}")))?;
        let folds = match (&t.folds, t.seed) {
            (RawFolds::Count(k), seed) => {
                if *k < 2 {
                    return Err(err(
                        "folds",
                        format!("tune.folds = {k}: cross-validation needs at least 2 folds"),
                    ));
                }
                FoldsSpec::Random {
                    k: *k as usize,
                    seed: seed.unwrap_or(0),
                }
            }
            (RawFolds::Text(_), Some(_)) => {
                return Err(err(
                    "seed",
                    "tune.seed applies only to folds = K (a number of folds)".into(),
                ))
            }
            (RawFolds::Text(t), None) if t == "loo" => FoldsSpec::LeaveOneOut,
            (RawFolds::Text(p), None) => {
                let path = cx.resolve_path_nth("tune", Some(i), "folds", p)?;
                if !path.is_file() {
                    return Err(err(
                        "folds",
                        format!("fold file {} does not exist", path.display()),
                    ));
                }
                FoldsSpec::File(path)
            }
        };
        tunes.push(TuneSpec {
            ranker: t.ranker.clone(),
            measure,
            measure_name: t.measure.clone(),
            folds,
        });
    }
    Ok(tunes)
}

/// Validates `[compare]`: baselines name rankers, names of tests and corrections are known,
/// alpha is in (0, 1), measures are averaged over topics, and qrels exist.
fn validate_compare(
    c: &crate::compare::CompareSettings,
    cx: &paths::Context<'_>,
    systems: &[String],
    has_qrels: bool,
) -> Result<CompareSpec> {
    let err = |key: &str, m: &str| cx.error("compare", None, key, m);
    if !has_qrels {
        return Err(err(
            "baseline",
            "[compare] needs judgments: add a [qrels] section",
        ));
    }
    let names: Vec<&str> = systems.iter().map(String::as_str).collect();
    let baselines = match &c.baseline {
        Some(b) => b.to_vec(),
        None => systems.iter().take(1).cloned().collect(),
    };
    if baselines.is_empty() {
        return Err(err("baseline", "compare.baseline names no ranker"));
    }
    for b in &baselines {
        if !names.contains(&b.as_str()) {
            return Err(err(
                "baseline",
                &format!(
                    "compare.baseline {b:?} is not a ranker (rankers: {})",
                    names.join(", ")
                ),
            ));
        }
    }
    if systems.len() < 2 {
        return Err(err(
            "baseline",
            "[compare] needs at least two rankers to compare (swept rankers take part through their [[tune]] run RANKER.cv)",
        ));
    }
    let options = c.resolve().map_err(|e| err(e.key, &e.message))?;
    Ok(CompareSpec {
        baselines,
        measure_names: c.measure_names(),
        options,
    })
}

/// The default `index.cache`: `$XDG_CACHE_HOME/irexp`, else `$HOME/.cache/irexp` (where
/// Pyserini, PyTerrier and ir_datasets keep theirs), so that every experiment of a user
/// shares one cache whatever its output folder or current folder.
pub fn default_cache() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .map(|c| c.join("irexp"))
}

/// Turns a TOML error into one that names the file and line.
pub(crate) fn toml_error(text: &str, path: &Path, e: &toml::de::Error) -> Error {
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
    let here = || Location::arg(format!("--set {}", o.key));
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

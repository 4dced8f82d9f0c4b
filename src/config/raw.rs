//! The TOML file as written: every section and key the schema knows, nothing else.
//! Unknown keys are rejected by serde (`deny_unknown_fields`).

use serde::{Deserialize, Serialize};

use crate::analysis::Profile;
use crate::corpus::{ContentValue, Format};
use crate::qrels::QrelsFormat;
use crate::rank::bm25::Norms;
use crate::run::TiePolicy;
use crate::topics::{TopicField, TopicsFormat};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub experiment: RawExperiment,
    pub corpus: RawCorpus,
    pub topics: RawTopics,
    pub qrels: Option<RawQrels>,
    #[serde(default)]
    pub analyzer: RawAnalyzer,
    #[serde(rename = "ranker")]
    pub rankers: Vec<RawRanker>,
    #[serde(default)]
    pub run: RawRun,
    #[serde(default)]
    pub eval: RawEval,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperiment {
    pub name: String,
    pub output: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorpus {
    #[serde(default)]
    pub format: Format,
    pub path: String,
    pub content: Option<ContentValue>,
    pub skip_malformed: Option<bool>,
    pub empty_documents: Option<crate::corpus::EmptyDocuments>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopics {
    #[serde(default)]
    pub format: TopicsFormat,
    pub path: String,
    #[serde(default)]
    pub field: TopicField,
    pub numbering: Option<crate::topics::Numbering>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawQrels {
    #[serde(default)]
    pub format: QrelsFormat,
    pub path: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnalyzer {
    #[serde(default)]
    pub profile: Profile,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRanker {
    pub name: String,
    pub model: String,
    pub k1: Option<f64>,
    pub b: Option<f64>,
    pub norms: Option<Norms>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    pub depth: Option<usize>,
    pub ties: Option<TiePolicy>,
    pub remove_query: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEval {
    pub measures: Option<Vec<String>>,
    pub complete: Option<bool>,
}

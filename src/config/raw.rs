//! The TOML file as written: every section and key the schema knows, nothing else.
//! Unknown keys are rejected by serde (`deny_unknown_fields`).

use serde::{Deserialize, Serialize};

use crate::analysis::{Profile, Stemmer};
use crate::corpus::{ContentValue, Format};
use crate::qrels::QrelsFormat;
use crate::rank::Retrieval;
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
    pub index: Option<RawIndex>,
    #[serde(rename = "ranker")]
    pub rankers: Vec<RawRanker>,
    #[serde(default)]
    pub run: RawRun,
    #[serde(default)]
    pub eval: RawEval,
    pub compare: Option<crate::compare::CompareSettings>,
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
    pub stopwords: Option<String>,
    pub stemmer: Option<Stemmer>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub cache: Option<String>,
    pub memory_mb: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRanker {
    pub name: String,
    pub model: String,
    pub k1: Option<f64>,
    pub b: Option<f64>,
    pub norms: Option<String>,
    pub smoothing: Option<String>,
    pub mu: Option<f64>,
    pub lambda: Option<f64>,
    pub variant: Option<String>,
    pub k3: Option<f64>,
    pub delta: Option<f64>,
    pub first_stage: Option<String>,
    pub fb_docs: Option<usize>,
    pub fb_terms: Option<usize>,
    pub original_query_weight: Option<f64>,
}

impl RawRanker {
    /// The parameter keys that were given, with their names, for checking them against the
    /// model's.
    pub fn given(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.k1.is_some() {
            v.push("k1");
        }
        if self.b.is_some() {
            v.push("b");
        }
        if self.norms.is_some() {
            v.push("norms");
        }
        if self.smoothing.is_some() {
            v.push("smoothing");
        }
        if self.mu.is_some() {
            v.push("mu");
        }
        if self.lambda.is_some() {
            v.push("lambda");
        }
        if self.variant.is_some() {
            v.push("variant");
        }
        if self.k3.is_some() {
            v.push("k3");
        }
        if self.delta.is_some() {
            v.push("delta");
        }
        if self.first_stage.is_some() {
            v.push("first_stage");
        }
        if self.fb_docs.is_some() {
            v.push("fb_docs");
        }
        if self.fb_terms.is_some() {
            v.push("fb_terms");
        }
        if self.original_query_weight.is_some() {
            v.push("original_query_weight");
        }
        v
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    pub depth: Option<usize>,
    pub ties: Option<TiePolicy>,
    pub remove_query: Option<bool>,
    pub retrieval: Option<Retrieval>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEval {
    pub measures: Option<Vec<String>>,
    pub complete: Option<bool>,
}

//! `[[rerank]]` sections: re-scoring a given candidate run with a ranker's model.
//!
//! ```toml
//! [[rerank]]
//! name = "bm25-over-rm3"
//! ranker = "bm25"                        # whose model and parameters score the candidates
//! candidates = { file = "rm3.run.gz" }   # or a run of this config by name
//! candidates_depth = 100                 # the first 100 candidates of each topic
//! on_unknown = "skip"                    # candidates the index does not know: error (default) or skip
//! ```

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::fusion::{FusionInput, RawFusionInput};
use crate::error::Location;
use crate::rank::RankerSpec;

/// A `[[rerank]]` section as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRerank {
    pub name: String,
    pub ranker: String,
    pub candidates: RawFusionInput,
    pub candidates_depth: Option<usize>,
    pub on_unknown: Option<String>,
}

/// What to do with a candidate whose docno the index does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnUnknown {
    /// Stop with an error naming the first such candidate and the count.
    #[default]
    Error,
    /// Leave such candidates out, counted and reported.
    Skip,
}

impl OnUnknown {
    /// The name used in configs.
    pub fn name(self) -> &'static str {
        match self {
            OnUnknown::Error => "error",
            OnUnknown::Skip => "skip",
        }
    }
}

impl FromStr for OnUnknown {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(OnUnknown::Error),
            "skip" => Ok(OnUnknown::Skip),
            other => Err(format!(
                "unknown on_unknown {other:?}; expected error or skip"
            )),
        }
    }
}

/// A validated `[[rerank]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RerankSpec {
    /// The re-ranked run's name (its files are NAME.run and NAME.eval; its tag).
    pub name: String,
    /// The model that scores the candidates: the named ranker's, under this run's name.
    pub ranker: RankerSpec,
    /// The `[[ranker]]` it takes the model from.
    pub ranker_name: String,
    /// Where the candidates come from.
    pub candidates: FusionInput,
    /// How many candidates of each topic are re-scored (in rank order: score descending,
    /// ties by docno descending); `None` is all.
    pub depth: Option<usize>,
    /// Candidates the index does not know.
    pub on_unknown: OnUnknown,
    /// Where the section is (the line of its `name`).
    pub location: Location,
}

/// The resolved form of a `[[rerank]]`, for `config.resolved.toml`.
#[derive(Debug, Serialize)]
pub struct ResolvedRerank {
    name: String,
    ranker: String,
    candidates: RawFusionInput,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidates_depth: Option<usize>,
    on_unknown: &'static str,
}

impl From<&RerankSpec> for ResolvedRerank {
    fn from(r: &RerankSpec) -> Self {
        ResolvedRerank {
            name: r.name.clone(),
            ranker: r.ranker_name.clone(),
            candidates: r.candidates.raw(),
            candidates_depth: r.depth,
            on_unknown: r.on_unknown.name(),
        }
    }
}

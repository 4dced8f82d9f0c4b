//! The TOML file as written: every section and key the schema knows, nothing else.
//! Unknown keys are rejected by serde (`deny_unknown_fields`).

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::analysis::{Profile, Stemmer};
use crate::corpus::{ContentValue, Format};
use crate::qrels::QrelsFormat;
use crate::rank::registry::{self, Kind, Value};
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
    #[serde(default, rename = "tune")]
    pub tunes: Vec<RawTune>,
    #[serde(default, rename = "fusion")]
    pub fusions: Vec<super::fusion::RawFusion>,
    #[serde(default, rename = "rerank")]
    pub reranks: Vec<super::rerank::RawRerank>,
}

/// A `[[tune]]` section: cross-validation of a swept ranker.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTune {
    pub ranker: String,
    pub measure: String,
    pub folds: RawFolds,
    pub seed: Option<u64>,
}

/// `folds = K`, `folds = "loo"` or `folds = "path/to/folds.txt"`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawFolds {
    Count(i64),
    Text(String),
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
    pub subset: Option<String>,
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

/// A `[[ranker]]` section: its name, its model, and every other key with its value. Which keys
/// exist and what type each takes come from the model registry ([`registry::ranker_keys`],
/// [`registry::key_kind`]); a key no model has is an error, as with `deny_unknown_fields`.
#[derive(Debug, Clone)]
pub struct RawRanker {
    pub name: String,
    pub model: String,
    /// The other keys, in the order the file gives them.
    pub params: Vec<(&'static str, RawParam)>,
}

/// A `[[ranker]]` value as written: one value, or (for numbers and counts) a sweep, as a list
/// (`k1 = [0.6, 0.9]`) or a range (`b = { from = 0.1, to = 0.9, step = 0.1 }`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    /// One value.
    One(Value),
    /// Every value of a list, in its order.
    List(Vec<Value>),
    /// `from`, `from + step`, ..., `to`.
    Range { from: Value, to: Value, step: Value },
}

impl RawParam {
    /// The value, when it is a single one.
    pub fn one(&self) -> Option<&Value> {
        match self {
            RawParam::One(v) => Some(v),
            _ => None,
        }
    }
}

impl Serialize for RawParam {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RawParam::One(v) => v.serialize(serializer),
            RawParam::List(vs) => vs.serialize(serializer),
            RawParam::Range { from, to, step } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("from", from)?;
                map.serialize_entry("to", to)?;
                map.serialize_entry("step", step)?;
                map.end()
            }
        }
    }
}

/// Reads a number or count parameter: a value, a list of values or a range.
struct ParamSeed(Kind);

impl ParamSeed {
    fn number<E: de::Error>(&self, x: f64, integer: bool) -> Result<Value, E> {
        match self.0 {
            Kind::Count if integer && x >= 0.0 => Ok(Value::Count(x as usize)),
            Kind::Count => Err(E::custom(format!(
                "invalid type: {x}, expected a whole number >= 0"
            ))),
            _ => Ok(Value::Float(x)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ParamSeed {
    type Value = RawParam;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawParam, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ParamSeed {
    type Value = RawParam;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = if self.0 == Kind::Count {
            "a whole number"
        } else {
            "a number"
        };
        write!(
            f,
            "{one}, a list of them, or a range {{ from = .., to = .., step = .. }}"
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawParam, E> {
        self.number(v as f64, true).map(RawParam::One)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawParam, E> {
        self.number(v as f64, true).map(RawParam::One)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawParam, E> {
        self.number(v, false).map(RawParam::One)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawParam, A::Error> {
        let mut values = Vec::new();
        while let Some(v) = seq.next_element::<toml::Value>()? {
            values.push(self.element(&v)?);
        }
        Ok(RawParam::List(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawParam, A::Error> {
        let (mut from, mut to, mut step) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "from" => &mut from,
                "to" => &mut to,
                "step" => &mut step,
                other => return Err(de::Error::unknown_field(other, &["from", "to", "step"])),
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!(
                    "duplicate key `{key}` in the range"
                )));
            }
            *slot = Some(self.element(&map.next_value::<toml::Value>()?)?);
        }
        Ok(RawParam::Range {
            from: from.ok_or_else(|| de::Error::missing_field("from"))?,
            to: to.ok_or_else(|| de::Error::missing_field("to"))?,
            step: step.ok_or_else(|| de::Error::missing_field("step"))?,
        })
    }
}

impl ParamSeed {
    /// One element of a list or range.
    fn element<E: de::Error>(&self, v: &toml::Value) -> Result<Value, E> {
        match v {
            toml::Value::Integer(i) => self.number(*i as f64, true),
            toml::Value::Float(x) => self.number(*x, false),
            other => Err(E::custom(format!(
                "invalid type: {}, expected {}",
                other.type_str(),
                if self.0 == Kind::Count {
                    "a whole number"
                } else {
                    "a number"
                }
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for RawRanker {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawRanker, D::Error> {
        deserializer.deserialize_struct("RawRanker", registry::ranker_keys(), RankerVisitor)
    }
}

/// A key of a `[[ranker]]`, as the registry spells it.
struct RankerKey;

impl<'de> DeserializeSeed<'de> for RankerKey {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'static str, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for RankerKey {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        let keys = registry::ranker_keys();
        keys.iter()
            .find(|k| **k == key)
            .copied()
            .ok_or_else(|| E::unknown_field(key, keys))
    }
}

struct RankerVisitor;

impl<'de> Visitor<'de> for RankerVisitor {
    type Value = RawRanker;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct RawRanker")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRanker, A::Error> {
        let mut name = None;
        let mut model = None;
        let mut params: Vec<(&'static str, RawParam)> = Vec::new();
        while let Some(key) = map.next_key_seed(RankerKey)? {
            let seen = match key {
                "name" => name.is_some(),
                "model" => model.is_some(),
                _ => params.iter().any(|(k, _)| *k == key),
            };
            if seen {
                return Err(de::Error::duplicate_field(key));
            }
            match key {
                "name" => name = Some(map.next_value::<String>()?),
                "model" => model = Some(map.next_value::<String>()?),
                _ => {
                    let value = match registry::key_kind(key) {
                        Some(kind @ (Kind::Float | Kind::Count)) => {
                            map.next_value_seed(ParamSeed(kind))?
                        }
                        Some(Kind::Text) | None => {
                            RawParam::One(Value::Text(map.next_value::<String>()?.into()))
                        }
                    };
                    params.push((key, value));
                }
            }
        }
        Ok(RawRanker {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            model: model.ok_or_else(|| de::Error::missing_field("model"))?,
            params,
        })
    }

    /// The keys in [`registry::ranker_keys`] order, as serde reads a struct from a sequence.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawRanker, A::Error> {
        let keys = registry::ranker_keys();
        let expected = format!("struct RawRanker with {} elements", keys.len());
        let short = |i: usize| de::Error::invalid_length(i, &expected.as_str());
        let text = |i: usize, seq: &mut A| seq.next_element::<String>()?.ok_or_else(|| short(i));
        let name = text(0, &mut seq)?;
        let model = text(1, &mut seq)?;
        let mut params = Vec::new();
        for (i, &key) in keys.iter().enumerate().skip(2) {
            let value = match registry::key_kind(key) {
                Some(Kind::Float) => seq
                    .next_element::<Option<f64>>()?
                    .ok_or_else(|| short(i))?
                    .map(Value::Float),
                Some(Kind::Count) => seq
                    .next_element::<Option<usize>>()?
                    .ok_or_else(|| short(i))?
                    .map(Value::Count),
                Some(Kind::Text) | None => seq
                    .next_element::<Option<String>>()?
                    .ok_or_else(|| short(i))?
                    .map(|s| Value::Text(s.into())),
            };
            params.extend(value.map(|v| (key, RawParam::One(v))));
        }
        Ok(RawRanker {
            name,
            model,
            params,
        })
    }
}

impl Serialize for RawRanker {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2 + self.params.len()))?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("model", &self.model)?;
        for (k, v) in &self.params {
            map.serialize_entry(k, v)?;
        }
        map.end()
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

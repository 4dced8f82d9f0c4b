//! The models a `[[ranker]]` can name, in one list.
//!
//! Each (model, variant) pair is a [`ModelEntry`], defined in its model's file beside the
//! formula: its config spelling, its parameters (a [`Param`] table: name, default, valid
//! range, one-line doc), how a [`Model`] is built from them and whether RM3 can rank with it.
//! [`MODELS`] lists every entry once; the config layer ([`resolve`]) and the `[[ranker]]`
//! schema ([`ranker_keys`], [`key_kind`]) read nothing else. The other way round, a [`Model`]
//! knows its entry ([`Model::entry`]) and its parameters' values, which is what
//! `config.resolved.toml` writes ([`ModelEntry::config_entries`]).
//!
//! Adding a model is a new file that defines its entries, plus a line here.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use super::{Model, RankerSpec};

/// Every (model, variant) a `[[ranker]]` can name. The order is the order of the names in
/// error messages (models, then each model's variants).
pub static MODELS: &[&ModelEntry] = &[
    &super::bm25::ENTRY,
    &super::bm25_accurate::ENTRY,
    &super::classic::ROBERTSON,
    &super::classic::TERRIER,
    &super::classic::ATIRE,
    &super::classic::BM25L,
    &super::classic::BM25PLUS,
    &super::classic::TERRIER_TFIDF,
    &super::lucene_tfidf::ENTRY,
    &super::ql::DIRICHLET,
    &super::ql::JELINEK_MERCER,
    &super::rm3::ENTRY,
    &super::bm25_crate::ENTRY,
];

/// The order in which an unknown-key error lists a `[[ranker]]`'s keys (the order in which
/// they were added). Keys of models added later follow, in registry order.
const KEY_ORDER: &[&str] = &[
    "name",
    "model",
    "k1",
    "b",
    "norms",
    "smoothing",
    "mu",
    "lambda",
    "variant",
    "k3",
    "delta",
    "first_stage",
    "fb_docs",
    "fb_terms",
    "original_query_weight",
];

/// One model and variant: what a `[[ranker]]` with `model = MODEL` (and `variant = NAME`, or
/// `smoothing = NAME` for `ql`) means.
#[derive(Debug)]
pub struct ModelEntry {
    /// The value of `model`.
    pub model: &'static str,
    /// The key that chooses among the model's entries and this entry's value of it; `None`
    /// for a model with a single entry.
    pub variant: Option<Variant>,
    /// What the entry computes, in one line.
    pub summary: &'static str,
    /// The parameters, in the order `config.resolved.toml` writes them.
    pub params: &'static [Param],
    /// The model from the parameters (each read through [`Params`], which fills in the
    /// default and checks the range).
    pub build: fn(&Params<'_>) -> Result<Model, ParamError>,
    /// Whether RM3 can rank with it: it scores `Query::terms` with their weights.
    pub expandable: bool,
}

/// The key and value that choose an entry among a model's entries.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The key: `variant` (or `smoothing` for `ql`).
    pub key: &'static str,
    /// This entry's value of it.
    pub name: &'static str,
    /// Whether this entry is the one used when the key is not given.
    pub default: bool,
}

/// One parameter of a model.
#[derive(Debug)]
pub struct Param {
    /// The config key.
    pub name: &'static str,
    /// The value used when the key is not given; `None` when it must be given.
    pub default: Option<Value>,
    /// The values it accepts.
    pub range: Range,
    /// What it does, in one line.
    pub doc: &'static str,
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Float(f64),
    /// A count.
    Count(usize),
    /// A word or a name.
    Text(Cow<'static, str>),
}

/// The type of a parameter's value, as the config file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A TOML number (an integer is read as a float).
    Float,
    /// A TOML integer >= 0.
    Count,
    /// A TOML string.
    Text,
}

/// The values a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// A finite number >= 0.
    NonNegative,
    /// A finite number > 0.
    Positive,
    /// A number from 0 to 1, both included.
    Unit,
    /// A number strictly between 0 and 1.
    OpenUnit,
    /// A count of at least 1.
    AtLeastOne,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// The name of an earlier `[[ranker]]`.
    Ranker,
}

/// A config error about one key of a `[[ranker]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The key the error is about (its line is the error's location).
    pub key: &'static str,
    /// What is wrong.
    pub message: String,
}

impl ParamError {
    /// An error about `key`.
    pub fn new(key: &'static str, message: impl Into<String>) -> ParamError {
        ParamError {
            key,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Value {
    /// A text value from a static string (usable in `static` tables).
    pub const fn text(s: &'static str) -> Value {
        Value::Text(Cow::Borrowed(s))
    }

    /// The value's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Float(_) => Kind::Float,
            Value::Count(_) => Kind::Count,
            Value::Text(_) => Kind::Text,
        }
    }

    /// The text, if it is a text value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as TOML (for `config.resolved.toml`).
    pub fn to_toml(&self) -> toml::Value {
        match self {
            Value::Float(x) => toml::Value::Float(*x),
            Value::Count(n) => toml::Value::Integer(*n as i64),
            Value::Text(s) => toml::Value::String(s.to_string()),
        }
    }
}

impl fmt::Display for Value {
    /// As error messages show it: numbers as Rust prints them, text quoted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Float(x) => write!(f, "{x}"),
            Value::Count(n) => write!(f, "{n}"),
            Value::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Float(x) => s.serialize_f64(*x),
            Value::Count(n) => s.serialize_u64(*n as u64),
            Value::Text(t) => s.serialize_str(t),
        }
    }
}

impl Range {
    /// The kind of value the range holds.
    pub fn kind(&self) -> Kind {
        match self {
            Range::NonNegative | Range::Positive | Range::Unit | Range::OpenUnit => Kind::Float,
            Range::AtLeastOne => Kind::Count,
            Range::OneOf(_) | Range::Ranker => Kind::Text,
        }
    }

    /// The range in words, as in "k1 must be *a finite number >= 0*".
    pub fn describe(&self) -> String {
        match self {
            Range::NonNegative => "a finite number >= 0".into(),
            Range::Positive => "a finite number > 0".into(),
            Range::Unit => "between 0 and 1".into(),
            Range::OpenUnit => "between 0 and 1 (exclusive)".into(),
            Range::AtLeastOne => "at least 1".into(),
            Range::OneOf(words) => alternatives(&quoted(words), "or"),
            Range::Ranker => "the name of an earlier [[ranker]]".into(),
        }
    }

    /// Whether `value` is in the range (a [`Range::Ranker`] name is checked against the earlier
    /// rankers by [`Params::ranker`]).
    pub fn contains(&self, value: &Value) -> bool {
        match (self, value) {
            (Range::NonNegative, Value::Float(x)) => x.is_finite() && *x >= 0.0,
            (Range::Positive, Value::Float(x)) => x.is_finite() && *x > 0.0,
            (Range::Unit, Value::Float(x)) => (0.0..=1.0).contains(x),
            (Range::OpenUnit, Value::Float(x)) => *x > 0.0 && *x < 1.0,
            (Range::AtLeastOne, Value::Count(n)) => *n >= 1,
            (Range::OneOf(words), Value::Text(s)) => words.contains(&s.as_ref()),
            (Range::Ranker, Value::Text(_)) => true,
            _ => false,
        }
    }

    /// How a missing required value is asked for: `first_stage = PLACEHOLDER`.
    fn placeholder(&self) -> String {
        match self {
            Range::Ranker => "\"<name of an earlier ranker>\"".into(),
            other => format!("<{}>", other.describe()),
        }
    }
}

/// `"a"`, `"b"` for each word.
fn quoted(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| format!("{w:?}")).collect()
}

/// `a`, `a or b`, `a, b or c`.
fn alternatives(items: &[impl AsRef<str>], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conjunction} {}", init.join(", "), last.as_ref())
        }
    }
}

/// `k1`: term-frequency saturation, a finite number >= 0.
pub const fn k1(default: f64) -> Param {
    Param {
        name: "k1",
        default: Some(Value::Float(default)),
        range: Range::NonNegative,
        doc: "term-frequency saturation",
    }
}

/// `b`: length normalisation, from 0 (none) to 1 (full).
pub const fn b(default: f64) -> Param {
    Param {
        name: "b",
        default: Some(Value::Float(default)),
        range: Range::Unit,
        doc: "length normalisation, from 0 (none) to 1 (full)",
    }
}

impl ModelEntry {
    /// Every key a `[[ranker]]` of this entry may give besides `name` and `model`: the
    /// variant key, then the parameters.
    pub fn keys(&self) -> Vec<&'static str> {
        self.variant
            .iter()
            .map(|v| v.key)
            .chain(self.params.iter().map(|p| p.name))
            .collect()
    }

    /// The parameter named `name`.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        let params: &'static [Param] = self.params;
        params.iter().find(|p| p.name == name)
    }

    /// The `[[ranker]]` keys as `config.resolved.toml` writes them: `model`, the variant key,
    /// then each parameter with its value from `values` (in the order of [`ModelEntry::params`]).
    pub fn config_entries(&self, values: Vec<Value>) -> Vec<(&'static str, toml::Value)> {
        debug_assert_eq!(values.len(), self.params.len(), "{}", self.model);
        let mut entries = vec![("model", toml::Value::String(self.model.into()))];
        if let Some(v) = &self.variant {
            entries.push((v.key, toml::Value::String(v.name.into())));
        }
        entries.extend(
            self.params
                .iter()
                .zip(values)
                .map(|(p, value)| (p.name, value.to_toml())),
        );
        entries
    }

    /// `model` and variant, e.g. `bm25 (variant terrier)`.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({} {})", self.model, v.key, v.name),
            None => self.model.to_string(),
        }
    }
}

/// The names `model` can take, in registry order.
pub fn model_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for e in MODELS {
        if !names.contains(&e.model) {
            names.push(e.model);
        }
    }
    names
}

/// The entries of `model`, in registry order.
pub fn entries_of(model: &str) -> Vec<&'static ModelEntry> {
    MODELS
        .iter()
        .copied()
        .filter(|e| e.model == model)
        .collect()
}

/// The entry for `model`, its variant read with `variant_of(key)` (the value the config gives
/// the model's variant key, if any). Unknown models and variants are errors listing the known
/// names.
pub fn lookup<'a>(
    model: &str,
    variant_of: impl Fn(&str) -> Option<&'a str>,
) -> Result<&'static ModelEntry, ParamError> {
    let entries = entries_of(model);
    let Some(first) = entries.first() else {
        return Err(ParamError::new(
            "model",
            format!(
                "unknown model {model:?}; known models: {}",
                model_names().join(", ")
            ),
        ));
    };
    let Some(key) = first.variant.map(|v| v.key) else {
        return Ok(first);
    };
    let chosen = match variant_of(key) {
        None => entries
            .iter()
            .find(|e| e.variant.is_some_and(|v| v.default)),
        Some(name) => entries
            .iter()
            .find(|e| e.variant.is_some_and(|v| v.name == name)),
    };
    chosen.copied().ok_or_else(|| {
        let given = variant_of(key).unwrap_or_default();
        let known: Vec<&str> = entries
            .iter()
            .filter_map(|e| e.variant.map(|v| v.name))
            .collect();
        let what = if key == "variant" {
            format!("{model} variant")
        } else {
            key.to_string()
        };
        ParamError::new(
            key,
            format!("unknown {what} {given:?}; known: {}", known.join(", ")),
        )
    })
}

/// The model a `[[ranker]]` describes: `model`, the other keys it gives (`given`) and the
/// rankers before it (for RM3's `first_stage`). Checks that every key is one of the entry's,
/// then builds the model; errors name the key they are about.
pub fn resolve(
    model: &str,
    given: &[(&'static str, Value)],
    earlier: &[RankerSpec],
) -> Result<Model, ParamError> {
    let value = |key: &str| given.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
    let entry = lookup(model, |key| value(key).and_then(Value::as_text))?;
    let takes = entry.keys();
    let foreign = ranker_keys()
        .iter()
        .copied()
        .find(|k| value(k).is_some() && !takes.contains(k))
        .or_else(|| given.iter().map(|(k, _)| *k).find(|k| !takes.contains(k)));
    if let Some(key) = foreign {
        return Err(ParamError::new(
            key,
            format!(
                "`{key}` is not a parameter of this model (it takes: {})",
                takes.join(", ")
            ),
        ));
    }
    (entry.build)(&Params {
        entry,
        given,
        earlier,
    })
}

/// Every key a `[[ranker]]` section accepts: `name`, `model`, and every variant key and
/// parameter of the registry, in the order an unknown-key error lists them.
pub fn ranker_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<&'static str> = KEY_ORDER.to_vec();
        for e in MODELS {
            for k in e.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys
    })
}

/// The kind of value `key` takes (`name` and `model` are text); `None` for a key no model has.
pub fn key_kind(key: &str) -> Option<Kind> {
    if matches!(key, "name" | "model") {
        return Some(Kind::Text);
    }
    MODELS.iter().find_map(|e| {
        if e.variant.is_some_and(|v| v.key == key) {
            Some(Kind::Text)
        } else {
            e.param(key).map(|p| p.range.kind())
        }
    })
}

/// The models RM3 can rank with, in words: `bm25, tfidf or ql`.
pub fn expandable_models() -> String {
    let mut names: Vec<&str> = Vec::new();
    for e in MODELS.iter().filter(|e| e.expandable) {
        if !names.contains(&e.model) {
            names.push(e.model);
        }
    }
    alternatives(&names, "or")
}

/// The parameters a [`ModelEntry::build`] reads: the config's values, else the defaults,
/// each checked against its range.
#[derive(Debug)]
pub struct Params<'a> {
    entry: &'static ModelEntry,
    given: &'a [(&'static str, Value)],
    earlier: &'a [RankerSpec],
}

impl<'a> Params<'a> {
    /// The parameters of `entry` as `given`, after the rankers `earlier`.
    pub fn new(
        entry: &'static ModelEntry,
        given: &'a [(&'static str, Value)],
        earlier: &'a [RankerSpec],
    ) -> Params<'a> {
        Params {
            entry,
            given,
            earlier,
        }
    }

    /// The entry being built.
    pub fn entry(&self) -> &'static ModelEntry {
        self.entry
    }

    /// `name`'s value (given or default), checked against its range.
    fn value(&self, name: &str) -> Result<(&'static Param, &'a Value), ParamError> {
        let param = self.entry.param(name).unwrap_or_else(|| {
            panic!(
                "{} reads {name:?}, which is not in its parameter table",
                self.entry.label()
            )
        });
        let given = self.given.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
        let value: &'a Value = match (given, &param.default) {
            (Some(v), _) => v,
            (None, Some(d)) => d,
            (None, None) => {
                return Err(ParamError::new(
                    "model",
                    format!(
                        "{} needs {} = {}",
                        self.entry.model,
                        param.name,
                        param.range.placeholder()
                    ),
                ))
            }
        };
        if !param.range.contains(value) {
            return Err(ParamError::new(
                param.name,
                format!(
                    "{} must be {}, not {value}",
                    param.name,
                    param.range.describe()
                ),
            ));
        }
        Ok((param, value))
    }

    /// A number parameter.
    pub fn float(&self, name: &str) -> Result<f64, ParamError> {
        match self.value(name)? {
            (_, Value::Float(x)) => Ok(*x),
            (p, other) => panic!("{} is a number, not {other:?}", p.name),
        }
    }

    /// A count parameter.
    pub fn count(&self, name: &str) -> Result<usize, ParamError> {
        match self.value(name)? {
            (_, Value::Count(n)) => Ok(*n),
            (p, other) => panic!("{} is a count, not {other:?}", p.name),
        }
    }

    /// A word parameter ([`Range::OneOf`]) turned into its value by `parse`.
    pub fn choice<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Result<T, ParamError> {
        let (param, value) = self.value(name)?;
        value.as_text().and_then(parse).ok_or_else(|| {
            ParamError::new(
                param.name,
                format!(
                    "{} must be {}, not {value}",
                    param.name,
                    param.range.describe()
                ),
            )
        })
    }

    /// A [`Range::Ranker`] parameter: its name and the earlier ranker it names.
    pub fn ranker(&self, name: &str) -> Result<(&'a str, &'a RankerSpec), ParamError> {
        let (param, value) = self.value(name)?;
        let text = value.as_text().unwrap_or_default();
        let ranker = self.earlier.iter().find(|r| r.name == text);
        ranker.map(|r| (text, r)).ok_or_else(|| {
            ParamError::new(
                param.name,
                format!(
                    "{} {text:?} does not name an earlier [[ranker]]",
                    param.name
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn earlier() -> Vec<RankerSpec> {
        vec![RankerSpec {
            name: "first".into(),
            model: resolve("bm25", &[], &[]).unwrap(),
        }]
    }

    /// What a config must give besides defaults: RM3's first stage.
    fn required(entry: &ModelEntry) -> Vec<(&'static str, Value)> {
        entry
            .params
            .iter()
            .filter(|p| p.default.is_none())
            .map(|p| {
                assert_eq!(p.range, Range::Ranker, "{}: {}", entry.label(), p.name);
                (p.name, Value::text("first"))
            })
            .collect()
    }

    /// The variant key and value that choose `entry`.
    fn choosing(entry: &ModelEntry) -> Vec<(&'static str, Value)> {
        entry
            .variant
            .iter()
            .map(|v| (v.key, Value::text(v.name)))
            .collect()
    }

    /// A value in the range that differs from the default.
    fn other_value(p: &Param) -> Value {
        match (&p.range, &p.default) {
            (Range::NonNegative, Some(Value::Float(d))) => Value::Float(d + 0.25),
            (Range::Positive, Some(Value::Float(d))) => Value::Float(d * 2.0),
            (Range::Unit, Some(Value::Float(d))) => {
                Value::Float(if *d <= 0.5 { d + 0.25 } else { d - 0.25 })
            }
            (Range::OpenUnit, Some(Value::Float(d))) => Value::Float(d / 2.0),
            (Range::AtLeastOne, Some(Value::Count(d))) => Value::Count(d + 1),
            (Range::OneOf(words), Some(d)) => {
                Value::text(words.iter().find(|w| d.as_text() != Some(**w)).unwrap())
            }
            (Range::Ranker, None) => Value::text("first"),
            other => panic!("{}: no test value for {other:?}", p.name),
        }
    }

    /// A value outside the range.
    fn outside(p: &Param) -> Value {
        match p.range {
            Range::NonNegative => Value::Float(-1.0),
            Range::Positive => Value::Float(0.0),
            Range::Unit => Value::Float(1.5),
            Range::OpenUnit => Value::Float(1.0),
            Range::AtLeastOne => Value::Count(0),
            Range::OneOf(_) => Value::text("nonsense"),
            Range::Ranker => Value::text("nobody"),
        }
    }

    fn with(
        mut given: Vec<(&'static str, Value)>,
        key: &'static str,
        value: Value,
    ) -> Vec<(&'static str, Value)> {
        given.retain(|(k, _)| *k != key);
        given.push((key, value));
        given
    }

    #[test]
    fn every_entry_builds_with_its_defaults_and_knows_its_entry() {
        for entry in MODELS {
            let mut given = required(entry);
            given.extend(choosing(entry));
            let model = resolve(entry.model, &given, &earlier())
                .unwrap_or_else(|e| panic!("{}: {e}", entry.label()));
            assert!(
                std::ptr::eq(model.entry(), *entry),
                "{} builds a model whose entry is {}",
                entry.label(),
                model.entry().label()
            );
        }
    }

    #[test]
    fn defaults_are_the_parameter_types_defaults() {
        use super::super::{bm25::Bm25, ql::Ql};
        assert_eq!(resolve("bm25", &[], &[]), Ok(Model::Bm25(Bm25::default())));
        assert_eq!(resolve("ql", &[], &[]), Ok(Model::Ql(Ql::default())));
    }

    #[test]
    fn every_parameter_is_in_the_resolved_config_with_its_value() {
        for entry in MODELS {
            let base: Vec<_> = required(entry).into_iter().chain(choosing(entry)).collect();
            let defaults = resolve(entry.model, &base, &earlier()).unwrap();
            let keys: Vec<&str> = defaults.config_entries().iter().map(|(k, _)| *k).collect();
            let mut want = vec!["model"];
            want.extend(entry.keys());
            assert_eq!(keys, want, "{}", entry.label());
            for p in entry.params {
                let value = other_value(p);
                let given = with(base.clone(), p.name, value.clone());
                let model = resolve(entry.model, &given, &earlier())
                    .unwrap_or_else(|e| panic!("{} {}: {e}", entry.label(), p.name));
                let entries = model.config_entries();
                let written = entries.iter().find(|(k, _)| *k == p.name).map(|(_, v)| v);
                assert_eq!(
                    written,
                    Some(&value.to_toml()),
                    "{} {}",
                    entry.label(),
                    p.name
                );
                // And the resolved config reads back to the same model.
                let reread: Vec<(&'static str, Value)> = entries
                    .iter()
                    .filter(|(k, _)| *k != "model")
                    .map(|(k, v)| {
                        let v = match v {
                            toml::Value::Float(x) => Value::Float(*x),
                            toml::Value::Integer(n) => Value::Count(*n as usize),
                            toml::Value::String(s) => Value::Text(s.clone().into()),
                            other => panic!("{other:?}"),
                        };
                        (*k, v)
                    })
                    .collect();
                assert_eq!(resolve(entry.model, &reread, &earlier()), Ok(model));
            }
        }
    }

    #[test]
    fn a_value_outside_the_range_is_refused_naming_the_key() {
        for entry in MODELS {
            let base: Vec<_> = required(entry).into_iter().chain(choosing(entry)).collect();
            for p in entry.params {
                let given = with(base.clone(), p.name, outside(p));
                let err = resolve(entry.model, &given, &earlier()).unwrap_err();
                assert_eq!(err.key, p.name, "{} {}: {err}", entry.label(), p.name);
                assert!(err.message.contains(p.name), "{err}");
            }
        }
    }

    #[test]
    fn the_registry_has_no_duplicates_and_one_default_per_model() {
        for (i, a) in MODELS.iter().enumerate() {
            for b in &MODELS[..i] {
                assert!(
                    !(a.model == b.model && a.variant.map(|v| v.name) == b.variant.map(|v| v.name)),
                    "{} is listed twice",
                    a.label()
                );
            }
            let mut names: Vec<&str> = a.params.iter().map(|p| p.name).collect();
            names.dedup();
            assert_eq!(names.len(), a.params.len(), "{}", a.label());
        }
        for model in model_names() {
            let entries = entries_of(model);
            let keys: Vec<_> = entries.iter().map(|e| e.variant.map(|v| v.key)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{model}: {keys:?}");
            if keys[0].is_none() {
                assert_eq!(entries.len(), 1, "{model} has entries but no variant key");
            } else {
                let defaults = entries
                    .iter()
                    .filter(|e| e.variant.is_some_and(|v| v.default))
                    .count();
                assert_eq!(defaults, 1, "{model} needs exactly one default variant");
            }
        }
    }

    #[test]
    fn each_key_has_one_kind_and_every_key_is_known() {
        for entry in MODELS {
            for key in entry.keys() {
                let kind = key_kind(key).unwrap();
                let own = entry.param(key).map_or(Kind::Text, |p| p.range.kind());
                assert_eq!(kind, own, "{} {key}", entry.label());
                assert!(ranker_keys().contains(&key));
            }
            for p in entry.params {
                if let Some(d) = &p.default {
                    assert_eq!(d.kind(), p.range.kind(), "{} {}", entry.label(), p.name);
                    assert!(p.range.contains(d), "{} {}", entry.label(), p.name);
                }
            }
        }
        for key in KEY_ORDER {
            assert!(
                key_kind(key).is_some(),
                "{key} is in KEY_ORDER but no model has it"
            );
        }
    }

    #[test]
    fn unknown_models_variants_and_keys_list_what_is_known() {
        let err =
            |model: &str, given: &[(&'static str, Value)]| resolve(model, given, &[]).unwrap_err();
        assert_eq!(
            err("bm26", &[]),
            ParamError::new(
                "model",
                "unknown model \"bm26\"; known models: bm25, tfidf, ql, rm3, bm25-crate"
            )
        );
        assert_eq!(
            err("bm25", &[("variant", Value::text("okapi"))]),
            ParamError::new(
                "variant",
                "unknown bm25 variant \"okapi\"; known: lucene, accurate, robertson, terrier, atire, bm25l, bm25plus"
            )
        );
        assert_eq!(
            err("tfidf", &[("variant", Value::text("x"))]).message,
            "unknown tfidf variant \"x\"; known: terrier, lucene"
        );
        assert_eq!(
            err("ql", &[("smoothing", Value::text("x"))]),
            ParamError::new("smoothing", "unknown smoothing \"x\"; known: dirichlet, jm")
        );
        assert_eq!(
            err("ql", &[("variant", Value::text("jm"))]),
            ParamError::new(
                "variant",
                "`variant` is not a parameter of this model (it takes: smoothing, mu)"
            )
        );
        // The first foreign key in KEY_ORDER is named, whatever the order given.
        assert_eq!(
            err(
                "bm25",
                &[("k3", Value::Float(1.0)), ("mu", Value::Float(1.0))]
            )
            .key,
            "mu"
        );
        assert_eq!(
            err("rm3", &[]),
            ParamError::new(
                "model",
                "rm3 needs first_stage = \"<name of an earlier ranker>\""
            )
        );
        assert_eq!(expandable_models(), "bm25, tfidf or ql");
    }

    #[test]
    fn docs_mention_every_model_variant_and_parameter() {
        let docs = include_str!("../../docs/models.md");
        let words: Vec<&str> = docs
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .collect();
        for entry in MODELS {
            assert!(
                docs.contains(&format!("## `{}`", entry.model)),
                "docs/models.md has no section for {}",
                entry.model
            );
            let mut names: Vec<&str> = entry.keys();
            names.extend(entry.variant.map(|v| v.name));
            for name in names {
                assert!(
                    words.contains(&name),
                    "docs/models.md does not mention {name} ({})",
                    entry.label()
                );
            }
        }
    }
}

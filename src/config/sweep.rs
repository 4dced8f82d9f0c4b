//! Parameter sweeps (`k1 = [0.6, 0.9]`, `b = { from = 0.1, to = 0.9, step = 0.1 }`) and
//! `[[tune]]` cross-validation, as the config describes them.
//!
//! A swept ranker is a grid: the product of its swept parameters' values, in config order,
//! the parameter listed last varying fastest. Each point is an ordinary [`RankerSpec`] with a
//! name such as `bm25[k1=0.9,b=0.4]`.
//!
//! A range's values are exact decimals: `from`, `from + step`, ..., `to`, computed on integers
//! scaled by the largest number of decimals among the three (0.1, 0.2, 0.3, not
//! 0.30000000000000004) and each read as if typed, so a point's value is the `f64` that
//! `--set ranker.NAME.KEY=VALUE` gives. `to` must be `from` plus a whole number of steps.

use std::path::PathBuf;

use super::raw::RawParam;
use crate::eval::Measure;
use crate::rank::registry::Value;
use crate::rank::RankerSpec;

/// The most points one grid may have.
pub const MAX_POINTS: usize = 10_000;

/// A swept parameter and its values, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The parameter's key (`k1`).
    pub key: &'static str,
    /// Its values, in the order the config gives them.
    pub values: Vec<Value>,
}

/// One point of a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    /// `RANKER[k1=0.9,b=0.4]`: the ranker's name and each swept value, in axis order.
    pub name: String,
    /// The swept values, one per axis.
    pub values: Vec<Value>,
    /// The ranker at this point (named after the swept ranker, so its run's tag is the
    /// ranker's name, as a run of the point alone with `--set` has).
    pub ranker: RankerSpec,
}

/// A `[[ranker]]` with at least one swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// The ranker's name.
    pub name: String,
    /// The swept parameters, in config order.
    pub axes: Vec<Axis>,
    /// Every point, in grid order (the last axis varies fastest).
    pub points: Vec<GridPoint>,
}

/// How the topics are split into folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoldsSpec {
    /// `folds = K`: the topics shuffled with `seed`, then dealt round-robin.
    Random {
        /// The number of folds.
        k: usize,
        /// The shuffle's seed.
        seed: u64,
    },
    /// `folds = "loo"`: one topic per fold.
    LeaveOneOut,
    /// `folds = "path"`: a fold file, one line per fold, whitespace-separated qids.
    File(PathBuf),
}

/// A `[[tune]]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct TuneSpec {
    /// The swept ranker it tunes.
    pub ranker: String,
    /// The measure maximized on the training topics.
    pub measure: Measure,
    /// The measure as configured.
    pub measure_name: String,
    /// The folds.
    pub folds: FoldsSpec,
}

impl TuneSpec {
    /// The name of the assembled run: `RANKER.cv`.
    pub fn run_name(&self) -> String {
        format!("{}.cv", self.ranker)
    }
}

/// The values of a swept parameter, or `None` for a single value. Errors are messages about
/// `key`.
pub fn expand(key: &str, param: &RawParam) -> Result<Option<Vec<Value>>, String> {
    let values = match param {
        RawParam::One(_) => return Ok(None),
        RawParam::List(values) => values.clone(),
        RawParam::Range { from, to, step } => range(key, from, to, step)?,
    };
    if values.is_empty() {
        return Err(format!("{key} = [] sweeps no value; give at least one"));
    }
    if values.len() > MAX_POINTS {
        return Err(format!(
            "{key} sweeps {} values; at most {MAX_POINTS}",
            values.len()
        ));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(format!("{key} sweeps {v} twice"));
        }
    }
    Ok(Some(values))
}

/// `from`, `from + step`, ..., `to`, exactly (see the module documentation).
fn range(key: &str, from: &Value, to: &Value, step: &Value) -> Result<Vec<Value>, String> {
    let count = matches!(from, Value::Count(_));
    let texts = [from, to, step].map(|v| match v {
        Value::Float(x) if x.is_finite() => Ok(format!("{x}")),
        Value::Count(n) => Ok(n.to_string()),
        other => Err(format!("{key}: range bound {other} is not a finite number")),
    });
    let [from_t, to_t, step_t] = texts;
    let (from_t, to_t, step_t) = (from_t?, to_t?, step_t?);
    let decimals = [&from_t, &to_t, &step_t]
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, d)| d.len()))
        .max()
        .unwrap_or(0);
    if decimals > 12 {
        return Err(format!(
            "{key}: range bounds with more than 12 decimals are not exact; list the values"
        ));
    }
    let scaled = |t: &str| -> Result<i128, String> {
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = format!("{int}{frac:0<decimals$}");
        digits
            .parse::<i128>()
            .map_err(|_| format!("{key}: range bound {t} is too large"))
    };
    let (a, b, s) = (scaled(&from_t)?, scaled(&to_t)?, scaled(&step_t)?);
    if s <= 0 {
        return Err(format!("{key}: range step must be > 0, not {step_t}"));
    }
    if b < a {
        return Err(format!(
            "{key}: range goes from {from_t} down to {to_t}; `to` must be at least `from`"
        ));
    }
    if (b - a) % s != 0 {
        return Err(format!(
            "{key}: range to = {to_t} is not from = {from_t} plus a whole number of steps of {step_t}"
        ));
    }
    let n = (b - a) / s + 1;
    if n > MAX_POINTS as i128 {
        return Err(format!("{key}: range has {n} values; at most {MAX_POINTS}"));
    }
    Ok((0..n)
        .map(|i| {
            let v = a + i * s;
            if count {
                Value::Count(v as usize)
            } else {
                Value::Float(decimal(v, decimals).parse().expect("a decimal parses"))
            }
        })
        .collect())
}

/// The decimal text of `v / 10^decimals`.
fn decimal(v: i128, decimals: usize) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let digits = format!("{:0>width$}", v.unsigned_abs(), width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `NAME[k1=0.9,b=0.4]`.
pub fn point_name(ranker: &str, axes: &[Axis], values: &[Value]) -> String {
    let parts: Vec<String> = axes
        .iter()
        .zip(values)
        .map(|(a, v)| format!("{}={v}", a.key))
        .collect();
    format!("{ranker}[{}]", parts.join(","))
}

/// Every combination of the axes' values, the last axis varying fastest.
pub fn product(axes: &[Axis]) -> Vec<Vec<Value>> {
    let mut points: Vec<Vec<Value>> = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(v: &[Value]) -> Vec<f64> {
        v.iter()
            .map(|x| match x {
                Value::Float(f) => *f,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn float_ranges_are_the_typed_decimals() {
        let r = range(
            "b",
            &Value::Float(0.1),
            &Value::Float(0.9),
            &Value::Float(0.1),
        )
        .unwrap();
        let typed: Vec<f64> = [
            "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        assert_eq!(floats(&r), typed);
        // Summing steps would give 0.30000000000000004 for the third value.
        assert_ne!(0.1 + 0.1 + 0.1, 0.3);
        let r = range(
            "k1",
            &Value::Float(0.5),
            &Value::Float(2.0),
            &Value::Float(0.25),
        )
        .unwrap();
        assert_eq!(floats(&r), [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]);
        let r = range(
            "mu",
            &Value::Float(500.0),
            &Value::Float(2000.0),
            &Value::Float(500.0),
        )
        .unwrap();
        assert_eq!(floats(&r), [500.0, 1000.0, 1500.0, 2000.0]);
    }

    #[test]
    fn count_ranges() {
        let r = range(
            "fb_docs",
            &Value::Count(5),
            &Value::Count(20),
            &Value::Count(5),
        )
        .unwrap();
        assert_eq!(r, [5, 10, 15, 20].map(Value::Count).to_vec(), "{r:?}");
    }

    #[test]
    fn bad_ranges_are_refused() {
        let f = Value::Float;
        let e = range("b", &f(0.1), &f(0.95), &f(0.1)).unwrap_err();
        assert!(e.contains("whole number of steps"), "{e}");
        assert!(range("b", &f(0.5), &f(0.1), &f(0.1))
            .unwrap_err()
            .contains("at least"));
        assert!(range("b", &f(0.1), &f(0.5), &f(0.0))
            .unwrap_err()
            .contains("> 0"));
        let e = range("b", &f(0.0), &f(1000.0), &f(0.001)).unwrap_err();
        assert!(e.contains("at most"), "{e}");
    }

    #[test]
    fn lists_must_be_non_empty_and_distinct() {
        assert!(expand("k1", &RawParam::List(vec![])).is_err());
        let twice = RawParam::List(vec![Value::Float(0.9), Value::Float(0.9)]);
        assert!(expand("k1", &twice).unwrap_err().contains("twice"));
        assert_eq!(expand("k1", &RawParam::One(Value::Float(1.0))), Ok(None));
    }

    #[test]
    fn the_last_axis_varies_fastest() {
        let axes = vec![
            Axis {
                key: "k1",
                values: vec![Value::Float(0.6), Value::Float(0.9)],
            },
            Axis {
                key: "b",
                values: vec![Value::Float(0.3), Value::Float(0.4), Value::Float(0.5)],
            },
        ];
        let names: Vec<String> = product(&axes)
            .iter()
            .map(|p| point_name("bm25", &axes, p))
            .collect();
        assert_eq!(
            names,
            [
                "bm25[k1=0.6,b=0.3]",
                "bm25[k1=0.6,b=0.4]",
                "bm25[k1=0.6,b=0.5]",
                "bm25[k1=0.9,b=0.3]",
                "bm25[k1=0.9,b=0.4]",
                "bm25[k1=0.9,b=0.5]"
            ]
        );
    }
}

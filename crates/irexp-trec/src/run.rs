//! TREC run files: `qid Q0 docno rank score tag`.
//!
//! A [`Run`] holds ranked lists in topic order. [`Run::write_trec`] writes it atomically, with
//! ranks in the order trec_eval will use (score descending as float32, then docno descending)
//! and every score printed with enough digits to read back to the same value.

use std::cmp::Ordering;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::hash::FastMap;
use crate::{atomic, input};

/// One retrieved document.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDoc {
    /// The external document identifier.
    pub docno: String,
    /// The retrieval score; higher is better.
    pub score: f64,
}

/// The ranked list of one topic.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunTopic {
    /// The topic identifier.
    pub qid: String,
    /// Retrieved documents, best first.
    pub docs: Vec<RunDoc>,
}

/// Ranked lists for a set of topics, in topic order, with the run's tag.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    /// The tag written in the sixth column.
    pub tag: String,
    /// Topics in the order they are written (the order of the topics file).
    pub topics: Vec<RunTopic>,
}

/// How documents with equal scores are ordered and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TiePolicy {
    /// Scores are written as computed; ties are ranked as trec_eval ranks them (docno
    /// descending), so the written ranks agree with what the evaluator sees. At the top-k cut,
    /// ties are decided the same way.
    #[default]
    TrecEval,
    /// Anserini's: hits sorted by score, then docno ascending (this also decides ties at the
    /// top-k cut); then scores rounded to 4 decimals (float32) and runs of equal rounded scores
    /// separated by subtracting 1e-6 per tied position (`ScoreTiesAdjusterReranker`).
    Anserini,
}

impl TiePolicy {
    /// The name used in configs and manifests.
    pub fn name(self) -> &'static str {
        match self {
            TiePolicy::TrecEval => "trec_eval",
            TiePolicy::Anserini => "anserini",
        }
    }

    /// How scores are printed under this policy: Anserini prints 6 decimals.
    pub fn score_format(self) -> ScoreFormat {
        match self {
            TiePolicy::TrecEval => ScoreFormat::Shortest,
            TiePolicy::Anserini => ScoreFormat::Fixed(6),
        }
    }
}

/// How scores are printed in a run file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreFormat {
    /// The fewest digits that read back to the same value ([`format_score`]).
    Shortest,
    /// A fixed number of decimals, as Java's `%f` (6) prints them ([`java_fixed`]). Only
    /// exact when the scores already have at most that many decimals.
    Fixed(usize),
}

/// `score` with `decimals` decimals as Java's `String.format("%.6f", ...)` prints it: the
/// shortest decimal that reads back to the double (what `Double.toString` gives), rounded
/// half up, so 0.0078125 prints as 0.007813 where Rust's `{:.6}` (half to even on the exact
/// value) prints 0.007812.
pub fn java_fixed(score: f64, decimals: usize) -> String {
    let shortest = format!("{}", score.abs());
    let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(decimals))
        .collect();
    if frac.as_bytes().get(decimals).is_some_and(|&d| d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let sign = if score.is_sign_negative() { "-" } else { "" };
    let int = std::str::from_utf8(&digits[..split]).expect("ASCII digits");
    let frac = std::str::from_utf8(&digits[split..]).expect("ASCII digits");
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// trec_eval 9.0.8's order: score descending compared as float32, then docno descending.
pub fn trec_eval_order(a: &RunDoc, b: &RunDoc) -> Ordering {
    trec_eval_cmp((a.score, &a.docno), (b.score, &b.docno))
}

/// [`trec_eval_order`] on (score, docno) pairs.
pub fn trec_eval_cmp(a: (f64, &str), b: (f64, &str)) -> Ordering {
    // `+ 0.0` turns -0.0 into 0.0: trec_eval compares with `<`/`>`, so they tie.
    let (sa, sb) = (a.0 as f32 + 0.0, b.0 as f32 + 0.0);
    sb.total_cmp(&sa)
        .then_with(|| b.1.as_bytes().cmp(a.1.as_bytes()))
}

impl RunTopic {
    /// Orders (and, for Anserini's policy, rounds and nudges) the documents as `policy`
    /// says: the one place a run's tie policy is applied to a ranked list.
    pub fn apply(&mut self, policy: TiePolicy) {
        match policy {
            TiePolicy::TrecEval => self.sort_trec_eval(),
            TiePolicy::Anserini => self.apply_anserini_ties(),
        }
    }

    /// Re-orders the documents as trec_eval will rank them.
    pub fn sort_trec_eval(&mut self) {
        self.docs.sort_by(trec_eval_order);
    }

    /// Applies Anserini's tie handling (its search sort plus `ScoreTiesAdjusterReranker`).
    ///
    /// Documents are ordered by raw float32 score descending, then docno ascending (Anserini
    /// sorts hits by score, then by the docid field). Walking that order, each score is rounded
    /// to 4 decimals (in double precision, halves up, then stored as float32); when it is
    /// within 1e-4 of the previous (already adjusted) score it is lowered by `1e-6 × n`
    /// (float32), n counting the documents in the tie run so far. The result keeps the 6
    /// decimals Anserini prints. This reproduces Anserini 1.7.1's Vaswani BM25 run line for
    /// line (tests/vaswani.rs).
    pub fn apply_anserini_ties(&mut self) {
        self.docs.sort_by(|a, b| {
            (b.score as f32)
                .total_cmp(&(a.score as f32))
                .then_with(|| a.docno.cmp(&b.docno))
        });
        let mut dup = 0u32;
        let mut prev: Option<f32> = None;
        for doc in &mut self.docs {
            let mut cur = (java_round((doc.score as f32) as f64 * 1e4) / 1e4) as f32;
            match prev {
                Some(p) if p - cur <= 1e-4f32 => {
                    dup += 1;
                    cur -= 1e-6f32 * dup as f32;
                }
                _ => dup = 0,
            }
            prev = Some(cur);
            // Anserini prints scores with Java's `%f` (6 decimals); keep exactly that value,
            // so that trec_eval reads our run as it reads Anserini's.
            doc.score = format!("{:.6}", cur as f64).parse().unwrap_or(cur as f64);
        }
    }
}

/// Java's `Math.round(double)`: the nearest integer, halves rounded up (towards +inf).
fn java_round(x: f64) -> f64 {
    let floor = x.floor();
    // `x - floor` is exact for doubles, so the comparison decides halves correctly.
    if x - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    }
}

/// Formats a score so that reading it back as trec_eval 9.0.8 does (text to f64, then f32)
/// gives the same float32 value. Values that are exact float32 are printed in the shortest form
/// that reads back to that float32 (so the order of any two scores is kept); other values in
/// the shortest form that reads back to the same f64.
pub fn format_score(score: f64) -> String {
    let as_f32 = score as f32;
    if as_f32 as f64 == score {
        format!("{as_f32}")
    } else {
        format!("{score}")
    }
}

impl Run {
    /// Writes the run in TREC format to `path`, atomically: a temporary file in the same folder
    /// is renamed over `path` only once everything is written.
    ///
    /// Documents are written in the order they are held, with ranks 1, 2, ...; callers order
    /// them first ([`RunTopic::sort_trec_eval`] or [`RunTopic::apply_anserini_ties`]).
    pub fn write_trec(&self, path: &Path, format: ScoreFormat) -> Result<()> {
        atomic::write(path, self.to_trec(format).as_bytes())
    }

    /// The run as TREC text, documents in the order they are held, ranks 1, 2, ...
    pub fn to_trec(&self, format: ScoreFormat) -> String {
        let mut out = String::with_capacity(self.topics.iter().map(|t| t.docs.len() * 40).sum());
        for topic in &self.topics {
            for (i, doc) in topic.docs.iter().enumerate() {
                let _ = match format {
                    ScoreFormat::Shortest => writeln!(
                        out,
                        "{} Q0 {} {} {} {}",
                        topic.qid,
                        doc.docno,
                        i + 1,
                        format_score(doc.score),
                        self.tag
                    ),
                    ScoreFormat::Fixed(decimals) => writeln!(
                        out,
                        "{} Q0 {} {} {} {}",
                        topic.qid,
                        doc.docno,
                        i + 1,
                        java_fixed(doc.score, decimals),
                        self.tag
                    ),
                };
            }
        }
        out
    }

    /// Reads a TREC run file (plain or gzip). Lines need at least six fields; the second and
    /// fourth are ignored, as trec_eval ignores them. Blank lines are skipped (as trec_eval
    /// does). Topics keep the order of their first appearance; the tag is taken from the last
    /// line, as trec_eval reports it.
    pub fn read(path: &Path) -> Result<Run> {
        let text = input::read_to_string(path)?;
        Run::parse(&text, path)
    }

    /// Parses run text; `path` is used only in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Run> {
        let mut run = Run::default();
        let mut index: FastMap<&str, usize> = FastMap::default();
        // Runs list a topic's lines together: the last topic is checked before the map.
        let mut last: Option<usize> = None;
        let mut tag = "";
        for (i, line) in input::lines(text).enumerate() {
            let lineno = i + 1;
            let mut fields = [""; 6];
            let mut n = 0;
            for f in line.split_ascii_whitespace() {
                if n < 6 {
                    fields[n] = f;
                }
                n += 1;
            }
            if n == 0 {
                continue;
            }
            if n < 6 {
                return Err(Error::input(
                    Location::line(path, lineno),
                    format!("expected 6 fields `qid Q0 docno rank score tag`, found {n}"),
                ));
            }
            let score: f64 = fields[4].parse().map_err(|_| {
                Error::input(
                    Location::line(path, lineno),
                    format!(
                        "field 5 (score) {:?} is not a number; expected a decimal number such as 12.5 or 1e-3",
                        fields[4]
                    ),
                )
            })?;
            if score.is_nan() {
                return Err(Error::input(
                    Location::line(path, lineno),
                    "score is NaN, which has no rank order",
                ));
            }
            let qid = fields[0];
            let slot = match last {
                Some(s) if run.topics[s].qid == qid => s,
                _ => *index.entry(qid).or_insert_with(|| {
                    run.topics.push(RunTopic {
                        qid: qid.to_string(),
                        docs: Vec::new(),
                    });
                    run.topics.len() - 1
                }),
            };
            last = Some(slot);
            run.topics[slot].docs.push(RunDoc {
                docno: fields[2].to_string(),
                score,
            });
            tag = fields[5];
        }
        run.tag = tag.to_string();
        if run.topics.is_empty() {
            return Err(Error::input(
                Location::file(path),
                "the run file has no results",
            ));
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(docno: &str, score: f64) -> RunDoc {
        RunDoc {
            docno: docno.into(),
            score,
        }
    }

    #[test]
    fn ties_break_by_docno_descending() {
        let mut t = RunTopic {
            qid: "1".into(),
            docs: vec![
                doc("a", 1.0),
                doc("10", 1.0),
                doc("c", 2.0),
                doc("B", 1.0),
                doc("9", 1.0),
            ],
        };
        t.sort_trec_eval();
        let order: Vec<&str> = t.docs.iter().map(|d| d.docno.as_str()).collect();
        assert_eq!(order, ["c", "a", "B", "9", "10"]);
    }

    #[test]
    fn float32_ties_are_ties() {
        let mut t = RunTopic {
            qid: "1".into(),
            docs: vec![doc("a", 0.123456788), doc("b", 0.123456789)],
        };
        t.sort_trec_eval();
        assert_eq!(t.docs[0].docno, "b");
    }

    #[test]
    fn anserini_ties_round_and_nudge() {
        // The example from Anserini's TiebreakerReranker documentation, plus a triple tie.
        let mut t = RunTopic {
            qid: "1".into(),
            docs: vec![
                doc("docA", 23.439316),
                doc("docT", 22.087432),
                doc("docS", 22.087432),
                doc("docZ", 21.602508),
                doc("505", 4.32111),
                doc("4637", 4.32111),
                doc("4991", 2.4759412),
                doc("4778", 2.4759095),
                doc("3453", 2.4759095),
            ],
        };
        t.apply_anserini_ties();
        let got: Vec<(String, String)> = t
            .docs
            .iter()
            .map(|d| (d.docno.clone(), format!("{:.6}", d.score)))
            .collect();
        let want = [
            ("docA", "23.439301"),
            ("docS", "22.087400"),
            ("docT", "22.087399"),
            ("docZ", "21.602501"),
            ("4637", "4.321100"),
            ("505", "4.321099"),
            // Raw scores order first; equal raw scores go by docno ascending (seen in
            // Anserini 1.7.1's Vaswani run, topic 1, ranks 581-583).
            ("4991", "2.475900"),
            ("3453", "2.475899"),
            ("4778", "2.475898"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), g.1.as_str()), w);
        }
    }

    #[test]
    fn fixed_decimals_round_half_up_as_java_does() {
        assert_eq!(java_fixed(0.0078125, 6), "0.007813");
        assert_eq!(java_fixed(0.1f32 as f64, 6), "0.100000");
        assert_eq!(java_fixed(9.9999996, 6), "10.000000");
        assert_eq!(java_fixed(12.5, 6), "12.500000");
        assert_eq!(java_fixed(-1.25e-7, 6), "-0.000000");
        assert_eq!(java_fixed(2.5, 0), "3");
    }

    #[test]
    fn scores_round_trip_through_text() {
        // Float32 scores come back as the same float32, as trec_eval 9.0.8 reads them.
        for s in [8.6104f32, 6.019599f32, 1e-7f32, 123456.79f32, f32::MAX] {
            let text = format_score(s as f64);
            assert_eq!(text.parse::<f64>().unwrap() as f32, s, "{text}");
        }
        assert_eq!(format_score(8.6104f32 as f64), "8.6104");
        // Other doubles come back exactly.
        for s in [0.1 + 0.2, 1e-300, 123456.789] {
            assert_eq!(format_score(s).parse::<f64>().unwrap(), s);
        }
    }

    #[test]
    fn reader_groups_topics_in_first_appearance_order_and_skips_blank_lines() {
        let run = Run::parse(
            "2 Q0 a 1 3 t\n\n1 Q0 b 1 2 t\n2 Q0 c 2 1 u\n",
            Path::new("r"),
        )
        .unwrap();
        assert_eq!(run.topics.len(), 2);
        assert_eq!(run.topics[0].qid, "2");
        assert_eq!(run.topics[0].docs.len(), 2);
        assert_eq!(run.tag, "u");
    }

    #[test]
    fn short_line_is_an_error_naming_the_line() {
        let err = Run::parse("1 Q0 a 1 3 t\n1 Q0 b 2\n", Path::new("r.run")).unwrap_err();
        assert!(err.to_string().starts_with("r.run:2:"), "{err}");
    }

    #[test]
    fn write_is_atomic_and_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.run");
        let run = Run {
            tag: "t".into(),
            topics: vec![RunTopic {
                qid: "1".into(),
                docs: vec![doc("d1", 2.5), doc("d2", 1.0)],
            }],
        };
        run.write_trec(&path, ScoreFormat::Shortest).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "1 Q0 d1 1 2.5 t\n1 Q0 d2 2 1 t\n");
        assert_eq!(Run::read(&path).unwrap(), run);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}

//! Unit tests of pairing, the report and its renderings.

use super::*;
use crate::eval::TopicEval;

fn ev(topics: &[(&str, f64)]) -> Evaluation {
    Evaluation {
        measures: vec![Measure::Map],
        per_topic: topics
            .iter()
            .map(|(q, v)| TopicEval {
                qid: q.to_string(),
                values: vec![*v],
                texts: Vec::new(),
            })
            .collect(),
        summary: vec![0.0],
        runid: "r".into(),
    }
}

fn systems() -> Vec<System> {
    vec![
        System::new(
            "base",
            ev(&[("1", 0.1), ("2", 0.2), ("3", 0.3), ("4", 0.4)]),
        ),
        System::new(
            "up_a",
            ev(&[("4", 0.9), ("3", 0.8), ("2", 0.7), ("1", 0.6)]),
        ),
        System::new(
            "same",
            ev(&[("1", 0.1), ("2", 0.2), ("3", 0.3), ("4", 0.4)]),
        ),
    ]
}

#[test]
fn pairs_by_qid_not_by_position() {
    let options = CompareOptions::new(vec![Measure::Map]);
    let r = compare(&systems(), "base", &options, None).unwrap();
    assert_eq!(r.topics, ["1", "2", "3", "4"]);
    // up_a lists its topics in reverse; paired by qid every difference is +0.5.
    let d = &r.measures[0].comparisons[0].differences;
    assert!(d.iter().all(|x| (x - 0.5).abs() < 1e-12), "{d:?}");
    assert_eq!(r.systems, ["base", "up_a", "same"]);
    // The baseline is never compared with itself.
    assert_eq!(r.measures[0].comparisons.len(), 2);
    assert!(r.measures[0].comparisons.iter().all(|c| c.system != "base"));
    // Identical systems: p = 1, no effect size, all ties.
    let same = &r.measures[0].comparisons[1];
    assert_eq!((same.p, same.d_z, same.ties), (1.0, None, 4));
}

#[test]
fn the_baseline_may_come_in_any_position() {
    let mut options = CompareOptions::new(vec![Measure::Map]);
    options.test = Test::T;
    let r = compare(&systems(), "same", &options, None).unwrap();
    assert_eq!(r.systems, ["same", "base", "up_a"]);
}

#[test]
fn missing_topics_are_an_error_or_zero() {
    let mut s = systems();
    s[1] = System::new("up_a", ev(&[("1", 0.6), ("2", 0.7), ("3", 0.8)]));
    let options = CompareOptions::new(vec![Measure::Map]);
    let e = compare(&s, "base", &options, None).unwrap_err().to_string();
    assert!(e.contains("run up_a has no results for topics 4"), "{e}");
    let options = CompareOptions {
        missing: Missing::Zero,
        ..options
    };
    let qrels: Vec<String> = ["1", "2", "3", "4", "5"].map(String::from).to_vec();
    let r = compare(&s, "base", &options, Some(&qrels)).unwrap();
    assert_eq!(r.topics.len(), 5, "every qrels topic, as trec_eval -c");
    assert_eq!(r.measures[0].values[1], [0.6, 0.7, 0.8, 0.0, 0.0]);
    assert_eq!(
        r.filled_with_zero[1],
        ("up_a".to_string(), vec!["4".to_string(), "5".to_string()])
    );
    assert!(r.settings_text().contains("up_a: 4 5;"));
}

#[test]
fn errors_name_systems() {
    let options = CompareOptions::new(vec![Measure::Map]);
    let e = compare(&systems(), "bm25", &options, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("\"bm25\" is not one of the systems (base, up_a, same)"),
        "{e}"
    );
    let options = CompareOptions::new(vec![Measure::P(10)]);
    let e = compare(&systems(), "base", &options, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("run base was not evaluated with measure P_10"),
        "{e}"
    );
    let mut options = CompareOptions::new(vec![Measure::Map]);
    options.alpha = 0.0;
    assert!(compare(&systems(), "base", &options, None).is_err());
}

#[test]
fn renderings_mark_significance_and_the_best_value() {
    let mut s = systems();
    // Ten topics so that an exact randomization p can fall below 0.05.
    let base: Vec<(String, f64)> = (0..10)
        .map(|i| (format!("q{i}"), 0.1 * i as f64 / 2.0))
        .collect();
    let up: Vec<(String, f64)> = base.iter().map(|(q, v)| (q.clone(), v + 0.3)).collect();
    let to_ev =
        |v: &[(String, f64)]| ev(&v.iter().map(|(q, x)| (q.as_str(), *x)).collect::<Vec<_>>());
    s.truncate(0);
    s.push(System::new("b_1", to_ev(&base)));
    s.push(System::new("up", to_ev(&up)));
    let r = compare(&s, "b_1", &CompareOptions::new(vec![Measure::Map]), None).unwrap();
    let c = &r.measures[0].comparisons[0];
    assert!(c.significant && c.p < 0.01, "{c:?}");
    let tex = r.to_latex();
    assert!(tex.contains("b\\_1 (baseline)"), "{tex}");
    assert!(tex.contains("\\textbf{0.5250}$^\\dagger$"), "{tex}");
    assert!(tex.contains("over 10 topics"), "{tex}");
    assert!(tex.contains("Holm correction") && tex.contains("$\\alpha = 0.05$"));
    assert!(
        tex.contains("two-sided paired randomization test (exact: all 1,024 sign assignments"),
        "the caption names the test: {tex}"
    );
    let md = r.to_markdown();
    assert!(md.contains("**0.5250†**"), "{md}");
    let csv = r.to_csv();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.lines().nth(2).unwrap().starts_with("map,up,false,"));
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["measures"][0]["comparisons"][0]["significant"], true);
    assert!(r.to_terminal().contains("0.5250*"));
}

#[test]
fn latex_escaping_covers_the_special_characters() {
    assert_eq!(
        render::latex_escape("a_b&c%d$e#f{g}h~i^j\\"),
        "a\\_b\\&c\\%d\\$e\\#f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}"
    );
}

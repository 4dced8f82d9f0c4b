use super::*;
use crate::eval::{parse_measures, TopicEval};

fn qids(n: usize) -> Vec<String> {
    (1..=n).map(|i| i.to_string()).collect()
}

fn map() -> Measure {
    parse_measures("map").unwrap().remove(0)
}

/// An evaluation of `map` with these per-topic values.
fn eval(values: &[(&str, f64)]) -> Evaluation {
    let mut per_topic: Vec<TopicEval> = values
        .iter()
        .map(|(q, v)| TopicEval {
            qid: q.to_string(),
            values: vec![*v],
            texts: vec![],
        })
        .collect();
    per_topic.sort_by(|a, b| a.qid.as_bytes().cmp(b.qid.as_bytes()));
    let mean = values.iter().map(|(_, v)| v).sum::<f64>() / values.len() as f64;
    Evaluation {
        measures: vec![map()],
        per_topic,
        summary: vec![mean],
        runid: "r".into(),
    }
}

const ALL: Averaging<'static> = Averaging {
    complete: false,
    judged: &|_| true,
};

#[test]
fn random_folds_are_balanced_deterministic_and_seeded() {
    let q = qids(23);
    let a = Folds::random(&q, 5, 7).unwrap();
    assert_eq!(a, Folds::random(&q, 5, 7).unwrap());
    assert_ne!(a, Folds::random(&q, 5, 8).unwrap());
    let sizes: Vec<usize> = (0..5).map(|f| a.test(f).len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 23);
    assert!(sizes.iter().all(|&s| s == 4 || s == 5), "{sizes:?}");
    // Not the identity deal: shuffled.
    assert_ne!(a.test(0), vec!["1", "6", "11", "16", "21"]);
    for f in 0..5 {
        let (train, test) = (a.train(f), a.test(f));
        assert_eq!(train.len() + test.len(), 23);
        assert!(test.iter().all(|t| !train.contains(t)));
    }
    assert!(Folds::random(&q, 1, 0).is_err());
    assert!(Folds::random(&qids(3), 4, 0).is_err());
}

#[test]
fn fold_files_are_checked_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("folds.txt");
    let q = qids(6);
    let none = FastSet::default();
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        Folds::read(&path, &q, &none)
    };
    let f = read("1 2 3\n\n# comment\n4\t5 6\n").unwrap();
    assert_eq!(f.k, 2);
    assert_eq!(f.test(1), ["4", "5", "6"]);
    let e = read("1 2 3\n4 5 99 6\n").unwrap_err().to_string();
    assert!(e.contains("folds.txt:2") && e.contains("99"), "{e}");
    let e = read("1 2 3\n4 5 6 2\n").unwrap_err().to_string();
    assert!(
        e.contains("folds.txt:2") && e.contains("two folds") && e.contains("line 1"),
        "{e}"
    );
    let e = read("1 2 3\n4 5\n").unwrap_err().to_string();
    assert!(e.contains("no fold") && e.contains('6'), "{e}");
    let e = read("1 2 3 4 5 6\n").unwrap_err().to_string();
    assert!(e.contains("at least 2"), "{e}");
    // Topics of the topics file that a subset left out may appear.
    let ignored: FastSet<String> = ["7".to_string()].into_iter().collect();
    std::fs::write(&path, "1 2 3 7\n4 5 6\n").unwrap();
    assert_eq!(
        Folds::read(&path, &q, &ignored).unwrap().test(0),
        ["1", "2", "3"]
    );
}

#[test]
fn leave_one_out_has_one_topic_per_fold() {
    let f = Folds::leave_one_out(&qids(4));
    assert_eq!(f.k, 4);
    assert_eq!(f.test(2), ["3"]);
    assert_eq!(f.train(2), ["1", "2", "4"]);
}

#[test]
fn the_best_training_mean_wins_and_ties_go_to_the_first_point() {
    let folds = Folds {
        assignment: vec![
            ("a".into(), 0),
            ("b".into(), 0),
            ("c".into(), 1),
            ("d".into(), 1),
        ],
        k: 2,
    };
    let p0 = eval(&[("a", 0.1), ("b", 0.1), ("c", 0.9), ("d", 0.9)]);
    let p1 = eval(&[("a", 0.8), ("b", 0.8), ("c", 0.2), ("d", 0.2)]);
    let p2 = eval(&[("a", 0.8), ("b", 0.8), ("c", 0.9), ("d", 0.9)]);
    let c = choose(&[&p0, &p1, &p2], &map(), &folds, ALL);
    // Fold 0 trains on c, d: p0 and p2 tie at 0.9, p0 is first.
    assert_eq!((c[0].point, c[0].train_mean, c[0].test_mean), (0, 0.9, 0.1));
    // Fold 1 trains on a, b: p1 and p2 tie at 0.8, p1 is first.
    assert_eq!((c[1].point, c[1].train_mean, c[1].test_mean), (1, 0.8, 0.2));
}

#[test]
fn the_test_topics_never_influence_the_choice() {
    let folds = Folds::random(&qids(20), 4, 3).unwrap();
    let make = |shift: f64, test_noise: Option<usize>| {
        let values: Vec<(String, f64)> = qids(20)
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let fold = folds.assignment[i].1;
                let noise = if Some(fold) == test_noise {
                    100.0 * (i as f64)
                } else {
                    0.0
                };
                (q.clone(), ((i * 7) % 11) as f64 / 11.0 + shift + noise)
            })
            .collect();
        let refs: Vec<(&str, f64)> = values.iter().map(|(q, v)| (q.as_str(), *v)).collect();
        eval(&refs)
    };
    for f in 0..4 {
        let clean = [make(0.0, None), make(0.01, None), make(-0.02, None)];
        // Change only fold f's topics, differently per point.
        let noisy = [make(0.0, Some(f)), make(0.01, None), make(-0.02, Some(f))];
        let a = choose(&clean.iter().collect::<Vec<_>>(), &map(), &folds, ALL);
        let b = choose(&noisy.iter().collect::<Vec<_>>(), &map(), &folds, ALL);
        assert_eq!(a[f].point, b[f].point, "fold {f}");
        assert_eq!(a[f].train_mean, b[f].train_mean, "fold {f}");
    }
}

#[test]
fn complete_counts_judged_topics_without_results_as_zero() {
    let e = eval(&[("a", 0.5), ("b", 1.0)]);
    let judged = |q: &str| q != "z";
    let avg = Averaging {
        complete: true,
        judged: &judged,
    };
    assert_eq!(mean(&e, &map(), &["a", "b", "c"], avg), 0.5);
    assert_eq!(mean(&e, &map(), &["a", "b", "c", "z"], avg), 0.5);
    assert_eq!(mean(&e, &map(), &["a", "b", "c"], ALL), 0.75);
    assert!(mean(&e, &map(), &["c"], ALL).is_nan());
}

#[test]
fn grid_tables_are_tidy_and_quote_point_names() {
    let e = eval(&[("1", 0.25), ("2", 0.5)]);
    let values = vec!["0.9".to_string(), "0.4".to_string()];
    let rows = [GridRow {
        name: "bm25[k1=0.9,b=0.4]",
        values: &values,
        evaluation: &e,
    }];
    let (grid, topics) = grid_tables(&["k1", "b"], &rows, &[map()]);
    assert_eq!(
        grid,
        "point,k1,b,measure,mean\n\"bm25[k1=0.9,b=0.4]\",0.9,0.4,map,0.375\n"
    );
    assert_eq!(
        topics,
        "point,k1,b,qid,measure,value\n\"bm25[k1=0.9,b=0.4]\",0.9,0.4,1,map,0.25\n\"bm25[k1=0.9,b=0.4]\",0.9,0.4,2,map,0.5\n"
    );
}

#[cfg(feature = "plots")]
#[test]
fn plots_show_every_cell() {
    let evals: Vec<Evaluation> = (0..6).map(|i| eval(&[("1", i as f64 / 10.0)])).collect();
    let values: Vec<Vec<String>> = (0..6)
        .map(|i| {
            vec![
                ["0.6", "0.9"][i / 3].to_string(),
                ["0.3", "0.4", "0.5"][i % 3].to_string(),
            ]
        })
        .collect();
    let rows: Vec<GridRow<'_>> = (0..6)
        .map(|i| GridRow {
            name: "p",
            values: &values[i],
            evaluation: &evals[i],
        })
        .collect();
    let svg = plot::grid_svg("t", &["k1", "b"], &rows, &map(), Some(5))
        .unwrap()
        .unwrap();
    for i in 0..6 {
        assert!(svg.contains(&format!("{:.4}", i as f64 / 10.0)), "cell {i}");
    }
    assert!(svg.contains("0.9") && svg.contains("0.5"));
    let line = plot::grid_svg(
        "t",
        &["k1"],
        &rows[..3]
            .iter()
            .map(|r| GridRow {
                values: &r.values[1..],
                ..*r
            })
            .collect::<Vec<_>>(),
        &map(),
        None,
    );
    assert!(line.unwrap().unwrap().contains("<polyline"));
    assert!(plot::grid_svg("t", &["a", "b", "c"], &rows, &map(), None).is_none());
}

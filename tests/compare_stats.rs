//! The statistics of `irexp compare` against reference values: scipy.stats for the t-test
//! and Wilcoxon (tests/data/compare/golden.json, made by make_golden.py there), an
//! independent exhaustive enumeration for the randomization test, and properties.

use irexp::compare::stats::{self, RandomizationMode};
use irexp::compare::{compare, CompareOptions, System, Test};
use irexp::eval::{Evaluation, Measure, TopicEval};
use proptest::prelude::*;

#[derive(serde::Deserialize)]
struct Golden {
    cases: Vec<Case>,
    mde: Vec<Mde>,
}

#[derive(serde::Deserialize)]
struct Mde {
    n: usize,
    alpha: f64,
    power: f64,
    d_z: f64,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    wilcoxon_regime: String,
    a: Vec<f64>,
    b: Vec<f64>,
    ttest_t: f64,
    ttest_p: f64,
    wilcoxon_p: f64,
}

fn golden() -> Golden {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/compare/golden.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("golden.json is committed"))
        .expect("golden.json parses")
}

#[test]
fn t_test_agrees_with_scipy_ttest_rel() {
    let g = golden();
    assert!(g.cases.len() >= 6);
    for c in &g.cases {
        let d = stats::differences(&c.a, &c.b);
        let (t, p) = stats::t_test(&d);
        assert!(
            (p - c.ttest_p).abs() < 1e-6,
            "{}: p {p} vs scipy {}",
            c.name,
            c.ttest_p
        );
        assert!(
            (t - c.ttest_t).abs() < 1e-6,
            "{}: t {t} vs {}",
            c.name,
            c.ttest_t
        );
    }
}

#[test]
fn wilcoxon_agrees_with_scipy_in_every_regime() {
    let g = golden();
    let mut regimes = std::collections::BTreeSet::new();
    for c in &g.cases {
        let d = stats::differences(&c.a, &c.b);
        let w = stats::wilcoxon(&d);
        let method = serde_json::to_value(w.method).unwrap();
        assert_eq!(
            method.as_str(),
            Some(c.wilcoxon_regime.as_str()),
            "{}: regime",
            c.name
        );
        regimes.insert(c.wilcoxon_regime.clone());
        assert!(
            (w.p - c.wilcoxon_p).abs() < 1e-6,
            "{}: p {} vs scipy {}",
            c.name,
            w.p,
            c.wilcoxon_p
        );
    }
    assert_eq!(
        regimes.len(),
        3,
        "exact, enumerated and normal are all covered"
    );
}

#[test]
fn minimum_detectable_effect_is_within_0_2_percent_of_the_noncentral_t_value() {
    // The shifted-central-t approximation against scipy's exact noncentral-t solution.
    for m in &golden().mde {
        let approx = stats::mde_dz(m.n, m.alpha, m.power);
        let rel = (approx / m.d_z - 1.0).abs();
        assert!(
            rel < 2e-3,
            "n = {}: {approx} vs exact {} ({rel})",
            m.n,
            m.d_z
        );
    }
}

/// The exhaustive two-sided sign-flip p-value, computed independently of the library: the
/// share of the 2^n sign assignments whose |sum| reaches the observed |sum|.
fn exhaustive_p(d: &[f64]) -> f64 {
    let n = d.len();
    let observed: f64 = d.iter().sum::<f64>().abs();
    let mut count = 0u64;
    for mask in 0u64..(1 << n) {
        let mut s = 0.0;
        for (i, x) in d.iter().enumerate() {
            if mask & (1 << i) != 0 {
                s -= x;
            } else {
                s += x;
            }
        }
        if s.abs() >= observed - 1e-12 {
            count += 1;
        }
    }
    count as f64 / (1u64 << n) as f64
}

#[test]
fn randomization_p_is_the_exhaustive_enumeration_on_12_topics() {
    // Differences of AP-like values on 12 topics (binary fractions, so sums are exact).
    let d: Vec<f64> = [37, -12, 55, 8, -3, 21, 64, -40, 17, 9, -26, 31]
        .iter()
        .map(|&k| k as f64 / 1024.0)
        .collect();
    let expected = exhaustive_p(&d);
    let (p, mode) = stats::randomization_test(&d, 10_000, 1);
    assert_eq!(mode, RandomizationMode::Exact);
    assert!(
        (p - expected).abs() < 1e-9,
        "p {p} vs exhaustive {expected}"
    );
    assert!(
        expected > 0.0 && expected < 0.2,
        "a non-trivial case: {expected}"
    );

    // The golden 12-topic case, real-valued.
    let g = golden();
    let c = g.cases.iter().find(|c| c.name == "continuous_12").unwrap();
    let d = stats::differences(&c.a, &c.b);
    let (p, _) = stats::randomization_test(&d, 10_000, 1);
    assert!((p - exhaustive_p(&d)).abs() < 1e-9);
}

#[test]
fn sampled_randomization_p_is_close_to_the_exhaustive_value() {
    // 18 topics: 2^18 > 10,000 permutations, so the test samples.
    let d: Vec<f64> = (0..18)
        .map(|i| ((i * 7919) % 23) as f64 / 100.0 - 0.08)
        .collect();
    let exact = exhaustive_p(&d);
    let (p, mode) = stats::randomization_test(&d, 10_000, 42);
    assert_eq!(mode, RandomizationMode::Sampled);
    // The standard error of a p near 0.05 from 10,000 draws is about 0.002.
    assert!((p - exact).abs() < 0.01, "sampled {p} vs exact {exact}");
    assert!(p > 0.0);
}

#[test]
fn tukey_hsd_is_family_wise_and_seeded() {
    // Four systems on 25 topics: 1 and 2 are the baseline give or take noise, 3 is better.
    let base: Vec<f64> = (0..25).map(|t| ((t * 37) % 17) as f64 / 20.0).collect();
    let noise = |t: usize, k: usize| (((t * 13 + k * 7) % 5) as f64 - 2.0) / 100.0;
    let scores: Vec<Vec<f64>> = vec![
        base.clone(),
        base.iter()
            .enumerate()
            .map(|(t, v)| v + noise(t, 1))
            .collect(),
        base.iter()
            .enumerate()
            .map(|(t, v)| v + noise(t, 2))
            .collect(),
        base.iter()
            .enumerate()
            .map(|(t, v)| v + 0.3 + noise(t, 3))
            .collect(),
    ];
    let ranges = stats::tukey_ranges(&scores, 5000, 9);
    assert_eq!(ranges, stats::tukey_ranges(&scores, 5000, 9));
    let d3 = stats::mean(&scores[3]) - stats::mean(&scores[0]);
    let d1 = stats::mean(&scores[1]) - stats::mean(&scores[0]);
    let p3 = stats::tukey_p(&ranges, d3, 1.0);
    let p1 = stats::tukey_p(&ranges, d1, 1.0);
    assert!(p3 < 0.001, "{p3}");
    assert!(p1 > 0.05, "{p1}");
    // Family-wise: never smaller than the pairwise randomization p of the same pair.
    let pair = stats::randomization_test(&stats::differences(&scores[1], &scores[0]), 5000, 9).0;
    assert!(p1 + 0.02 >= pair, "tukey {p1} vs pairwise {pair}");
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn evaluation(runid: &str, topics: &[(String, f64)]) -> Evaluation {
    Evaluation {
        measures: vec![Measure::Map],
        per_topic: topics
            .iter()
            .map(|(q, v)| TopicEval {
                qid: q.clone(),
                values: vec![*v],
                texts: Vec::new(),
            })
            .collect(),
        summary: vec![topics.iter().map(|(_, v)| v).sum::<f64>() / topics.len() as f64],
        runid: runid.to_string(),
    }
}

fn values(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((0u32..=1000, 0u32..=1000), n).prop_map(|v| {
        v.into_iter()
            .map(|(a, b)| (f64::from(a) / 1000.0, f64::from(b) / 1000.0))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn p_values_lie_in_zero_one(v in values(2..40), seed in any::<u64>()) {
        let (a, b): (Vec<f64>, Vec<f64>) = v.into_iter().unzip();
        let d = stats::differences(&a, &b);
        let (p, _) = stats::randomization_test(&d, 2000, seed);
        prop_assert!(p > 0.0 && p <= 1.0, "randomization {}", p);
        let w = stats::wilcoxon(&d).p;
        prop_assert!(w > 0.0 && w <= 1.0, "wilcoxon {}", w);
        let constant = d.iter().all(|x| *x == d[0]);
        let t = stats::t_test(&d).1;
        if constant && d[0] != 0.0 {
            prop_assert_eq!(t, 0.0); // a constant shift: the t-test's only p of 0
        } else {
            prop_assert!(t > 0.0 && t <= 1.0, "t {}", t);
        }
    }

    #[test]
    fn swapping_the_systems_leaves_two_sided_p_unchanged(v in values(2..40), seed in any::<u64>()) {
        let (a, b): (Vec<f64>, Vec<f64>) = v.into_iter().unzip();
        let ab = stats::differences(&a, &b);
        let ba = stats::differences(&b, &a);
        prop_assert_eq!(stats::randomization_test(&ab, 2000, seed), stats::randomization_test(&ba, 2000, seed));
        prop_assert!((stats::t_test(&ab).1 - stats::t_test(&ba).1).abs() < 1e-12);
        prop_assert!((stats::wilcoxon(&ab).p - stats::wilcoxon(&ba).p).abs() < 1e-12);
    }

    #[test]
    fn shuffling_topic_order_changes_nothing(v in values(3..30), shuffle_seed in any::<u64>()) {
        let topics: Vec<(String, f64, f64)> = v
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| (format!("q{i}"), a, b))
            .collect();
        let base: Vec<(String, f64)> = topics.iter().map(|(q, _, b)| (q.clone(), *b)).collect();
        let sys: Vec<(String, f64)> = topics.iter().map(|(q, a, _)| (q.clone(), *a)).collect();
        // A seeded Fisher-Yates shuffle of one system's topics only.
        let mut shuffled = sys.clone();
        let mut x = shuffle_seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        for test in [Test::Randomization, Test::T, Test::Wilcoxon] {
            let mut options = CompareOptions::new(vec![Measure::Map]);
            options.test = test;
            options.permutations = 500;
            options.bootstrap = 200;
            let ordered = compare(
                &[System::new("base", evaluation("base", &base)), System::new("sys", evaluation("sys", &sys))],
                "base",
                &options,
                None,
            ).unwrap();
            let mixed = compare(
                &[System::new("base", evaluation("base", &base)), System::new("sys", evaluation("sys", &shuffled))],
                "base",
                &options,
                None,
            ).unwrap();
            prop_assert_eq!(ordered, mixed);
        }
    }

    #[test]
    fn randomization_is_identical_on_one_and_two_threads(v in values(20..60), seed in any::<u64>()) {
        let (a, b): (Vec<f64>, Vec<f64>) = v.into_iter().unzip();
        let d = stats::differences(&a, &b);
        let one = in_pool(1, || stats::randomization_test(&d, 3000, seed));
        let two = in_pool(2, || stats::randomization_test(&d, 3000, seed));
        prop_assert_eq!(one.1, RandomizationMode::Sampled);
        prop_assert_eq!(one, two);
        let one = in_pool(1, || stats::bootstrap_interval(&d, 0.05, 1000, seed));
        let two = in_pool(2, || stats::bootstrap_interval(&d, 0.05, 1000, seed));
        prop_assert_eq!(one, two);
        let scores = vec![a.clone(), b.clone(), d.clone()];
        let one = in_pool(1, || stats::tukey_ranges(&scores, 500, seed));
        let two = in_pool(2, || stats::tukey_ranges(&scores, 500, seed));
        prop_assert_eq!(one, two);
    }
}

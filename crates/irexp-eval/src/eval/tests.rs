//! Unit tests of the evaluator. Every expected value is worked out by hand in the comments.

use std::path::Path;

use super::*;
use crate::run::{RunDoc, RunTopic};

fn qrels(text: &str) -> Qrels {
    Qrels::parse(text, Path::new("qrels")).unwrap()
}

fn run(text: &str) -> Run {
    Run::parse(text, Path::new("run")).unwrap()
}

fn m(spec: &str) -> Measure {
    spec.parse().unwrap()
}

fn eval(q: &str, r: &str, specs: &[&str]) -> Evaluation {
    eval_with(q, r, specs, EvalOptions::default())
}

fn eval_with(q: &str, r: &str, specs: &[&str], options: EvalOptions) -> Evaluation {
    let measures = parse_measure_list(specs.iter().copied()).unwrap();
    evaluate_with(&qrels(q), &run(r), &measures, options).unwrap()
}

fn topic(e: &Evaluation, qid: &str, spec: &str) -> f64 {
    e.topic_value(qid, &m(spec))
        .unwrap_or_else(|| panic!("no {spec} for topic {qid}"))
}

fn summary(e: &Evaluation, spec: &str) -> f64 {
    e.get(&m(spec))
        .unwrap_or_else(|| panic!("no summary {spec}"))
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}

/// Topic 1 of the graded fixture: judged d1=3, d2=2, d3=1, d4=0, d5=-1 (unjudged).
const GRADED_QRELS: &str = "1 0 d1 3\n1 0 d2 2\n1 0 d3 1\n1 0 d4 0\n1 0 d5 -1\n";

/// Ranked d3, d4, d1, d5, dx (not in the qrels), d2; written out of order, with wrong ranks.
const GRADED_RUN: &str = "\
1 Q0 d2 1 0.5 t
1 Q0 dx 2 1 t
1 Q0 d3 3 5 t
1 Q0 d1 4 3 t
1 Q0 d4 5 4 t
1 Q0 d5 6 2 t
";

#[test]
fn ties_break_by_docno_descending() {
    // Equal scores rank c > b > a > B > 9 > 10 (byte order, descending): `a` is third.
    let e = eval(
        "1 0 a 1\n",
        "1 Q0 10 1 1.0 t\n1 Q0 9 2 1.0 t\n1 Q0 B 3 1.0 t\n1 Q0 a 4 1.0 t\n1 Q0 b 5 1.0 t\n1 Q0 c 6 1.0 t\n",
        &["recip_rank"],
    );
    close(topic(&e, "1", "recip_rank"), 1.0 / 3.0);
    // `10` is last of the six: with both relevant, AP = (1/3 + 2/6) / 2.
    let e = eval(
        "1 0 a 1\n1 0 10 1\n",
        "1 Q0 10 1 1.0 t\n1 Q0 9 2 1.0 t\n1 Q0 B 3 1.0 t\n1 Q0 a 4 1.0 t\n1 Q0 b 5 1.0 t\n1 Q0 c 6 1.0 t\n",
        &["map"],
    );
    close(topic(&e, "1", "map"), (1.0 / 3.0 + 2.0 / 6.0) / 2.0);
}

#[test]
fn scores_equal_as_float32_are_ties() {
    // As f64, x scores higher; as f32 the two are equal, so docno descending puts y first.
    let e = eval(
        "1 0 x 1\n",
        "1 Q0 x 1 0.123456789 t\n1 Q0 y 2 0.123456788 t\n",
        &["recip_rank"],
    );
    close(topic(&e, "1", "recip_rank"), 0.5);
    let e = eval(
        "1 0 a 1\n",
        "1 Q0 a 1 16777217 t\n1 Q0 b 2 16777216 t\n",
        &["recip_rank"],
    );
    close(topic(&e, "1", "recip_rank"), 0.5);
    // Scores beyond the float32 range all become +inf and tie.
    let e = eval(
        "1 0 a 1\n",
        "1 Q0 a 1 1e40 t\n1 Q0 b 2 1e39 t\n",
        &["recip_rank"],
    );
    close(topic(&e, "1", "recip_rank"), 0.5);
}

#[test]
fn negative_zero_ties_with_zero() {
    // C compares -0.0 == 0.0, so docno decides: b before a.
    let e = eval(
        "1 0 b 1\n",
        "1 Q0 a 1 0 t\n1 Q0 b 2 -0 t\n",
        &["recip_rank"],
    );
    close(topic(&e, "1", "recip_rank"), 1.0);
}

#[test]
fn precision_divides_by_k_even_when_fewer_documents_are_retrieved() {
    // 3 retrieved, 2 of them relevant.
    let e = eval(
        "1 0 a 1\n1 0 b 1\n1 0 c 1\n",
        "1 Q0 a 1 3 t\n1 Q0 z 2 2 t\n1 Q0 b 3 1 t\n",
        &["P.1,2,5,10"],
    );
    close(topic(&e, "1", "P_1"), 1.0);
    close(topic(&e, "1", "P_2"), 0.5);
    close(topic(&e, "1", "P_5"), 0.4);
    close(topic(&e, "1", "P_10"), 0.2);
}

#[test]
fn topic_without_relevant_documents_is_evaluated_as_zero() {
    // Topic 2 has only non-relevant judgments (R = 0): every measure is 0 and it counts in
    // num_q, so the mean halves topic 1's values.
    let e = eval(
        "1 0 a 1\n2 0 a 0\n2 0 b 0\n",
        "1 Q0 a 1 1 t\n2 Q0 a 1 1 t\n2 Q0 b 2 0.5 t\n",
        &[
            "recall.100",
            "map",
            "P.5",
            "Rprec",
            "bpref",
            "ndcg",
            "num_q",
            "recip_rank",
        ],
    );
    for spec in [
        "recall_100",
        "map",
        "P_5",
        "Rprec",
        "bpref",
        "ndcg",
        "recip_rank",
    ] {
        close(topic(&e, "2", spec), 0.0);
    }
    close(summary(&e, "num_q"), 2.0);
    close(summary(&e, "recall_100"), 0.5);
    close(summary(&e, "P_5"), 0.1);
}

#[test]
fn ndcg_uses_linear_gains_and_log2_discount() {
    // Classes by rank: 1, 0, 3, unjudged, nonpool, 2.
    // DCG = 1/log2(2) + 3/log2(4) + 2/log2(7); ideal = 3/log2(2) + 2/log2(3) + 1/log2(4).
    let e = eval(GRADED_QRELS, GRADED_RUN, &["ndcg", "ndcg_cut.1,3,10"]);
    let idcg = 3.0 + 2.0 / 3f64.log2() + 0.5;
    close(
        topic(&e, "1", "ndcg"),
        (1.0 + 1.5 + 2.0 / 7f64.log2()) / idcg,
    );
    assert_eq!(format!("{:.4}", topic(&e, "1", "ndcg")), "0.6746");
    close(topic(&e, "1", "ndcg_cut_1"), 1.0 / 3.0);
    close(topic(&e, "1", "ndcg_cut_3"), 2.5 / idcg);
    close(topic(&e, "1", "ndcg_cut_10"), topic(&e, "1", "ndcg"));
    // The relevance level does not change nDCG.
    let l2 = EvalOptions {
        relevance_level: 2,
        ..EvalOptions::default()
    };
    let e2 = eval_with(GRADED_QRELS, GRADED_RUN, &["ndcg", "ndcg_cut.3"], l2);
    assert_eq!(topic(&e2, "1", "ndcg"), topic(&e, "1", "ndcg"));
    assert_eq!(topic(&e2, "1", "ndcg_cut_3"), topic(&e, "1", "ndcg_cut_3"));
}

#[test]
fn negative_relevance_is_unjudged() {
    // d5 (rel -1) is neither relevant nor judged non-relevant: R = 3 (d1, d2, d3), one judged
    // non-relevant document (d4) is retrieved.
    let e = eval(
        GRADED_QRELS,
        GRADED_RUN,
        &[
            "num_ret",
            "num_rel",
            "num_rel_ret",
            "num_nonrel_judged_ret",
            "map",
            "bpref",
            "Rprec",
            "recip_rank",
        ],
    );
    close(topic(&e, "1", "num_ret"), 6.0);
    close(topic(&e, "1", "num_rel"), 3.0);
    close(topic(&e, "1", "num_rel_ret"), 3.0);
    close(topic(&e, "1", "num_nonrel_judged_ret"), 1.0);
    // Relevant at ranks 1, 3, 6.
    close(topic(&e, "1", "map"), (1.0 + 2.0 / 3.0 + 3.0 / 6.0) / 3.0);
    // bpref skips d5 and dx: d3 (no non-relevant above) 1, d1 and d2 (1 of min(1, 3)) 0.
    close(topic(&e, "1", "bpref"), 1.0 / 3.0);
    // Two of the first R = 3 are relevant.
    close(topic(&e, "1", "Rprec"), 2.0 / 3.0);
    close(topic(&e, "1", "recip_rank"), 1.0);
}

#[test]
fn relevance_level_moves_the_threshold() {
    // With -l 2: relevant d1, d2 (R = 2) at ranks 3 and 6; d3 and d4 judged non-relevant.
    let l2 = EvalOptions {
        relevance_level: 2,
        ..EvalOptions::default()
    };
    let e = eval_with(
        GRADED_QRELS,
        GRADED_RUN,
        &["num_rel", "map", "bpref", "num_nonrel_judged_ret"],
        l2,
    );
    close(topic(&e, "1", "num_rel"), 2.0);
    close(topic(&e, "1", "map"), (1.0 / 3.0 + 2.0 / 6.0) / 2.0);
    // Both relevant documents have 2 = min(N_nr, R) judged non-relevant above them.
    close(topic(&e, "1", "bpref"), 0.0);
    close(topic(&e, "1", "num_nonrel_judged_ret"), 2.0);
}

#[test]
fn judged_only_drops_unjudged_documents_and_max_docs_cuts() {
    // -J: d3, d4, d1, d2; relevant at ranks 1, 3, 4.
    let j = EvalOptions {
        judged_only: true,
        ..EvalOptions::default()
    };
    let e = eval_with(GRADED_QRELS, GRADED_RUN, &["num_ret", "map", "P.5"], j);
    close(topic(&e, "1", "num_ret"), 4.0);
    close(topic(&e, "1", "map"), (1.0 + 2.0 / 3.0 + 3.0 / 4.0) / 3.0);
    close(topic(&e, "1", "P_5"), 0.6);
    // -M3: d3, d4, d1.
    let m3 = EvalOptions {
        max_docs: Some(3),
        ..EvalOptions::default()
    };
    let e = eval_with(
        GRADED_QRELS,
        GRADED_RUN,
        &["num_ret", "num_rel_ret", "map"],
        m3,
    );
    close(topic(&e, "1", "num_ret"), 3.0);
    close(topic(&e, "1", "num_rel_ret"), 2.0);
    close(topic(&e, "1", "map"), (1.0 + 2.0 / 3.0) / 3.0);
    // -M is applied before -J: of d3, d4, d1, d5, only d5 is dropped.
    let both = EvalOptions {
        max_docs: Some(4),
        judged_only: true,
        ..EvalOptions::default()
    };
    let e = eval_with(GRADED_QRELS, GRADED_RUN, &["num_ret"], both);
    close(topic(&e, "1", "num_ret"), 3.0);
}

#[test]
fn duplicate_beyond_the_max_docs_cut_is_not_detected() {
    let r = "1 Q0 a 1 3 t\n1 Q0 b 2 2 t\n1 Q0 a 3 1 t\n";
    let m2 = EvalOptions {
        max_docs: Some(2),
        ..EvalOptions::default()
    };
    let e = eval_with("1 0 a 1\n", r, &["map"], m2);
    close(topic(&e, "1", "map"), 1.0);
}

#[test]
fn only_topics_in_both_files_are_evaluated_in_byte_order() {
    // Qrels: 1, 10, 2 (2 has no run). Run: 10, 1, 3 (3 has no qrels).
    let q = "1 0 a 1\n10 0 a 1\n2 0 a 1\n";
    let r = "10 Q0 b 1 2 t\n10 Q0 a 2 1 t\n3 Q0 a 1 1 t\n1 Q0 a 1 1 t\n";
    let e = eval(q, r, &["map", "num_q", "num_rel"]);
    let qids: Vec<&str> = e.per_topic.iter().map(|t| t.qid.as_str()).collect();
    assert_eq!(qids, ["1", "10"]);
    close(summary(&e, "num_q"), 2.0);
    close(summary(&e, "map"), (1.0 + 0.5) / 2.0);
    close(summary(&e, "num_rel"), 2.0);
    // -c: averaged over the three qrels topics; num_rel counts every positive judgment.
    let c = EvalOptions {
        complete: true,
        ..EvalOptions::default()
    };
    let e = eval_with(q, r, &["map", "num_q", "num_rel", "gm_map"], c);
    close(summary(&e, "num_q"), 3.0);
    close(summary(&e, "map"), (1.0 + 0.5) / 3.0);
    close(summary(&e, "num_rel"), 3.0);
    close(summary(&e, "gm_map"), (0.5f64 * 1e-5).cbrt());
    assert_eq!(
        e.per_topic.len(),
        2,
        "-c does not print missing topics in 9.0.8"
    );
}

#[test]
fn no_common_topic_is_an_error() {
    let err = evaluate(&qrels("1 0 a 1\n"), &run("2 Q0 a 1 1 t\n"), &[Measure::Map]).unwrap_err();
    assert!(
        err.to_string()
            .contains("no topic has both results and judgments"),
        "{err}"
    );
}

#[test]
fn duplicate_document_in_an_evaluated_topic_is_an_error() {
    let err = evaluate(
        &qrels("7 0 a 1\n"),
        &run("7 Q0 a 1 2 t\n7 Q0 b 2 1.5 t\n7 Q0 a 3 1 t\n"),
        &[Measure::Map],
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(
        err,
        Error::Eval {
            kind: crate::error::EvalErrorKind::DuplicateDoc { .. },
            ..
        }
    ));
    assert_eq!(err.trec_eval_exit_code(), 4);
    assert!(
        msg.contains("topic 7") && msg.contains("document a "),
        "{msg}"
    );
    // In a topic without judgments it is not looked at, as in trec_eval.
    let e = eval(
        "7 0 a 1\n",
        "7 Q0 a 1 2 t\n8 Q0 a 1 2 t\n8 Q0 a 2 1 t\n",
        &["map"],
    );
    close(summary(&e, "map"), 1.0);
}

#[test]
fn nan_score_is_an_error() {
    let r = Run {
        tag: "t".into(),
        topics: vec![RunTopic {
            qid: "1".into(),
            docs: vec![RunDoc {
                docno: "a".into(),
                score: f64::NAN,
            }],
        }],
    };
    assert!(evaluate(&qrels("1 0 a 1\n"), &r, &[Measure::Map]).is_err());
}

#[test]
fn a_qid_split_over_several_run_topics_is_one_topic() {
    let r = Run {
        tag: "t".into(),
        topics: vec![
            RunTopic {
                qid: "1".into(),
                docs: vec![RunDoc {
                    docno: "a".into(),
                    score: 1.0,
                }],
            },
            RunTopic {
                qid: "1".into(),
                docs: vec![RunDoc {
                    docno: "b".into(),
                    score: 2.0,
                }],
            },
        ],
    };
    let e = evaluate(
        &qrels("1 0 a 1\n"),
        &r,
        &[Measure::NumRet, Measure::RecipRank],
    )
    .unwrap();
    assert_eq!(e.per_topic.len(), 1);
    close(e.per_topic[0].values[0], 2.0);
    close(e.per_topic[0].values[1], 0.5);
}

#[test]
fn rprec_uses_the_first_r_documents() {
    // R = 4; relevant at ranks 1, 3, 5, 6: two in the first four.
    let q = "1 0 a 1\n1 0 b 1\n1 0 c 1\n1 0 d 1\n";
    let r = "1 Q0 a 1 6 t\n1 Q0 x 2 5 t\n1 Q0 b 3 4 t\n1 Q0 y 4 3 t\n1 Q0 c 5 2 t\n1 Q0 d 6 1 t\n";
    close(topic(&eval(q, r, &["Rprec"]), "1", "Rprec"), 0.5);
    // Fewer than R retrieved: relevant retrieved / R.
    close(
        topic(&eval(q, "1 Q0 a 1 1 t\n", &["Rprec"]), "1", "Rprec"),
        0.25,
    );
}

#[test]
fn bpref_counts_judged_non_relevant_above_each_relevant_document() {
    // R = 2, three judged non-relevant n1..n3; ranking n1 r1 u n2 r2 n3 (u not judged).
    // r1: 1 - min(1, 2)/min(3, 2) = 0.5; r2: 1 - min(2, 2)/2 = 0; bpref = 0.5/2.
    let q = "1 0 r1 1\n1 0 r2 1\n1 0 n1 0\n1 0 n2 0\n1 0 n3 0\n";
    let r =
        "1 Q0 n1 1 6 t\n1 Q0 r1 2 5 t\n1 Q0 u 3 4 t\n1 Q0 n2 4 3 t\n1 Q0 r2 5 2 t\n1 Q0 n3 6 1 t\n";
    close(topic(&eval(q, r, &["bpref"]), "1", "bpref"), 0.25);
    // No judged non-relevant document at all: every relevant one retrieved scores 1.
    let q = "1 0 r1 1\n1 0 r2 1\n";
    close(
        topic(
            &eval(q, "1 Q0 x 1 2 t\n1 Q0 r2 2 1 t\n", &["bpref"]),
            "1",
            "bpref",
        ),
        0.5,
    );
}

#[test]
fn recip_rank_is_one_over_the_first_relevant_rank() {
    let q = "1 0 d 1\n1 0 e 1\n2 0 z 1\n";
    let r = "1 Q0 a 1 5 t\n1 Q0 b 2 4 t\n1 Q0 c 3 3 t\n1 Q0 d 4 2 t\n1 Q0 e 5 1 t\n2 Q0 a 1 1 t\n";
    let e = eval(q, r, &["recip_rank"]);
    close(topic(&e, "1", "recip_rank"), 0.25);
    close(topic(&e, "2", "recip_rank"), 0.0);
    close(summary(&e, "recip_rank"), 0.125);
}

#[test]
fn gm_map_is_a_geometric_mean_with_a_floor() {
    // AP 0.5 and 0: exp((ln 0.5 + ln 1e-5) / 2) = sqrt(5e-6).
    let q = "1 0 a 1\n2 0 a 1\n";
    let r = "1 Q0 b 1 2 t\n1 Q0 a 2 1 t\n2 Q0 b 1 1 t\n";
    let e = eval(q, r, &["gm_map", "map"]);
    let gm = summary(&e, "gm_map");
    assert!((gm - 0.002_236_067_977_499_79).abs() < 1e-15, "{gm}");
    close(summary(&e, "map"), 0.25);
}

#[test]
fn iprec_cutoff_is_trunc_of_x_r_plus_point_nine() {
    // Graded fixture at level 1: R = 3, relevant at ranks 1, 3, 6; n = 6.
    // Precision there: 1, 2/3, 1/2. x = 0.7: 0.7·3 + 0.9 = 2.9999999999999996 -> c = 2,
    // so the value is max(2/3, 1/2), not 1/2 as a ceiling would give.
    let e = eval(
        GRADED_QRELS,
        GRADED_RUN,
        &["iprec_at_recall", "Rprec_mult.0.2,1", "11pt_avg"],
    );
    close(topic(&e, "1", "iprec_at_recall_0.00"), 1.0);
    close(topic(&e, "1", "iprec_at_recall_0.30"), 1.0); // c = trunc(1.8) = 1
    close(topic(&e, "1", "iprec_at_recall_0.50"), 2.0 / 3.0); // c = trunc(2.4) = 2
    close(topic(&e, "1", "iprec_at_recall_0.70"), 2.0 / 3.0);
    close(topic(&e, "1", "iprec_at_recall_0.80"), 0.5); // c = trunc(3.3) = 3
    close(topic(&e, "1", "iprec_at_recall_1.00"), 0.5);
    // Rprec_mult: c = trunc(0.2·3 + 0.9) = 1 -> P@1 = 1; c = trunc(3.9) = 3 -> P@3 = 2/3.
    close(topic(&e, "1", "Rprec_mult_0.20"), 1.0);
    close(topic(&e, "1", "Rprec_mult_1.00"), 2.0 / 3.0);
    // Levels 0.0-0.3 (c ≤ 1): 1; 0.4-0.7 (c = 2): 2/3; 0.8-1.0 (c = 3): 1/2.
    close(
        topic(&e, "1", "11pt_avg"),
        (4.0 + 4.0 * 2.0 / 3.0 + 3.0 * 0.5) / 11.0,
    );
}

#[test]
fn set_and_cutoff_measures() {
    // Relevant at ranks 1, 3, 6 of 6, R = 3.
    let e = eval(
        GRADED_QRELS,
        GRADED_RUN,
        &[
            "set_P",
            "set_recall",
            "set_relative_P",
            "set_map",
            "set_F",
            "success.1,2",
            "relative_P.2",
            "map_cut.3",
            "recall.5",
        ],
    );
    close(topic(&e, "1", "set_P"), 0.5);
    close(topic(&e, "1", "set_recall"), 1.0);
    close(topic(&e, "1", "set_relative_P"), 1.0);
    close(topic(&e, "1", "set_map"), 0.5);
    close(topic(&e, "1", "set_F"), 2.0 * 0.5 / 1.5);
    close(topic(&e, "1", "success_1"), 1.0);
    close(topic(&e, "1", "relative_P_2"), 0.5);
    close(topic(&e, "1", "map_cut_3"), (1.0 + 2.0 / 3.0) / 3.0);
    close(topic(&e, "1", "recall_5"), 2.0 / 3.0);
}

#[test]
fn output_is_in_trec_eval_table_order_with_summary_only_measures_last_block() {
    let e = eval(
        "1 0 a 1\n2 0 b 1\n",
        "2 Q0 b 1 2 t\n2 Q0 a 2 1 t\n1 Q0 b 1 2 run7\n1 Q0 a 2 1 run7\n",
        &["P.1", "num_q", "ndcg_cut.1", "map", "num_ret", "recall.1"],
    );
    // Requested order is kept in `measures`, the text follows trec_eval's table.
    let expected = "\
num_ret               \t1\t2
map                   \t1\t0.5000
P_1                   \t1\t0.0000
recall_1              \t1\t0.0000
ndcg_cut_1            \t1\t0.0000
num_ret               \t2\t2
map                   \t2\t1.0000
P_1                   \t2\t1.0000
recall_1              \t2\t1.0000
ndcg_cut_1            \t2\t1.0000
runid                 \tall\trun7
num_q                 \tall\t2
num_ret               \tall\t4
map                   \tall\t0.7500
P_1                   \tall\t0.5000
recall_1              \tall\t0.5000
ndcg_cut_1            \tall\t0.5000
";
    assert_eq!(e.to_trec_eval_text(true), expected);
    let summary_only: String = expected
        .lines()
        .skip(10)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(e.to_trec_eval_text(false), summary_only);
}

#[test]
fn values_print_as_c_percent_6_4f() {
    let line = |v: f64| {
        let mut s = String::new();
        output::push_line(&mut s, &Measure::P(10), "all", v, false);
        s
    };
    assert_eq!(line(0.36244), "P_10                  \tall\t0.3624\n");
    assert_eq!(
        line(0.03125),
        "P_10                  \tall\t0.0312\n",
        "exact tie rounds to even"
    );
    assert_eq!(line(0.15625), "P_10                  \tall\t0.1562\n");
    assert_eq!(
        line(0.99995),
        "P_10                  \tall\t1.0000\n",
        "0.99995 is above the tie in binary"
    );
    assert_eq!(line(1.0), "P_10                  \tall\t1.0000\n");
    assert_eq!(line(-f64::NAN), "P_10                  \tall\t  -nan\n");
    let mut s = String::new();
    output::push_line(&mut s, &Measure::NumRelRet, "301", 1234.0, false);
    assert_eq!(s, "num_rel_ret           \t301\t1234\n");
    let mut s = String::new();
    output::push_line(&mut s, &Measure::NumNonrelJudgedRet, "3", 5.0, false);
    assert_eq!(s, "num_nonrel_judged_ret \t3\t5\n");
}

#[test]
fn json_has_summary_and_per_topic_rows_keyed_by_printed_name() {
    let e = eval(
        "1 0 a 1\n",
        "1 Q0 b 1 2 t\n1 Q0 a 2 1 t\n",
        &["P.10", "num_q", "map", "num_ret"],
    );
    let j = e.to_json();
    assert_eq!(j["runid"], "t");
    assert_eq!(
        j["measures"],
        serde_json::json!(["num_q", "num_ret", "map", "P_10"])
    );
    assert_eq!(j["summary"]["num_q"], 1);
    assert_eq!(j["summary"]["map"], 0.5);
    assert_eq!(j["summary"]["P_10"], 0.1);
    assert_eq!(j["per_topic"][0]["qid"], "1");
    assert_eq!(j["per_topic"][0]["num_ret"], 2);
    assert!(j["per_topic"][0].get("num_q").is_none());
}

#[test]
fn duplicate_requested_measures_are_evaluated_once() {
    let measures = [Measure::Map, Measure::P(5), Measure::Map];
    let e = evaluate(&qrels("1 0 a 1\n"), &run("1 Q0 a 1 1 t\n"), &measures).unwrap();
    assert_eq!(e.measures, [Measure::Map, Measure::P(5)]);
}

#[test]
fn negative_relevance_level_is_rejected() {
    let options = EvalOptions {
        relevance_level: -1,
        ..EvalOptions::default()
    };
    assert!(Evaluator::new(&qrels("1 0 a 1\n"), &[Measure::Map], options).is_err());
}

#[test]
fn one_evaluator_scores_several_runs() {
    let q = qrels("1 0 a 1\n");
    let ev = Evaluator::new(&q, &[Measure::RecipRank], EvalOptions::default()).unwrap();
    let first = ev.evaluate(&run("1 Q0 a 1 1 t\n")).unwrap();
    let second = ev.evaluate(&run("1 Q0 b 1 2 u\n1 Q0 a 2 1 u\n")).unwrap();
    assert_eq!((first.summary[0], second.summary[0]), (1.0, 0.5));
    assert_eq!(second.runid, "u");
}

#[test]
fn empty_ranking_after_judged_only_gives_nan_iprec_as_trec_eval_does() {
    // -J drops the only retrieved document: n = 0, and trec_eval's iprec at recall 0 is
    // 0/0, printed `-nan`; the other measures are 0.
    let j = EvalOptions {
        judged_only: true,
        ..EvalOptions::default()
    };
    let e = eval_with(
        "1 0 a 1\n",
        "1 Q0 x 1 1 t\n",
        &["num_ret", "map", "P.5", "iprec_at_recall.0,0.5"],
        j,
    );
    close(topic(&e, "1", "num_ret"), 0.0);
    close(topic(&e, "1", "map"), 0.0);
    close(topic(&e, "1", "P_5"), 0.0);
    close(topic(&e, "1", "iprec_at_recall_0.50"), 0.0);
    assert!(topic(&e, "1", "iprec_at_recall_0.00").is_nan());
    assert!(e
        .to_trec_eval_text(false)
        .contains("iprec_at_recall_0.00  \tall\t  -nan\n"));
    // -M0 empties every ranking the same way.
    let m0 = EvalOptions {
        max_docs: Some(0),
        ..EvalOptions::default()
    };
    let e = eval_with("1 0 a 1\n", "1 Q0 a 1 1 t\n", &["num_ret", "num_q"], m0);
    close(summary(&e, "num_ret"), 0.0);
    close(summary(&e, "num_q"), 1.0);
}

#[test]
fn text_fast_path_equals_run_then_evaluate() {
    let qrels_text = include_str!("../../../../tests/data/trec_eval/synth.qrels");
    let run_text = include_str!("../../../../tests/data/trec_eval/synth.run");
    let q = Qrels::parse(qrels_text, std::path::Path::new("q")).unwrap();
    let r = Run::parse(run_text, std::path::Path::new("r")).unwrap();
    let measures = Measure::all_trec();
    for options in [
        EvalOptions::default(),
        EvalOptions {
            judged_only: true,
            max_docs: Some(7),
            ..EvalOptions::default()
        },
        EvalOptions {
            complete: true,
            relevance_level: 2,
            compat: Compat::V10_0,
            ..EvalOptions::default()
        },
    ] {
        let ev = Evaluator::new(&q, &measures, options).unwrap();
        let a = ev.evaluate(&r).unwrap();
        let b = ev
            .evaluate_text(run_text, std::path::Path::new("r"))
            .unwrap();
        assert_eq!(a.runid, b.runid);
        assert_eq!(a.per_topic.len(), b.per_topic.len());
        assert_eq!(
            a.to_trec_eval_text(true),
            b.to_trec_eval_text(true),
            "{:?}",
            ev.options()
        );
    }
    let ev = Evaluator::new(&q, &measures, EvalOptions::default()).unwrap();
    let err = ev
        .evaluate_text(
            "1 Q0 a 1 2 t\n1 Q0 b 2 x t\n",
            std::path::Path::new("r.txt"),
        )
        .unwrap_err();
    assert!(
        err.to_string().starts_with("r.txt:2: field 5 (score)"),
        "{err}"
    );
    let err = ev
        .evaluate_text("1 Q0 a 1 2 t\n\n1 Q0 b 2\n", std::path::Path::new("r.txt"))
        .unwrap_err();
    assert!(
        err.to_string().starts_with("r.txt:3: expected 6 fields"),
        "{err}"
    );
}

#[test]
fn split_lines_cuts_at_line_ends_and_loses_nothing() {
    let text = "a b\nc d\r\n\ne f\ng";
    for n in 1..8 {
        let chunks = split_lines(text, n);
        assert_eq!(chunks.concat(), text);
        for c in &chunks[..chunks.len() - 1] {
            assert!(c.ends_with('\n'), "{chunks:?}");
        }
    }
    assert!(split_lines("", 3).is_empty());
}

#[test]
fn text_fast_path_output_does_not_depend_on_the_thread_count() {
    let qrels_text = include_str!("../../../../tests/data/trec_eval/synth.qrels");
    let run_text = include_str!("../../../../tests/data/trec_eval/synth.run");
    let q = Qrels::parse(qrels_text, std::path::Path::new("q")).unwrap();
    let ev = Evaluator::new(&q, &Measure::all_trec(), EvalOptions::default()).unwrap();
    let outputs: Vec<String> = [1, 3, 8]
        .iter()
        .map(|&threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                ev.evaluate_text(run_text, std::path::Path::new("r"))
                    .unwrap()
                    .to_trec_eval_text(true)
            })
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    // An error is reported at its line whatever the chunking.
    let bad = format!("{run_text}1 Q0 zz 1 notanumber t\n");
    let line = bad.lines().count();
    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let err = pool
            .install(|| ev.evaluate_text(&bad, std::path::Path::new("r")))
            .unwrap_err();
        assert!(err.to_string().starts_with(&format!("r:{line}:")), "{err}");
    }
}

#[test]
fn text_fast_path_reads_whitespace_like_the_run_reader() {
    let q = Qrels::parse("1 0 a 1\n1 0 b 2\n2 0 c 1\n", std::path::Path::new("q")).unwrap();
    let text = "  1\tQ0 a 1 2.5 t extra fields\r\n\n   \t\n1 Q0\tb  2 2.5\tt\r\n2 Q0 c 1 1e1 last";
    let run = Run::parse(text, std::path::Path::new("r")).unwrap();
    let ev = Evaluator::new(&q, &Measure::all_trec(), EvalOptions::default()).unwrap();
    let a = ev.evaluate(&run).unwrap();
    let b = ev.evaluate_text(text, std::path::Path::new("r")).unwrap();
    assert_eq!(b.runid, "last");
    assert_eq!(a.to_trec_eval_text(true), b.to_trec_eval_text(true));
    let err = ev
        .evaluate_text(
            "1 Q0 a 1 2 t\n \t \n1\tQ0  b 2\r\n",
            std::path::Path::new("r"),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "r:3: expected 6 fields `qid Q0 docno rank score tag`, found 4"
    );
}

#[test]
fn score_keys_order_as_the_scores() {
    let ev_qrels = Qrels::parse("1 0 a 1\n", std::path::Path::new("q")).unwrap();
    for compat in [Compat::V9_0_8, Compat::V10_0] {
        let ev = Evaluator::new(
            &ev_qrels,
            &[Measure::Map],
            EvalOptions {
                compat,
                ..EvalOptions::default()
            },
        )
        .unwrap();
        let scores = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            0.123456788,
            0.123456789,
            1.0,
            16777216.0,
            16777217.0,
            1e39,
            f64::INFINITY,
        ];
        for w in scores.windows(2) {
            let (a, b) = (ev.score_key(w[0]), ev.score_key(w[1]));
            let (fa, fb) = match compat {
                Compat::V9_0_8 => (f64::from(w[0] as f32) + 0.0, f64::from(w[1] as f32) + 0.0),
                Compat::V10_0 => (w[0] + 0.0, w[1] + 0.0),
            };
            assert_eq!(
                a.cmp(&b),
                fa.partial_cmp(&fb).unwrap(),
                "{:?} {compat:?}",
                w
            );
        }
    }
}

mod fast_path_property {
    use super::*;
    use proptest::prelude::*;

    fn texts() -> impl Strategy<Value = (String, String)> {
        let qrels = proptest::collection::vec((0u8..4, 0u8..12, -2i64..4), 1..40);
        let run = proptest::collection::vec((0u8..5, 0u8..14, 0u8..6, any::<bool>()), 1..60);
        (qrels, run).prop_map(|(q, r)| {
            let mut seen = std::collections::HashSet::new();
            let mut qtext = String::new();
            for (qid, doc, rel) in q {
                if seen.insert((qid, doc)) {
                    qtext.push_str(&format!("{qid} 0 d{doc} {rel}\n"));
                }
            }
            let mut rtext = String::new();
            for (i, (qid, doc, score, tab)) in r.into_iter().enumerate() {
                let sep = if tab { "\t" } else { " " };
                // Few distinct scores, so ties are common.
                rtext.push_str(&format!(
                    "{qid}{sep}Q0 d{doc} {i} {}.5 tag{}\n",
                    score,
                    i % 3
                ));
            }
            (qtext, rtext)
        })
    }

    proptest! {
        #[test]
        fn text_fast_path_equals_parse_then_evaluate((qtext, rtext) in texts(), complete in any::<bool>(), level in 0i64..3) {
            let q = Qrels::parse(&qtext, Path::new("q")).unwrap();
            let r = Run::parse(&rtext, Path::new("r")).unwrap();
            let options = EvalOptions { complete, relevance_level: level, ..EvalOptions::default() };
            let ev = Evaluator::new(&q, &Measure::all_trec(), options).unwrap();
            let a = ev.evaluate(&r);
            let b = ev.evaluate_text(&rtext, Path::new("r"));
            match (a, b) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a.to_trec_eval_text(true), b.to_trec_eval_text(true)),
                (Err(a), Err(b)) => prop_assert_eq!(a.trec_eval_exit_code(), b.trec_eval_exit_code()),
                (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|_| ()), b.map(|_| ())),
            }
        }
    }
}

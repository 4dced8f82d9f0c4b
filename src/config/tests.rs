use super::*;
use crate::rank::bm25::{Bm25, Norms};
use crate::rank::Model;

const MINIMAL: &str = r#"
[experiment]
name = "t"
output = "out"

[corpus]
path = "corpus"

[topics]
path = "topics.trec"

[[ranker]]
name = "bm25"
model = "bm25"
"#;

fn load(text: &str, overrides: &[&str]) -> Result<Experiment> {
    let overrides: Vec<Override> = overrides.iter().map(|o| o.parse().unwrap()).collect();
    Experiment::from_toml(text, Path::new("/cfg/dir/exp.toml"), &overrides)
}

#[test]
fn defaults_are_filled_in_and_paths_resolve_against_the_config_folder() {
    let e = load(MINIMAL, &[]).unwrap();
    assert_eq!(e.output, PathBuf::from("/cfg/dir/out"));
    assert_eq!(e.corpus.path, PathBuf::from("/cfg/dir/corpus"));
    assert_eq!(e.corpus.content, Content::AnseriniTags);
    assert_eq!(e.topics.field, TopicField::Title);
    assert_eq!(e.run.depth, 1000);
    assert_eq!(e.run.ties, TiePolicy::TrecEval);
    assert_eq!(
        e.rankers[0].model,
        Model::Bm25(Bm25 {
            k1: 0.9,
            b: 0.4,
            norms: Norms::Lucene
        })
    );
    assert!(e.qrels.is_none());
    assert!(!e.measures.is_empty());
}

#[test]
fn unknown_key_names_the_key_and_its_line() {
    let text = MINIMAL.replace("model = \"bm25\"", "model = \"bm25\"\nkk1 = 1.0");
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(err.starts_with("/cfg/dir/exp.toml:15:"), "{err}");
    assert!(err.contains("kk1"), "{err}");
}

#[test]
fn set_overrides_the_file_which_overrides_defaults() {
    let text = MINIMAL.replace("model = \"bm25\"", "model = \"bm25\"\nk1 = 1.5");
    let e = load(&text, &[]).unwrap();
    assert_eq!(
        e.rankers[0].model,
        Model::Bm25(Bm25 {
            k1: 1.5,
            b: 0.4,
            norms: Norms::Lucene
        })
    );
    let e = load(
        &text,
        &["ranker.bm25.k1=2.0", "run.depth=10", "run.ties=anserini"],
    )
    .unwrap();
    assert_eq!(
        e.rankers[0].model,
        Model::Bm25(Bm25 {
            k1: 2.0,
            b: 0.4,
            norms: Norms::Lucene
        })
    );
    assert_eq!(e.run.depth, 10);
    assert_eq!(e.run.ties, TiePolicy::Anserini);
}

#[test]
fn set_with_an_unknown_key_is_an_error_naming_it() {
    let err = load(MINIMAL, &["run.dpeth=10"]).unwrap_err().to_string();
    assert!(
        err.contains("--set run.dpeth") && err.contains("dpeth"),
        "{err}"
    );
    let err = load(MINIMAL, &["ranker.nope.k1=1"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("no ranker is named \"nope\""), "{err}");
}

#[test]
fn unset_variable_is_an_error_naming_it_and_the_line() {
    let text = MINIMAL.replace(
        "path = \"corpus\"",
        "path = \"${IREXP_TEST_SURELY_UNSET}/corpus\"",
    );
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(err.starts_with("/cfg/dir/exp.toml:7:"), "{err}");
    assert!(err.contains("IREXP_TEST_SURELY_UNSET is not set"), "{err}");
}

#[test]
fn variables_expand_in_paths() {
    std::env::set_var("IREXP_TEST_COLLECTION_DIR", "/data/c");
    let text = MINIMAL.replace(
        "path = \"corpus\"",
        "path = \"${IREXP_TEST_COLLECTION_DIR}/corpus\"",
    );
    assert_eq!(
        load(&text, &[]).unwrap().corpus.path,
        PathBuf::from("/data/c/corpus")
    );
}

#[test]
fn bad_values_name_their_line() {
    let text = MINIMAL.replace("model = \"bm25\"", "model = \"bm26\"");
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(
        err.starts_with("/cfg/dir/exp.toml:14:") && err.contains("unknown model"),
        "{err}"
    );
    let text = format!("{MINIMAL}\n[eval]\nmeasures = [\"map\", \"nonsense\"]\n");
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(err.starts_with("/cfg/dir/exp.toml:17:"), "{err}");
    let text = MINIMAL.replace("model = \"bm25\"", "model = \"bm25\"\nb = 1.5");
    assert!(load(&text, &[])
        .unwrap_err()
        .to_string()
        .contains("b must be between 0 and 1"));
}

#[test]
fn duplicate_ranker_names_are_an_error() {
    let text = format!("{MINIMAL}\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n");
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(err.contains("two rankers are named"), "{err}");
}

#[test]
fn content_accepts_keywords_and_tag_lists() {
    let text = MINIMAL.replace(
        "path = \"corpus\"",
        "path = \"corpus\"\ncontent = [\"text\", \"HEADLINE\"]",
    );
    let e = load(&text, &[]).unwrap();
    assert_eq!(
        e.corpus.content,
        Content::Names(vec!["text".into(), "HEADLINE".into()])
    );
    let text = MINIMAL.replace(
        "path = \"corpus\"",
        "path = \"corpus\"\ncontent = \"everything\"",
    );
    assert!(load(&text, &[]).is_err());
}

#[test]
fn resolved_config_reloads_to_the_same_experiment() {
    let e = load(MINIMAL, &["ranker.bm25.norms=exact"]).unwrap();
    let resolved = e.to_resolved_toml().unwrap();
    let again = Experiment::from_toml(&resolved, Path::new("/elsewhere/r.toml"), &[]).unwrap();
    assert_eq!(again.rankers, e.rankers);
    assert_eq!(again.corpus, e.corpus);
    assert_eq!(again.output, e.output);
    assert_eq!(again.measures, e.measures);
    assert_eq!(again.run, e.run);
    assert!(resolved.contains("depth = 1000"), "{resolved}");
}

const WITH_COMPARE: &str = r#"
[experiment]
name = "t"
output = "out"

[corpus]
path = "corpus"

[topics]
path = "topics.trec"

[qrels]
path = "qrels.txt"

[[ranker]]
name = "bm25"
model = "bm25"

[[ranker]]
name = "qld"
model = "ql"

[compare]
baseline = "bm25"
test = "t"
correction = "bh"
alpha = 0.01
seed = 7
"#;

#[test]
fn compare_section_is_validated_and_defaults_filled_in() {
    let e = load(WITH_COMPARE, &[]).unwrap();
    let c = e.compare.expect("[compare] is read");
    assert_eq!(c.baselines, ["bm25"]);
    assert_eq!(c.options.test, crate::compare::Test::T);
    assert_eq!(c.options.correction(), crate::compare::Correction::Bh);
    assert_eq!(c.options.alpha, 0.01);
    assert_eq!(c.options.seed, 7);
    assert_eq!(c.options.permutations, 10_000);
    assert_eq!(c.options.measures.len(), 3);
    let resolved = load(WITH_COMPARE, &["compare.baseline=[\"bm25\", \"qld\"]"]).unwrap();
    assert_eq!(resolved.compare.unwrap().baselines, ["bm25", "qld"]);
    assert!(load(MINIMAL, &[]).unwrap().compare.is_none());
}

#[test]
fn compare_section_errors_name_the_key_and_line() {
    let err = |text: &str| load(text, &[]).unwrap_err().to_string();
    let e = err(&WITH_COMPARE.replace("test = \"t\"", "test = \"sign\""));
    assert!(
        e.contains("exp.toml:25") && e.contains("unknown test \"sign\""),
        "{e}"
    );
    let e = err(&WITH_COMPARE.replace("correction = \"bh\"", "correction = \"sidak\""));
    assert!(e.contains("unknown correction \"sidak\""), "{e}");
    let e = err(&WITH_COMPARE.replace("alpha = 0.01", "alpha = 1.5"));
    assert!(
        e.contains("exp.toml:27") && e.contains("alpha must be strictly between 0 and 1"),
        "{e}"
    );
    let e = err(&WITH_COMPARE.replace("baseline = \"bm25\"", "baseline = \"bm25x\""));
    assert!(
        e.contains("\"bm25x\" is not a ranker (rankers: bm25, qld)"),
        "{e}"
    );
    let e = err(&WITH_COMPARE.replace("seed = 7", "seed = 7\nmeasures = [\"num_ret\"]"));
    assert!(e.contains("num_ret cannot be compared"), "{e}");
    let e = err(&WITH_COMPARE.replace("[qrels]\npath = \"qrels.txt\"\n", ""));
    assert!(e.contains("add a [qrels] section"), "{e}");
    let e = err(&WITH_COMPARE.replace("seed = 7", "seed = 7\nbogus = 1"));
    assert!(e.contains("bogus"), "{e}");
}

#[test]
fn format_keys_have_per_format_defaults_and_are_checked() {
    let jsonl = MINIMAL.replace("path = \"corpus\"", "format = \"jsonl\"\npath = \"corpus\"");
    let e = load(&jsonl, &[]).unwrap();
    assert_eq!(e.corpus.content, Content::Auto);
    assert!(!e.corpus.skip_malformed);
    assert_eq!(
        e.corpus.empty_documents,
        crate::corpus::EmptyDocuments::Skip,
        "the anserini profile leaves blank documents out, as Anserini does"
    );
    let err = load(&jsonl, &["corpus.content=tags"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("does not apply to format \"jsonl\"") && err.contains("\"flat\""),
        "{err}"
    );
    let err = load(&jsonl, &["corpus.skip_malformed=true"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("only to the trec and trecweb formats"),
        "{err}"
    );
    let err = load(MINIMAL, &["topics.numbering=position"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("only to format = \"smart\""), "{err}");
    let e = load(
        MINIMAL,
        &[
            "topics.format=smart",
            "topics.numbering=position",
            "run.remove_query=true",
            "eval.complete=true",
            "corpus.empty_documents=skip",
        ],
    )
    .unwrap();
    assert_eq!(e.topics.numbering, Numbering::Position);
    assert!(e.run.remove_query && e.complete);
    let resolved = e.to_resolved_toml().unwrap();
    for needle in [
        "format = \"smart\"",
        "numbering = \"position\"",
        "remove_query = true",
        "complete = true",
        "empty_documents = \"skip\"",
        "skip_malformed = false",
    ] {
        assert!(resolved.contains(needle), "{needle} missing:\n{resolved}");
    }
}

#[test]
fn index_memory_budget_has_a_default_and_must_be_positive() {
    assert_eq!(
        load(MINIMAL, &[]).unwrap().index_memory_mb,
        crate::index::DEFAULT_MEMORY_MB
    );
    let text = format!("{MINIMAL}\n[index]\nmemory_mb = 64\n");
    assert_eq!(load(&text, &[]).unwrap().index_memory_mb, 64);
    let text = format!("{MINIMAL}\n[index]\nmemory_mb = 0\n");
    let err = load(&text, &[]).unwrap_err().to_string();
    assert!(
        err.starts_with("/cfg/dir/exp.toml:17:") && err.contains("index.memory_mb"),
        "{err}"
    );
}

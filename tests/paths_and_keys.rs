//! Where paths resolve, what the index cache key is made of, `config.resolved.toml` reruns,
//! `irexp index list|gc`, and errors about paths (each OS error once, the config key and
//! line named, exit code 2 for every input error).

use std::path::{Path, PathBuf};

use crate::common::{irexp, repo, TempRun};
use predicates::prelude::*;

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of the sample collection in `root/collection/` with a config beside it whose
/// corpus path is `corpus` (relative to the config).
fn sample_copy(root: &Path, corpus: &str) -> PathBuf {
    let c = root.join("collection");
    copy_dir(&repo().join("corpus"), &c.join("corpus"));
    copy_dir(&repo().join("topics"), &c.join("topics"));
    copy_dir(&repo().join("qrels"), &c.join("qrels"));
    let config = root.join("exp.toml");
    std::fs::write(
        &config,
        format!(
            "[experiment]\nname = \"copy\"\n[corpus]\npath = \"{corpus}\"\n[topics]\npath = \"collection/topics/topics.trec\"\n[qrels]\npath = \"collection/qrels/qrels.txt\"\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n"
        ),
    )
    .unwrap();
    config
}

fn run(config: &Path, cwd: &Path, out: &Path, cache: &Path, extra: &[String]) {
    let mut cmd = irexp();
    cmd.current_dir(cwd).args(["run", "-q"]).arg(config);
    cmd.arg("--set")
        .arg(format!("experiment.output={}", out.display()));
    cmd.arg("--set")
        .arg(format!("index.cache={}", cache.display()));
    for e in extra {
        cmd.args(["--set", e]);
    }
    cmd.assert().success();
}

fn index_entries(cache: &Path) -> Vec<String> {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n != "runs")
        .collect()
}

/// The run cache's entries (`runs/` of the index cache).
fn run_entries(cache: &Path) -> Vec<String> {
    std::fs::read_dir(cache.join("runs"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_path_spelled_three_ways_gives_one_cache_entry() {
    let tmp = TempRun::new();
    let cache = tmp.cache();
    let outs: Vec<PathBuf> = (0..3).map(|i| tmp.root().join(format!("out{i}"))).collect();
    run(
        Path::new("configs/bm25.toml"),
        &repo(),
        &outs[0],
        &cache,
        &[],
    );
    run(
        &repo().join("configs/bm25.toml"),
        Path::new("/"),
        &outs[1],
        &cache,
        &[],
    );
    run(
        Path::new("bm25.toml"),
        &repo().join("configs"),
        &outs[2],
        &cache,
        &[],
    );
    assert_eq!(
        index_entries(&cache).len(),
        1,
        "{:?}",
        index_entries(&cache)
    );
    let keys: Vec<serde_json::Value> = outs
        .iter()
        .map(|o| manifest(o)["index_cache"].clone())
        .collect();
    assert_eq!(keys[0]["reused"], false);
    for k in &keys[1..] {
        assert_eq!(k["reused"], true);
        assert_eq!(k["key"], keys[0]["key"]);
    }
    // The key holds no path: file names relative to the corpus folder, sizes, checksums.
    let settings = keys[0]["settings"].to_string();
    assert!(
        !settings.contains(&repo().display().to_string()),
        "{settings}"
    );
    assert!(settings.contains("news-2025-01.trec"), "{settings}");
}

#[test]
fn a_moved_or_linked_collection_reuses_its_index_and_an_edit_rebuilds_it() {
    let tmp = TempRun::new();
    let cache = tmp.cache();
    let root = tmp.root().join("a");
    std::fs::create_dir_all(&root).unwrap();
    let config = sample_copy(&root, "collection/corpus");
    run(&config, tmp.root(), &tmp.root().join("o1"), &cache, &[]);
    let first = manifest(&tmp.root().join("o1"))["index_cache"].clone();
    assert_eq!(first["reused"], false);

    // Moved: the whole folder, config included.
    let moved = tmp.root().join("b");
    std::fs::rename(&root, &moved).unwrap();
    run(
        &moved.join("exp.toml"),
        tmp.root(),
        &tmp.root().join("o2"),
        &cache,
        &[],
    );
    let second = manifest(&tmp.root().join("o2"))["index_cache"].clone();
    assert_eq!(second["reused"], true);
    assert_eq!(second["key"], first["key"]);

    // Through a symbolic link to the corpus folder.
    let link = tmp.root().join("link");
    std::os::unix::fs::symlink(moved.join("collection/corpus"), &link).unwrap();
    run(
        &moved.join("exp.toml"),
        tmp.root(),
        &tmp.root().join("o3"),
        &cache,
        &[format!("corpus.path={}", link.display())],
    );
    assert_eq!(
        manifest(&tmp.root().join("o3"))["index_cache"]["key"],
        first["key"]
    );

    // One byte changed, size and modification time kept (touch -r): detected, rebuilt.
    let file = moved.join("collection/corpus/news-2025-01.trec");
    let reference = tmp.root().join("mtime-reference");
    std::fs::copy(&file, &reference).unwrap();
    std::process::Command::new("touch")
        .arg("-r")
        .arg(&file)
        .arg(&reference)
        .status()
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.iter().position(|&b| b == b'e').unwrap();
    bytes[at] = b'a';
    std::fs::write(&file, &bytes).unwrap();
    let touched = std::process::Command::new("touch")
        .arg("-r")
        .arg(&reference)
        .arg(&file)
        .status()
        .unwrap();
    assert!(touched.success());
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        std::fs::metadata(&reference).unwrap().modified().unwrap()
    );
    run(
        &moved.join("exp.toml"),
        tmp.root(),
        &tmp.root().join("o4"),
        &cache,
        &[],
    );
    let fourth = manifest(&tmp.root().join("o4"))["index_cache"].clone();
    assert_eq!(fourth["reused"], false);
    assert_ne!(fourth["key"], first["key"]);
    // A setting that changes the index changes the key too.
    run(
        &moved.join("exp.toml"),
        tmp.root(),
        &tmp.root().join("o5"),
        &cache,
        &["analyzer.stemmer=none".into()],
    );
    let fifth = manifest(&tmp.root().join("o5"))["index_cache"].clone();
    assert_eq!(fifth["reused"], false);
    assert_ne!(fifth["key"], fourth["key"]);
}

#[test]
fn a_resolved_config_reruns_to_byte_identical_runs() {
    for config in [
        "configs/models.toml",
        "configs/compare.toml",
        "configs/bm25.toml",
    ] {
        let tmp = TempRun::new();
        let first = tmp.root().join("first");
        run(Path::new(config), &repo(), &first, &tmp.cache(), &[]);
        let resolved = first.join("config.resolved.toml");
        // Rerun from another folder, with only the output changed.
        let again = tmp.root().join("again");
        irexp()
            .current_dir("/")
            .args(["run", "-q"])
            .arg(&resolved)
            .arg("--set")
            .arg(format!("experiment.output={}", again.display()))
            .assert()
            .success();
        let mut runs = 0;
        for e in std::fs::read_dir(&first).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".run") || name.ends_with(".eval") || name == "eval.json" {
                runs += usize::from(name.ends_with(".run"));
                assert_eq!(
                    std::fs::read(first.join(&name)).unwrap(),
                    std::fs::read(again.join(&name)).unwrap(),
                    "{config}: {name}"
                );
            }
        }
        assert!(runs >= 2, "{config}");
        // The rerun's own resolved config is the same but for its output folder.
        let strip = |p: &Path| -> String {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with("output ="))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip(&resolved),
            strip(&again.join("config.resolved.toml")),
            "{config}"
        );
    }
}

#[test]
fn a_relative_environment_variable_resolves_against_the_current_folder() {
    let tmp = TempRun::new();
    let configs = tmp.root().join("configs");
    std::fs::create_dir_all(&configs).unwrap();
    copy_dir(&repo().join("corpus"), &tmp.root().join("data/corpus"));
    copy_dir(&repo().join("topics"), &tmp.root().join("data/topics"));
    let config = configs.join("env.toml");
    std::fs::write(
        &config,
        "[experiment]\nname = \"env\"\noutput = \"../out\"\n[corpus]\npath = \"${IREXP_TEST_DATA}/corpus\"\n[topics]\npath = \"${IREXP_TEST_DATA}/topics/topics.trec\"\n[[ranker]]\nname = \"bm25\"\nmodel = \"bm25\"\n",
    )
    .unwrap();
    // `data` is relative to the current folder (the temporary root), not to configs/.
    irexp()
        .current_dir(tmp.root())
        .env("IREXP_TEST_DATA", "data")
        .args(["run", "-q", "configs/env.toml"])
        .assert()
        .success();
    assert!(tmp.root().join("out/bm25.run").is_file());
    // Unset or empty: an error naming the variable and the line.
    irexp()
        .current_dir(tmp.root())
        .env("IREXP_TEST_DATA", "")
        .args(["run", "-q", "configs/env.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("configs/env.toml:5"))
        .stderr(predicate::str::contains(
            "IREXP_TEST_DATA is not set or empty",
        ));
}

/// The sample config with one override, run in a temporary folder; returns stderr.
fn fails(set: &str) -> String {
    let tmp = TempRun::new();
    let out = irexp()
        .current_dir(repo())
        .args(["run", "-q", "configs/bm25.toml", "--set"])
        .arg(format!("experiment.output={}", tmp.path().display()))
        .arg("--set")
        .arg(format!("index.cache={}", tmp.cache().display()))
        .arg("--set")
        .arg(set)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(!tmp.path().exists(), "no output folder after a failure");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn path_errors_name_the_key_print_the_os_error_once_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    // Missing file, given in the file: the key and its line.
    let config = tmp.path().join("missing.toml");
    let text = std::fs::read_to_string(repo().join("configs/bm25.toml"))
        .unwrap()
        .replace("../topics/topics.trec", "../topics/nope.trec")
        .replace("../corpus", &repo().join("corpus").display().to_string())
        .replace("../qrels", &repo().join("qrels").display().to_string());
    std::fs::write(&config, text).unwrap();
    let out = irexp()
        .args(["run", "-q"])
        .arg(&config)
        .arg("--set")
        .arg(format!(
            "experiment.output={}",
            tmp.path().join("out").display()
        ))
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("missing.toml:16: topics.path: "),
        "{stderr}"
    );
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");

    // Given with --set: the argument is named.
    let stderr = fails("topics.path=/nonexistent/topics.trec");
    assert!(
        stderr.contains("--set topics.path: /nonexistent/topics.trec"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");

    // A folder where a file is expected.
    let stderr = fails(&format!("qrels.path={}", repo().join("qrels").display()));
    assert!(stderr.contains("qrels.path"), "{stderr}");
    assert_eq!(stderr.matches("os error 21").count(), 1, "{stderr}");

    // A loop of symbolic links.
    let a = tmp.path().join("loop-a");
    let b = tmp.path().join("loop-b");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let stderr = fails(&format!("topics.path={}", a.display()));
    assert!(stderr.contains("topics.path"), "{stderr}");
    assert_eq!(stderr.matches("os error 40").count(), 1, "{stderr}");

    // Empty strings are not paths.
    for key in [
        "experiment.output",
        "corpus.path",
        "topics.path",
        "qrels.path",
        "index.cache",
    ] {
        let stderr = fails(&format!("{key}="));
        assert!(
            stderr.contains(&format!("{key} is empty")),
            "{key}: {stderr}"
        );
    }
}

#[test]
fn index_list_and_gc_show_and_remove_old_entries_and_dead_builds() {
    let tmp = TempRun::new();
    let cache = tmp.cache();
    run(
        Path::new("configs/bm25.toml"),
        &repo(),
        tmp.path(),
        &cache,
        &[],
    );
    let key = manifest(tmp.path())["index_cache"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    // A build killed long ago (no such process), an unfinished folder and an old format.
    let dead = cache.join(format!(".{}.{}-0.building", "0".repeat(16), u32::MAX - 7));
    std::fs::create_dir_all(&dead).unwrap();
    std::fs::create_dir_all(cache.join("1111111111111111")).unwrap();
    std::fs::create_dir_all(cache.join("2222222222222222")).unwrap();
    std::fs::write(
        cache.join("2222222222222222/header.json"),
        "{\"format_version\": 0}",
    )
    .unwrap();
    let list = irexp()
        .arg("index")
        .arg("list")
        .arg(&cache)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&list.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!("{}\tindex\t70\t", &key[..16])),
        "{text}"
    );
    assert!(text.contains("dead build"), "{text}");
    assert!(text.contains("unfinished"), "{text}");
    assert!(text.contains("format 0"), "{text}");
    let runs = run_entries(&cache).len();
    assert!(runs > 0, "every ranked run is in the run cache");
    assert!(
        text.contains(&format!("{} entries; 3 removable", 4 + runs)),
        "{text}"
    );
    assert!(
        text.contains(&format!("\trun (on index {})", &key[..16])),
        "{text}"
    );

    irexp()
        .arg("index")
        .arg("gc")
        .arg(&cache)
        .assert()
        .success()
        .stdout(predicate::str::contains("3 entries removed"));
    assert_eq!(index_entries(&cache), [key[..16].to_string()]);
    assert!(!dead.exists());
    // The kept index still serves.
    run(
        Path::new("configs/bm25.toml"),
        &repo(),
        tmp.path(),
        &cache,
        &[],
    );
    assert_eq!(manifest(tmp.path())["index_cache"]["reused"], true);
    // Used just now: kept by --unused-for 1; removed by --unused-for 0.
    irexp()
        .args(["index", "gc", "--unused-for", "1"])
        .arg(&cache)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 entries removed"));
    irexp()
        .args(["index", "gc", "--unused-for", "0"])
        .arg(&cache)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{} entries removed",
            1 + runs
        )));
    assert!(index_entries(&cache).is_empty());
    assert!(run_entries(&cache).is_empty());
}

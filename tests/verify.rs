//! `irexp verify`: the bundled regressions pass with the shared collections; an edited expected
//! value fails, naming its row; `--update` writes back the values got; bad regression files are
//! errors naming the file and line; docs/regressions.md is generated from the files.

use std::path::{Path, PathBuf};

use crate::common::{self, irexp, repo};

/// `regressions/*.toml`, relative to the repository root, sorted.
fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("regressions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| Path::new("regressions").join(p.file_name().unwrap()))
        .collect();
    v.sort();
    v
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// regressions/sample.toml with its relative paths made absolute, so that it runs from a
/// temporary folder (the line numbers stay).
fn sample_text() -> String {
    let text = std::fs::read_to_string(repo().join("regressions/sample.toml")).unwrap();
    text.replace("\"../", &format!("\"{}/", repo().display()))
}

#[cfg_attr(
    irexp_no_collections,
    ignore = "needs IREXP_COLLECTIONS (the shared collections)"
)]
#[test]
fn bundled_regressions_pass() {
    common::collections();
    let files = bundled();
    assert!(files.len() >= 5, "{files:?}");
    let tmp = tempfile::tempdir().unwrap();
    let out = irexp()
        .current_dir(repo())
        .arg("verify")
        .arg("-q")
        .args(&files)
        .arg("--out")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = read_json(&tmp.path().join("verify.json"));
    assert_eq!(summary["passed"], true);
    let reported: Vec<&str> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    assert_eq!(reported, expected);
    for f in summary["files"].as_array().unwrap() {
        let checks = f["checks"].as_array().unwrap();
        assert!(!checks.is_empty(), "{f}");
        assert!(checks.iter().all(|c| c["passed"] == true), "{f}");
        // Each experiment's output folder is complete (irexp check).
        irexp()
            .arg("check")
            .arg(f["output"].as_str().unwrap())
            .assert()
            .success();
    }
    assert!(!stdout.contains("FAIL"), "{stdout}");
}

#[test]
fn an_edited_expected_value_fails_naming_its_row_and_update_writes_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let original = sample_text();
    assert_eq!(original.matches("map = 0.9251\n").count(), 1);
    let edited = original.replace("map = 0.9251\n", "map = 0.9252\n");
    let file = tmp.path().join("sample.toml");
    std::fs::write(&file, &edited).unwrap();
    let out_dir = tmp.path().join("out");
    let verify = || {
        let mut cmd = irexp();
        cmd.args(["verify", "-q"])
            .arg(&file)
            .arg("--out")
            .arg(&out_dir);
        cmd
    };

    let page = tmp.path().join("status.html");
    let out = verify().arg("--report").arg(&page).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    // The status page marks the one failing cell (tests/browser.rs opens it in Chromium).
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("<td class=\"fail\"").count(), 1, "{html}");
    assert_eq!(html.matches("<td class=\"pass\"").count(), 14);
    assert!(html.contains(">0.9252 / 0.9251 ✗</td>"));
    let line = 15;
    assert_eq!(
        edited.lines().nth(line - 1),
        Some("map = 0.9252"),
        "the test's line number"
    );
    let fail = format!(
        "FAIL {}:{line}: ranker bm25, map: expected 0.9252, got 0.9251 (tolerance: exact to 4 decimals)",
        file.display()
    );
    assert!(stdout.contains(&fail), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("FAIL ")).count(),
        1,
        "{stdout}"
    );
    let row = stdout
        .lines()
        .find(|l| l.contains(&format!("sample.toml:{line} ")))
        .unwrap();
    assert!(
        row.contains("bm25") && row.contains("0.9252") && row.contains("0.9251"),
        "{row}"
    );
    assert!(row.contains("FAIL"), "{row}");
    assert!(stderr.contains("1 of 15 values differ"), "{stderr}");
    let summary = read_json(&out_dir.join("verify.json"));
    assert_eq!(summary["passed"], false);
    let failed: Vec<&serde_json::Value> = summary["files"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["ranker"], "bm25");
    assert_eq!(failed[0]["measure"], "map");
    assert_eq!(failed[0]["expected"], "0.9252");
    assert_eq!(failed[0]["line"], line);
    assert_eq!(failed[0]["tolerance"]["digits"], 4);
    // Verify never writes the regression file by itself.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);

    // --update writes back the value got, says so, and changes nothing else.
    let out = verify().arg("--update").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "updated {}:{line}: ranker bm25 map: 0.9252 -> 0.9251",
            file.display()
        )),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);

    // Now it passes, with the index built by the first run.
    let out = verify().output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("15 of 15 values as expected"));
    let manifest = read_json(&out_dir.join("sample/manifest.json"));
    assert_eq!(manifest["index_cache"]["reused"], true);
}

#[test]
fn update_with_a_config_writes_a_new_file_that_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mine.toml");
    let out_dir = tmp.path().join("out");
    irexp()
        .current_dir(repo())
        .args(["verify", "-q", "--update", "--config", "configs/bm25.toml"])
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("[ranker.bm25-exact]"), "{text}");
    assert!(text.contains("\nmap = "), "{text}");
    assert!(text.contains("documents = 70\n"), "{text}");
    irexp()
        .args(["verify", "-q"])
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .success();
    // It never overwrites a file.
    irexp()
        .current_dir(repo())
        .args(["verify", "--update", "--config", "configs/bm25.toml"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists"));
}

#[test]
fn bad_regression_files_are_errors_naming_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let good = sample_text();
    let cases: Vec<(String, &str)> = vec![
        (good.replace("map = 0.9251", "map = \"high\""), ":15"),
        (good.replace("map = 0.9251", "mapp = 0.9251"), ":15"),
        (good.replace("[ranker.qld]", "[ranker.ql]"), ":21"),
        (good.replace("documents = 70", "documents = 70.0"), ":10"),
        (good.replace("[index]", "[indexes]"), ":9"),
        (
            good.replace("map = 0.9251", "map = { value = 0.9251, tolerance = -1 }"),
            ":15",
        ),
        (
            good.replace("path = \"", "path = \"/nonexistent"),
            "sample.toml:",
        ),
    ];
    for (text, at) in cases {
        let file = tmp.path().join("sample.toml");
        std::fs::write(&file, &text).unwrap();
        let out = irexp()
            .args(["verify", "-q"])
            .arg(&file)
            .arg("--out")
            .arg(tmp.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("sample.toml{at}")) || stderr.contains(at),
            "expected {at} in: {stderr}"
        );
    }
    // A missing config file names the regression file's config line.
    let file = tmp.path().join("r.toml");
    std::fs::write(&file, "config = \"nope.toml\"\n[ranker.bm25]\nmap = 0.1\n").unwrap();
    irexp()
        .args(["verify", "-q"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("r.toml:1"));
}

#[test]
fn regressions_doc_is_current() {
    let regressions: Vec<irexp::regression::Regression> = bundled()
        .iter()
        .map(|f| irexp::regression::Regression::read(f).unwrap())
        .collect();
    let text = irexp::regression::catalog_markdown(&regressions);
    let doc = repo().join("docs/regressions.md");
    if std::env::var_os("IREXP_WRITE_DOCS").is_some() {
        std::fs::write(&doc, &text).unwrap();
    }
    let current = std::fs::read_to_string(&doc).unwrap_or_default();
    assert!(
        current == text,
        "docs/regressions.md is stale: regenerate it with IREXP_WRITE_DOCS=1 cargo test --test integration verify::regressions_doc_is_current"
    );
}

//! Build script: records the git commit irexp is built from (for manifests), and sets
//! `cfg(irexp_no_collections)` when `IREXP_COLLECTIONS` is unset, so that the tests that need
//! the shared collections show up as ignored in cargo's summary instead of passing.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(irexp_no_collections)");
    println!("cargo::rerun-if-env-changed=IREXP_COLLECTIONS");
    if std::env::var_os("IREXP_COLLECTIONS").is_none() {
        println!("cargo::rustc-cfg=irexp_no_collections");
    }
    // Rebuild when HEAD moves: HEAD itself, the branch it names, and packed refs.
    println!("cargo::rerun-if-changed=build.rs");
    if let Some(commit) = git(&["rev-parse", "HEAD"]) {
        println!("cargo::rustc-env=IREXP_GIT_COMMIT={commit}");
    }
    let dirs = [
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ];
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    for dir in dirs.iter().flatten() {
        let mut files = vec!["HEAD".to_string(), "packed-refs".to_string()];
        files.extend(branch.clone());
        for f in files {
            let p = Path::new(dir).join(f);
            if p.is_file() {
                println!("cargo::rerun-if-changed={}", p.display());
            }
        }
    }
}

//! Build script: records the git commit irexp is built from (for manifests), and sets
//! `cfg(irexp_no_collections)` when `IREXP_COLLECTIONS` is unset, so that the tests that need
//! the shared collections show up as ignored in cargo's summary instead of passing, and
//! `cfg(irexp_no_chromium)` when no chromedriver is found (the browser tests, likewise), and
//! `cfg(irexp_no_slurm)` when `IREXP_SLURM` is unset (the Slurm test).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `IREXP_CHROMEDRIVER` names an existing file, or `chromedriver` is on the PATH.
fn chromedriver_found() -> bool {
    if let Some(p) = std::env::var_os("IREXP_CHROMEDRIVER") {
        return Path::new(&p).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join("chromedriver").is_file()))
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(irexp_no_collections)");
    println!("cargo::rerun-if-env-changed=IREXP_COLLECTIONS");
    if std::env::var_os("IREXP_COLLECTIONS").is_none() {
        println!("cargo::rustc-cfg=irexp_no_collections");
    }
    // The browser tests need chromedriver (Debian's chromium-driver): without one on the
    // PATH they show as ignored, with the reason, instead of passing.
    println!("cargo::rustc-check-cfg=cfg(irexp_no_chromium)");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=IREXP_CHROMEDRIVER");
    if !chromedriver_found() {
        println!("cargo::rustc-cfg=irexp_no_chromium");
    }
    // The Slurm test needs a running Slurm: `.ci/slurm-start` starts one and `.ci/run` then sets
    // IREXP_SLURM=1; without it the test shows as ignored, with the reason.
    println!("cargo::rustc-check-cfg=cfg(irexp_no_slurm)");
    println!("cargo::rerun-if-env-changed=IREXP_SLURM");
    if std::env::var_os("IREXP_SLURM").is_none() {
        println!("cargo::rustc-cfg=irexp_no_slurm");
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

//! The output folder as a transaction, end to end through the binary: whatever happens to
//! a run (killed, raced by another run, a failed evaluation, a full disk), the folder is the
//! previous complete result or the new one; folders irexp did not write are refused; `irexp
//! check` verifies a folder against its manifest; the lock names its holder.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{irexp, repo};
use sha2::{Digest, Sha256};

/// The k1 of the `bm25` ranker in configs/models.toml and configs/bm25.toml.
const CONFIG_K1: f64 = 0.9;

/// `irexp run -q CONFIG` into `out` with the index cache `cache`, `extra` as more `--set`s.
fn run(config: &str, out: &Path, cache: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = irexp();
    cmd.current_dir(repo()).args(["run", "-q", config]);
    for set in sets(out, cache, extra) {
        cmd.args(["--set", &set]);
    }
    cmd
}

/// The same command as a plain `std::process::Command`, to spawn, kill and race it.
fn spawn(config: &str, out: &Path, cache: &Path, extra: &[&str], stderr: Stdio) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_irexp"));
    cmd.env_remove("RAYON_NUM_THREADS")
        .current_dir(repo())
        .args(["run", "-q", config]);
    for set in sets(out, cache, extra) {
        cmd.args(["--set", &set]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("irexp starts")
}

fn sets(out: &Path, cache: &Path, extra: &[&str]) -> Vec<String> {
    let mut v = vec![
        format!("experiment.output={}", out.display()),
        format!("index.cache={}", cache.display()),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn k1_set(k1: &str) -> String {
    format!("ranker.bm25.k1={k1}")
}

/// Every file below `dir` (relative, `/`-separated) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in `dir` (not recursive).
fn entries(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Staging folders (and `.NAME.old` folders) of the output folder `out`, beside it.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    entries(out.parent().unwrap())
        .into_iter()
        .filter(|n| n.starts_with(&format!(".{name}.staging-")) || *n == format!(".{name}.old"))
        .collect()
}

fn manifest(out: &Path) -> serde_json::Value {
    let text = fs::read_to_string(out.join("manifest.json")).expect("manifest.json is there");
    serde_json::from_str(&text).expect("manifest.json is JSON")
}

/// `irexp check OUT` passes, and every file the manifest lists has its recorded size and
/// SHA-256 (checked here too, not only by irexp), and nothing else is in the folder.
fn assert_complete(out: &Path) {
    let assert = irexp().arg("check").arg(out).assert();
    let output = assert.get_output().clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.starts_with("ok"),
        "irexp check {} failed ({:?}):\n{stdout}{}",
        out.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let m = manifest(out);
    let files = m["files"].as_array().expect("the manifest lists its files");
    assert!(!files.is_empty(), "an empty file list in {}", out.display());
    let mut listed = BTreeSet::new();
    for f in files {
        let path = f["path"].as_str().unwrap();
        let bytes = fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap(), "{path}");
        assert_eq!(
            format!("{:x}", Sha256::digest(&bytes)),
            f["sha256"].as_str().unwrap(),
            "{path}"
        );
        listed.insert(path.to_string());
    }
    listed.insert("manifest.json".to_string());
    let present: BTreeSet<String> = snapshot(out).into_keys().collect();
    assert_eq!(
        present,
        listed,
        "files in {} vs its manifest",
        out.display()
    );
}

/// The k1 of the `bm25` ranker as `config.resolved.toml` records it.
fn resolved_k1(out: &Path) -> f64 {
    let text = fs::read_to_string(out.join("config.resolved.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["ranker"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str() == Some("bm25"))
        .expect("a bm25 ranker")["k1"]
        .as_float()
        .unwrap()
}

/// The k1 of the `bm25` ranker as the manifest's command line set it (the config's when the
/// command has no override).
fn command_k1(out: &Path) -> f64 {
    let m = manifest(out);
    let command: Vec<&str> = m["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    command
        .iter()
        .filter_map(|a| a.strip_prefix("ranker.bm25.k1="))
        .next_back()
        .map_or(CONFIG_K1, |v| v.parse().unwrap())
}

/// The k1 of the run whose output `out` holds; asserts that the config and the manifest agree.
fn folder_k1(out: &Path) -> f64 {
    let k1 = resolved_k1(out);
    assert_eq!(
        k1,
        command_k1(out),
        "config.resolved.toml and manifest.json of {} belong to different runs",
        out.display()
    );
    k1
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_or_the_new_result() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("index-cache");
    // The first complete result; this builds the shared index.
    run("configs/models.toml", &out, &cache, &[])
        .assert()
        .success();
    assert_complete(&out);
    assert_eq!(folder_k1(&out), CONFIG_K1);

    // How long one run takes with the index built (the longest of three, into another folder).
    let timing = tmp.path().join("timing");
    let mut duration = Duration::ZERO;
    for _ in 0..3 {
        let t = Instant::now();
        let status = spawn("configs/models.toml", &timing, &cache, &[], Stdio::null())
            .wait()
            .unwrap();
        assert!(status.success());
        duration = duration.max(t.elapsed());
    }
    eprintln!("one models.toml run takes {duration:?}");

    const TRIALS: u32 = 20;
    let mut previous = CONFIG_K1;
    let (mut kept_old, mut got_new, mut finished_before_kill) = (0, 0, 0);
    let mut pids = BTreeSet::new();
    for trial in 0..TRIALS {
        let k1 = format!("{:.2}", 1.0 + 0.05 * f64::from(trial));
        let new: f64 = k1.parse().unwrap();
        // A permutation of 0..TRIALS spread over 0 to 1.25 times the run's duration.
        let step = f64::from((trial * 7) % TRIALS) / f64::from(TRIALS - 1);
        let delay = duration.mul_f64(1.25 * step);
        let mut child = spawn(
            "configs/models.toml",
            &out,
            &cache,
            &[&k1_set(&k1)],
            Stdio::null(),
        );
        pids.insert(child.id());
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; an error only means it has already exited
        let status = child.wait().unwrap();

        assert_complete(&out);
        let now = folder_k1(&out);
        assert!(
            now == previous || now == new,
            "trial {trial}: the folder holds k1 = {now}, neither the previous {previous} nor the killed run's {new}"
        );
        if status.success() {
            finished_before_kill += 1;
            assert_eq!(
                now, new,
                "trial {trial}: the run succeeded but its result is not there"
            );
        }
        if now == new {
            got_new += 1;
            previous = new;
        } else {
            kept_old += 1;
        }
        // What a killed run may leave beside the folder is its own staging folder.
        for left in leftovers(&out) {
            let pid: u32 = left
                .strip_prefix(".out.staging-")
                .and_then(|p| p.parse().ok())
                .unwrap_or_else(|| panic!("trial {trial}: unexpected {left} beside the output"));
            assert!(
                pids.contains(&pid),
                "trial {trial}: {left} is no killed run's"
            );
        }
    }
    eprintln!(
        "killed runs: {kept_old} left the previous result, {got_new} the new one ({finished_before_kill} finished before the kill), out of {TRIALS}"
    );

    // The next successful run publishes its result and cleans up after the killed ones.
    run("configs/models.toml", &out, &cache, &[&k1_set("3.0")])
        .assert()
        .success();
    assert_complete(&out);
    assert_eq!(folder_k1(&out), 3.0);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn two_runs_started_at_once_leave_one_complete_result() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("index-cache");
    let out = tmp.path().join("out");
    let k1s = ["0.3", "2.5"];
    // Each run once into a reference folder (the first builds the index). Every output but
    // the manifest and config.resolved.toml (which name the folder) is reproducible.
    let mut references = Vec::new();
    let mut duration = Duration::ZERO;
    for k1 in k1s {
        let dir = tmp.path().join(format!("ref-{k1}"));
        let t = Instant::now();
        let status = spawn(
            "configs/models.toml",
            &dir,
            &cache,
            &[&k1_set(k1)],
            Stdio::null(),
        )
        .wait()
        .unwrap();
        assert!(status.success());
        duration = t.elapsed(); // the second one's, with the index built
        let mut files = snapshot(&dir);
        files.remove("manifest.json");
        files.remove("config.resolved.toml");
        // The report shows the manifest (command line, start time), so it differs too.
        files.remove("report.html");
        references.push((k1.parse::<f64>().unwrap(), files));
    }
    assert_ne!(references[0].1, references[1].1, "k1 changes the runs");

    const TRIALS: u32 = 20;
    let (mut both, mut one_refused) = (0, 0);
    for trial in 0..TRIALS {
        // Alternate which one starts first. The first half start both at once; the second
        // half start the second after 0.15 to 1.5 times a run's duration, so that it finds
        // the first one early, late, or finished.
        let order: [usize; 2] = if trial % 2 == 0 { [0, 1] } else { [1, 0] };
        let half = TRIALS / 2;
        let stagger = if trial < half {
            Duration::ZERO
        } else {
            duration.mul_f64(1.5 * f64::from((trial - half) * 3 % half + 1) / f64::from(half))
        };
        let mut children: Vec<(usize, Child)> = Vec::new();
        for (n, &i) in order.iter().enumerate() {
            if n == 1 {
                std::thread::sleep(stagger);
            }
            let child = spawn(
                "configs/models.toml",
                &out,
                &cache,
                &[&k1_set(k1s[i])],
                Stdio::piped(),
            );
            children.push((i, child));
        }
        let pids: Vec<u32> = children.iter().map(|(_, c)| c.id()).collect();
        let outputs: Vec<(usize, u32, std::process::Output)> = children
            .into_iter()
            .map(|(i, c)| (i, c.id(), c.wait_with_output().unwrap()))
            .collect();
        let succeeded: Vec<usize> = outputs
            .iter()
            .filter(|(_, _, o)| o.status.success())
            .map(|(i, _, _)| *i)
            .collect();
        for (i, pid, o) in &outputs {
            if o.status.success() {
                continue;
            }
            let err = stderr_of(o);
            let other = pids.iter().find(|p| *p != pid).unwrap();
            assert_eq!(
                o.status.code(),
                Some(1),
                "trial {trial}, k1 = {}: {err}",
                k1s[*i]
            );
            assert!(
                err.contains("being written by another irexp process"),
                "trial {trial}, k1 = {}: {err}",
                k1s[*i]
            );
            assert!(
                err.contains(&format!("pid {other},")),
                "trial {trial}: the message does not name the other run (pid {other}): {err}"
            );
            assert!(err.contains(&out.display().to_string()), "{err}");
        }
        match succeeded.len() {
            2 => both += 1,
            1 => one_refused += 1,
            _ => panic!(
                "trial {trial}: both runs failed: {}",
                outputs
                    .iter()
                    .map(|(_, _, o)| stderr_of(o))
                    .collect::<String>()
            ),
        }

        assert_complete(&out);
        let k1 = folder_k1(&out);
        let (index, (_, reference)) = references
            .iter()
            .enumerate()
            .find(|(_, (r, _))| *r == k1)
            .unwrap_or_else(|| panic!("trial {trial}: the folder holds k1 = {k1}, neither run's"));
        if succeeded.len() == 1 {
            assert_eq!(
                succeeded[0], index,
                "trial {trial}: the refused run's result is there"
            );
        }
        let mut files = snapshot(&out);
        files.remove("manifest.json");
        files.remove("config.resolved.toml");
        // The report shows the manifest (command line, start time), so it differs too.
        files.remove("report.html");
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            reference.keys().collect::<Vec<_>>(),
            "trial {trial}"
        );
        for (name, bytes) in &files {
            assert!(
                *bytes == reference[name],
                "trial {trial}: {name} is not the k1 = {k1} run's though config.resolved.toml is"
            );
        }
        assert_eq!(leftovers(&out), Vec::<String>::new(), "trial {trial}");
    }
    eprintln!("two runs at once, 20 trials: {both} both succeeded in turn, {one_refused} one refused by the lock");
}

#[test]
fn a_folder_reused_by_fewer_rankers_keeps_no_stale_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("index-cache");
    run("configs/models.toml", &out, &cache, &[])
        .assert()
        .success();
    assert!(out.join("bm25-rm3.run").is_file());
    assert!(out.join("qld.eval").is_file());
    run("configs/bm25.toml", &out, &cache, &[])
        .assert()
        .success();
    assert_complete(&out);
    let m = manifest(&out);
    let mut expected: BTreeSet<String> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    expected.insert("manifest.json".into());
    let present: BTreeSet<String> = snapshot(&out).into_keys().collect();
    assert_eq!(present, expected);
    let runs: BTreeSet<&str> = present
        .iter()
        .filter(|p| p.ends_with(".run") || p.ends_with(".eval"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        runs,
        BTreeSet::from(["bm25.run", "bm25.eval", "bm25-exact.run", "bm25-exact.eval"])
    );
    assert_eq!(m["experiment"], "sample-bm25");
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn a_failed_evaluation_leaves_the_folder_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("index-cache");
    run("configs/compare.toml", &out, &cache, &[])
        .assert()
        .success();
    assert_complete(&out);
    let before = snapshot(&out);
    let beside = entries(tmp.path());
    let inputs = tempfile::tempdir().unwrap();

    // Qrels that judge none of the topics: found before the long work.
    let none = inputs.path().join("qrels-none.txt");
    fs::write(&none, "999 0 IRX-0002 1\n998 0 IRX-0008 0\n").unwrap();
    let qrels = format!("qrels.path={}", none.display());
    let output = run("configs/compare.toml", &out, &cache, &[&qrels])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(err.contains(&none.display().to_string()), "{err}");
    assert!(snapshot(&out) == before, "the output folder changed");
    assert_eq!(entries(tmp.path()), beside);
    assert_complete(&out);

    // Qrels that judge one topic only: [compare] fails after indexing, ranking and evaluating.
    let one = inputs.path().join("qrels-one.txt");
    let text = fs::read_to_string(repo().join("qrels/qrels.txt")).unwrap();
    let lines: String = text
        .lines()
        .filter(|l| l.starts_with("101 "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!lines.is_empty());
    fs::write(&one, lines).unwrap();
    let qrels = format!("qrels.path={}", one.display());
    let output = run("configs/compare.toml", &out, &cache, &[&qrels])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(err.contains("[compare]"), "{err}");
    assert!(err.contains("configs/compare.toml"), "{err}");
    assert!(snapshot(&out) == before, "the output folder changed");
    assert_eq!(entries(tmp.path()), beside);
    assert_complete(&out);
}

/// A tmpfs mounted on a folder, unmounted on drop.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        match Command::new("umount").arg(&self.0).output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => eprintln!(
                "umount {} failed: {}",
                self.0.display(),
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => eprintln!("umount {}: {e}", self.0.display()),
        }
    }
}

const PAGE: u64 = 4096;

/// What the files below `dir` take on a tmpfs: whole 4 KiB pages per file.
fn pages(dir: &Path) -> u64 {
    snapshot(dir)
        .values()
        .map(|b| (b.len() as u64).div_ceil(PAGE))
        .sum()
}

#[test]
fn a_full_disk_fails_the_run_and_keeps_the_previous_result() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("index-cache");
    // The output's size, measured on the ordinary file system (this also builds the index).
    let reference = tmp.path().join("reference");
    run("configs/models.toml", &reference, &cache, &[])
        .assert()
        .success();
    let needed = pages(&reference);
    // Room for one output (and the lock file, and slack for paths of other lengths), not two.
    let size = (needed + needed / 2 + 3) * PAGE;
    assert!(
        needed / 2 > 3,
        "the output is too small to tell one copy from two"
    );

    let disk = tmp.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={}k", size / 1024),
            "tmpfs",
        ])
        .arg(&disk)
        .output();
    let _mount = match mounted {
        Ok(o) if o.status.success() => Mount(disk.clone()),
        Ok(o) => {
            eprintln!(
                "SKIP full disk: mount is not allowed here ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("SKIP full disk: mount is not allowed here ({e})");
            return;
        }
    };
    let out = disk.join("out");
    run("configs/models.toml", &out, &cache, &[])
        .assert()
        .success();
    assert_complete(&out);
    let before = snapshot(&out);

    let output = run("configs/models.toml", &out, &cache, &[&k1_set("1.7")])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert_eq!(
        err.matches("No space left on device").count(),
        1,
        "the OS error once: {err}"
    );
    assert!(
        err.contains(&format!(
            "{}: writing the output folder failed; it is unchanged",
            out.display()
        )),
        "the error names the output folder: {err}"
    );
    assert!(snapshot(&out) == before, "the output folder changed");
    assert_complete(&out);
    assert_eq!(folder_k1(&out), CONFIG_K1);
    assert_eq!(
        entries(&disk),
        BTreeSet::from(["out".to_string(), ".out.lock".to_string()]),
        "something was left on the full disk"
    );
}

#[test]
fn folders_irexp_did_not_write_are_refused_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("index-cache");

    // A folder of someone's files, no manifest.
    let theirs = tmp.path().join("theirs");
    fs::create_dir(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "my notes\n").unwrap();
    let output = run("configs/bm25.toml", &theirs, &cache, &[])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(err.contains("experiment.output"), "{err}");
    assert!(err.contains("irexp did not write it"), "{err}");
    assert!(err.contains(&theirs.display().to_string()), "{err}");
    assert_eq!(
        snapshot(&theirs),
        BTreeMap::from([("notes.txt".to_string(), b"my notes\n".to_vec())])
    );
    assert_eq!(leftovers(&theirs), Vec::<String>::new());

    // An earlier irexp output with a file added by hand.
    let out = tmp.path().join("out");
    run("configs/bm25.toml", &out, &cache, &[])
        .assert()
        .success();
    fs::write(out.join("mine.txt"), "keep me\n").unwrap();
    let before = snapshot(&out);
    let output = run("configs/bm25.toml", &out, &cache, &[&k1_set("1.5")])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(err.contains("experiment.output"), "{err}");
    assert!(err.contains("mine.txt"), "{err}");
    assert!(snapshot(&out) == before, "the output folder changed");
    assert_eq!(leftovers(&out), Vec::<String>::new());

    // A regular file.
    let file = tmp.path().join("results.txt");
    fs::write(&file, "not a folder\n").unwrap();
    let output = run("configs/bm25.toml", &file, &cache, &[])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(err.contains("experiment.output"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert_eq!(fs::read(&file).unwrap(), b"not a folder\n");
    assert_eq!(leftovers(&file), Vec::<String>::new());
}

#[test]
fn check_reports_missing_changed_and_extra_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("index-cache");
    run("configs/bm25.toml", &out, &cache, &[])
        .assert()
        .success();
    let output = irexp()
        .arg("check")
        .arg(&out)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("ok"), "{stdout}");

    fs::remove_file(out.join("bm25-exact.run")).unwrap();
    let mut eval = fs::read(out.join("bm25.eval")).unwrap();
    eval.extend_from_slice(b"map\tall\t1.0000\n");
    fs::write(out.join("bm25.eval"), eval).unwrap();
    fs::write(out.join("added.txt"), "x\n").unwrap();
    let output = irexp()
        .arg("check")
        .arg(&out)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: BTreeSet<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        BTreeSet::from([
            "missing\tbm25-exact.run",
            "changed\tbm25.eval",
            "extra\tadded.txt"
        ]),
        "{stdout}"
    );

    // No manifest: an input error.
    let bare = tmp.path().join("bare");
    fs::create_dir(&bare).unwrap();
    fs::write(bare.join("bm25.run"), "1 Q0 D 1 1.0 x\n").unwrap();
    irexp().arg("check").arg(&bare).assert().code(2);
}

#[test]
fn a_held_lock_refuses_a_second_run_naming_the_holder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cache = tmp.path().join("index-cache");
    run("configs/bm25.toml", &out, &cache, &[])
        .assert()
        .success();
    let before = snapshot(&out);

    let lock_path = tmp.path().join(".out.lock");
    let holder = "pid 4242, started 2025-01-01T00:00:00Z: irexp run fake.toml\n";
    fs::write(&lock_path, holder).unwrap();
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    let output = run("configs/bm25.toml", &out, &cache, &[&k1_set("1.5")])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = stderr_of(&output);
    assert!(
        err.contains("being written by another irexp process"),
        "{err}"
    );
    assert!(err.contains("pid 4242"), "{err}");
    assert!(err.contains("irexp run fake.toml"), "{err}");
    assert!(err.contains(&out.display().to_string()), "{err}");
    assert!(snapshot(&out) == before, "the output folder changed");
    assert_eq!(fs::read_to_string(&lock_path).unwrap(), holder);
    assert_eq!(leftovers(&out), Vec::<String>::new());

    drop(lock);
    let mut child = spawn(
        "configs/bm25.toml",
        &out,
        &cache,
        &[&k1_set("1.5")],
        Stdio::null(),
    );
    let pid = child.id();
    assert!(child.wait().unwrap().success());
    assert_complete(&out);
    assert_eq!(folder_k1(&out), 1.5);
    let line = fs::read_to_string(&lock_path).unwrap();
    assert!(
        line.starts_with(&format!("pid {pid}, started ")) && line.lines().count() == 1,
        "the lock file names its last holder only: {line:?}"
    );
    assert!(line.contains("ranker.bm25.k1=1.5"), "{line:?}");
}

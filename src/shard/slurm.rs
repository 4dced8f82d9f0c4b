//! `irexp slurm CONFIG --shards N`: the sharded workflow as a chain of Slurm batch scripts.
//!
//! ```text
//! index.sbatch    array 1-N: irexp index CONFIG --shard $SLURM_ARRAY_TASK_ID/N
//! search.sbatch   array 1-N: irexp run CONFIG --shard $SLURM_ARRAY_TASK_ID/N    afterok:index
//! merge.sbatch    one task:  irexp merge CONFIG --shards N                       afterok:search
//! ```
//!
//! With RM3 rankers, search and merge run twice (the first merge expands the queries, the
//! second publishes). A shared file system is assumed, as on HPC clusters: the irexp binary,
//! the config, the corpus, the index cache and the output folder are reached by the same paths
//! on every node. Dependent jobs use `--kill-on-invalid-dep=yes`, so a failed task cancels the
//! rest of the chain and no merged output appears; submitting again reuses every shard and
//! list already written, so only the missing work runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::Experiment;
use crate::error::{Error, Location, Result};

/// Measured figures the defaults are sized from (docs/SCALE.md: a release build on the
/// synthetic corpus, per document of a shard).
pub mod figures {
    /// Indexing CPU seconds per document.
    pub const INDEX_CPU_SECONDS_PER_DOC: f64 = 0.000_08;
    /// Peak resident memory of an index task per document, beyond `[index] memory_mb`.
    pub const INDEX_BYTES_PER_DOC: f64 = 120.0;
    /// Search CPU seconds per document and ranker (all topics of a TREC-sized set).
    pub const SEARCH_CPU_SECONDS_PER_DOC: f64 = 0.000_01;
    /// Peak resident memory of a search task per document (accumulators, docno table).
    pub const SEARCH_BYTES_PER_DOC: f64 = 60.0;
    /// Corpus bytes per document, to estimate the documents from the corpus size when
    /// `--documents` is not given (the synthetic corpus's mean; TREC news is about 3 KB).
    pub const BYTES_PER_DOC: f64 = 3000.0;
}

/// What the batch scripts ask Slurm for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    /// CPUs per task.
    pub cpus: u32,
    /// Memory per index task, MiB.
    pub index_mem_mb: u64,
    /// Memory per search task, MiB.
    pub search_mem_mb: u64,
    /// Time limit per index task, minutes.
    pub index_minutes: u64,
    /// Time limit per search task, minutes.
    pub search_minutes: u64,
    /// `--partition`, if any.
    pub partition: Option<String>,
    /// `--account`, if any.
    pub account: Option<String>,
}

impl Resources {
    /// Defaults for `documents` documents in `shards` shards with `rankers` rankers and
    /// `cpus` CPUs per task, from [`figures`]: twice the estimate, at least 10 minutes and
    /// 1 GiB, plus `memory_mb` for indexing.
    pub fn sized(
        documents: u64,
        shards: u32,
        rankers: usize,
        cpus: u32,
        memory_mb: usize,
    ) -> Resources {
        use figures::*;
        let per_shard = documents.div_ceil(u64::from(shards)) as f64;
        let minutes =
            |cpu_seconds: f64| ((2.0 * cpu_seconds / f64::from(cpus) / 60.0).ceil() as u64).max(10);
        let mib = |bytes: f64| ((2.0 * bytes / f64::from(1u32 << 20)).ceil() as u64).max(1024);
        Resources {
            cpus,
            index_mem_mb: mib(per_shard * INDEX_BYTES_PER_DOC) + memory_mb as u64,
            search_mem_mb: mib(per_shard * SEARCH_BYTES_PER_DOC),
            index_minutes: minutes(per_shard * INDEX_CPU_SECONDS_PER_DOC),
            search_minutes: minutes(per_shard * SEARCH_CPU_SECONDS_PER_DOC * rankers.max(1) as f64),
            partition: None,
            account: None,
        }
    }
}

/// The chain of scripts written for one experiment.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The folder of the scripts (and `logs/`).
    pub dir: PathBuf,
    /// The scripts in submission order, each with the one it depends on (`afterok`).
    pub jobs: Vec<(String, Option<usize>)>,
}

/// Single-quotes `text` for a POSIX shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Writes the batch scripts for `exp` as `shards` shards into `dir`: `index.sbatch`,
/// `search.sbatch`, `merge.sbatch` and `submit.sh`, which submits the chain (search and merge
/// twice when a ranker is RM3).
/// `irexp` is the binary the jobs run; every command gets `sets` after the config
/// (`--set KEY=VALUE` pairs), `run` and `merge` also `rankers` (`--ranker NAME` pairs).
pub fn write(
    exp: &Experiment,
    shards: u32,
    res: &Resources,
    dir: &Path,
    irexp: &Path,
    sets: &[String],
    rankers: &[String],
) -> Result<Chain> {
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| Error::io(&logs, e))?;
    let config =
        std::path::absolute(&exp.config_path).map_err(|e| Error::io(&exp.config_path, e))?;
    let workdir = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let quoted =
        |args: &[String]| -> String { args.iter().map(|a| format!(" {}", quote(a))).collect() };
    let command = |sub: &str, rest: &str| {
        format!(
            "{} {sub} {}{rest}{}{}",
            quote(&irexp.display().to_string()),
            quote(&config.display().to_string()),
            quoted(sets),
            if sub == "index" {
                String::new()
            } else {
                quoted(rankers)
            }
        )
    };
    let header = |name: &str, array: bool, mem: u64, minutes: u64| {
        let mut h = String::from("#!/bin/bash\n");
        let _ = writeln!(h, "#SBATCH --job-name=irexp-{name}-{}", exp.name);
        if array {
            let _ = writeln!(h, "#SBATCH --array=1-{shards}");
            let _ = writeln!(h, "#SBATCH --output={}/{name}-%a.out", logs.display());
        } else {
            let _ = writeln!(h, "#SBATCH --output={}/{name}-%j.out", logs.display());
        }
        let _ = writeln!(h, "#SBATCH --cpus-per-task={}", res.cpus);
        let _ = writeln!(h, "#SBATCH --mem={mem}M");
        let _ = writeln!(h, "#SBATCH --time={minutes}");
        if let Some(p) = &res.partition {
            let _ = writeln!(h, "#SBATCH --partition={p}");
        }
        if let Some(a) = &res.account {
            let _ = writeln!(h, "#SBATCH --account={a}");
        }
        let _ = writeln!(
            h,
            "set -euo pipefail\ncd {}",
            quote(&workdir.display().to_string())
        );
        h.push_str("export RAYON_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n");
        h
    };
    let shard = format!(" --shard \"$SLURM_ARRAY_TASK_ID/{shards}\" -q");
    let scripts = [
        (
            "index",
            header("index", true, res.index_mem_mb, res.index_minutes) + &command("index", &shard),
        ),
        (
            "search",
            header("search", true, res.search_mem_mb, res.search_minutes) + &command("run", &shard),
        ),
        (
            "merge",
            header("merge", false, res.search_mem_mb, res.search_minutes)
                + &command("merge", &format!(" --shards {shards} -q")),
        ),
    ];
    for (name, text) in &scripts {
        let path = dir.join(format!("{name}.sbatch"));
        crate::atomic::write(&path, format!("{text}\n").as_bytes())?;
    }
    let rm3 = super::rankers(exp)
        .iter()
        .any(|(_, r)| matches!(r.model, crate::rank::Model::Rm3(_)));
    let mut jobs: Vec<(String, Option<usize>)> = vec![
        ("index".into(), None),
        ("search".into(), Some(0)),
        ("merge".into(), Some(1)),
    ];
    if rm3 {
        jobs.push(("search".into(), Some(2)));
        jobs.push(("merge".into(), Some(3)));
    }
    let mut submit = String::from(
        "#!/bin/bash\n# Submits the chain and prints the job ids.\nset -euo pipefail\n",
    );
    let _ = writeln!(submit, "cd {}", quote(&dir.display().to_string()));
    for (i, (name, after)) in jobs.iter().enumerate() {
        let dep = after.map_or(String::new(), |a| {
            format!(" --dependency=afterok:$j{a} --kill-on-invalid-dep=yes")
        });
        let _ = writeln!(
            submit,
            "j{i}=$(sbatch --parsable{dep} {name}.sbatch); echo \"{name} $j{i}\""
        );
    }
    let path = dir.join("submit.sh");
    crate::atomic::write(&path, submit.as_bytes())?;
    for p in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        if p.path()
            .extension()
            .is_some_and(|e| e == "sh" || e == "sbatch")
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(p.path(), std::fs::Permissions::from_mode(0o755));
        }
    }
    Ok(Chain {
        dir: dir.to_path_buf(),
        jobs,
    })
}

/// Submits `chain` with `sbatch` (each job `afterok` the one before it) and returns each
/// job's script and id. With `wait`, the last job is submitted with `--wait`, so this returns
/// once the chain has ended; unless the chain then published `output` (its manifest written
/// since the submission), that is an error naming the logs.
pub fn submit(chain: &Chain, wait: bool, output: &Path) -> Result<Vec<(String, String)>> {
    let started = std::time::SystemTime::now();
    let mut ids: Vec<(String, String)> = Vec::new();
    for (i, (name, after)) in chain.jobs.iter().enumerate() {
        let last = i + 1 == chain.jobs.len();
        let mut cmd = Command::new("sbatch");
        cmd.current_dir(&chain.dir).arg("--parsable");
        if let Some(a) = after {
            cmd.arg(format!("--dependency=afterok:{}", ids[*a].1))
                .arg("--kill-on-invalid-dep=yes");
        }
        if wait && last {
            cmd.arg("--wait");
        }
        let script = format!("{name}.sbatch");
        let out = cmd.arg(&script).output().map_err(|e| {
            Error::config(
                Location::arg("--submit"),
                format!(
                    "cannot run sbatch ({e}): is this a Slurm login node? The scripts are in {}",
                    chain.dir.display()
                ),
            )
        })?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let id = stdout
            .lines()
            .next()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if !out.status.success() || id.is_empty() {
            return Err(Error::Mismatch {
                path: crate::error::DisplayPath(chain.dir.join(&script)),
                message: format!(
                    "sbatch {}: {}",
                    if wait && last {
                        "--wait: the chain failed or was cancelled, so there is no merged output; submit again to run what is missing"
                    } else {
                        "failed"
                    },
                    String::from_utf8_lossy(&out.stderr).trim(),
                ),
            });
        }
        ids.push((name.clone(), id));
    }
    if wait {
        let manifest = output.join(crate::outdir::MANIFEST);
        let fresh = std::fs::metadata(&manifest)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= started - std::time::Duration::from_secs(2));
        if !fresh {
            return Err(Error::Mismatch {
                path: crate::error::DisplayPath(chain.dir.join("logs")),
                message: format!(
                    "the chain ended without publishing {} (a job failed or was cancelled; see its log here); submit again to run only what is missing",
                    output.display()
                ),
            });
        }
    }
    Ok(ids)
}

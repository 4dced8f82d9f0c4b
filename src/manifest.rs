//! `manifest.json`: what a run did, from what, with which build, and every file it wrote.

use serde::Serialize;

use crate::corpus::ReadStats;
use crate::index::CollectionStats;
use crate::outdir::OutputFile;

/// The irexp version and, when the build knew it, the git commit it was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Build {
    /// `CARGO_PKG_VERSION`.
    pub irexp_version: &'static str,
    /// `git rev-parse HEAD` at build time, when built from a git checkout.
    pub git_commit: Option<&'static str>,
}

/// This build.
pub const BUILD: Build = Build {
    irexp_version: env!("CARGO_PKG_VERSION"),
    git_commit: option_env!("IREXP_GIT_COMMIT"),
};

/// An input file's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// What the file is (`config`, `corpus`, `topics`, `qrels`, `stopwords`).
    pub role: &'static str,
    /// The path as resolved.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// The index a run used.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRecord {
    /// Its folder in the cache.
    pub dir: String,
    /// The cache key (SHA-256 of `settings` as JSON).
    pub key: String,
    /// What the key is made of: content and settings only.
    pub settings: crate::experiment::IndexKey,
    /// True when an existing index was reused.
    pub reused: bool,
}

/// Seconds spent, per stage.
#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    /// Opening or building the index.
    pub index: f64,
    /// Ranking, per ranker (in config order).
    pub search: Vec<(String, f64)>,
    /// The whole run.
    pub total: f64,
}

/// A run and its run-cache entry.
#[derive(Debug, Clone, Serialize)]
pub struct RunCacheRecord {
    /// The ranker or grid point.
    pub name: String,
    /// The entry's folder name in `runs/` of the index cache.
    pub entry: String,
    /// True when the run was read from the cache rather than ranked.
    pub reused: bool,
}

/// `manifest.json` of an output folder.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The irexp version.
    pub irexp_version: &'static str,
    /// The git commit irexp was built from, when known.
    pub git_commit: Option<&'static str>,
    /// The command line, every argument as given (`--set` included).
    pub command: Vec<String>,
    /// When the run started, UTC, RFC 3339.
    pub started_utc: String,
    /// Worker threads (rayon).
    pub threads: usize,
    /// The experiment's name.
    pub experiment: String,
    /// The inputs, with sizes and checksums.
    pub inputs: Vec<InputFile>,
    /// The analyzer profile.
    pub analyzer: &'static str,
    /// The index used.
    pub index_cache: IndexRecord,
    /// Index statistics.
    pub index: CollectionStats,
    /// What reading the corpus counted.
    pub corpus: ReadStats,
    /// `run.ties`.
    pub tie_policy: &'static str,
    /// `run.retrieval`.
    pub retrieval: &'static str,
    /// `run.depth`.
    pub depth: usize,
    /// Topics read.
    pub topics: usize,
    /// Topics whose query text is empty (no results).
    pub topics_empty: Vec<String>,
    /// Topics whose query has no term in the index (no results).
    pub topics_without_terms: Vec<String>,
    /// Topics and qrels that do not match, when there are qrels.
    pub topics_qrels_mismatch: Option<crate::experiment::TopicMismatch>,
    /// `run.remove_query`.
    pub remove_query: bool,
    /// `eval.complete`.
    pub eval_complete: bool,
    /// Seconds spent.
    pub timings_seconds: Timings,
    /// The run files, in ranker order.
    pub outputs: Vec<String>,
    /// The `[compare]` folders, one per baseline.
    pub comparisons: Vec<String>,
    /// The sweep folders (`sweep/RANKER`), one per swept ranker.
    pub sweeps: Vec<String>,
    /// The cross-validation folders (`tune/RANKER`), one per `[[tune]]`.
    pub tunes: Vec<String>,
    /// Every ranked run (rankers, then grid points) and its entry in the run cache
    /// (`INDEX_CACHE/runs/ENTRY`): reused, or ranked and stored.
    pub run_cache: Vec<RunCacheRecord>,
    /// Every other file in the folder, with its size and checksum (`irexp check` verifies
    /// them).
    pub files: Vec<OutputFile>,
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The current time, UTC, as RFC 3339 to the second (`2026-12-01T21:20:08Z`).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc(secs)
}

/// Seconds since the Unix epoch as RFC 3339, UTC.
pub fn utc(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_796_160_008), "2026-12-01T21:20:08Z");
        assert_eq!(utc(4_107_542_399), "2100-02-28T23:59:59Z");
    }
}

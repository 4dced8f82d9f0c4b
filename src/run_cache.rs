//! The run cache: every ranked run, stored content-addressed in `runs/` of the index cache
//! folder, so that a later experiment with the same index, model, parameters and topics
//! reuses it (adding one value to a grid ranks only the new point).
//!
//! An entry is a folder `runs/KEY16/` holding `run.trec` (the ranked lists after the tie
//! policy, scores printed with the shortest digits that read back to the same `f64`, so the
//! run read back is exactly the run ranked), `key.json` (the [`RunKey`]) and a `last-used`
//! stamp. Entries are written into `.KEY16.PID-N.building` and renamed into place, as
//! indexes are. The tag is not part of the entry: a reused run takes the ranker's name.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::rank::Model;
use crate::run::{Run, TiePolicy};

/// The subfolder of the index cache that holds runs.
pub const RUNS_DIR: &str = "runs";
/// The run file of an entry.
const RUN_FILE: &str = "run.trec";
/// The key file of an entry.
const KEY_FILE: &str = "key.json";

/// Everything a ranked run depends on. Not part of it: the ranker's name (the tag), the
/// retrieval method (exhaustive and MaxScore return the same lists; tests check it) and the
/// thread count (output is the same for any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunKey {
    /// The irexp version.
    pub irexp_version: String,
    /// The git commit irexp was built from, when known.
    pub git_commit: Option<String>,
    /// The index's cache key (the full SHA-256).
    pub index_key: String,
    /// The model and every parameter (RM3 with its first stage's).
    pub model: serde_json::Value,
    /// SHA-256 of the topics as ranked: each `qid`, a tab, the query text and a newline.
    pub topics_sha256: String,
    /// `topics.field`.
    pub field: String,
    /// `run.depth`.
    pub depth: usize,
    /// `run.ties`.
    pub ties: TiePolicy,
    /// `run.remove_query`.
    pub remove_query: bool,
}

impl RunKey {
    /// The key of ranking `queries` (`(qid, text)` in topic order) with `model`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        index_key: &str,
        model: &Model,
        queries: &[(&str, &str)],
        field: &str,
        depth: usize,
        ties: TiePolicy,
        remove_query: bool,
    ) -> RunKey {
        let mut h = Sha256::new();
        for (qid, text) in queries {
            h.update(qid.as_bytes());
            h.update(b"\t");
            h.update(text.as_bytes());
            h.update(b"\n");
        }
        RunKey {
            irexp_version: crate::manifest::BUILD.irexp_version.to_string(),
            git_commit: crate::manifest::BUILD.git_commit.map(str::to_string),
            index_key: index_key.to_string(),
            model: serde_json::to_value(model).expect("a model serializes"),
            topics_sha256: crate::manifest::hex(&h.finalize()),
            field: field.to_string(),
            depth,
            ties,
            remove_query,
        }
    }

    /// SHA-256 of the key as JSON, hex.
    pub fn hash(&self) -> String {
        let text = serde_json::to_string(self).expect("a run key serializes");
        crate::manifest::hex(&Sha256::digest(text.as_bytes()))
    }
}

/// The run cache of an index cache folder.
#[derive(Debug, Clone)]
pub struct RunCache {
    dir: PathBuf,
}

impl RunCache {
    /// The run cache inside the index cache folder `index_cache`.
    pub fn new(index_cache: &Path) -> RunCache {
        RunCache {
            dir: index_cache.join(RUNS_DIR),
        }
    }

    /// The entry folder of `key`.
    pub fn entry(&self, key: &RunKey) -> PathBuf {
        self.dir.join(&key.hash()[..16])
    }

    /// The cached run of `key`, tagged `tag`, if there is one whose key file matches (an entry
    /// with another key under the same 16 hex digits is not used). A damaged entry is an
    /// error naming its file.
    pub fn load(&self, key: &RunKey, tag: &str) -> Result<Option<Run>> {
        let dir = self.entry(key);
        let key_path = dir.join(KEY_FILE);
        let Ok(text) = fs::read_to_string(&key_path) else {
            return Ok(None);
        };
        match serde_json::from_str::<RunKey>(&text) {
            Ok(stored) if stored == *key => {}
            _ => return Ok(None),
        }
        let run_path = dir.join(RUN_FILE);
        let text = fs::read_to_string(&run_path).map_err(|e| Error::io(&run_path, e))?;
        let mut run = if text.is_empty() {
            Run::default()
        } else {
            Run::parse(&text, &run_path)?
        };
        run.tag = tag.to_string();
        crate::index::cache::touch(&dir);
        Ok(Some(run))
    }

    /// Stores `run` under `key` (atomically; an entry another process stored first is kept).
    pub fn store(&self, key: &RunKey, run: &Run) -> Result<()> {
        let dir = self.entry(key);
        let tmp = crate::index::disk::temp_dir_beside(&dir)?;
        let mut text = String::with_capacity(run.topics.iter().map(|t| t.docs.len() * 40).sum());
        for topic in &run.topics {
            for (i, d) in topic.docs.iter().enumerate() {
                // `{}` of an f64 is the shortest text that reads back to it.
                let _ = writeln!(
                    text,
                    "{} Q0 {} {} {} cache",
                    topic.qid,
                    d.docno,
                    i + 1,
                    d.score
                );
            }
        }
        let json = serde_json::to_string_pretty(key).expect("a run key serializes");
        let written = fs::write(tmp.join(RUN_FILE), text)
            .and_then(|()| fs::write(tmp.join(KEY_FILE), json))
            .map_err(|e| Error::io(&tmp, e));
        if let Err(e) = written {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        if dir.exists() {
            // Stored by another process meanwhile (or a stale entry under the same prefix).
            let _ = fs::remove_dir_all(&dir);
        }
        let renamed = fs::rename(&tmp, &dir);
        if renamed.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        crate::index::cache::touch(&dir);
        Ok(())
    }
}

/// The index key (16 hex digits) a run entry was ranked on, from its key file.
pub fn entry_index(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join(KEY_FILE)).ok()?;
    let key: RunKey = serde_json::from_str(&text).ok()?;
    Some(key.index_key.get(..16)?.to_string())
}

//! BEIR `queries.jsonl`.

use std::path::Path;

use super::{check_qid, query_topic, Topic};
use crate::error::{Error, Location, Result};
use crate::input;

/// BEIR `queries.jsonl`: `_id` (or `id`) and `text` per line; blank lines are allowed.
pub fn parse_jsonl(text: &str, path: &Path) -> Result<Vec<Topic>> {
    let mut topics = Vec::new();
    for (i, line) in input::lines(text).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let location = Location::line(path, i + 1);
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
            .map_err(|e| {
                Error::input(
                    location.clone(),
                    format!("expected one JSON object per line: {e}"),
                )
            })?;
        let qid = match object.get("_id").or_else(|| object.get("id")) {
            Some(serde_json::Value::String(s)) => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                return Err(Error::input(
                    location,
                    "expected a string \"_id\" (or \"id\") field",
                ))
            }
        };
        check_qid(&qid, &location)?;
        let Some(serde_json::Value::String(query)) = object.get("text") else {
            return Err(Error::input(location, "expected a string \"text\" field"));
        };
        topics.push(query_topic(qid, query, location));
    }
    Ok(topics)
}

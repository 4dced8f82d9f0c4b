//! SMART queries (`.I`/`.W` records).

use std::path::Path;

use super::{query_topic, Numbering, Topic};
use crate::error::Result;

/// SMART queries: `.I n` starts a record, `.W` starts the query text, which runs to the next
/// `.X` field line (`.N`, `.A`, ...). Records are numbered by `.I` or by position.
pub fn parse_smart(text: &str, path: &Path, numbering: Numbering) -> Result<Vec<Topic>> {
    let records = crate::corpus::smart::records(text, path)?;
    let mut topics = Vec::new();
    for (position, record) in records.into_iter().enumerate() {
        let qid = match numbering {
            Numbering::Id => record.id.clone(),
            Numbering::Position => (position + 1).to_string(),
        };
        let query = record.field('W').unwrap_or_default();
        topics.push(query_topic(qid, &query, record.location.clone()));
    }
    Ok(topics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_queries_by_id_or_position() {
        let text = ".I 001\n.W\nwhat similarity laws\nmust be obeyed\n.I 002\n.W\nwhat are the structural\n";
        let t = parse_smart(text, Path::new("q"), Numbering::Id).unwrap();
        assert_eq!(
            (t[0].qid.as_str(), t[0].title.as_str()),
            ("001", "what similarity laws must be obeyed")
        );
        let t = parse_smart(text, Path::new("q"), Numbering::Position).unwrap();
        assert_eq!(t[1].qid, "2");
    }
}

//! `irexp corpus stats CONFIG` and `irexp corpus show CONFIG DOCNO`: what a researcher needs
//! to debug a parity gap with another toolkit.

use std::io::Write;

use super::{CorpusShowArgs, CorpusStatsArgs};
use irexp::analysis::Analyzer;
use irexp::config::Experiment;
use irexp::corpus::Document;
use irexp::error::{Error, Location};
use irexp::experiment;
use irexp::index::IndexReader;
use irexp::progress::Progress;

pub(super) fn stats(args: &CorpusStatsArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let exp = Experiment::load(&args.config, &args.overrides)?;
    let progress = Progress::stderr(args.quiet);
    let started = std::time::Instant::now();
    if args.read_only || args.analyze_only {
        let analyzer = Analyzer::from_spec(&exp.analyzer)?;
        let mut text_bytes = 0u64;
        let mut tokens = 0u64;
        let mut batch: Vec<Document> = Vec::new();
        let mut analyse = |batch: &mut Vec<Document>| {
            use rayon::prelude::*;
            tokens += batch
                .par_iter()
                .map(|d| {
                    let mut n = 0u64;
                    analyzer.for_each_term(&d.text, |_| n += 1);
                    n
                })
                .sum::<u64>();
            batch.clear();
        };
        let read = exp.corpus.for_each_document(|d| {
            text_bytes += d.text.len() as u64;
            if args.analyze_only {
                batch.push(d);
                if batch.len() == 4096 {
                    analyse(&mut batch);
                }
            }
            Ok(())
        })?;
        analyse(&mut batch);
        let seconds = started.elapsed().as_secs_f64();
        let value = serde_json::json!({
            "format": exp.corpus.format.name(),
            "path": exp.corpus.path.display().to_string(),
            "files": read.files,
            "documents": read.documents,
            "mode": if args.read_only { "read" } else { "read + analyse" },
            "text_bytes": text_bytes,
            "tokens": if args.analyze_only { serde_json::json!(tokens) } else { serde_json::Value::Null },
            "empty_documents": read.empty_documents,
            "decoded_as_cp1252": read.decoded_as_cp1252,
            "seconds": seconds,
            "documents_per_second": read.documents as f64 / seconds.max(1e-9),
        });
        let mut t =
            serde_json::to_string_pretty(&value).map_err(|e| Error::io("<stdout>", e.into()))?;
        t.push('\n');
        return out
            .write_all(t.as_bytes())
            .map_err(|e| Error::io("<stdout>", e));
    }
    let analyzer = Analyzer::from_spec(&exp.analyzer)?;
    let (index, read) = experiment::build_index(&exp, &analyzer, &progress)?;
    let seconds = started.elapsed().as_secs_f64();
    let s = index.stats();
    let text = if args.json {
        let value = serde_json::json!({
            "format": exp.corpus.format.name(),
            "path": exp.corpus.path.display().to_string(),
            "content": exp.corpus.content.to_config(),
            "analyzer": exp.analyzer.profile.name(),
            "files": read.files,
            "documents": read.documents,
            "tokens": s.tokens,
            "unique_terms": s.terms,
            "empty_documents": read.empty_documents,
            "skipped_empty_documents": read.skipped_empty_documents,
            "documents_without_terms": s.documents - s.documents_with_terms,
            "decoded_as_cp1252": read.decoded_as_cp1252,
            "duplicate_ids": 0,
            "skipped_documents": read.skipped_documents,
            "skipped_examples": read.skipped_examples,
            "skipped_files": read.skipped_files,
            "per_file": read.per_file,
            "seconds": seconds,
            "documents_per_second": read.documents as f64 / seconds.max(1e-9),
        });
        let mut t =
            serde_json::to_string_pretty(&value).map_err(|e| Error::io("<stdout>", e.into()))?;
        t.push('\n');
        t
    } else {
        let mut t = String::new();
        let mut row = |k: &str, v: String| t.push_str(&format!("{k:<26}{v}\n"));
        row("format", exp.corpus.format.name().to_string());
        row("path", exp.corpus.path.display().to_string());
        row("content", exp.corpus.content.describe());
        row("analyzer", exp.analyzer.profile.name().to_string());
        row("files", read.files.to_string());
        row("documents", read.documents.to_string());
        row("tokens", s.tokens.to_string());
        row("unique terms", s.terms.to_string());
        row("empty documents", read.empty_documents.to_string());
        row(
            "  of which left out",
            read.skipped_empty_documents.to_string(),
        );
        row(
            "documents without terms",
            (s.documents - s.documents_with_terms).to_string(),
        );
        row(
            "decoded as Windows-1252",
            read.decoded_as_cp1252.to_string(),
        );
        row("duplicate ids", "0 (a duplicate is an error)".to_string());
        row(
            "read + analyse + index",
            format!(
                "{seconds:.2} s ({:.0} documents/s)",
                read.documents as f64 / seconds.max(1e-9)
            ),
        );
        row("skipped documents", read.skipped_documents.to_string());
        for e in &read.skipped_examples {
            row("  skipped", e.clone());
        }
        row(
            "files left out by name",
            read.skipped_files.len().to_string(),
        );
        for f in &read.skipped_files {
            row("  left out", f.clone());
        }
        t.push_str("\ndocuments  file\n");
        for f in &read.per_file {
            t.push_str(&format!("{:>9}  {}\n", f.documents, f.path));
        }
        t
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}

pub(super) fn show(args: &CorpusShowArgs, out: &mut dyn Write) -> irexp::Result<()> {
    let exp = Experiment::load(&args.config, &args.overrides)?;
    let analyzer = Analyzer::from_spec(&exp.analyzer)?;
    let mut found: Option<Document> = None;
    // The whole corpus is read (not analysed), so that a duplicate id is still reported.
    exp.corpus.for_each_document(|doc| {
        if found.is_none() && doc.docno == args.docno {
            found = Some(doc);
        }
        Ok(())
    })?;
    let Some(doc) = found else {
        return Err(Error::input(
            Location::file(&exp.corpus.path),
            format!("no document has the id {:?}", args.docno),
        ));
    };
    let tokens = analyzer.analyze(&doc.text);
    let mut t = String::new();
    t.push_str(&format!("docno     {}\n", doc.docno));
    t.push_str(&format!("location  {}\n", doc.location));
    t.push_str(&format!(
        "encoding  {}\n",
        if doc.decoded_as_cp1252 {
            "not UTF-8, decoded as Windows-1252"
        } else {
            "UTF-8"
        }
    ));
    t.push_str(&format!("--- text ({} bytes)\n", doc.text.len()));
    t.push_str(&doc.text);
    if !doc.text.ends_with('\n') {
        t.push('\n');
    }
    t.push_str(&format!(
        "--- tokens ({}, analyzer {})\n",
        tokens.len(),
        exp.analyzer.profile.name()
    ));
    t.push_str(&tokens.join(" "));
    t.push('\n');
    out.write_all(t.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))
}

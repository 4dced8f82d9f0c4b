//! Unit tests of pairing and the report.

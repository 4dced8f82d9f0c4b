//! Locating config values in the file (for error messages) and resolving paths.

use std::path::{Path, PathBuf};

use super::Override;
use crate::error::{Error, Location, Result};

/// What validation needs to know about where values came from.
pub(super) struct Context<'a> {
    pub text: &'a str,
    pub path: &'a Path,
    pub overrides: &'a [Override],
}

impl Context<'_> {
    /// The `--set` override that set `section.key`, if any.
    fn overridden(&self, section: &str, key: &str) -> Option<&Override> {
        self.overrides.iter().rev().find(|o| {
            let parts: Vec<&str> = o.key.split('.').collect();
            parts.first() == Some(&section) && parts.last() == Some(&key)
        })
    }

    /// Where `key` of `section` (the `nth` one for arrays of tables) was set.
    pub fn locate(&self, section: &str, nth: Option<usize>, key: &str) -> Location {
        if let Some(o) = self.overridden(section, key) {
            return Location::arg(format!("--set {}", o.key));
        }
        match key_line(self.text, section, nth, key) {
            Some(line) => Location::line(self.path, line),
            None => Location::file(self.path),
        }
    }

    /// A config error located at `section.key`.
    pub fn error(&self, section: &str, nth: Option<usize>, key: &str, message: &str) -> Error {
        Error::config(self.locate(section, nth, key), message.to_string())
    }

    /// Expands `${VAR}` in `value` and resolves it against the config file's folder (or, for
    /// a value given with `--set`, against the current folder).
    ///
    /// A value that starts with `${VAR}` takes its base from the variable: if the expansion
    /// is still relative, it resolves against the current folder, as in a shell, not
    /// against the config file's folder. An empty value is an error.
    pub fn resolve_path(&self, section: &str, key: &str, value: &str) -> Result<PathBuf> {
        self.resolve_path_nth(section, None, key, value)
    }

    /// [`Context::resolve_path`] for a key of the `nth` table of an array of tables.
    pub fn resolve_path_nth(
        &self,
        section: &str,
        nth: Option<usize>,
        key: &str,
        value: &str,
    ) -> Result<PathBuf> {
        if value.trim().is_empty() {
            return Err(self.error(
                section,
                nth,
                key,
                &format!("{section}.{key} is empty; give a path"),
            ));
        }
        let expanded = expand_env(value).map_err(|var| {
            self.error(
                section,
                nth,
                key,
                &format!(
                    "environment variable {var} is not set or empty (used in {section}.{key} = {value:?})"
                ),
            )
        })?;
        let p = PathBuf::from(expanded);
        if p.is_absolute() {
            return Ok(normalize(&p));
        }
        let base = if self.overridden(section, key).is_some() || value.starts_with("${") {
            std::env::current_dir().map_err(|e| Error::io(".", e))?
        } else {
            self.path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        Ok(normalize(&base.join(p)))
    }
}

/// Removes `.` and folds `name/..` lexically, so messages show `runs/x`, not
/// `configs/../runs/x`. (A `..` after a symbolic link is folded too; configs that need the
/// other meaning can give an absolute path.)
pub(super) fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Replaces each `${NAME}` with the environment variable NAME. Returns the name of the first
/// unset variable as the error.
pub(super) fn expand_env(value: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        match std::env::var(name) {
            Ok(v) if !name.is_empty() && !v.is_empty() => out.push_str(&v),
            _ => return Err(name.to_string()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The 1-based line where `key = ...` is set inside `[section]` (or the `nth` `[[section]]`).
pub(super) fn key_line(text: &str, section: &str, nth: Option<usize>, key: &str) -> Option<usize> {
    let mut current = String::new();
    let mut count: Option<usize> = None;
    let mut section_line = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            current = name.trim().to_string();
            if current == section {
                count = Some(count.map_or(0, |c| c + 1));
                if nth.is_none_or(|n| Some(n) == count) {
                    section_line = Some(i + 1);
                }
            }
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            current = name.trim().to_string();
            if current == section {
                section_line = Some(i + 1);
            }
            continue;
        }
        let in_section = current == section && nth.is_none_or(|n| count == Some(n));
        if in_section {
            if let Some((k, _)) = t.split_once('=') {
                if k.trim().trim_matches('"') == key {
                    return Some(i + 1);
                }
            }
        }
    }
    section_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_parent_components() {
        assert_eq!(
            normalize(Path::new("configs/../runs/x")),
            PathBuf::from("runs/x")
        );
        assert_eq!(
            normalize(Path::new("/a/b/../../c/./d")),
            PathBuf::from("/c/d")
        );
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
    }
}

//! `--source-url`: a link to each finding's line in the repository's web view, from a
//! template such as `https://github.com/o/r/blob/{commit}/{path}#L{line}`.

use plan_engine::load::CheckedFile;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SourceUrl {
    template: String,
    /// Paths in links are relative to this folder (the project's root).
    root: PathBuf,
    commit: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SourceUrlError {
    #[error("the source URL must start with https:// or http://")]
    NotHttp,
    #[error("the source URL must hold `{{path}}`, where each file's path goes")]
    NoPath,
    #[error("the source URL holds `{{{0}}}`; it knows `{{path}}`, `{{line}}` and `{{commit}}`")]
    UnknownPlaceholder(String),
    #[error("the source URL holds a space or a control character")]
    Unsafe,
    #[error("the source URL holds `{{commit}}`, but the project is not in a git repository")]
    NoCommit,
}

impl SourceUrl {
    pub fn new(
        template: &str,
        root: &Path,
        commit: Option<&str>,
    ) -> Result<SourceUrl, SourceUrlError> {
        let lower = template.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(SourceUrlError::NotHttp);
        }
        if template
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        {
            return Err(SourceUrlError::Unsafe);
        }
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            let name = &after[..close];
            if !matches!(name, "path" | "line" | "commit") {
                return Err(SourceUrlError::UnknownPlaceholder(name.to_owned()));
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        if !template.contains("{path}") {
            return Err(SourceUrlError::NoPath);
        }
        if template.contains("{commit}") && commit.is_none() {
            return Err(SourceUrlError::NoCommit);
        }
        Ok(SourceUrl {
            template: template.to_owned(),
            root: root.to_owned(),
            commit: commit.map(str::to_owned),
        })
    }

    /// The link to `line` of `file`: its path from the root, each segment percent-encoded.
    pub fn link(&self, file: &CheckedFile, line: usize) -> Option<String> {
        let relative = file
            .location
            .as_deref()
            .and_then(|location| location.strip_prefix(&self.root).ok())?;
        let mut path = String::new();
        for (i, segment) in relative.components().enumerate() {
            if i > 0 {
                path.push('/');
            }
            let segment = segment.as_os_str().to_str()?;
            percent_encode(segment, &mut path);
        }
        Some(
            self.template
                .replace("{commit}", self.commit.as_deref().unwrap_or("HEAD"))
                .replace("{line}", &line.to_string())
                .replace("{path}", &path),
        )
    }
}

/// Everything but RFC 3986's unreserved characters, percent-encoded: a file name can then
/// never end the path, start a query or fragment, or break out of an HTML attribute.
fn percent_encode(segment: &str, out: &mut String) {
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(location: &str) -> CheckedFile {
        CheckedFile {
            path: location.to_owned(),
            location: Some(PathBuf::from(location)),
            text: None,
            plan_id: None,
            rag: None,
            next_review: None,
            facts: None,
        }
    }

    #[test]
    fn links_name_the_commit_path_and_line() {
        let url = SourceUrl::new(
            "https://github.com/o/r/blob/{commit}/{path}#L{line}",
            Path::new("/repo"),
            Some("abc123"),
        )
        .unwrap();
        assert_eq!(
            url.link(&file("/repo/plans/a b#?.plan.toml"), 12).unwrap(),
            "https://github.com/o/r/blob/abc123/plans/a%20b%23%3F.plan.toml#L12"
        );
        // Outside the root there is no link to make.
        assert_eq!(url.link(&file("/elsewhere/x.plan.toml"), 1), None);
    }

    #[test]
    fn templates_that_are_not_web_links_or_lack_the_path_are_refused() {
        let new = |t: &str| SourceUrl::new(t, Path::new("/repo"), None).map(|_| ());
        assert_eq!(
            new("javascript:alert(1)//{path}"),
            Err(SourceUrlError::NotHttp)
        );
        assert_eq!(new("https://x/{line}"), Err(SourceUrlError::NoPath));
        assert_eq!(
            new("https://x/{path}/{sha}"),
            Err(SourceUrlError::UnknownPlaceholder("sha".into()))
        );
        assert_eq!(
            new("https://x/{path}\" onclick=\"x"),
            Err(SourceUrlError::Unsafe)
        );
        assert_eq!(
            new("https://x/{commit}/{path}"),
            Err(SourceUrlError::NoCommit)
        );
        assert_eq!(new("https://x/{path}#L{line}"), Ok(()));
    }
}

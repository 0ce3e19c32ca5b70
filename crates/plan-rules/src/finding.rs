//! Findings: what a rule reports, as plain data. Rendering them (miette, JSON, SARIF…) is the
//! command line's business, so every output format shows exactly the same findings.

use crate::Rule;
use plan_model::Span;
use std::fmt;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// Index of the file in the run (the slice given to [`check`](crate::check)).
    pub file: usize,
    /// The most precise place: the offending key or value, else its entry, else its table,
    /// else the start of the file.
    pub span: Span,
    /// The logical place in the plan (`raid[R-3].mitigation`): with file and rule, it names the
    /// finding independently of line numbers.
    pub path: String,
    /// One matter-of-fact sentence, lowercase, with no final period.
    pub message: String,
    pub help: Option<String>,
    /// Other places in the same file that explain the finding.
    pub labels: Vec<Label>,
    /// Places in other files that take part in it (portfolio rules).
    pub related: Vec<Related>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub file: usize,
    pub span: Span,
    pub message: String,
}

impl Finding {
    pub fn new(
        rule: &'static Rule,
        file: usize,
        span: Span,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity: rule.default_severity,
            file,
            span,
            path: path.into(),
            message: message.into(),
            help: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_related(mut self, file: usize, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

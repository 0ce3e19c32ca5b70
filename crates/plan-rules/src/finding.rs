//! Findings: what a rule reports, as plain data. Rendering them (miette, JSON, SARIF…) is the
//! command line's business, so every output format shows exactly the same findings.

use crate::Rule;
use plan_model::{Fix, LineCol, SourceFile, Span};
use std::borrow::Cow;
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
    /// Where `span` starts and ends (the end is just after the last character), filled in
    /// while the file's text is at hand: reports are written after it is gone.
    pub start: LineCol,
    pub end: LineCol,
    /// The logical place in the plan (`raid[R-3].mitigation`): with file and rule, it names the
    /// finding independently of line numbers.
    pub path: String,
    /// One matter-of-fact sentence, lowercase, with no final period.
    pub message: String,
    /// Most rules' help is fixed text, kept without a copy per finding.
    pub help: Option<Cow<'static, str>>,
    /// Other places in the same file that explain the finding.
    pub labels: Vec<Label>,
    /// Places in other files that take part in it (portfolio rules).
    pub related: Vec<Related>,
    /// 1 for the first finding of its rule at its logical path in its file, 2 for the next
    /// (two unknown names in one list), in position order: with file, rule and path it names
    /// the finding independently of line numbers, for SARIF fingerprints and the baseline.
    /// Numbered by [`check_portfolio`](crate::check_portfolio); 0 until then.
    pub occurrence: u32,
    /// Edits of the file that resolve it, when the rule knows them (boxed: most findings
    /// have none).
    pub fix: Option<Box<Fix>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub at: Location,
    pub message: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub file: usize,
    pub at: Location,
    pub message: Cow<'static, str>,
}

/// A span with its line and column positions. Positions of `0` mean "not located yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
}

impl Location {
    /// A span whose positions are filled in later, by [`Finding::locate`].
    pub fn unlocated(span: Span) -> Location {
        Location {
            span,
            start: LineCol::default(),
            end: LineCol::default(),
        }
    }

    pub fn in_file(span: Span, source: &SourceFile) -> Location {
        let (start, end) = source.range(span);
        Location { span, start, end }
    }

    fn is_located(&self) -> bool {
        self.start.line != 0
    }
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
            start: LineCol::default(),
            end: LineCol::default(),
            path: path.into(),
            message: message.into(),
            help: None,
            labels: Vec::new(),
            related: Vec::new(),
            occurrence: 0,
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A finding at a place whose positions are already known (portfolio rules, which run
    /// after the files' texts are gone).
    pub fn located(
        rule: &'static Rule,
        file: usize,
        at: Location,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let mut finding = Finding::new(rule, file, at.span, path, message);
        finding.start = at.start;
        finding.end = at.end;
        finding
    }

    /// A label in the same file; a span is located with the rest of the finding.
    pub fn with_label(
        mut self,
        at: impl Into<Location>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.labels.push(Label {
            at: at.into(),
            message: message.into(),
        });
        self
    }

    /// A place in another file, already located.
    pub fn with_related(
        mut self,
        file: usize,
        at: Location,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.related.push(Related {
            file,
            at,
            message: message.into(),
        });
        self
    }

    /// Fill in the positions of the finding and its labels that are not known yet, from the
    /// text of its file.
    pub fn locate(&mut self, source: &SourceFile) {
        if self.start.line == 0 {
            (self.start, self.end) = source.range(self.span);
        }
        if let Some(fix) = &mut self.fix {
            fix.locate(source);
        }
        for label in &mut self.labels {
            if !label.at.is_located() {
                label.at = Location::in_file(label.at.span, source);
            }
        }
    }

    pub fn location(&self) -> Location {
        Location {
            span: self.span,
            start: self.start,
            end: self.end,
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl From<Span> for Location {
    fn from(span: Span) -> Self {
        Location::unlocated(span)
    }
}

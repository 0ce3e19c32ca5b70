//! Findings as LSP diagnostics, and a broken config as diagnostics in the config file.

use crate::position::LineIndex;
use crate::state::{Document, Project};
use lsp_types::*;
use plan_rules::{Finding, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where a rule's page is published.
pub fn rule_page_url(rule: &plan_rules::Rule) -> Option<Uri> {
    Uri::from_str(&format!(
        "https://github.com/plan-lint/plan-lint/blob/main/rules/{}.md",
        rule.name
    ))
    .ok()
}

/// The diagnostics of one open plan, from its project's last check.
pub fn of_document(
    project: &Project,
    path: &Path,
    document: &Document,
    documents: &HashMap<PathBuf, Document>,
) -> Vec<Diagnostic> {
    let index = LineIndex::new(&document.text);
    if let Some(error) = project.last.errors.get(path) {
        return vec![Diagnostic {
            range: Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("plan-lint".into()),
            message: error.clone(),
            ..Default::default()
        }];
    }
    let Some(findings) = project.last.findings.get(path) else {
        return Vec::new();
    };
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    findings
        .iter()
        .map(|finding| diagnostic(project, finding, &index, document, documents, &mut texts))
        .collect()
}

fn diagnostic(
    project: &Project,
    finding: &Finding,
    index: &LineIndex<'_>,
    document: &Document,
    documents: &HashMap<PathBuf, Document>,
    texts: &mut HashMap<PathBuf, Option<String>>,
) -> Diagnostic {
    let mut related: Vec<DiagnosticRelatedInformation> = finding
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(document.uri.clone(), index.range(label.at.span)),
            message: label.message.to_string(),
        })
        .collect();
    for other in &finding.related {
        let Some(path) = project.file(other.file) else {
            continue;
        };
        let Some(uri) = crate::uri::from_path(path) else {
            continue;
        };
        let text = texts
            .entry(path.to_owned())
            .or_insert_with(|| crate::state::text_of(path, documents));
        let range = match text {
            Some(text) => LineIndex::new(text).range(other.at.span),
            None => Range::new(
                Position::new(
                    other.at.start.line.saturating_sub(1),
                    other.at.start.column.saturating_sub(1),
                ),
                Position::new(
                    other.at.end.line.saturating_sub(1),
                    other.at.end.column.saturating_sub(1),
                ),
            ),
        };
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri, range),
            message: other.message.to_string(),
        });
    }
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let tags =
        (finding.rule.name == "unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]);
    Diagnostic {
        range: index.range(finding.span),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.code.into())),
        code_description: rule_page_url(finding.rule).map(|href| CodeDescription { href }),
        source: Some("plan-lint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: Some(serde_json::json!({"rule": finding.rule.name, "path": finding.path})),
    }
}

/// A config with problems, as diagnostics at their places in the config file: the file's path
/// and its diagnostics. `None` when the problem has no place (the file cannot be read).
pub fn config_error(
    error: &plan_engine::EngineError,
    folder: &Path,
    documents: &HashMap<PathBuf, Document>,
) -> Option<(PathBuf, Vec<Diagnostic>)> {
    use miette::Diagnostic as _;
    let problems: Vec<&dyn miette::Diagnostic> = match error.related() {
        Some(related) => related.collect(),
        None => vec![error as &dyn miette::Diagnostic],
    };
    let mut file: Option<(PathBuf, String)> = None;
    let mut diagnostics = Vec::new();
    for problem in problems {
        let (Some(source), Some(mut labels)) = (problem.source_code(), problem.labels()) else {
            continue;
        };
        let Some(label) = labels.next() else {
            continue;
        };
        let Ok(contents) = source.read_span(label.inner(), 0, 0) else {
            continue;
        };
        let Some(name) = contents.name() else {
            continue;
        };
        if file.is_none() {
            let path = crate::real(&folder.join(name));
            let text = crate::state::text_of(&path, documents)?;
            file = Some((path, text));
        }
        let Some((_, text)) = &file else {
            continue;
        };
        let index = LineIndex::new(text);
        let span = plan_model::Span::new(label.offset(), label.offset() + label.len());
        let mut message = problem.to_string();
        if let Some(help) = problem.help() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        diagnostics.push(Diagnostic {
            range: index.range(span),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("plan-lint".into()),
            message,
            ..Default::default()
        });
    }
    file.map(|(path, _)| (path, diagnostics))
}

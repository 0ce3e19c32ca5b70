//! Code actions: each finding's fix (safe ones preferred), a suppression with a reason to fill
//! in, and `source.fixAll.plan-lint`, every safe fix of the file at once.

use crate::Server;
use crate::position::LineIndex;
use lsp_types::*;
use plan_model::value::Kind;
use plan_model::{Applicability, Arena, Editor, Format};
use plan_rules::Finding;
use std::collections::HashMap;

pub const FIX_ALL: &str = "source.fixAll.plan-lint";

pub fn code_actions(
    server: &mut Server<'_>,
    params: &CodeActionParams,
) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri.clone();
    let path = crate::real(&crate::uri::to_path(&uri)?);
    let text = server.documents.get(&path)?.text.clone();
    let index = LineIndex::new(&text);
    let wanted = |kind: &CodeActionKind| {
        params
            .context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
    };
    let mut actions = Vec::new();
    let (start, end) = (
        index.offset(params.range.start),
        index.offset(params.range.end),
    );
    let findings: Vec<Finding> = {
        let project = server.project_of(&path)?;
        project
            .last
            .findings
            .get(&path)
            .cloned()
            .unwrap_or_default()
    };
    let touching: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.span.start <= end && start <= f.span.end)
        .collect();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in &touching {
            if let Some(fix) = &finding.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|edit| TextEdit::new(index.range(edit.span), edit.content.clone()))
                    .collect();
                actions.push(action(
                    format!("{} ({})", capitalised(&fix.message), finding.rule.name),
                    CodeActionKind::QUICKFIX,
                    &uri,
                    edits,
                    fix.applicability == Applicability::Safe,
                ));
            }
            if let Some(edit) = suppression(&text, &path, finding) {
                actions.push(action(
                    format!("Suppress {} here, with a reason", finding.rule.name),
                    CodeActionKind::QUICKFIX,
                    &uri,
                    vec![TextEdit::new(index.range(edit.span), edit.content)],
                    false,
                ));
            }
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL);
    if wanted(&fix_all)
        && findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
        })
    {
        let project = server.project_of(&path)?;
        let display = path.to_string_lossy().into_owned();
        let policy = project.settings.policy(&[std::path::Path::new(&display)]);
        let (patched, count) = plan_engine::fixes::fix_text(
            &display,
            &text,
            crate::today(),
            &policy,
            plan_engine::fixes::Wanted {
                unsafe_fixes: false,
            },
        );
        if count > 0 {
            let fixed = patched.text();
            actions.push(action(
                format!("Fix all safe problems in this file ({count})"),
                fix_all,
                &uri,
                vec![whole_change(&text, &fixed, &index)],
                false,
            ));
        }
    }
    Some(
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Uri,
    edits: Vec<TextEdit>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    }
}

/// One edit that turns `old` into `new`: the part between their common start and end.
fn whole_change(old: &str, new: &str, index: &LineIndex<'_>) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((at, _), _)| at);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let old_end = old.len() - suffix;
    let new_end = new.len() - suffix;
    TextEdit::new(
        index.range(plan_model::Span::new(prefix, old_end)),
        new[prefix..new_end].to_owned(),
    )
}

/// A suppression for one finding: a TOML or YAML comment on the line above it (a Markdown
/// plan's front matter is either), an HTML comment at the end of a Markdown line (inside a
/// table row's last cell, so that the table stays whole), or a JSON `lint.allow` entry naming
/// its logical path; the reason is a placeholder to write.
fn suppression(text: &str, path: &std::path::Path, finding: &Finding) -> Option<plan_model::Edit> {
    const REASON: &str = "reason: why this is accepted";
    let format = Format::of_path(&path.to_string_lossy());
    let in_front_matter = plan_model::markdown::front_matter(text)
        .ok()
        .flatten()
        .is_some_and(|front| {
            front.span.start <= finding.span.start && finding.span.start <= front.span.end
        });
    match format {
        Format::Markdown if !in_front_matter => {
            let line_end = text[finding.span.start..]
                .find('\n')
                .map_or(text.len(), |at| finding.span.start + at);
            let line = text[..line_end].trim_end();
            let comment = format!(
                "<!-- plan-lint: allow({}) -- {REASON} -->",
                finding.rule.name
            );
            Some(match line.strip_suffix('|') {
                Some(before_pipe) => {
                    plan_model::Edit::insert(before_pipe.trim_end().len(), format!(" {comment}"))
                }
                None => plan_model::Edit::insert(line.len(), format!(" {comment}")),
            })
        }
        Format::Toml | Format::Yaml | Format::Markdown => {
            let line_start = text[..finding.span.start]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            let indent: String = text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let newline = if text[line_start..]
                .split('\n')
                .next()
                .is_some_and(|l| l.ends_with('\r'))
            {
                "\r\n"
            } else {
                "\n"
            };
            Some(plan_model::Edit::insert(
                line_start,
                format!(
                    "{indent}# plan-lint: allow({}) -- {REASON}{newline}",
                    finding.rule.name
                ),
            ))
        }
        Format::Json => {
            let arena = Arena::new();
            let parsed = plan_model::parse("p.plan.json", Format::Json, text.as_bytes(), &arena);
            let document = parsed.plan.as_ref()?.document?;
            let editor = Editor::new(Format::Json, text);
            let entry = format!(
                "{{\"rule\": \"{}\", \"at\": {}, \"reason\": \"{REASON}\"}}",
                finding.rule.name,
                serde_json::to_string(&finding.path).ok()?
            );
            let allow = crate::tree::get(
                document,
                &[
                    crate::tree::Step::Key("lint"),
                    crate::tree::Step::Key("allow"),
                ],
            );
            match allow.map(|value| &value.kind) {
                Some(Kind::Array(items)) => Some(match items.last() {
                    Some(last) => plan_model::Edit::insert(last.span.end, format!(", {entry}")),
                    None => plan_model::Edit::insert(allow?.span.start + 1, entry),
                }),
                Some(_) => None,
                None => match crate::tree::get(document, &[crate::tree::Step::Key("lint")]) {
                    Some(lint) => editor.add_raw_key(lint, "allow", &format!("[{entry}]")),
                    None => {
                        editor.add_raw_key(document, "lint", &format!("{{\"allow\": [{entry}]}}"))
                    }
                },
            }
        }
    }
}

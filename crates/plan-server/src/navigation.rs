//! Hover, completion, go to definition, find references and document symbols: what the plan's
//! own ids, people and format make possible.

use crate::Server;
use crate::position::LineIndex;
use crate::tree::{self, Step};
use lsp_types::*;
use plan_model::format::{FieldSpec, PLAN_FILE, Shape, TableSpec};
use plan_model::value::{Kind, Value};
use plan_model::{Arena, Format, Span};
use std::path::{Path, PathBuf};

/// What a value names, by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// A milestone: `M2`, or `other-plan#M2` in `depends_on`.
    Milestone,
    Raid,
    Person,
}

fn names_at(keys: &[&str]) -> Option<Names> {
    match keys {
        ["milestones", "depends_on"] | ["backlog", "milestone"] => Some(Names::Milestone),
        ["health", "actions"] => Some(Names::Raid),
        [
            "people",
            "delivery_lead" | "problem_owner" | "team" | "stakeholders",
        ]
        | [
            "raci" | "mechanisms",
            "responsible" | "accountable" | "consulted" | "informed",
        ]
        | ["raid", "owner"]
        | ["resources", "person"] => Some(Names::Person),
        _ => None,
    }
}

/// An open document: its path, a copy of its text (requests go on to use the server) and its
/// format.
fn document(server: &Server<'_>, uri: &Uri) -> Option<(PathBuf, String, Format)> {
    let path = crate::real(&crate::uri::to_path(uri)?);
    let document = server.documents.get(&path)?;
    let format = Format::of_path(&path.to_string_lossy());
    Some((path, document.text.clone(), format))
}

/// Parse another plan's text, in the format its path says.
fn parse_file<'a>(text: &str, path: &Path, arena: &'a Arena) -> Option<&'a Value<'a>> {
    parse(text, Format::of_path(&path.to_string_lossy()), arena)
}

/// Parse a text's value tree (no plan, no rules: what navigation needs).
fn parse<'a>(text: &str, format: Format, arena: &'a Arena) -> Option<&'a Value<'a>> {
    let parsed = plan_model::parse("p", format, text.as_bytes(), arena);
    parsed.plan.and_then(|plan| plan.document)
}

// ---- hover --------------------------------------------------------------------------------

pub fn hover(server: &mut Server<'_>, params: &HoverParams) -> Option<Hover> {
    let position = &params.text_document_position_params;
    let (path, text, format) = document(server, &position.text_document.uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(position.position);
    // A rule named in a suppression comment, or any rule code: the project's custom rules too.
    let (word, word_span) = word_at(&text, offset);
    let line = line_at(&text, offset);
    let registry = server.project_of(&path).map_or_else(
        || plan_rules::Registry::built_in().clone(),
        |project| project.settings.registry.clone(),
    );
    if let Some(rule) = registry.by_name_or_code(word)
        && (line.contains("plan-lint:")
            || word.eq_ignore_ascii_case(rule.code)
            || line.contains("\"rule\""))
    {
        return Some(markdown(
            plan_rules::Page::in_format(rule.page, format),
            index.range(word_span),
        ));
    }
    let arena = Arena::new();
    let document = parse(&text, format, &arena);
    if let Some(document) = document {
        let hit = tree::locate(document, offset);
        if let (Some(value), Some(names)) = (hit.value, names_at(&hit.keys()))
            && let Kind::String(name) = value.kind
        {
            let about = match names {
                Names::Milestone => describe_milestone(server, &path, document, name),
                Names::Raid => describe_entry(document, "raid", name),
                Names::Person => Some(describe_person(server, &path, document, name)),
            };
            if let Some(about) = about {
                return Some(markdown(about, index.range(value.span)));
            }
        }
    }
    // Else the page of a finding's rule under the cursor.
    let project = server.project_of(&path)?;
    let finding = project
        .last
        .findings
        .get(&path)?
        .iter()
        .find(|f| f.span.start <= offset && offset <= f.span.end)?;
    // The page's examples in the plan's own format.
    Some(markdown(
        plan_rules::Page::in_format(finding.rule.page, format),
        index.range(finding.span),
    ))
}

fn markdown(value: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

fn word_at(text: &str, offset: usize) -> (&str, Span) {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(at, _)| at);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(at, _)| offset + at);
    (&text[start..end], Span::new(start, end))
}

fn line_at(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |at| offset + at);
    &text[start..end]
}

/// Title, due date and status of an entry of a collection, by id.
fn describe_entry(document: &Value<'_>, collection: &str, id: &str) -> Option<String> {
    let (_, entry) = tree::entry(document, collection, id)?;
    let mut out = format!("**{id}**");
    if let Some(title) = tree::string(entry, "title") {
        out.push_str(&format!(": {title}"));
    }
    for (label, value) in [
        ("due", tree::date(entry, "due")),
        ("status", tree::string(entry, "status").map(str::to_owned)),
        ("owner", tree::string(entry, "owner").map(str::to_owned)),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("  \n{label}: {value}"));
        }
    }
    Some(out)
}

fn describe_milestone(
    server: &mut Server<'_>,
    path: &Path,
    document: &Value<'_>,
    reference: &str,
) -> Option<String> {
    match reference.split_once('#') {
        None => describe_entry(document, "milestones", reference),
        Some((plan, milestone)) => {
            let other = other_plan(server, path, plan)?;
            let text = server.text_of(&other)?;
            let arena = Arena::new();
            let document = parse_file(&text, &other, &arena)?;
            let about = describe_entry(document, "milestones", milestone)?;
            Some(format!("{about}  \nin plan `{plan}`"))
        }
    }
}

/// The file of another plan of the project, by its id.
fn other_plan(server: &mut Server<'_>, path: &Path, id: &str) -> Option<PathBuf> {
    let project = server.project_of(path)?;
    let summary = project
        .last
        .summaries
        .iter()
        .find(|s| s.id.as_ref().is_some_and(|(plan, _)| plan == id))?;
    project.file(summary.file).map(Path::to_owned)
}

/// A person's roles in this plan, and allocations over the portfolio.
fn describe_person(
    server: &mut Server<'_>,
    path: &Path,
    document: &Value<'_>,
    name: &str,
) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (keys, _) in uses(document, name, Names::Person) {
        let role = format!("`{keys}`");
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let mut out = format!("**{name}**");
    if !roles.is_empty() {
        out.push_str(&format!("  \nin this plan: {}", roles.join(", ")));
    }
    if let Some(project) = server.project_of(path) {
        let mut allocations = Vec::new();
        for summary in &project.last.summaries {
            for resource in summary.resources.iter().filter(|r| r.person == name) {
                let plan = summary
                    .id
                    .as_ref()
                    .map_or(summary.path.as_str(), |(id, _)| id.as_str());
                let dates = match (resource.from, resource.until) {
                    (Some(from), Some(until)) => format!(" from {from} to {until}"),
                    (Some(from), None) => format!(" from {from}"),
                    (None, Some(until)) => format!(" until {until}"),
                    (None, None) => String::new(),
                };
                allocations.push(format!("{}% in `{plan}`{dates}", percent(resource.share)));
            }
        }
        if !allocations.is_empty() {
            out.push_str(&format!("  \nallocated: {}", allocations.join("; ")));
        }
    }
    out
}

fn percent(share: i64) -> String {
    let (whole, hundredths) = (share / 100, share % 100);
    if hundredths == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{hundredths:02}")
            .trim_end_matches('0')
            .to_owned()
    }
}

/// Every string equal to `name` where a value names what `names` says (a person's fields,
/// references to milestones or RAID entries): its key path (`raci.accountable`) and span.
fn uses(document: &Value<'_>, name: &str, names: Names) -> Vec<(String, Span)> {
    fn walk<'v>(
        value: &'v Value<'v>,
        name: &str,
        names: Names,
        keys: &mut Vec<&'v str>,
        out: &mut Vec<(String, Span)>,
    ) {
        match &value.kind {
            Kind::Table(table) => {
                for entry in table.entries {
                    keys.push(entry.key);
                    walk(&entry.value, name, names, keys, out);
                    keys.pop();
                }
            }
            Kind::Array(items) => {
                for item in items.iter() {
                    walk(item, name, names, keys, out);
                }
            }
            Kind::String(found) if *found == name && names_at(keys) == Some(names) => {
                out.push((keys.join("."), value.span));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(document, name, names, &mut Vec::new(), &mut out);
    out
}

// ---- completion ---------------------------------------------------------------------------

pub fn completion(
    server: &mut Server<'_>,
    params: &CompletionParams,
) -> Option<CompletionResponse> {
    let position = &params.text_document_position;
    let (path, text, format) = document(server, &position.text_document.uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(position.position);
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[offset..]
        .find('\n')
        .map_or(text.len(), |at| offset + at);
    let prefix = &text[line_start..offset];
    // The document without the line being typed usually parses: it gives the tables, people
    // and ids around the cursor.
    let blanked = format!("{}{}", &text[..line_start], &text[line_end..]);
    let arena = Arena::new();
    let document = parse(&text, format, &arena).or_else(|| parse(&blanked, format, &arena));
    let (table_path, present) = match format {
        Format::Toml => toml_table(&text[..line_start], &text[line_end..]),
        Format::Json => json_table(document, line_start),
        Format::Yaml => yaml_table(&text[..line_start], prefix, &text[line_end..]),
        // In a Markdown plan, keys are completed in a YAML front matter only.
        Format::Markdown => match plan_model::markdown::front_matter(&text) {
            Ok(Some(front))
                if !front.toml
                    && front.span.start <= line_start
                    && line_start <= front.span.end =>
            {
                let region = &text[front.span.start..line_start];
                yaml_table(
                    region,
                    prefix,
                    &text[line_end..front.span.end.max(line_end)],
                )
            }
            _ => return None,
        },
    };
    let spec = spec_at(&table_path)?;
    let items = match (format, value_key(prefix, format)) {
        (Format::Toml, None) if prefix.trim_start().starts_with('[') => table_names(),
        (_, None) => key_items(spec, &present, format, prefix),
        (_, Some((key, typed))) => {
            let field = spec.fields.iter().find(|f| f.key == key)?;
            let mut keys: Vec<&str> = table_path.iter().map(String::as_str).collect();
            keys.push(key);
            value_items(server, &path, document, field, &keys, typed)
        }
    };
    Some(CompletionResponse::Array(items))
}

/// The header path of the TOML table a line is in (`["raid"]`), and the keys already in it
/// (before the line and after it, up to the next header).
fn toml_table(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let mut present = Vec::new();
    for line in after.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some((key, _)) = line.split_once('=') {
            present.push(key.trim().trim_matches('"').to_owned());
        }
    }
    for line in before.lines().rev() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let name = header.split(']').next().unwrap_or_default();
            return (
                name.split('.').map(|s| s.trim().to_owned()).collect(),
                present,
            );
        }
        if let Some((key, _)) = line.split_once('=') {
            present.push(key.trim().trim_matches('"').to_owned());
        }
    }
    (Vec::new(), present)
}

/// The keys from the document to the YAML mapping a line is in, found by indentation
/// (`["people"]`; a list item's mapping is its list's key, `["raid"]`), and the keys already in
/// that mapping (for a list item, in that item).
fn yaml_table(before: &str, line: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let column = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let key_of = |text: &str| {
        let (key, _) = text.split_once(':')?;
        Some(key.trim().trim_matches(['"', '\'']).to_owned())
    };
    let mut want = yaml_content(line).map_or(column(line), |(at, ..)| at);
    let mut present = Vec::new();
    let mut keys = Vec::new();
    // Siblings below, up to the first line left of them or the next item of the same list.
    for below in after.lines().skip(1) {
        match yaml_content(below) {
            None => {}
            Some((at, item, text)) if at == want && !item => present.extend(key_of(text)),
            Some((at, ..)) if at > want => {}
            Some(_) => break,
        }
    }
    let mut siblings = true;
    for above in before.lines().rev() {
        let Some((at, item, text)) = yaml_content(above) else {
            continue;
        };
        if at == want && siblings {
            present.extend(key_of(text));
            if item {
                // The item's first line: above it are other items, not siblings; the list's
                // key is at or left of its dash.
                siblings = false;
                want = column(above) + 1;
            }
        } else if at < want {
            if item {
                siblings = false;
                want = column(above) + 1;
                continue;
            }
            if text.trim_end().ends_with(':') {
                keys.extend(key_of(text));
            }
            siblings = false;
            want = at;
        }
    }
    keys.reverse();
    (keys, present)
}

/// A YAML line's key column and text, `- ` of a list item taken off, and whether it starts an
/// item; `None` for blank lines and comments.
fn yaml_content(line: &str) -> Option<(usize, bool, &str)> {
    let text = line.trim_start_matches(' ');
    if text.is_empty() || text.starts_with('#') {
        return None;
    }
    let (item, text) = match text.strip_prefix("- ") {
        Some(rest) => (true, rest.trim_start_matches(' ')),
        None => (false, text),
    };
    Some((line.len() - text.len(), item, text))
}

/// The keys from the document to the JSON object holding `offset`, and the keys in it.
fn json_table(document: Option<&Value<'_>>, offset: usize) -> (Vec<String>, Vec<String>) {
    let Some(document) = document else {
        return (Vec::new(), Vec::new());
    };
    let hit = tree::locate(document, offset);
    let mut keys: Vec<String> = Vec::new();
    let mut steps = hit.steps.clone();
    // The hit may be a value inside the object: climb to the innermost object.
    loop {
        if let Some(Value {
            kind: Kind::Table(table),
            ..
        }) = tree::get(document, &steps)
        {
            for step in &steps {
                if let Step::Key(key) = step {
                    keys.push((*key).to_owned());
                }
            }
            let present = table.entries.iter().map(|e| e.key.to_owned()).collect();
            return (keys, present);
        }
        if steps.pop().is_none() {
            return (Vec::new(), Vec::new());
        }
    }
}

fn spec_at(keys: &[String]) -> Option<&'static TableSpec> {
    let mut spec: &'static TableSpec = &PLAN_FILE;
    for key in keys {
        spec = match &spec.fields.iter().find(|f| f.key == key)?.shape {
            Shape::Table(inner) | Shape::Entries(inner) => inner,
            _ => return None,
        };
    }
    Some(spec)
}

/// At a value: its key and what is typed of the value so far.
fn value_key(prefix: &str, format: Format) -> Option<(&str, &str)> {
    let separator = match format {
        Format::Toml => '=',
        Format::Json | Format::Yaml | Format::Markdown => ':',
    };
    let (key, value) = prefix.split_once(separator)?;
    let key = key
        .trim()
        .trim_start_matches([',', '{', '-'])
        .trim()
        .trim()
        .trim_matches('"');
    Some((key, value))
}

fn table_names() -> Vec<CompletionItem> {
    PLAN_FILE
        .fields
        .iter()
        .filter_map(|field| match field.shape {
            Shape::Table(_) => Some(format!("[{}]", field.key)),
            Shape::Entries(_) => Some(format!("[[{}]]", field.key)),
            _ => None,
        })
        .map(|label| CompletionItem {
            label: label.clone(),
            kind: Some(CompletionItemKind::MODULE),
            ..Default::default()
        })
        .collect()
}

fn key_items(
    spec: &TableSpec,
    present: &[String],
    format: Format,
    prefix: &str,
) -> Vec<CompletionItem> {
    let quoted = prefix.trim_end().ends_with('"');
    spec.fields
        .iter()
        .filter(|field| !present.iter().any(|p| p == field.key))
        .filter(|field| {
            format != Format::Toml || !matches!(field.shape, Shape::Table(_) | Shape::Entries(_))
        })
        .map(|field| CompletionItem {
            label: field.key.to_owned(),
            kind: Some(CompletionItemKind::PROPERTY),
            detail: Some(field.description.to_owned()),
            insert_text: Some(match format {
                Format::Toml => format!("{} = ", field.key),
                Format::Json if quoted => field.key.to_owned(),
                Format::Json => format!("\"{}\": ", field.key),
                Format::Yaml | Format::Markdown => format!("{}: ", field.key),
            }),
            ..Default::default()
        })
        .collect()
}

fn value_items(
    server: &mut Server<'_>,
    path: &Path,
    document: Option<&Value<'_>>,
    field: &FieldSpec,
    keys: &[&str],
    typed: &str,
) -> Vec<CompletionItem> {
    let open_quote = typed.matches('"').count() % 2 == 1;
    let item = |label: String, kind: CompletionItemKind, detail: Option<String>| CompletionItem {
        insert_text: Some(if open_quote {
            label.clone()
        } else {
            format!("\"{label}\"")
        }),
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    };
    let mut items = Vec::new();
    if let Shape::OneOf(names) = field.shape {
        for name in names {
            items.push(item(
                (*name).to_owned(),
                CompletionItemKind::ENUM_MEMBER,
                None,
            ));
        }
        return items;
    }
    let Some(document) = document else {
        return items;
    };
    match names_at(keys) {
        Some(Names::Person) => {
            let mut people: Vec<String> = Vec::new();
            for key in ["delivery_lead", "problem_owner", "team", "stakeholders"] {
                let value = tree::get(document, &[Step::Key("people"), Step::Key(key)]);
                match value.map(|v| &v.kind) {
                    Some(Kind::String(name)) => people.push((*name).to_owned()),
                    Some(Kind::Array(names)) => {
                        people.extend(names.iter().filter_map(|n| match n.kind {
                            Kind::String(name) => Some(name.to_owned()),
                            _ => None,
                        }))
                    }
                    _ => {}
                }
            }
            people.sort();
            people.dedup();
            for person in people {
                items.push(item(
                    person,
                    CompletionItemKind::VALUE,
                    Some("person".into()),
                ));
            }
        }
        Some(Names::Raid) => {
            for (id, _, entry) in tree::ids(document, "raid") {
                let title = tree::string(entry, "title").map(str::to_owned);
                items.push(item(id.to_owned(), CompletionItemKind::REFERENCE, title));
            }
        }
        Some(Names::Milestone) => {
            // After `plan#`: that plan's milestones; else this plan's, and other plans' ids.
            let fragment = typed.rsplit('"').next().unwrap_or_default();
            match fragment.split_once('#') {
                Some((plan, _)) => {
                    if let Some(other) = other_plan(server, path, plan)
                        && let Some(text) = server.text_of(&other)
                    {
                        let arena = Arena::new();
                        if let Some(other_document) = parse_file(&text, &other, &arena) {
                            for (id, _, entry) in tree::ids(other_document, "milestones") {
                                let title = tree::string(entry, "title").map(str::to_owned);
                                let label = format!("{plan}#{id}");
                                items.push(item(label, CompletionItemKind::REFERENCE, title));
                            }
                        }
                    }
                }
                None => {
                    for (id, _, entry) in tree::ids(document, "milestones") {
                        let title = tree::string(entry, "title").map(str::to_owned);
                        items.push(item(id.to_owned(), CompletionItemKind::REFERENCE, title));
                    }
                    if keys == ["milestones", "depends_on"]
                        && let Some(project) = server.project_of(path)
                    {
                        for summary in &project.last.summaries {
                            if let Some((id, _)) = &summary.id
                                && project.file(summary.file) != Some(path)
                            {
                                items.push(item(
                                    format!("{id}#"),
                                    CompletionItemKind::MODULE,
                                    Some("another plan".into()),
                                ));
                            }
                        }
                    }
                }
            }
        }
        None => {}
    }
    items
}

// ---- definition and references ------------------------------------------------------------

pub fn definition(
    server: &mut Server<'_>,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let position = &params.text_document_position_params;
    let uri = position.text_document.uri.clone();
    let (path, text, format) = document(server, &uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(position.position);
    let arena = Arena::new();
    let document = parse(&text, format, &arena)?;
    let hit = tree::locate(document, offset);
    let Kind::String(reference) = hit.value?.kind else {
        return None;
    };
    let location = match names_at(&hit.keys())? {
        Names::Raid => {
            let (span, _) = tree::entry(document, "raid", reference)?;
            Location::new(uri, index.range(span))
        }
        Names::Milestone => match reference.split_once('#') {
            None => {
                let (span, _) = tree::entry(document, "milestones", reference)?;
                Location::new(uri, index.range(span))
            }
            Some((plan, milestone)) => {
                let other = other_plan(server, &path, plan)?;
                let other_text = server.text_of(&other)?;
                let other_arena = Arena::new();
                let other_document = parse_file(&other_text, &other, &other_arena)?;
                let other_index = LineIndex::new(&other_text);
                let span = match tree::entry(other_document, "milestones", milestone) {
                    Some((span, _)) => span,
                    None => tree::get(other_document, &[Step::Key("plan"), Step::Key("id")])?.span,
                };
                Location::new(crate::uri::from_path(&other)?, other_index.range(span))
            }
        },
        Names::Person => return None,
    };
    Some(GotoDefinitionResponse::Scalar(location))
}

pub fn references(server: &mut Server<'_>, params: &ReferenceParams) -> Option<Vec<Location>> {
    let position = &params.text_document_position;
    let uri = position.text_document.uri.clone();
    let (path, text, format) = document(server, &uri)?;
    let index = LineIndex::new(&text);
    let offset = index.offset(position.position);
    let arena = Arena::new();
    let document = parse(&text, format, &arena)?;
    let hit = tree::locate(document, offset);
    let Kind::String(written) = hit.value?.kind else {
        return None;
    };
    let keys = hit.keys();
    let (names, id) = match keys.as_slice() {
        ["milestones", "id"] => (Names::Milestone, written),
        ["raid", "id"] => (Names::Raid, written),
        other => match names_at(other)? {
            Names::Person => return None,
            names if !written.contains('#') => (names, written),
            _ => return None,
        },
    };
    let mut locations = Vec::new();
    let collection = if names == Names::Milestone {
        "milestones"
    } else {
        "raid"
    };
    if params.context.include_declaration
        && let Some((span, _)) = tree::entry(document, collection, id)
    {
        locations.push(Location::new(uri.clone(), index.range(span)));
    }
    for (_, span) in uses(document, id, names) {
        locations.push(Location::new(uri.clone(), index.range(span)));
    }
    // Other plans' `this-plan#M2`.
    if names == Names::Milestone
        && let Some(plan_id) = tree::get(document, &[Step::Key("plan")])
            .and_then(|plan| tree::string(plan, "id"))
            .map(str::to_owned)
        && let Some(project) = server.project_of(&path)
    {
        let summaries = project.last.summaries.clone();
        let files: Vec<Option<PathBuf>> = summaries
            .iter()
            .map(|s| project.file(s.file).map(Path::to_owned))
            .collect();
        for (summary, file) in summaries.iter().zip(files) {
            let Some(file) = file.filter(|file| *file != path) else {
                continue;
            };
            let Some(other_text) = server.text_of(&file) else {
                continue;
            };
            let other_index = LineIndex::new(&other_text);
            for milestone in &summary.milestones {
                for (reference, at) in &milestone.depends_on {
                    if reference.plan.as_deref() == Some(plan_id.as_str())
                        && reference.milestone == id
                        && let Some(uri) = crate::uri::from_path(&file)
                    {
                        locations.push(Location::new(uri, other_index.range(at.span)));
                    }
                }
            }
        }
    }
    Some(locations)
}

// ---- symbols ------------------------------------------------------------------------------

pub fn symbols(
    server: &mut Server<'_>,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let (_, text, format) = document(server, &params.text_document.uri)?;
    let index = LineIndex::new(&text);
    let arena = Arena::new();
    let document = parse(&text, format, &arena)?;
    let Kind::Table(root) = &document.kind else {
        return None;
    };
    let mut symbols = Vec::new();
    for entry in root.entries {
        let span = extent(entry.key_span, &entry.value);
        let mut top = symbol(
            entry.key.to_owned(),
            None,
            SymbolKind::NAMESPACE,
            &index,
            span,
            entry.key_span,
        );
        if let Kind::Array(items) = &entry.value.kind {
            let children: Vec<DocumentSymbol> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let name = ["id", "name", "activity", "person"]
                        .iter()
                        .find_map(|key| tree::string(item, key))
                        .map_or_else(|| format!("{}[{i}]", entry.key), str::to_owned);
                    let detail = tree::string(item, "title").map(str::to_owned);
                    let span = extent(item.span, item);
                    symbol(
                        name,
                        detail,
                        SymbolKind::OBJECT,
                        &index,
                        span,
                        item.anchor(),
                    )
                })
                .collect();
            top.children = Some(children);
        } else if entry.key == "plan" {
            top.detail = tree::string(&entry.value, "title").map(str::to_owned);
            top.kind = SymbolKind::FILE;
        }
        symbols.push(top);
    }
    Some(DocumentSymbolResponse::Nested(symbols))
}

/// A value's whole extent: a TOML header table's span is its header line, so its keys count.
fn extent(start: Span, value: &Value<'_>) -> Span {
    let mut span = start.to(value.span);
    if let Kind::Table(table) = &value.kind {
        for entry in table.entries {
            span = span.to(extent(entry.key_span, &entry.value));
        }
    }
    span
}

#[allow(deprecated)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    index: &LineIndex<'_>,
    span: Span,
    selection: Span,
) -> DocumentSymbol {
    let range = index.range(span);
    let mut selection_range = index.range(selection);
    if selection_range.start < range.start || selection_range.end > range.end {
        selection_range = range;
    }
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` has `|` where the cursor's line is.
    fn yaml_at(text: &str) -> (Vec<String>, Vec<String>) {
        let at = text.find('|').unwrap();
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        yaml_table(
            &text[..line_start],
            &text[line_start..at],
            &text[line_end..],
        )
    }

    #[test]
    fn a_yaml_line_is_placed_in_its_mapping_by_indentation() {
        let plan = "plan:\n  id: p\n  |\n  title: t\npeople:\n  delivery_lead: a\n";
        assert_eq!(
            yaml_at(plan),
            (vec!["plan".into()], vec!["title".into(), "id".into()])
        );
        let top = "plan:\n  id: p\n|\n";
        assert_eq!(yaml_at(top), (vec![], vec!["plan".into()]));
        let item = "raid:\n  - id: R-1\n    type: risk\n    |\n  - id: R-2\n    owner: x\n";
        assert_eq!(
            yaml_at(item),
            (vec!["raid".into()], vec!["type".into(), "id".into()])
        );
        // A list may start at its key's own column.
        let flush = "people:\n  team: [a]\nraid:\n- id: R-1\n  |\n";
        assert_eq!(yaml_at(flush), (vec!["raid".into()], vec!["id".into()]));
        let nested = "review:\n  cadence: 2 weeks\n  triggers:\n    - x\nhealth:\n  |\n";
        assert_eq!(yaml_at(nested), (vec!["health".into()], vec![]));
    }
}

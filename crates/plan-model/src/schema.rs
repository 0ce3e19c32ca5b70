//! The plan format's schema: reads a [`Value`] tree into a [`Plan`], reporting every
//! `unknown-field`, `invalid-value` and `missing-field` problem in the file, not only the first.
//!
//! Whatever is sound is kept: a bad value becomes [`Field::Invalid`] and the rest of its table
//! is still read, so the rules can check every part of the plan that the schema accepted.

use crate::fix::Suggestion;
use crate::format::*;
use crate::plan::*;
use crate::value::{Entry, Kind, Table, Value, same_key};
use crate::{SchemaFinding, SchemaProblem, Span, Spanned};
use bumpalo::Bump;
use bumpalo::collections::Vec as BumpVec;
use jiff::civil::Date;

/// What reading a plan reports besides the plan.
#[derive(Debug, Default)]
pub(crate) struct SchemaReport {
    pub findings: Vec<SchemaFinding>,
    /// The logical paths of keys that unknown keys misspell (`people.problem_owner` for
    /// `problem_ownr`): what the rules would say about their absence is the misspelling's
    /// cascade. One for each entry, even where a Markdown column's finding is reported once.
    pub misspelt: Vec<String>,
    /// Each unknown key's place, reported once, and the known key it is close to. A Markdown
    /// table's unknown column is a key of every row at its one header cell: one finding, and
    /// one "did you mean" worked out, for a table of any length (a finding per row was 800 MB
    /// for 160,000 columns of ten rows).
    unknown_keys: foldhash::HashMap<Span, Option<&'static str>>,
}

/// Read a plan from the top-level value of its file; `None` when that is not a table at all.
pub(crate) fn read_plan<'a>(
    root: &'a Value<'a>,
    arena: &'a Bump,
    report: &mut SchemaReport,
) -> Option<Plan<'a>> {
    let Kind::Table(table) = &root.kind else {
        report.findings.push(SchemaFinding {
            problem: SchemaProblem::InvalidValue,
            span: root.anchor(),
            path: String::new(),
            message: format!(
                "a plan must be a table of keys at the top level, found {}",
                root.kind.describe()
            ),
            help: Some("start from `plan-lint init`, which writes a complete plan".into()),
            suggestion: None,
        });
        return None;
    };
    let root_place = Place {
        table: Some(root),
        ..Place::default()
    };
    let mut doc = Reader::new(report, table, arena, root_place, &PLAN_FILE);
    // Read only so that it is known (and a non-string is reported): editors use it.
    let _schema = doc.field("$schema", text);
    let plan = Plan {
        version: doc.field("version", |v| match v.kind {
            Kind::Integer(1) => Ok(1),
            Kind::Integer(n) => Err(format!(
                "unsupported format version {n}; this plan-lint reads version 1"
            )
            .into()),
            _ => Err(format!("expected the format version 1, found {}", v.kind.describe()).into()),
        }),
        plan: doc.section("plan", read_plan_info),
        people: doc.section("people", read_people),
        health: doc.section("health", read_health),
        review: doc.section("review", read_review),
        mechanisms: doc.entries("mechanisms", read_mechanism),
        raci: doc.entries("raci", read_raci),
        timeline: doc.section("timeline", read_timeline),
        milestones: doc.entries("milestones", read_milestone),
        backlog: doc.entries("backlog", read_backlog_item),
        resources: doc.entries("resources", read_resource),
        raid: doc.entries("raid", read_raid_entry),
        lint: doc.section("lint", |t| read_lint(t, root)),
        document: Some(root),
    };
    doc.finish();
    Some(plan)
}

fn read_plan_info<'a>(t: &mut Reader<'_, 'a>) -> PlanInfo<'a> {
    PlanInfo {
        id: t.field("id", plan_id),
        title: t.field("title", text),
        problem: t.field("problem", text),
        zone: t.field("zone", one_of::<Zone>),
        status: t.field("status", one_of::<PlanStatus>),
        design_plan: t.field("design_plan", text),
        location: t.field("location", text),
        place: t.finish(),
    }
}

fn read_people<'a>(t: &mut Reader<'_, 'a>) -> People<'a> {
    let arena = t.arena;
    // What a misspelt key (`problem_ownr = "sam"`) holds: the rules about people must not
    // report what only the misspelling caused.
    let mut under_unknown_keys = BumpVec::new_in(arena);
    for entry in t.unknown_entries() {
        let items = match &entry.value.kind {
            Kind::Array(items) => &items[..],
            _ => std::slice::from_ref(&entry.value),
        };
        under_unknown_keys.extend(items.iter().filter_map(|item| person(item, arena).ok()));
    }
    People {
        delivery_lead: t.field("delivery_lead", |v| person(v, arena)),
        problem_owner: t.field("problem_owner", |v| person(v, arena)),
        team: t.field("team", |v| names(v, arena)),
        stakeholders: t.field("stakeholders", |v| names(v, arena)),
        names_under_unknown_keys: under_unknown_keys.into_bump_slice(),
        place: t.finish(),
    }
}

fn read_health<'a>(t: &mut Reader<'_, 'a>) -> Health<'a> {
    let arena = t.arena;
    Health {
        rag: t.field("rag", one_of::<Rag>),
        as_of: t.field("as_of", date),
        note: t.field("note", text),
        actions: t.field("actions", |v| list(v, arena, entry_id)),
        place: t.finish(),
    }
}

fn read_review<'a>(t: &mut Reader<'_, 'a>) -> Review<'a> {
    let arena = t.arena;
    Review {
        cadence: t.field("cadence", duration),
        last: t.field("last", date),
        next: t.field("next", date),
        triggers: t.field("triggers", |v| list(v, arena, text)),
        place: t.finish(),
    }
}

fn read_mechanism<'a>(t: &mut Reader<'_, 'a>) -> Mechanism<'a> {
    let arena = t.arena;
    Mechanism {
        name: t.field("name", text),
        kind: t.field("kind", one_of::<MechanismKind>),
        cadence: t.field("cadence", duration),
        artefact: t.field("artefact", text),
        responsible: t.field("responsible", |v| names(v, arena)),
        accountable: t.field("accountable", |v| accountable(v, arena)),
        consulted: t.field("consulted", |v| names(v, arena)),
        informed: t.field("informed", |v| names(v, arena)),
        place: t.finish(),
    }
}

fn read_raci<'a>(t: &mut Reader<'_, 'a>) -> RaciEntry<'a> {
    let arena = t.arena;
    RaciEntry {
        activity: t.field("activity", text),
        responsible: t.field("responsible", |v| names(v, arena)),
        accountable: t.field("accountable", |v| accountable(v, arena)),
        consulted: t.field("consulted", |v| names(v, arena)),
        informed: t.field("informed", |v| names(v, arena)),
        place: t.finish(),
    }
}

fn read_timeline<'a>(t: &mut Reader<'_, 'a>) -> Timeline<'a> {
    Timeline {
        start: t.field("start", date),
        end: t.field("end", date),
        place: t.finish(),
    }
}

fn read_milestone<'a>(t: &mut Reader<'_, 'a>) -> Milestone<'a> {
    let arena = t.arena;
    Milestone {
        id: t.field("id", entry_id),
        title: t.field("title", text),
        due: t.field("due", date),
        status: t.field("status", one_of::<MilestoneStatus>),
        depends_on: t.field("depends_on", |v| list(v, arena, milestone_ref)),
        place: t.finish(),
    }
}

fn read_backlog_item<'a>(t: &mut Reader<'_, 'a>) -> BacklogItem<'a> {
    BacklogItem {
        id: t.field("id", entry_id),
        title: t.field("title", text),
        priority: t.field("priority", |v| match v.kind {
            Kind::Integer(n) if n >= 1 => Ok(n),
            Kind::Integer(n) => {
                Err(format!("priority is a rank from 1 (most important), found {n}").into())
            }
            _ => Err(format!(
                "expected a whole-number rank such as 1, found {}",
                v.kind.describe()
            )
            .into()),
        }),
        status: t.field("status", one_of::<BacklogStatus>),
        milestone: t.field("milestone", entry_id),
        place: t.finish(),
    }
}

fn read_resource<'a>(t: &mut Reader<'_, 'a>) -> Resource<'a> {
    let arena = t.arena;
    Resource {
        person: t.field("person", |v| person(v, arena)),
        role: t.field("role", text),
        allocation: t.field("allocation", allocation),
        from: t.field("from", date),
        until: t.field("until", date),
        place: t.finish(),
    }
}

fn read_raid_entry<'a>(t: &mut Reader<'_, 'a>) -> RaidEntry<'a> {
    let arena = t.arena;
    RaidEntry {
        id: t.field("id", entry_id),
        kind: t.field("type", one_of::<RaidType>),
        title: t.field("title", text),
        owner: t.field("owner", |v| person(v, arena)),
        status: t.field("status", one_of::<RaidStatus>),
        severity: t.field("severity", one_of::<Severity>),
        mitigation: t.field("mitigation", text),
        due: t.field("due", date),
        place: t.finish(),
    }
}

fn read_lint<'a>(t: &mut Reader<'_, 'a>, root: &'a Value<'a>) -> Lint<'a> {
    Lint {
        allow: t.entries("allow", |t| read_allow(t, root)),
        place: t.finish(),
    }
}

fn read_allow<'a>(t: &mut Reader<'_, 'a>, root: &'a Value<'a>) -> Allow<'a> {
    let arena = t.arena;
    Allow {
        rule: t.field("rule", text),
        at: t.field("at", |v| allow_target(v, root, arena)),
        reason: t.field("reason", text),
        until: t.field("until", date),
        place: t.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// Value converters: each returns the typed value or the reason the value is wrong.

type Converted<T> = Result<T, Invalid>;

/// Why a value was rejected, and how to put it right when that is known.
struct Invalid {
    message: String,
    help: Option<String>,
    /// The string that was probably meant (an enum value's closest name).
    meant: Option<String>,
}

impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Invalid {
            message,
            help: None,
            meant: None,
        }
    }
}

/// A string, as written (borrowed from the file's text, or the arena for escapes). A number,
/// boolean or date written where text belongs (`id: 1` in YAML, `title = 2026-01-01` in TOML)
/// is most often text left unquoted: the help says how to quote it.
fn text<'a>(value: &Value<'a>) -> Converted<&'a str> {
    string(value).map_err(|invalid| Invalid {
        help: written_scalar(&value.kind)
            .map(|written| format!("quote it to make it text: `\"{written}\"`")),
        ..invalid
    })
}

/// A string, with no advice when it is not one (an enum's value is not fixed by quoting it).
fn string<'a>(value: &Value<'a>) -> Converted<&'a str> {
    match &value.kind {
        Kind::String(s) => Ok(s),
        other => Err(format!("expected a string, found {}", other.describe()).into()),
    }
}

/// A scalar that is not a string, as text.
fn written_scalar(kind: &Kind) -> Option<String> {
    match kind {
        Kind::Integer(n) => Some(n.to_string()),
        Kind::Float(written) | Kind::Datetime(written) => Some((*written).to_owned()),
        Kind::Boolean(b) => Some(b.to_string()),
        Kind::Date(date) => Some(date.to_string()),
        Kind::String(_) | Kind::Null | Kind::Array(_) | Kind::Table(_) => None,
    }
}

fn is_blank(value: &Value) -> bool {
    matches!(&value.kind, Kind::String(s) if s.trim().is_empty())
}

/// `[a-z0-9][a-z0-9-]*`: a plan id is used in cross-plan references and file names.
fn plan_id<'a>(value: &Value<'a>) -> Converted<&'a str> {
    let id = text(value)?;
    if is_plan_id(id) {
        Ok(id)
    } else {
        Err(format!("plan id `{id}` must be lowercase letters, digits and `-`, starting with a letter or digit").into())
    }
}

fn is_plan_id(id: &str) -> bool {
    // Bytes, not characters: any byte of a non-ASCII character fails as that character would.
    id.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `[A-Za-z0-9][A-Za-z0-9._-]*`: entry ids appear in logical paths (`raid[R-3]`) and in
/// references such as `other-plan#M2`, so they hold no spaces, brackets or `#`.
fn entry_id<'a>(value: &Value<'a>) -> Converted<&'a str> {
    let id = text(value)?;
    if is_entry_id(id) {
        Ok(id)
    } else {
        Err(format!(
            "id `{id}` must be letters, digits, `.`, `_` and `-`, starting with a letter or digit"
        )
        .into())
    }
}

fn is_entry_id(id: &str) -> bool {
    id.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn milestone_ref<'a>(value: &Value<'a>) -> Converted<MilestoneRef<&'a str>> {
    let reference = text(value)?;
    match reference.split_once('#') {
        Some((plan, milestone)) if is_plan_id(plan) && is_entry_id(milestone) => Ok(MilestoneRef {
            plan: Some(plan),
            milestone,
        }),
        None if is_entry_id(reference) => Ok(MilestoneRef {
            plan: None,
            milestone: reference,
        }),
        _ => Err(format!(
            "`{reference}` is not a milestone id (`M2`) or another plan's milestone (`plan-id#M2`)"
        )
        .into()),
    }
}

/// Where a `lint.allow` entry applies, as the logical path of that place. A JSON pointer
/// (`/raid/2`) is resolved against the file; anything else is taken as a logical path
/// (`raid[R-3]`), which stays right when entries are reordered.
fn allow_target<'a>(
    value: &Value<'a>,
    root: &Value,
    arena: &'a Bump,
) -> Converted<AllowTarget<'a>> {
    let written = text(value)?;
    let path = if written.starts_with('/') {
        arena.alloc_str(&pointer_path(written, root, arena)?)
    } else {
        written
    };
    Ok(AllowTarget { written, path })
}

/// The logical path of the place a JSON pointer (RFC 6901) names. An item of a list of values
/// (`/health/actions/0`) is named by its list, as findings about it are.
fn pointer_path(pointer: &str, root: &Value, arena: &Bump) -> Converted<String> {
    let not_found = |why: &str| -> Invalid {
        format!("`{pointer}` points at nothing in this plan: {why}").into()
    };
    let mut value = root;
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        // RFC 6901: `~` is only ever `~0` or `~1`.
        let mut rest = segment;
        while let Some(at) = rest.find('~') {
            if !matches!(rest.as_bytes().get(at + 1), Some(b'0' | b'1')) {
                return Err(format!("`{pointer}` is not a JSON pointer: `~` must be written `~0`, and `/` inside a key `~1`").into());
            }
            rest = &rest[at + 2..];
        }
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match &value.kind {
            Kind::Table(table) => {
                let entry = table
                    .entries
                    .iter()
                    .find(|e| e.key == segment)
                    .ok_or_else(|| not_found(&format!("there is no key `{segment}`")))?;
                path = if path.is_empty() {
                    segment
                } else {
                    format!("{path}.{segment}")
                };
                value = &entry.value;
            }
            Kind::Array(items) => {
                // RFC 6901: an index is `0` or digits without a leading zero; no sign, no `-`.
                let item = Some(&segment)
                    .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .filter(|s| *s == "0" || !s.starts_with('0'))
                    .and_then(|s| s.parse::<usize>().ok())
                    .and_then(|index| Some((index, items.get(index)?)))
                    .ok_or_else(|| {
                        not_found(&format!(
                            "`{segment}` is not an index of a list of {}",
                            items.len()
                        ))
                    })?;
                if let (
                    index,
                    Value {
                        kind: Kind::Table(table),
                        ..
                    },
                ) = item
                {
                    path = entry_path(arena, &path, index, table).to_owned();
                }
                value = item.1;
            }
            _ => {
                return Err(not_found(&format!(
                    "{} has no parts",
                    value.kind.describe()
                )));
            }
        }
    }
    Ok(path)
}

fn one_of<T: Choice>(value: &Value) -> Converted<T> {
    let choices = T::CHOICES;
    let found = string(value)?;
    if let Some((_, t)) = choices.iter().find(|(name, _)| *name == found) {
        return Ok(*t);
    }
    let names: Vec<String> = choices
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    let close = did_you_mean(found, choices.iter().map(|(name, _)| *name));
    Err(Invalid {
        message: format!("expected one of {}, found \"{found}\"", names.join(", ")),
        help: close.map(|close| format!("did you mean \"{close}\"?")),
        meant: close.map(str::to_owned),
    })
}

fn date(value: &Value) -> Converted<Date> {
    match &value.kind {
        Kind::Date(d) => Ok(*d),
        Kind::String(s) => parse_date(s)
            .ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD").into()),
        Kind::Datetime(s) => {
            Err(format!("expected a date (YYYY-MM-DD), found the date-time `{s}`").into())
        }
        other => Err(format!("expected a date (YYYY-MM-DD), found {}", other.describe()).into()),
    }
}

/// Strictly `YYYY-MM-DD` and a real calendar day.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let bytes = s.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    Date::new(
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    )
    .ok()
}

fn duration(value: &Value) -> Converted<Duration> {
    let s = text(value)?;
    let span: jiff::Span = s.parse().map_err(|_| -> Invalid {
        format!(
            "`{s}` is not a duration; write it like \"2 weeks\", \"14d\", \"1 month\" or \"P2W\""
        )
        .into()
    })?;
    let calendar_only = span.get_hours() == 0
        && span.get_minutes() == 0
        && span.get_seconds() == 0
        && span.get_milliseconds() == 0
        && span.get_microseconds() == 0
        && span.get_nanoseconds() == 0;
    if !calendar_only {
        return Err(format!(
            "`{s}` is shorter than a day; plans count in days, weeks, months or years"
        )
        .into());
    }
    if span.signum() <= 0 {
        return Err(format!("`{s}` is not a positive length of time").into());
    }
    Ok(Duration(span))
}

/// A share of full time, exactly: a count of 1/10,000 of full time (0.01%), read from the
/// number as written, never through floating point, so that sums never round a true
/// over-allocation away. A finer value is invalid, not rounded.
fn allocation(value: &Value) -> Converted<Share> {
    let (written, scale) = match &value.kind {
        Kind::Float(written) => (*written, 0),
        Kind::Integer(n) => {
            return match n {
                1 => Ok(Share::FULL),
                _ => Err(outside((*n).to_string())),
            };
        }
        Kind::String(s) => match s.trim().strip_suffix('%').map(str::trim) {
            // A percentage is a share in hundredths, written in plain digits (`50%`, `12.5%`):
            // exactly what the JSON Schema's pattern accepts.
            Some(percent) if is_plain_decimal(percent) => (percent, 2),
            _ => return Err(format!("`{s}` is not an allocation; write a share such as 0.5 or a percentage such as \"50%\"").into()),
        },
        other => return Err(format!("expected a share of full time such as 0.5, found {}", other.describe()).into()),
    };
    let shown = if scale == 2 {
        format!("{written}%")
    } else {
        written.to_owned()
    };
    match exact_share(written, scale) {
        Some(Ok(units)) if units > 0 && units <= Share::FULL.0 => Ok(Share(units)),
        Some(Ok(_)) | None if is_decimal(written) => Err(outside(shown)),
        Some(Err(Finer)) => Err(Invalid {
            message: format!(
                "allocation {shown} is finer than 0.01% of full time, the finest share a plan records"
            ),
            help: Some("round it to at most four decimal places (0.0001), or two in a percentage".into()),
            meant: None,
        }),
        _ => Err(format!("`{shown}` is not an allocation; write a share such as 0.5 or a percentage such as \"50%\"").into()),
    }
}

fn outside(shown: String) -> Invalid {
    format!("allocation {shown} is outside (0, 1]: a share of one person's full time").into()
}

/// Digits, optionally with a point and more digits: `12.5`, not `+12.5`, `1e1` or `.5`.
fn is_plain_decimal(written: &str) -> bool {
    let (whole, fraction) = written.split_once('.').unwrap_or((written, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A decimal number as plans write it: digits with at most one point, an optional sign and
/// exponent.
fn is_decimal(written: &str) -> bool {
    exact_decimal(written).is_some()
}

struct Finer;

/// `written` (a decimal, `scale` = 2 for a percentage) as a count of 1/10,000: `None` when it
/// is not a decimal number or is negative or far beyond 1; `Some(Err(Finer))` when it is not a
/// whole count.
fn exact_share(written: &str, scale: i64) -> Option<Result<u32, Finer>> {
    let (negative, digits, exponent) = exact_decimal(written)?;
    if negative && digits.bytes().any(|d| d != b'0') {
        return None;
    }
    // value = digits × 10^exponent; units = value × 10^(4 - scale).
    let shift = exponent.checked_add(4 - scale)?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(Ok(0));
    }
    if shift >= 0 {
        // Anything with more than six digits is beyond full time (10,000) anyway.
        if digits.len() as i64 + shift > 6 {
            return Some(Ok(u32::MAX));
        }
        let mut units: u32 = digits.parse().ok()?;
        for _ in 0..shift {
            units *= 10;
        }
        Some(Ok(units))
    } else {
        let cut = usize::try_from(-shift).ok()?;
        if cut >= digits.len() {
            return Some(Err(Finer));
        }
        let (whole, rest) = digits.split_at(digits.len() - cut);
        if rest.bytes().any(|d| d != b'0') {
            return Some(Err(Finer));
        }
        if whole.len() > 6 {
            return Some(Ok(u32::MAX));
        }
        whole.parse().ok().map(Ok)
    }
}

/// A decimal number split exactly: its sign, its digits (without the point) and the power of
/// ten they are multiplied by. `None` for anything else (`inf`, `nan`, hex, two points).
fn exact_decimal(written: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match written.as_bytes().first()? {
        b'-' => (true, &written[1..]),
        b'+' => (false, &written[1..]),
        _ => (false, written),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    if exponent.abs() > 1_000 {
        return None;
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    Some((negative, digits, exponent - fraction.len() as i64))
}

/// A person's name, as rules compare it: in Unicode normalisation form C, so that `José`
/// typed on two keyboards is one person. Spaces at either end and control characters are
/// invalid: `"carol "` would otherwise be someone else than `"carol"`.
fn person<'a>(value: &Value<'a>, arena: &'a Bump) -> Converted<&'a str> {
    let name = text(value)?;
    if name.trim() != name {
        return Err(Invalid {
            message: format!("the name `{name}` has spaces at its start or end"),
            help: Some(format!("write `{}`", name.trim())),
            meant: None,
        });
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "the name `{}` holds a control character",
            name.escape_default()
        )
        .into());
    }
    if unicode_normalization::is_nfc(name) {
        Ok(name)
    } else {
        use unicode_normalization::UnicodeNormalization;
        Ok(arena.alloc_str(&name.nfc().collect::<String>()))
    }
}

fn accountable<'a>(value: &Value<'a>, arena: &'a Bump) -> Converted<Accountable<'a>> {
    match &value.kind {
        Kind::String(_) => person(value, arena).map(Accountable::One),
        Kind::Array(_) => names(value, arena).map(Accountable::Many),
        other => Err(format!("expected one person's name, found {}", other.describe()).into()),
    }
}

fn names<'a>(value: &Value<'a>, arena: &'a Bump) -> Converted<Names<'a>> {
    list(value, arena, |item| match text(item)? {
        name if name.trim().is_empty() => Err("a name is empty".to_owned().into()),
        _ => person(item, arena),
    })
}

/// An array whose items all convert; the first bad item is the error.
fn list<'a, T>(
    value: &Value<'a>,
    arena: &'a Bump,
    item: impl Fn(&Value<'a>) -> Converted<T>,
) -> Converted<&'a [Spanned<T>]> {
    let Kind::Array(items) = value.kind else {
        return Err(format!("expected an array, found {}", value.kind.describe()).into());
    };
    let mut list = BumpVec::with_capacity_in(items.len(), arena);
    for value in items {
        list.push(Spanned::new(item(value)?, value.span));
    }
    Ok(list.into_bump_slice())
}

// ---------------------------------------------------------------------------------------------
// Reading tables.

/// The most keys a table of the format declares (checked by a test).
const MAX_KEYS: usize = 16;

/// Reads the keys of one table as its [`TableSpec`] declares them, and reports, when
/// finished, the keys the spec does not declare.
///
/// The table's entries are matched to the spec's keys once, when the reader is made; keys
/// are then read in the spec's order, so finding a key's place is one comparison. (Matching
/// every key read against every entry, and every entry against every key at the end, was a
/// tenth of the time spent on a plan.)
struct Reader<'r, 'a> {
    report: &'r mut SchemaReport,
    table: &'a Table<'a>,
    /// Where the typed plan's lists and paths are kept.
    arena: &'a Bump,
    place: Place<'a>,
    spec: &'static TableSpec,
    /// For each key the spec declares, in its order, the table's entry for it.
    entries: [Option<&'a Entry<'a>>; MAX_KEYS],
    /// Whether the table has keys the spec does not declare.
    has_unknown: bool,
    /// Where in the spec to look first for the next key read.
    next_key: usize,
}

impl<'r, 'a> Reader<'r, 'a> {
    fn new(
        report: &'r mut SchemaReport,
        table: &'a Table<'a>,
        arena: &'a Bump,
        place: Place<'a>,
        spec: &'static TableSpec,
    ) -> Self {
        debug_assert!(spec.fields.len() <= MAX_KEYS);
        let mut entries = [None; MAX_KEYS];
        let mut has_unknown = false;
        for entry in table.entries {
            match spec
                .fields
                .iter()
                .position(|field| same_key(field.key, entry.key))
            {
                Some(index) if index < MAX_KEYS => {
                    entries[index].get_or_insert(entry);
                }
                _ => has_unknown = true,
            }
        }
        Reader {
            report,
            table,
            arena,
            place,
            spec,
            entries,
            has_unknown,
            next_key: 0,
        }
    }

    /// The declaration of a key this reader reads, and the table's entry for it. Reading an
    /// undeclared key is a bug in this crate (the published schema would not show it), caught
    /// by every test that reads it.
    fn lookup(&mut self, key: &str) -> (Option<&'static FieldSpec>, Option<&'a Entry<'a>>) {
        let fields = self.spec.fields;
        let index = match fields.get(self.next_key) {
            Some(field) if same_key(field.key, key) => Some(self.next_key),
            _ => fields.iter().position(|field| field.key == key),
        };
        debug_assert!(
            index.is_some(),
            "`{key}` is read but not declared in format.rs"
        );
        let Some(index) = index else {
            return (None, None);
        };
        self.next_key = index + 1;
        (
            Some(&fields[index]),
            self.entries.get(index).copied().flatten(),
        )
    }

    /// A key, converted. A value that fails conversion is reported as `invalid-value`,
    /// pointing at the value, and read as [`Field::Invalid`]; a required key that is absent
    /// or blank is reported as `missing-field`.
    fn field<T>(
        &mut self,
        key: &str,
        convert: impl FnOnce(&'a Value<'a>) -> Converted<T>,
    ) -> Field<T> {
        let (spec, entry) = self.lookup(key);
        let required = spec.is_some_and(|spec| spec.required);
        let field = self.convert(key, entry, convert);
        if required && field.is_missing() {
            let what = if self.place.path.is_empty() {
                "the plan".to_owned()
            } else {
                format!("`{}`", self.place.path)
            };
            let (span, message) = match field.span() {
                Some(span) => (span, format!("`{key}` in {what} is empty")),
                None => (self.place.anchor, format!("{what} has no `{key}`")),
            };
            let help = format!("`{key}` is required here; add `{key} = …`");
            self.report(
                SchemaProblem::MissingField,
                span,
                self.place.child(key),
                message,
                Some(help),
            );
        }
        field
    }

    fn convert<T>(
        &mut self,
        key: &str,
        entry: Option<&'a Entry<'a>>,
        convert: impl FnOnce(&'a Value<'a>) -> Converted<T>,
    ) -> Field<T> {
        let Some(entry) = entry else {
            return Field::Absent;
        };
        let span = entry.key_span.to(entry.value.span);
        if is_blank(&entry.value) {
            return Field::Blank { span };
        }
        match convert(&entry.value) {
            Ok(value) => Field::Valid(Spanned::new(value, span)),
            Err(Invalid {
                message,
                help,
                meant,
            }) => {
                let message = format!("invalid `{key}`: {message}");
                self.report(
                    SchemaProblem::InvalidValue,
                    entry.value.span,
                    self.place.child(key),
                    message,
                    help,
                );
                if let (Some(meant), Some(last)) = (meant, self.report.findings.last_mut()) {
                    last.suggestion = Some(Suggestion::ReplaceWithString {
                        span: entry.value.span,
                        value: meant,
                    });
                }
                Field::Invalid { span }
            }
        }
    }

    /// A table-valued key (`[people]`).
    fn section<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&mut Reader<'_, 'a>) -> T,
    ) -> Field<T> {
        let (Some(field), entry) = self.lookup(key) else {
            return Field::Absent;
        };
        let Shape::Table(spec) = &field.shape else {
            return Field::Absent;
        };
        let Some(entry) = entry else {
            if field.required {
                self.missing_table(key, spec);
            }
            return Field::Absent;
        };
        let span = entry.key_span.to(entry.value.span);
        let Kind::Table(table) = &entry.value.kind else {
            let message = format!(
                "`{key}` must be a table, found {}",
                entry.value.kind.describe()
            );
            self.report(
                SchemaProblem::InvalidValue,
                entry.value.span,
                self.place.child(key),
                message,
                None,
            );
            return Field::Invalid { span };
        };
        let anchor = if table.header {
            entry.value.span
        } else {
            entry.key_span
        };
        let place = Place {
            anchor,
            path: self.child_path(key),
            table: Some(&entry.value),
        };
        let value = read(&mut Reader::new(
            self.report,
            table,
            self.arena,
            place,
            spec,
        ));
        Field::Valid(Spanned::new(value, anchor))
    }

    /// A required table is absent: one finding for it, not one per key it should hold.
    fn missing_table(&mut self, key: &str, spec: &TableSpec) {
        let keys: Vec<String> = spec
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| format!("`{} = \"…\"`", field.key))
            .collect();
        let message = if keys.is_empty() {
            format!("the plan has no `[{key}]` table")
        } else {
            format!(
                "the plan has no `[{key}]` table with its {}",
                spec.fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| format!("`{}`", field.key))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        self.report(
            SchemaProblem::MissingField,
            self.place.anchor,
            self.place.child(key),
            message,
            Some(format!("add `[{key}]` with {}", keys.join(" and "))),
        );
    }

    /// An array of tables (`[[raid]]`). Each entry's logical path uses its `id` when it has
    /// a valid one (`raid[R-3]`), else its 0-based index (`raci[2]`).
    fn entries<T>(
        &mut self,
        key: &'static str,
        read: impl Fn(&mut Reader<'_, 'a>) -> T,
    ) -> Field<&'a [T]> {
        let (
            Some(FieldSpec {
                shape: Shape::Entries(spec),
                ..
            }),
            entry,
        ) = self.lookup(key)
        else {
            return Field::Absent;
        };
        let Some(entry) = entry else {
            return Field::Absent;
        };
        let span = entry.key_span.to(entry.value.span);
        let Kind::Array(items) = &entry.value.kind else {
            let message = format!(
                "`{key}` must be an array of tables, found {}",
                entry.value.kind.describe()
            );
            self.report(
                SchemaProblem::InvalidValue,
                entry.value.span,
                self.place.child(key),
                message,
                None,
            );
            return Field::Invalid { span };
        };
        let key_path = self.child_path(key);
        let mut read_items = BumpVec::with_capacity_in(items.len(), self.arena);
        for (index, item) in items.iter().enumerate() {
            let Kind::Table(table) = &item.kind else {
                let message = format!(
                    "each `{key}` entry must be a table, found {}",
                    item.kind.describe()
                );
                self.report(
                    SchemaProblem::InvalidValue,
                    item.span,
                    format!("{key_path}[{index}]"),
                    message,
                    None,
                );
                continue;
            };
            let place = Place {
                anchor: item.anchor(),
                path: entry_path(self.arena, key_path, index, table),
                table: Some(item),
            };
            read_items.push(read(&mut Reader::new(
                self.report,
                table,
                self.arena,
                place,
                spec,
            )));
        }
        Field::Valid(Spanned::new(read_items.into_bump_slice(), span))
    }

    fn report(
        &mut self,
        problem: SchemaProblem,
        span: Span,
        path: String,
        message: String,
        help: Option<String>,
    ) {
        self.report.findings.push(SchemaFinding {
            problem,
            span,
            path,
            message,
            help,
            suggestion: None,
        });
    }

    /// Report every key of the table that its spec does not declare, and hand over the
    /// table's place: the last thing a table's reader does, written as the `place` field
    /// that ends each struct it builds, so the place moves instead of being copied.
    fn finish(&mut self) -> Place<'a> {
        if self.has_unknown {
            self.report_unknown_keys();
        }
        std::mem::take(&mut self.place)
    }

    /// The logical path of a table-valued key of this table, kept in the arena.
    fn child_path(&self, key: &'static str) -> &'a str {
        if self.place.path.is_empty() {
            key
        } else {
            concat_in(self.arena, &[self.place.path, ".", key])
        }
    }

    /// The table's entries whose keys its spec does not declare.
    fn unknown_entries(&self) -> impl Iterator<Item = &'a Entry<'a>> + use<'a, '_> {
        let spec = self.spec;
        let table: &'a Table<'a> = self.table;
        table.entries.iter().filter(move |entry| {
            self.has_unknown && !spec.keys().any(|key| same_key(key, entry.key))
        })
    }

    fn report_unknown_keys(&mut self) {
        let known: Vec<&'static str> = self.spec.keys().collect();
        let unknown: Vec<&'a Entry<'a>> = self.unknown_entries().collect();
        // The declared keys the table holds with a value that is not blank, found once: asked
        // of every entry for every unknown key, a table of 100,000 misspellings took 7 s.
        let mut filled = [false; MAX_KEYS];
        for entry in self.table.entries {
            let index = known.iter().position(|key| same_key(key, entry.key));
            if let Some(filled) = index.and_then(|index| filled.get_mut(index)) {
                *filled |= !is_blank(&entry.value);
            }
        }
        // Two misspellings of one key (`titel`, `tilte`): renaming both would repeat it.
        let mut renamed_to: Vec<&str> = Vec::new();
        // What every finding of the table says, written once.
        let what = if self.place.path.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", self.place.path)
        };
        let mut keys_allowed: Option<String> = None;
        let mut suggestions: Option<Suggestions<'static>> = None;
        for entry in unknown {
            let (close, first) = match self.report.unknown_keys.get(&entry.key_span) {
                Some(&close) => (close, false),
                None => {
                    let close = suggestions
                        .get_or_insert_with(|| Suggestions::new(known.iter().copied()))
                        .closest(entry.key);
                    self.report.unknown_keys.insert(entry.key_span, close);
                    (close, true)
                }
            };
            // The key it is close to, when the table lacks that key (or holds it blank, as a
            // Markdown row's empty cell does): what other rules would say about its absence is
            // this finding's to say.
            let misspells = close.filter(|close| {
                !known
                    .iter()
                    .zip(filled)
                    .any(|(key, filled)| filled && key == close)
            });
            if let Some(misspelt) = misspells {
                self.report.misspelt.push(self.place.child(misspelt));
            }
            if !first {
                continue;
            }
            let message = format!("unknown key `{}` {what}", entry.key);
            let help = match close {
                Some(_) => key_help(close, &known),
                None => keys_allowed
                    .get_or_insert_with(|| key_help(None, &known))
                    .clone(),
            };
            self.report(
                SchemaProblem::UnknownField,
                entry.key_span,
                self.place.child(entry.key),
                message,
                Some(help),
            );
            // Renamed, the key is the one its table lacks.
            // A key written in `[headers]` may be written in several: not renamed.
            let in_headers = match &entry.value.kind {
                Kind::Table(table) => table.header,
                Kind::Array(items) => items
                    .iter()
                    .any(|item| matches!(&item.kind, Kind::Table(t) if t.header)),
                _ => false,
            };
            let target = misspells.filter(|close| !in_headers && !renamed_to.contains(close));
            if let (Some(close), Some(last)) = (target, self.report.findings.last_mut()) {
                renamed_to.push(close);
                last.suggestion = Some(Suggestion::RenameKey {
                    span: entry.key_span,
                    key: close.to_owned(),
                });
            }
        }
    }
}

/// The logical path of an entry of an array of tables (`key_path` is the array's): `raid[R-3]`
/// by its `id` when it has a valid one, else `raci[2]` by its 0-based index.
fn entry_path<'a>(arena: &'a Bump, key_path: &str, index: usize, table: &Table) -> &'a str {
    let id = table
        .entries
        .iter()
        .find(|e| e.key == "id")
        .and_then(|e| match &e.value.kind {
            Kind::String(id) if is_entry_id(id) => Some(*id),
            _ => None,
        });
    match id {
        Some(id) => concat_in(arena, &[key_path, "[", id, "]"]),
        None => concat_in(
            arena,
            &[key_path, "[", itoa::Buffer::new().format(index), "]"],
        ),
    }
}

/// `parts` joined, in the arena: one allocation of the exact size.
fn concat_in<'a>(arena: &'a Bump, parts: &[&str]) -> &'a str {
    let length = parts.iter().map(|part| part.len()).sum();
    let mut joined = bumpalo::collections::String::with_capacity_in(length, arena);
    for part in parts {
        joined.push_str(part);
    }
    joined.into_bump_str()
}

/// The help for a key that is not one of `known`: the closest known key, else all of them.
pub fn unknown_key_help(key: &str, known: &[&str]) -> String {
    key_help(did_you_mean(key, known.iter().copied()), known)
}

/// The help for an unknown key, given the known key closest to it (if any is close).
fn key_help(close: Option<&str>, known: &[&str]) -> String {
    match close {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "the keys allowed here are {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The known name closest to `found`, when it is close enough to be a slip of the keyboard or
/// a different spelling convention (`deliveryLead` for `delivery_lead`). To ask of the same
/// names many times, make them [`Suggestions`] once.
pub fn did_you_mean<'k>(found: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    if found.chars().count() > MAX_SUGGESTED_LEN {
        return None;
    }
    Suggestions::new(known).closest(found)
}

/// Known names made ready for many "did you mean" questions: each compared in its normal form
/// (lower case, without `_`, `-` and spaces), worked out once. Asked for every unknown name of
/// a plan, normalising every known name again made 100,000 unknown people cost 2 s.
#[derive(Debug, Clone, Default)]
pub struct Suggestions<'k> {
    /// Each name and its normal form (`None` when it is too long to be close to any name
    /// suggested for); empty when there are too many names to suggest among.
    known: Vec<(&'k str, Option<Vec<char>>)>,
}

impl<'k> Suggestions<'k> {
    pub fn new(known: impl IntoIterator<Item = &'k str>) -> Self {
        // Suggestions are for short names and keys among a few candidates; beyond that they
        // cost more than they help and say nothing readable.
        let mut names = Vec::new();
        for (index, name) in known.into_iter().enumerate() {
            if index == MAX_SUGGESTION_CANDIDATES {
                return Suggestions::default();
            }
            // Within two edits of a name suggested for, or never close.
            names.push((name, normal_form(name, LONGEST_NORMAL_FORM + 2)));
        }
        Suggestions { known: names }
    }

    /// The known name closest to `found`, if one is close enough.
    pub fn closest(&self, found: &str) -> Option<&'k str> {
        if self.known.is_empty() || found.chars().count() > MAX_SUGGESTED_LEN {
            return None;
        }
        let found_n = normal_form(found, LONGEST_NORMAL_FORM)?;
        let mut best: Option<(usize, &'k str)> = None;
        let mut rows = Vec::new();
        for &(candidate, ref candidate_n) in &self.known {
            let Some(distance) = candidate_n
                .as_deref()
                .and_then(|candidate_n| distance_within_two(&found_n, candidate_n, &mut rows))
            else {
                continue;
            };
            if distance * 3 <= candidate.len().max(found.len())
                && best.is_none_or(|(best, _)| distance < best)
            {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }
}

/// How names are compared: lower case, without `_`, `-` and spaces; `None` when that is longer
/// than `limit` (never close to a name that is suggested for).
fn normal_form(name: &str, limit: usize) -> Option<Vec<char>> {
    let mut normal = Vec::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if !matches!(c, '_' | '-' | ' ') {
            if normal.len() == limit {
                return None;
            }
            normal.push(c);
        }
    }
    Some(normal)
}

/// The longest normal form of a name that is suggested for: a character lowers to at most
/// three.
const LONGEST_NORMAL_FORM: usize = 3 * MAX_SUGGESTED_LEN;

/// Names longer than this get no suggestion.
const MAX_SUGGESTED_LEN: usize = 64;
/// With more candidates than this, no suggestion is made.
pub const MAX_SUGGESTION_CANDIDATES: usize = 100;

/// The optimal-string-alignment distance (edits, with adjacent transpositions) between `a` and
/// `b` when it is at most 2, else `None`; only the band of width 5 around the diagonal is
/// computed, so a comparison costs O(length).
/// Its three rows are kept in `rows`, reused from one comparison to the next: a "did you mean"
/// compares with every known name.
fn distance_within_two(a: &[char], b: &[char], rows: &mut Vec<usize>) -> Option<usize> {
    const K: usize = 2;
    if a.len().abs_diff(b.len()) > K {
        return None;
    }
    let big = usize::MAX / 2;
    let width = b.len() + 1;
    // Three rows of the full table, one after another, with cells outside the band left at
    // `big`.
    rows.clear();
    rows.resize(3 * width, big);
    let row = |i: usize| (i % 3) * width;
    for (j, cell) in rows[..width].iter_mut().enumerate().take(K + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (current, previous, before) = (row(i), row(i + 2), row(i + 1));
        rows[current..current + width].fill(big);
        let from = i.saturating_sub(K).max(1);
        let to = (i + K).min(b.len());
        if i <= K {
            rows[current] = i;
        }
        let mut row_min = rows[current];
        for j in from..=to {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[previous + j] + 1)
                .min(rows[current + j - 1] + 1)
                .min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[before + j - 2] + 1);
            }
            rows[current + j] = d;
            row_min = row_min.min(d);
        }
        if row_min > K {
            return None;
        }
    }
    let d = rows[row(a.len()) + b.len()];
    (d <= K).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(kind: Kind) -> Result<u32, String> {
        allocation(&Value {
            span: Span::new(0, 0),
            kind,
        })
        .map(|share| share.0)
        .map_err(|invalid| invalid.message)
    }

    #[test]
    fn a_scalar_where_text_belongs_is_told_to_be_quoted_as_written() {
        let help = |kind: Kind| {
            let value = Value {
                span: Span::new(0, 0),
                kind,
            };
            text(&value)
                .map(str::to_owned)
                .map_err(|invalid| invalid.help)
        };
        let quote = |written: &str| Err(Some(format!("quote it to make it text: `\"{written}\"`")));
        assert_eq!(help(Kind::Integer(1)), quote("1"));
        assert_eq!(help(Kind::Float("12.50")), quote("12.50"));
        assert_eq!(help(Kind::Boolean(false)), quote("false"));
        assert_eq!(
            help(Kind::Date(Date::new(2026, 1, 2).unwrap())),
            quote("2026-01-02")
        );
        assert_eq!(
            help(Kind::Datetime("1979-05-27T07:32:00Z")),
            quote("1979-05-27T07:32:00Z")
        );
        assert_eq!(help(Kind::Null), Err(None));
        assert_eq!(help(Kind::String("kept")), Ok("kept".to_owned()));
        // Quoting does not make a number a valid choice: no such advice for an enum's value.
        let choice = one_of::<RaidType>(&Value {
            span: Span::new(0, 0),
            kind: Kind::Integer(1),
        });
        assert!(choice.is_err_and(|invalid| invalid.help.is_none()));
    }

    #[test]
    fn names_are_compared_in_nfc_and_never_padded() {
        let arena = Bump::new();
        let read = |s: &'static str| {
            person(
                &Value {
                    span: Span::new(0, 0),
                    kind: Kind::String(s),
                },
                &arena,
            )
            .map(str::to_owned)
            .map_err(|invalid| invalid.message)
        };
        assert_eq!(read("Jose\u{301}"), Ok("Jos\u{e9}".to_owned()));
        assert_eq!(read("Jos\u{e9}"), Ok("Jos\u{e9}".to_owned()));
        assert!(
            read("carol ")
                .unwrap_err()
                .contains("spaces at its start or end")
        );
        assert!(read(" carol").is_err());
        assert!(
            read("car\u{1b}ol")
                .unwrap_err()
                .contains("control character")
        );
    }

    #[test]
    fn allocations_are_read_exactly() {
        for (written, units) in [
            ("0.5", 5_000),
            ("0.3", 3_000),
            ("0.2", 2_000),
            ("1.0", 10_000),
            ("0.0001", 1),
            ("0.50005e1", 0),
            ("5e-1", 5_000),
            ("0.12340", 1_234),
            ("+0.25", 2_500),
            ("1e0", 10_000),
            (".5", 5_000),
        ] {
            if units == 0 {
                assert!(share(Kind::Float(written)).is_err(), "{written}");
            } else {
                assert_eq!(share(Kind::Float(written)), Ok(units), "{written}");
            }
        }
        for (percent, units) in [
            ("50%", 5_000),
            ("12.5%", 1_250),
            ("0.01%", 1),
            ("100%", 10_000),
        ] {
            assert_eq!(share(Kind::String(percent)), Ok(units), "{percent}");
        }
        assert_eq!(share(Kind::Integer(1)), Ok(10_000));
        for finer in ["0.00004", "0.50005", "0.33333"] {
            let message = share(Kind::Float(finer)).unwrap_err();
            assert!(message.contains("finer than 0.01%"), "{finer}: {message}");
        }
        assert!(
            share(Kind::String("50.005%"))
                .unwrap_err()
                .contains("finer")
        );
        for outside in ["1.0001", "0.0", "-0.5", "2", "1e400", "-0"] {
            let message = share(Kind::Float(outside)).unwrap_err();
            assert!(message.contains("outside (0, 1]"), "{outside}: {message}");
        }
        for nonsense in ["inf", "nan", "0x1p-2", "1.2.3"] {
            let message = share(Kind::Float(nonsense)).unwrap_err();
            assert!(
                message.contains("is not an allocation"),
                "{nonsense}: {message}"
            );
        }
        assert!(share(Kind::Integer(0)).unwrap_err().contains("outside"));
    }

    #[test]
    fn the_banded_distance_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "mitigation",
            "mitgation",
            "mitigaton",
            "imtigation",
            "owner",
            "ownr",
            "onwer",
            "due",
            "deu",
            "id",
            "title",
            "tilte",
            "xyz",
            "mitigations",
        ];
        for a in words {
            for b in words {
                let chars = |s: &str| s.chars().collect::<Vec<_>>();
                let expected = strsim::osa_distance(a, b);
                let expected = (expected <= 2).then_some(expected);
                assert_eq!(
                    distance_within_two(&chars(a), &chars(b), &mut Vec::new()),
                    expected,
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn suggestions_are_bounded() {
        let many: Vec<String> = (0..=MAX_SUGGESTION_CANDIDATES)
            .map(|i| format!("m{i}"))
            .collect();
        assert_eq!(did_you_mean("m1x", many.iter().map(String::as_str)), None);
        assert_eq!(
            did_you_mean("m1x", many.iter().take(10).map(String::as_str)),
            Some("m1")
        );
        assert_eq!(did_you_mean(&"x".repeat(65), ["x"]), None);
    }

    /// "Did you mean" as its definition says, from an independent distance (strsim's).
    fn closest_by_definition<'k>(found: &str, known: &[&'k str]) -> Option<&'k str> {
        if found.chars().count() > MAX_SUGGESTED_LEN || known.len() > MAX_SUGGESTION_CANDIDATES {
            return None;
        }
        let normal = |s: &str| -> String {
            s.to_lowercase()
                .chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .collect()
        };
        let mut best: Option<(usize, &str)> = None;
        for &candidate in known {
            let distance = strsim::osa_distance(&normal(found), &normal(candidate));
            if distance <= 2
                && distance * 3 <= candidate.len().max(found.len())
                && best.is_none_or(|(best, _)| distance < best)
            {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }

    proptest::proptest! {
        #[test]
        fn suggestions_made_once_answer_as_the_definition_says(
            known in proptest::collection::vec("[a-dA-D_ -]{0,9}", 0..12),
            found in proptest::collection::vec("[a-dA-D_ -]{0,9}", 1..8),
        ) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let suggestions = Suggestions::new(known.iter().copied());
            for found in &found {
                proptest::prop_assert_eq!(
                    suggestions.closest(found),
                    closest_by_definition(found, &known)
                );
                proptest::prop_assert_eq!(
                    did_you_mean(found, known.iter().copied()),
                    closest_by_definition(found, &known)
                );
            }
        }
    }

    #[test]
    fn long_names_are_compared_by_their_normal_form() {
        // Separators do not count: a long name may be close.
        let spaced = format!("ti{}tle", "_".repeat(500));
        assert_eq!(
            did_you_mean("titel", [spaced.as_str()]),
            Some(spaced.as_str())
        );
        // A name whose normal form is longer than any suggested for is never close.
        let long = "t".repeat(3 * MAX_SUGGESTED_LEN + 3);
        assert_eq!(
            did_you_mean(&"t".repeat(MAX_SUGGESTED_LEN), [long.as_str()]),
            None
        );
        assert_eq!(
            closest_by_definition(&"t".repeat(MAX_SUGGESTED_LEN), &[&long]),
            None
        );
        // A name of 64 characters lowers to up to 192 (`İ` to two): still compared.
        let capitals = "İ".repeat(MAX_SUGGESTED_LEN);
        let lowered = capitals.to_lowercase();
        assert_eq!(
            did_you_mean(&capitals, [lowered.as_str()]),
            Some(lowered.as_str())
        );
    }

    #[test]
    fn suggestions_catch_typos_and_other_spellings() {
        let keys = ["id", "type", "title", "owner", "mitigation", "due"];
        assert_eq!(did_you_mean("mitgation", keys), Some("mitigation"));
        assert_eq!(did_you_mean("Mitigation", keys), Some("mitigation"));
        assert_eq!(
            did_you_mean("delivery-lead", ["delivery_lead"]),
            Some("delivery_lead")
        );
        assert_eq!(
            did_you_mean("deliveryLead", ["delivery_lead"]),
            Some("delivery_lead")
        );
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("x", keys), None);
    }

    fn pointer(pointer: &str, text: &str) -> Result<String, String> {
        let arena = crate::value::Arena::new();
        let root = crate::toml::parse(text, &arena).map_err(|e| e.message)?;
        pointer_path(pointer, &root, &arena.0).map_err(|e| e.message)
    }

    #[test]
    fn pointers_resolve_to_logical_paths() {
        let text = "[[raid]]\nid = \"R-1\"\n[[raid]]\nid = \"R-2\"\nmitigation = \"x\"\n[[raci]]\nactivity = \"a\"\n[health]\nactions = [\"R-1\"]\n[\"a/b\"]\nc = 1\n";
        assert_eq!(pointer("/raid/1", text).unwrap(), "raid[R-2]");
        assert_eq!(
            pointer("/raid/1/mitigation", text).unwrap(),
            "raid[R-2].mitigation"
        );
        assert_eq!(pointer("/raci/0", text).unwrap(), "raci[0]");
        assert_eq!(
            pointer("/health/actions/0", text).unwrap(),
            "health.actions"
        );
        assert_eq!(pointer("/a~1b/c", text).unwrap(), "a/b.c");
        assert!(
            pointer("/raid/2", text)
                .unwrap_err()
                .contains("not an index of a list of 2")
        );
        assert!(pointer("/raid/01", text).is_err());
        for not_an_index in ["/raid/+0", "/raid/-", "/raid/ 0", "/raid/0x0", "/raid/"] {
            assert!(pointer(not_an_index, text).is_err(), "{not_an_index}");
        }
        for bad_escape in ["/a~2b", "/a~", "/raid~/0"] {
            assert!(
                pointer(bad_escape, text)
                    .unwrap_err()
                    .contains("is not a JSON pointer"),
                "{bad_escape}"
            );
        }
        assert!(
            pointer("/nope", text)
                .unwrap_err()
                .contains("no key `nope`")
        );
        assert!(
            pointer("/raid/0/id/x", text)
                .unwrap_err()
                .contains("a string has no parts")
        );
    }

    #[test]
    fn every_table_declares_few_enough_keys_for_a_reader() {
        fn walk(spec: &'static TableSpec, seen: &mut Vec<&'static str>) {
            assert!(
                spec.fields.len() <= MAX_KEYS,
                "{} declares {} keys",
                spec.description,
                spec.fields.len()
            );
            seen.push(spec.description);
            for field in spec.fields {
                if let Shape::Table(inner) | Shape::Entries(inner) = &field.shape {
                    walk(inner, seen);
                }
            }
        }
        let mut seen = Vec::new();
        walk(&PLAN_FILE, &mut seen);
        assert!(seen.len() > 10, "walked {} tables", seen.len());
    }

    #[test]
    fn ids_are_ascii_with_a_few_marks() {
        for id in ["a", "7", "payments-2026", "a-"] {
            assert!(is_plan_id(id), "{id}");
        }
        for id in ["", "-a", "A", "a_b", "a b", "é", "aé", "a#b"] {
            assert!(!is_plan_id(id), "{id}");
        }
        for id in ["R-3", "M2.1_x", "a", "9"] {
            assert!(is_entry_id(id), "{id}");
        }
        for id in ["", ".a", "-a", "a b", "a#b", "a[0]", "ü", "Rü-1"] {
            assert!(!is_entry_id(id), "{id}");
        }
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-11-24").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-1-24").is_none());
        assert!(parse_date("2026-11-24T10:00").is_none());
    }
}

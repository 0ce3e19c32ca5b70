//! `--format sarif` and `--sarif FILE`: a SARIF 2.1.0 log for GitHub code scanning and other
//! SARIF consumers. One run; every rule that ran is described with its page as help; each
//! result has an exact region, related locations, and fingerprints that do not depend on line
//! numbers.

use plan_engine::discover::normalize;
use plan_engine::identity::Identity;
use plan_engine::report::Report;
use plan_rules::{Finding, Rule, Severity};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Component, Path};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/plan-lint/plan-lint";
const SRCROOT: &str = "%SRCROOT%";

/// Where files are, for URIs: the repository root (`%SRCROOT%`) and the working folder that
/// display paths are relative to.
pub struct Roots<'a> {
    pub srcroot: &'a Path,
    pub cwd: &'a Path,
}

pub fn write(
    report: &Report<'_>,
    roots: &Roots<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let rule_index: HashMap<&str, usize> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.code, i))
        .collect();
    let results = Results {
        report,
        roots,
        rule_index: &rule_index,
    };
    let errors = report.errors.iter().map(|error| Notification {
        level: "error",
        message: Message {
            text: error.describe(),
        },
        locations: vec![NotificationLocation {
            physical_location: NotificationPhysical {
                artifact_location: artifact(Path::new(error.path()), roots),
            },
        }],
    });
    let skipped = report.skipped.iter().map(|skipped| Notification {
        level: "note",
        message: Message {
            text: format!("`{}` was not linted: {}", skipped.display, skipped.reason),
        },
        locations: vec![NotificationLocation {
            physical_location: NotificationPhysical {
                artifact_location: artifact(Path::new(&skipped.display), roots),
            },
        }],
    });
    let notifications: Vec<Notification> = errors.chain(skipped).collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "plan-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: report.rules.iter().map(|rule| descriptor(rule)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: HashMap::from([(
                SRCROOT,
                BaseUri {
                    uri: file_uri(roots.srcroot, true),
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // serde_json makes a write call for every token; a buffer of a concrete type here lets
    // those calls inline instead of each going through `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    log.serialize(&mut super::json::serializer(&mut buffered, 0))?;
    buffered.flush()?;
    drop(buffered);
    out.write_all(b"\n")
}

fn descriptor(rule: &'static Rule) -> Descriptor {
    Descriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary(),
        },
        full_description: Text {
            text: &rule.description()[..plan_model::floor_char_boundary(rule.description(), 1024)],
        },
        help_uri: rule.help_uri(),
        help: Help {
            text: rule.page,
            markdown: rule.page,
        },
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
        properties: RuleProperties {
            tags: ["plan-lint", rule.category()],
            precision: "very-high",
            problem_severity: match rule.default_severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "recommendation",
            },
        },
    }
}

fn result<'a>(
    report: &'a Report<'_>,
    roots: &Roots<'_>,
    rule_index: &HashMap<&str, usize>,
    finding: &'a Finding,
    state: State<'a>,
) -> SarifResult<'a> {
    let mut related = Vec::new();
    for label in &finding.labels {
        related.push(Location {
            id: Some(related.len() + 1),
            physical_location: physical(report, roots, finding.file, label.at),
            message: Some(Message {
                text: label.message.to_string(),
            }),
            logical_locations: None,
        });
    }
    for other in &finding.related {
        related.push(Location {
            id: Some(related.len() + 1),
            physical_location: physical(report, roots, other.file, other.at),
            message: Some(Message {
                text: format!("{} ({})", other.message, report.files[other.file].path),
            }),
            logical_locations: None,
        });
    }
    let identity = Identity::of(finding, report.files, roots.srcroot);
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message = format!("{message}.\nHelp: {help}");
    }
    SarifResult {
        rule_id: finding.rule.code,
        rule_index: rule_index.get(finding.rule.code).copied().unwrap_or(0),
        level: level(finding.severity),
        message: Message { text: message },
        locations: [Location {
            id: None,
            physical_location: physical(report, roots, finding.file, finding.location()),
            message: None,
            logical_locations: (!finding.path.is_empty()).then(|| {
                [LogicalLocation {
                    fully_qualified_name: &finding.path,
                    kind: "member",
                }]
            }),
        }],
        related_locations: related,
        partial_fingerprints: PartialFingerprints {
            primary_location_line_hash: identity.fingerprint(),
            plan_lint: identity.full(),
        },
        baseline_state: match state {
            _ if report.baseline.is_none() => None,
            State::Known => Some("unchanged"),
            State::Reported => Some("new"),
            State::Suppressed(_) => None,
        },
        fixes: finding.fix.as_deref().map(|fix| {
            [SarifFix {
                description: Message {
                    text: fix.message.clone(),
                },
                artifact_changes: [ArtifactChange {
                    artifact_location: artifact_of(report, roots, finding.file),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| Replacement {
                            deleted_region: Region {
                                start_line: edit.start.line,
                                start_column: edit.start.column,
                                end_line: edit.end.line,
                                end_column: edit.end.column,
                            },
                            inserted_content: Message {
                                text: edit.content.clone(),
                            },
                        })
                        .collect(),
                }],
            }]
        }),
        suppressions: match state {
            State::Suppressed(suppression) => Some([suppression]),
            // Code scanning closes results suppressed outside the source as dismissed.
            State::Known => Some([Suppression {
                kind: "external",
                status: "accepted",
                justification: Some("known when the baseline was written"),
            }]),
            State::Reported => None,
        },
    }
}

/// What became of a finding.
enum State<'a> {
    Reported,
    Suppressed(Suppression<'a>),
    /// In the baseline.
    Known,
}

fn physical(
    report: &Report<'_>,
    roots: &Roots<'_>,
    file: usize,
    at: plan_rules::Location,
) -> Physical {
    Physical {
        artifact_location: artifact_of(report, roots, file),
        region: Region {
            start_line: at.start.line,
            start_column: at.start.column,
            end_line: at.end.line,
            end_column: at.end.column,
        },
    }
}

/// The artifact of a file of the run.
fn artifact_of(report: &Report<'_>, roots: &Roots<'_>, file: usize) -> Artifact {
    let checked = &report.files[file];
    let path = checked
        .location
        .as_deref()
        .unwrap_or(Path::new(&checked.path));
    artifact(path, roots)
}

/// A file's URI: relative to `%SRCROOT%` when it is inside the repository, else absolute.
fn artifact(path: &Path, roots: &Roots<'_>) -> Artifact {
    let absolute = normalize(&roots.cwd.join(path));
    match absolute.strip_prefix(roots.srcroot) {
        Ok(relative) => Artifact {
            uri: encode_path(relative),
            uri_base_id: Some(SRCROOT),
        },
        Err(_) => Artifact {
            uri: file_uri(&absolute, false),
            uri_base_id: None,
        },
    }
}

fn file_uri(path: &Path, folder: bool) -> String {
    let mut uri = format!("file://{}", encode_path(path));
    if !uri.starts_with("file:///") {
        uri.insert(7, '/');
    }
    if folder && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// A path as a URI path: `/`-separated segments, each percent-encoded (RFC 3986) except for
/// unreserved characters, so spaces and non-ASCII names survive every consumer.
fn encode_path(path: &Path) -> String {
    let segments: Vec<String> = path
        .components()
        .filter_map(|component| match component {
            Component::RootDir => Some(String::new()),
            Component::Normal(name) => Some(percent_encode(name)),
            _ => None,
        })
        .collect();
    segments.join("/")
}

/// A file name percent-encoded byte for byte: a name that is not UTF-8 keeps its exact bytes.
fn percent_encode(segment: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(segment);
    #[cfg(not(unix))]
    let lossy = segment.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

// ---------------------------------------------------------------------------------------------
// The SARIF 2.1.0 objects plan-lint writes (a subset of the schema, in its property order).

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    original_uri_base_ids: HashMap<&'static str, BaseUri>,
    column_kind: &'static str,
    results: Results<'a>,
}

/// The results, each built as the serialiser reaches it: a large run's log is never held in
/// memory whole. Fingerprint numbering follows the order of the findings, as the serialiser
/// visits them.
struct Results<'a> {
    report: &'a Report<'a>,
    roots: &'a Roots<'a>,
    rule_index: &'a HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let report = self.report;
        let count = report.findings.len() + report.suppressed.len() + report.known().len();
        let mut seq = serializer.serialize_seq(Some(count))?;
        for finding in report.findings {
            seq.serialize_element(&result(
                report,
                self.roots,
                self.rule_index,
                finding,
                State::Reported,
            ))?;
        }
        for suppressed in report.suppressed {
            let suppression = Suppression {
                kind: "inSource",
                status: "accepted",
                justification: suppressed.reason.as_deref(),
            };
            seq.serialize_element(&result(
                report,
                self.roots,
                self.rule_index,
                &suppressed.finding,
                State::Suppressed(suppression),
            ))?;
        }
        for finding in report.known() {
            seq.serialize_element(&result(
                report,
                self.roots,
                self.rule_index,
                finding,
                State::Known,
            ))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: &'static str,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: NotificationPhysical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationPhysical {
    artifact_location: Artifact,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: PartialFingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression<'a>; 1]>,
}

/// A finding's fix: the edits of its file that resolve it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: [ArtifactChange; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: Artifact,
    replacements: Vec<Replacement>,
}

/// An insertion is an empty region: its end is its start.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Message,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[LogicalLocation<'a>; 1]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct PartialFingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: String,
    #[serde(rename = "planLint/v1")]
    plan_lint: String,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_segment_by_segment() {
        assert_eq!(
            encode_path(Path::new("plans/Équipe A/q1 plan.plan.toml")),
            "plans/%C3%89quipe%20A/q1%20plan.plan.toml"
        );
        assert_eq!(file_uri(Path::new("/srv/repo"), true), "file:///srv/repo/");
        assert_eq!(
            file_uri(Path::new("/a b/x.plan.toml"), false),
            "file:///a%20b/x.plan.toml"
        );
    }
}

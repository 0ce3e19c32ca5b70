//! The config file, `plan-lint.toml` or `.plan-lint.toml`: finding it, and reading it with
//! every problem reported at its place in the file (unknown keys and rules, bad globs and
//! severities), not only the first.

use crate::confine::{self, ProjectRoot, Resolved};
use crate::custom::{CustomRules, Origin};
use crate::options::FailOn;
use crate::text::{ShownText, visible};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};
use plan_model::Span;
use plan_model::value::{Entry, Kind, Table, Value};
use plan_rules::{Registry, Rule, Severity};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The names a config file may have, in the order they are looked for.
pub const FILE_NAMES: [&str; 2] = ["plan-lint.toml", ".plan-lint.toml"];

/// The plan files a folder walk takes when the config sets no `include`.
pub const DEFAULT_INCLUDE: [&str; 5] = [
    "**/*.plan.toml",
    "**/*.plan.json",
    "**/*.plan.yaml",
    "**/*.plan.yml",
    "**/*.plan.md",
];

/// A rule's configured severity; `None` is `"off"`.
pub type RuleSetting = (&'static Rule, Option<Severity>);

#[derive(Debug)]
pub struct Config {
    /// The file, as given or found.
    pub path: PathBuf,
    /// Its folder: `include`, `exclude` and `overrides.files` globs are relative to it.
    pub root: PathBuf,
    pub include: Patterns,
    pub exclude: Patterns,
    pub fail_on: Option<FailOn>,
    /// In bytes.
    pub max_file_size: Option<u64>,
    pub rules: Vec<RuleSetting>,
    /// In file order; later entries win.
    pub overrides: Vec<Override>,
    /// The baseline file, relative to the config's folder.
    pub baseline: Option<PathBuf>,
    /// The project's own rules: `[[custom_rules]]`, then those of each `rule_files` file.
    pub custom_rules: Arc<CustomRules>,
    /// The files `rule_files` names, as found (absolute).
    pub rule_files: Vec<PathBuf>,
    /// The built-in rules and the custom ones.
    pub registry: Registry,
}

#[derive(Debug)]
pub struct Override {
    pub files: Patterns,
    pub rules: Vec<RuleSetting>,
}

/// Globs as written, and compiled. `*` stays within one folder; `**` crosses folders.
#[derive(Debug, Clone)]
pub struct Patterns {
    pub written: Vec<String>,
    set: GlobSet,
}

impl Patterns {
    pub fn new(globs: &[&str]) -> Patterns {
        let mut builder = GlobSetBuilder::new();
        for glob in globs {
            // The defaults are known to compile; a user's globs go through `read_globs`.
            if let Ok(glob) = compile(glob) {
                builder.add(glob);
            }
        }
        Patterns {
            written: globs.iter().map(|g| (*g).to_owned()).collect(),
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    /// Whether a `/`-separated path, relative to the config's folder, matches.
    pub fn matches(&self, relative: &str) -> bool {
        self.set.is_match(relative)
    }

    /// The first glob, as written, that a path matches.
    pub fn first_match(&self, relative: &str) -> Option<&str> {
        let first = self.set.matches(relative).into_iter().min()?;
        self.written.get(first).map(String::as_str)
    }
}

/// Every override's globs in one set, and the override each glob belongs to: a file is matched
/// against all overrides at once.
#[derive(Debug)]
pub struct OverrideMatcher {
    set: GlobSet,
    owner: Vec<usize>,
}

impl OverrideMatcher {
    pub fn new(overrides: &[Override]) -> OverrideMatcher {
        let mut builder = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (index, o) in overrides.iter().enumerate() {
            for written in &o.files.written {
                // Written globs were compiled once already, when the config was read.
                if let Ok(glob) = compile(written) {
                    builder.add(glob);
                    owner.push(index);
                }
            }
        }
        OverrideMatcher {
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
            owner,
        }
    }

    /// The indices of the overrides whose globs match a path, in order.
    pub fn matching(&self, relative: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .set
            .matches(relative)
            .into_iter()
            .map(|glob| self.owner[glob])
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

fn compile(glob: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(glob).literal_separator(true).build()
}

/// The config that applies in the working folder: `plan-lint.toml` or `.plan-lint.toml` there
/// or in the nearest folder above it, up to the project root. A name that exists as anything
/// (a dangling link, a folder) is that config: a config that cannot be read is an error, never
/// a silent fall-back to the defaults.
pub fn discover(root: &ProjectRoot) -> Result<Option<PathBuf>, ConfigError> {
    for folder in root.cwd().ancestors() {
        if !folder.starts_with(root.path()) {
            break;
        }
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|name| folder.join(name))
            .filter(|path| std::fs::symlink_metadata(path).is_ok())
            .collect();
        match found.as_slice() {
            [] => {}
            [one] => return Ok(Some(one.clone())),
            [first, second, ..] => {
                return Err(ConfigError::Ambiguous {
                    first: crate::paths::display_path(first, root.cwd()),
                    second: crate::paths::display_path(second, root.cwd()),
                });
            }
        }
    }
    Ok(None)
}

/// The most a config file may hold: configs are a few hundred bytes.
pub const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// The most `[[overrides]]` a config may have, and globs in one list: enough for any project,
/// and a bound on what matching them costs.
pub const MAX_OVERRIDES: usize = 1_000;
pub const MAX_GLOBS: usize = 1_000;

/// Read the config at `path` (inside the project only; a regular file, at most
/// [`MAX_CONFIG_SIZE`]); `shown` is how the path is shown in messages.
pub fn load(project: &ProjectRoot, path: &Path, shown: &str) -> Result<Config, ConfigError> {
    let root = project;
    let unreadable = |source| ConfigError::Unreadable {
        path: shown.to_owned(),
        source,
    };
    let real = match root.resolve(path) {
        Ok(Resolved::Found(real)) => real,
        Ok(Resolved::Missing) => {
            let dangling = std::fs::symlink_metadata(path).is_ok();
            return Err(unreadable(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                if dangling {
                    "it is a symbolic link to nothing"
                } else {
                    "it does not exist"
                },
            )));
        }
        Err(escape) => {
            return Err(ConfigError::Outside {
                path: shown.to_owned(),
                why: escape.describe(root.cwd()),
            });
        }
    };
    let bytes = match confine::read_regular_file(&real, MAX_CONFIG_SIZE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(ConfigError::TooLarge {
                path: shown.to_owned(),
                limit: crate::size::describe_size(MAX_CONFIG_SIZE),
            });
        }
        Err(source) => return Err(unreadable(source)),
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        unreadable(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "it is not UTF-8 text",
        ))
    })?;
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    let mut reader = ConfigReader::new();
    let arena = plan_model::value::Arena::new();
    let config = match plan_model::parse_toml(&text, &arena) {
        Ok(value) => reader.config(&value, &text, path, root, project),
        Err(error) => {
            reader.problem(error.span, error.message, "not valid TOML", None);
            None
        }
    };
    match config {
        Some(config)
            if reader.problems.is_empty()
                && reader
                    .rule_file_problems
                    .iter()
                    .all(|(_, _, problems)| problems.is_empty()) =>
        {
            Ok(config)
        }
        _ => {
            let mut files = vec![(shown.to_owned(), text, reader.problems)];
            files.extend(
                reader
                    .rule_file_problems
                    .into_iter()
                    .filter(|(_, _, problems)| !problems.is_empty()),
            );
            Err(ConfigError::Invalid(Box::new(InvalidConfig::new(
                Some(shown),
                files,
            ))))
        }
    }
}

/// The custom rules of files named on the command line (`plan-lint test FILES`): a config file
/// (`plan-lint.toml`) is read whole, with the rule files it names; a folder stands for the
/// `*.toml` files in it; any other file is a rule file of `[[custom_rules]]`. Codes and names
/// must differ across all of them.
pub fn read_rule_files(
    project: &ProjectRoot,
    named: &[PathBuf],
) -> Result<Arc<CustomRules>, ConfigError> {
    let mut paths = Vec::new();
    for path in named {
        let absolute = crate::paths::normalize(&project.cwd().join(path));
        match project.resolve(&absolute) {
            Ok(Resolved::Found(real)) if real.is_dir() => {
                let mut in_folder: Vec<PathBuf> = std::fs::read_dir(&real)
                    .map_err(|source| ConfigError::Unreadable {
                        path: crate::paths::display_path(&absolute, project.cwd()),
                        source,
                    })?
                    .flatten()
                    .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
                    .map(|entry| absolute.join(entry.file_name()))
                    .filter(|file| file.extension().is_some_and(|ext| ext == "toml"))
                    .collect();
                in_folder.sort();
                paths.extend(in_folder);
            }
            _ => paths.push(absolute),
        }
    }
    let mut custom: Vec<(Arc<plan_custom::CustomRule>, Arc<Origin>)> = Vec::new();
    let mut reader = ConfigReader::new();
    for path in paths {
        let absolute = crate::paths::normalize(&project.cwd().join(path));
        let is_config = absolute
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| FILE_NAMES.contains(&name));
        if is_config {
            let shown = crate::paths::display_path(&absolute, project.cwd());
            let config = load(project, &absolute, &shown)?;
            let taken = |code: &str, name: &str| {
                custom
                    .iter()
                    .any(|(other, _)| other.code == code || other.name == name)
            };
            if let Some((_, rule, _)) = config
                .custom_rules
                .iter()
                .find(|(_, rule, _)| taken(&rule.code, &rule.name))
            {
                return Err(ConfigError::NamedTwice {
                    rule: format!("{} ({})", rule.name, rule.code),
                });
            }
            custom.extend(config.custom_rules.shared());
        } else {
            reader.rule_file(&absolute, project, &mut custom);
        }
    }
    let problems: Vec<_> = reader
        .rule_file_problems
        .into_iter()
        .filter(|(_, _, problems)| !problems.is_empty())
        .collect();
    if problems.is_empty() {
        Ok(Arc::new(CustomRules::new(custom)))
    } else {
        Err(ConfigError::Invalid(Box::new(InvalidConfig::new(
            None, problems,
        ))))
    }
}

/// What can be wrong with the config. Every one ends the run with exit status 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read the config file `{path}`")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("two config files in one folder: `{first}` and `{second}`")]
    #[diagnostic(help("keep one of them, or choose one with --config"))]
    Ambiguous { first: String, second: String },

    #[error("the config file `{path}` was not read: {why}")]
    #[diagnostic(help(
        "plan-lint reads only files inside the project (the repository, or the working folder outside git)"
    ))]
    Outside { path: String, why: String },

    #[error("the config file `{path}` is larger than {limit}; it was not read")]
    TooLarge { path: String, limit: String },

    #[error("the custom rule {rule} is defined in two of the files named")]
    #[diagnostic(help("name each rule file once; a config already reads its `rule_files`"))]
    NamedTwice { rule: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A config file with problems: each is shown at its place in the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{what} has {}", crate::text::plural(problems.len(), "problem"))]
pub struct InvalidConfig {
    /// "the config file `plan-lint.toml`", or "the rule files named".
    what: String,
    #[related]
    problems: Vec<ConfigProblem>,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct ConfigProblem {
    message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: &'static str,
    #[help]
    help: Option<String>,
}

impl InvalidConfig {
    /// The problems of the config (`path`) and of the rule files it names: each file's path,
    /// text and problems.
    fn new(path: Option<&str>, files: Vec<(String, String, Vec<Problem>)>) -> InvalidConfig {
        let mut shown_problems = Vec::new();
        for (file, text, problems) in files {
            // Files are shown as the human report shows plans: control characters escaped,
            // spans moved with them.
            let shown = ShownText::new(&text);
            let shown_text = shown.text.clone().into_owned();
            shown_problems.extend(problems.into_iter().map(|p| {
                let (start, end) = (shown.offset(p.span.start), shown.offset(p.span.end));
                ConfigProblem {
                    message: visible(&p.message).into_owned(),
                    source_code: NamedSource::new(visible(&file), shown_text.clone()),
                    span: SourceSpan::new(start.into(), end - start),
                    label: p.label,
                    help: p.help.map(|help| visible(&help).into_owned()),
                }
            }));
        }
        InvalidConfig {
            what: match path {
                Some(path) => format!("the config file `{}`", visible(path)),
                None => "the rule files named".to_owned(),
            },
            problems: shown_problems,
        }
    }
}

struct Problem {
    span: Span,
    message: String,
    label: &'static str,
    help: Option<String>,
}

impl From<plan_custom::Problem> for Problem {
    fn from(problem: plan_custom::Problem) -> Problem {
        Problem {
            span: problem.span,
            message: problem.message,
            label: problem.label,
            help: problem.help,
        }
    }
}

struct ConfigReader {
    problems: Vec<Problem>,
    /// The rules `rules` and `overrides` may name: the built-ins, then the custom rules once
    /// they are read.
    registry: Registry,
    /// Each rule file read, shown, with its text and problems.
    rule_file_problems: Vec<(String, String, Vec<Problem>)>,
}

/// The most files `rule_files` may name, and custom rules a project may have in all.
pub const MAX_RULE_FILES: usize = 100;
pub const MAX_CUSTOM_RULES: usize = 1_000;

const TOP_LEVEL_KEYS: [&str; 9] = [
    "include",
    "exclude",
    "fail_on",
    "max_file_size",
    "baseline",
    "rules",
    "overrides",
    "custom_rules",
    "rule_files",
];
const OVERRIDE_KEYS: [&str; 2] = ["files", "rules"];

impl ConfigReader {
    /// A reader that knows the built-in rules only, until custom rules are read.
    fn new() -> ConfigReader {
        ConfigReader {
            problems: Vec::new(),
            registry: Registry::built_in().clone(),
            rule_file_problems: Vec::new(),
        }
    }

    fn problem(
        &mut self,
        span: Span,
        message: impl Into<String>,
        label: &'static str,
        help: Option<String>,
    ) {
        self.problems.push(Problem {
            span,
            message: message.into(),
            label,
            help,
        });
    }

    fn config(
        &mut self,
        value: &Value,
        text: &str,
        path: &Path,
        root: PathBuf,
        project: &ProjectRoot,
    ) -> Option<Config> {
        let Kind::Table(table) = &value.kind else {
            return None;
        };
        self.unknown_keys(table, &TOP_LEVEL_KEYS, "at the top level");
        // Custom rules first: `rules` and `overrides` may name them.
        let mut custom = Vec::new();
        if let Some(entry) = get(table, "custom_rules") {
            let (rules, problems) = plan_custom::read_custom_rules(entry, text, &[]);
            self.problems
                .extend(problems.into_iter().map(Problem::from));
            let origin = Arc::new(Origin {
                path: crate::paths::normalize(&project.cwd().join(path)),
                text: text.to_owned(),
            });
            custom.extend(
                rules
                    .into_iter()
                    .map(|rule| (Arc::new(rule), origin.clone())),
            );
        }
        let rule_files = match get(table, "rule_files") {
            Some(entry) => self.rule_files(entry, &root, project, &mut custom),
            None => Vec::new(),
        };
        if custom.len() > MAX_CUSTOM_RULES {
            self.problem(
                value.span,
                format!(
                    "this project has {} custom rules; at most {MAX_CUSTOM_RULES} are allowed",
                    custom.len()
                ),
                "too many rules",
                None,
            );
        }
        let custom_rules = Arc::new(CustomRules::new(custom));
        self.registry = custom_rules.registry();
        let include = match get(table, "include") {
            Some(entry) => self.globs(entry),
            None => Patterns::new(&DEFAULT_INCLUDE),
        };
        let exclude = match get(table, "exclude") {
            Some(entry) => self.globs(entry),
            None => Patterns::new(&[]),
        };
        let fail_on = get(table, "fail_on").and_then(|entry| self.fail_on(entry));
        let max_file_size = get(table, "max_file_size").and_then(|entry| self.size(entry));
        let rules = get(table, "rules")
            .map(|entry| self.rules(entry))
            .unwrap_or_default();
        let overrides = get(table, "overrides")
            .map(|entry| self.overrides(entry))
            .unwrap_or_default();
        let baseline = get(table, "baseline").and_then(|entry| self.relative_path(entry));
        Some(Config {
            path: path.to_owned(),
            root,
            include,
            exclude,
            fail_on,
            max_file_size,
            rules,
            overrides,
            baseline,
            custom_rules,
            rule_files,
            registry: self.registry.clone(),
        })
    }

    /// `rule_files`: globs, relative to the config's folder, of TOML files of
    /// `[[custom_rules]]`. Each file's rules are read into `custom`, and its problems kept
    /// with its text; the files found are returned, in path order.
    fn rule_files(
        &mut self,
        entry: &Entry,
        folder: &Path,
        project: &ProjectRoot,
        custom: &mut Vec<(Arc<plan_custom::CustomRule>, Arc<Origin>)>,
    ) -> Vec<PathBuf> {
        let folder = crate::paths::normalize(&project.cwd().join(folder));
        let mut found = std::collections::BTreeSet::new();
        for (glob, span) in self.strings(entry) {
            let matched = match self.expand(glob, &folder, project) {
                Ok(matched) => matched,
                Err(why) => {
                    self.problem(span, why, "not read", None);
                    continue;
                }
            };
            if matched.is_empty() {
                self.problem(
                    span,
                    format!("`{glob}` names no file"),
                    "no such file",
                    Some("rule files are found relative to this config file's folder".into()),
                );
            }
            found.extend(matched);
        }
        if found.len() > MAX_RULE_FILES {
            self.problem(
                entry.value.span,
                format!(
                    "`rule_files` names {} files; at most {MAX_RULE_FILES} are allowed",
                    found.len()
                ),
                "too many files",
                Some("keep a rule pack in a few files of many rules each".into()),
            );
            return Vec::new();
        }
        for file in &found {
            self.rule_file(file, project, custom);
        }
        found.into_iter().collect()
    }

    /// The files a `rule_files` glob names, inside the project: the folder before its first
    /// wildcard is walked (symbolic links are not followed), and every regular file whose path
    /// from the config's folder matches is taken.
    fn expand(
        &mut self,
        glob: &str,
        folder: &Path,
        project: &ProjectRoot,
    ) -> Result<Vec<PathBuf>, String> {
        let matcher = compile(glob)
            .map_err(|error| format!("`{glob}` is not a valid glob: {}", error.kind()))?
            .compile_matcher();
        let literal: Vec<&str> = glob
            .split('/')
            .take_while(|part| !part.contains(['*', '?', '[', '{', '\\']))
            .collect();
        let whole = literal.len() == glob.split('/').count();
        let start = crate::paths::normalize(&folder.join(literal.join("/")));
        let outside = |why: String| format!("`{glob}` was not read: {why}");
        match project.resolve(&start) {
            Ok(Resolved::Found(_)) => {}
            Ok(Resolved::Missing) => return Ok(Vec::new()),
            Err(escape) => return Err(outside(escape.describe(project.cwd()))),
        }
        if whole {
            return Ok(vec![start]);
        }
        let mut matched = Vec::new();
        let walk = ignore::WalkBuilder::new(&start)
            .standard_filters(false)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for found in walk.flatten() {
            if !found.file_type().is_some_and(|kind| kind.is_file()) {
                continue;
            }
            let Ok(relative) = found.path().strip_prefix(folder) else {
                continue;
            };
            let relative = crate::paths::display_path(relative, Path::new(""));
            if matcher.is_match(&relative) {
                matched.push(found.path().to_owned());
                if matched.len() > MAX_RULE_FILES {
                    break;
                }
            }
        }
        Ok(matched)
    }

    /// Read one rule file's `[[custom_rules]]`; its problems are kept with its text.
    fn rule_file(
        &mut self,
        path: &Path,
        project: &ProjectRoot,
        custom: &mut Vec<(Arc<plan_custom::CustomRule>, Arc<Origin>)>,
    ) {
        let shown = crate::paths::display_path(path, project.cwd());
        let whole_file = |message: String| Problem {
            span: Span::new(0, 0),
            message,
            label: "not read",
            help: None,
        };
        let text = match project.resolve(path) {
            Ok(Resolved::Found(real)) => match confine::read_regular_file(&real, MAX_CONFIG_SIZE) {
                Ok(Some(bytes)) => String::from_utf8(bytes)
                    .map_err(|_| "the rule file is not UTF-8 text".to_owned()),
                Ok(None) => Err(format!(
                    "the rule file is larger than {}",
                    crate::size::describe_size(MAX_CONFIG_SIZE)
                )),
                Err(error) => Err(format!("the rule file cannot be read: {error}")),
            },
            Ok(Resolved::Missing) => Err("the rule file does not exist".to_owned()),
            Err(escape) => Err(format!(
                "the rule file was not read: {}",
                escape.describe(project.cwd())
            )),
        };
        let text = match text {
            Ok(text) => text,
            Err(message) => {
                self.rule_file_problems
                    .push((shown, String::new(), vec![whole_file(message)]));
                return;
            }
        };
        let mut problems = Vec::new();
        let arena = plan_model::value::Arena::new();
        match plan_model::parse_toml(&text, &arena) {
            Err(error) => problems.push(Problem {
                span: error.span,
                message: error.message,
                label: "not valid TOML",
                help: None,
            }),
            Ok(value) => {
                if let Kind::Table(table) = &value.kind {
                    let mut reader = ConfigReader::new();
                    reader.unknown_keys(table, &["custom_rules"], "in a rule file");
                    problems.extend(reader.problems);
                    if let Some(entry) = get(table, "custom_rules") {
                        let earlier: Vec<&plan_custom::CustomRule> =
                            custom.iter().map(|(rule, _)| &**rule).collect();
                        let (rules, found) = plan_custom::read_custom_rules(entry, &text, &earlier);
                        problems.extend(found.into_iter().map(Problem::from));
                        let origin = Arc::new(Origin {
                            path: path.to_owned(),
                            text: text.clone(),
                        });
                        custom.extend(
                            rules
                                .into_iter()
                                .map(|rule| (Arc::new(rule), origin.clone())),
                        );
                    }
                }
            }
        }
        self.rule_file_problems.push((shown, text, problems));
    }

    /// A file named relative to the config's folder: a non-empty string.
    fn relative_path(&mut self, entry: &Entry) -> Option<PathBuf> {
        match &entry.value.kind {
            Kind::String(path) if !path.trim().is_empty() => Some(PathBuf::from(path)),
            other => {
                self.problem(
                    entry.value.span,
                    format!(
                        "`{}` must name a file, found {}",
                        entry.key,
                        match other {
                            Kind::String(_) => "an empty string",
                            other => other.describe(),
                        }
                    ),
                    "not a file name",
                    Some(format!(
                        "write `{} = \"plan-lint-baseline.json\"`, relative to this file's folder",
                        entry.key
                    )),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, table: &Table, known: &[&str], place: &str) {
        for entry in table.entries {
            if known.contains(&entry.key) {
                continue;
            }
            let help = plan_model::unknown_key_help(entry.key, known);
            self.problem(
                entry.key_span,
                format!("unknown key `{}` {place}", entry.key),
                "unknown key",
                Some(help),
            );
        }
    }

    fn globs(&mut self, entry: &Entry) -> Patterns {
        let mut builder = GlobSetBuilder::new();
        let mut written = Vec::new();
        for item in self.strings(entry) {
            match compile(item.0) {
                Ok(glob) => {
                    builder.add(glob);
                    written.push(item.0.to_owned());
                }
                Err(error) => self.problem(
                    item.1,
                    format!("`{}` is not a valid glob: {}", item.0, error.kind()),
                    "bad glob",
                    Some(
                        "globs are relative to the config file's folder: `plans/**/*.plan.toml`"
                            .into(),
                    ),
                ),
            }
        }
        Patterns {
            written,
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    /// An array of strings; each bad item is a problem.
    fn strings<'v>(&mut self, entry: &'v Entry) -> Vec<(&'v str, Span)> {
        let Kind::Array(items) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                format!(
                    "`{}` must be an array of globs, found {}",
                    entry.key,
                    entry.value.kind.describe()
                ),
                "not an array",
                Some(format!(
                    "write `{} = [\"plans/**/*.plan.toml\"]`",
                    entry.key
                )),
            );
            return Vec::new();
        };
        let mut strings = Vec::new();
        if let Some(extra) = items.get(MAX_GLOBS) {
            self.problem(
                extra.span,
                format!(
                    "`{}` has {} globs; at most {MAX_GLOBS} are allowed",
                    entry.key,
                    items.len()
                ),
                "one too many",
                Some("one glob with `**` or `{a,b}` covers many paths".into()),
            );
            return strings;
        }
        for item in items.iter() {
            match &item.kind {
                Kind::String(s) => strings.push((*s, item.span)),
                other => self.problem(
                    item.span,
                    format!("expected a glob (a string), found {}", other.describe()),
                    "not a string",
                    None,
                ),
            }
        }
        strings
    }

    /// A size: a positive number of bytes, or a string such as `"10 MB"`.
    fn size(&mut self, entry: &Entry) -> Option<u64> {
        let read = match &entry.value.kind {
            Kind::Integer(bytes) => u64::try_from(*bytes)
                .ok()
                .filter(|&bytes| bytes > 0)
                .ok_or_else(|| "the size must be more than 0".to_owned()),
            Kind::String(written) => crate::size::parse_size(written),
            other => Err(format!(
                "expected a size such as \"10 MB\", found {}",
                other.describe()
            )),
        };
        read.map_err(|message| {
            self.problem(
                entry.value.span,
                format!("`{}`: {message}", entry.key),
                "bad size",
                Some("write a number of bytes, or a string such as \"10 MB\" or \"512 KB\"".into()),
            )
        })
        .ok()
    }

    fn fail_on(&mut self, entry: &Entry) -> Option<FailOn> {
        let choices = [
            ("error", FailOn::Error),
            ("warning", FailOn::Warning),
            ("note", FailOn::Note),
            ("never", FailOn::Never),
        ];
        self.choice(&entry.value, "fail_on", &choices)
    }

    fn severity(&mut self, value: &Value) -> Option<Option<Severity>> {
        let choices = [
            ("error", Some(Severity::Error)),
            ("warning", Some(Severity::Warning)),
            ("note", Some(Severity::Note)),
            ("off", None),
        ];
        self.choice(value, "severity", &choices)
    }

    fn choice<T: Copy>(&mut self, value: &Value, what: &str, choices: &[(&str, T)]) -> Option<T> {
        let names = || {
            choices
                .iter()
                .map(|(name, _)| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Kind::String(found) = &value.kind else {
            self.problem(
                value.span,
                format!(
                    "expected a {what} ({}), found {}",
                    names(),
                    value.kind.describe()
                ),
                "not a string",
                None,
            );
            return None;
        };
        if let Some((_, choice)) = choices.iter().find(|(name, _)| name == found) {
            return Some(*choice);
        }
        let help = plan_model::did_you_mean(found, choices.iter().map(|(name, _)| *name))
            .map(|close| format!("did you mean \"{close}\"?"));
        self.problem(
            value.span,
            format!("`{found}` is not a {what}; expected one of {}", names()),
            "unknown value",
            help,
        );
        None
    }

    /// A `rules` table: rule name or code → severity.
    fn rules(&mut self, entry: &Entry) -> Vec<RuleSetting> {
        let Kind::Table(table) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                format!(
                    "`rules` must be a table of rule = severity, found {}",
                    entry.value.kind.describe()
                ),
                "not a table",
                Some("write `rules = { backlog-priority = \"off\" }`, or a `[rules]` table".into()),
            );
            return Vec::new();
        };
        let mut settings = Vec::new();
        for rule_entry in table.entries {
            let rule = self.registry.by_name_or_code(rule_entry.key);
            let severity = self.severity(&rule_entry.value);
            match (rule, severity) {
                (Some(rule), Some(severity)) => settings.push((rule, severity)),
                (None, _) => self.problem(
                    rule_entry.key_span,
                    format!("unknown rule `{}`", rule_entry.key),
                    "unknown rule",
                    Some(self.registry.unknown_rule_help(rule_entry.key)),
                ),
                (Some(_), None) => {}
            }
        }
        settings
    }

    fn overrides(&mut self, entry: &Entry) -> Vec<Override> {
        let Kind::Array(items) = &entry.value.kind else {
            self.problem(
                entry.value.span,
                format!(
                    "`overrides` must be an array of tables, found {}",
                    entry.value.kind.describe()
                ),
                "not an array of tables",
                Some("write each override as `[[overrides]]` with `files` and `rules`".into()),
            );
            return Vec::new();
        };
        let mut overrides = Vec::new();
        if let Some(extra) = items.get(MAX_OVERRIDES) {
            self.problem(
                extra.anchor(),
                format!(
                    "this config has {} overrides; at most {MAX_OVERRIDES} are allowed",
                    items.len()
                ),
                "one too many",
                Some("merge overrides that set the same rules: each takes a list of globs".into()),
            );
            return Vec::new();
        }
        for item in items.iter() {
            let Kind::Table(table) = &item.kind else {
                self.problem(
                    item.span,
                    format!(
                        "each override must be a table, found {}",
                        item.kind.describe()
                    ),
                    "not a table",
                    None,
                );
                continue;
            };
            self.unknown_keys(table, &OVERRIDE_KEYS, "in `[[overrides]]`");
            let files = match get(table, "files") {
                Some(files) => self.globs(files),
                None => {
                    self.problem(
                        item.anchor(),
                        "an override without `files` applies to nothing",
                        "no `files`",
                        Some("add `files = [\"plans/drafts/**\"]`".into()),
                    );
                    Patterns::new(&[])
                }
            };
            let rules = get(table, "rules")
                .map(|rules| self.rules(rules))
                .unwrap_or_default();
            overrides.push(Override { files, rules });
        }
        overrides
    }
}

fn get<'t>(table: &'t Table<'t>, key: &str) -> Option<&'t Entry<'t>> {
    table.entries.iter().find(|entry| entry.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan-lint.toml");
        std::fs::write(&path, text).unwrap();
        load(&ProjectRoot::new(dir.path()), &path, "plan-lint.toml")
    }

    fn problems(text: &str) -> Vec<String> {
        match read(text) {
            Err(ConfigError::Invalid(invalid)) => {
                invalid.problems.iter().map(|p| p.message.clone()).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_full_config_reads() {
        let config = read(
            r#"
include = ["plans/**/*.plan.toml"]
exclude = ["plans/archive/**"]
fail_on = "warning"
[rules]
backlog-priority = "off"
PL009 = "error"
[[overrides]]
files = ["plans/drafts/**"]
rules = { required-artefacts = "off" }
"#,
        )
        .unwrap();
        assert!(config.include.matches("plans/a/b.plan.toml"));
        assert!(!config.include.matches("other/b.plan.toml"));
        assert!(config.exclude.matches("plans/archive/old.plan.toml"));
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.rules.len(), 2);
        assert_eq!(config.rules[0].0.name, "backlog-priority");
        assert_eq!(config.rules[0].1, None);
        assert_eq!(config.rules[1].0.name, "review-overdue");
        assert_eq!(config.rules[1].1, Some(Severity::Error));
        assert!(
            config.overrides[0]
                .files
                .matches("plans/drafts/x.plan.toml")
        );
    }

    #[test]
    fn a_star_stays_in_its_folder() {
        let patterns = Patterns::new(&["plans/*.plan.toml"]);
        assert!(patterns.matches("plans/a.plan.toml"));
        assert!(!patterns.matches("plans/sub/a.plan.toml"));
    }

    #[test]
    fn every_problem_is_reported() {
        let found = problems(
            r#"
inclde = ["x"]
exclude = ["plans/[archive"]
fail_on = "errors"
[rules]
raid-mitigaton = "off"
backlog-priority = "of"
[[overrides]]
rules = { PL002 = "warning" }
"#,
        );
        assert_eq!(
            found,
            [
                "unknown key `inclde` at the top level",
                "`plans/[archive` is not a valid glob: unclosed character class; missing ']'",
                "`errors` is not a fail_on; expected one of \"error\", \"warning\", \"note\", \"never\"",
                "unknown rule `raid-mitigaton`",
                "`of` is not a severity; expected one of \"error\", \"warning\", \"note\", \"off\"",
                "an override without `files` applies to nothing",
            ]
        );
    }

    #[test]
    fn invalid_toml_is_a_problem_with_a_place() {
        assert_eq!(problems("include = [").len(), 1);
    }

    #[test]
    fn discovery_stops_at_the_project_root() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let repo = base.join("repo");
        let deep = repo.join("plans/team");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(base.join("plan-lint.toml"), "").unwrap();
        // Outside git the project is the working folder: a config above it is not read.
        assert_eq!(discover(&ProjectRoot::new(&deep)).unwrap(), None);
        std::fs::write(deep.join("plan-lint.toml"), "").unwrap();
        assert_eq!(
            discover(&ProjectRoot::new(&deep)).unwrap(),
            Some(deep.join("plan-lint.toml"))
        );
        std::fs::remove_file(deep.join("plan-lint.toml")).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(discover(&ProjectRoot::new(&deep)).unwrap(), None);
        std::fs::write(repo.join(".plan-lint.toml"), "").unwrap();
        assert_eq!(
            discover(&ProjectRoot::new(&deep)).unwrap(),
            Some(repo.join(".plan-lint.toml"))
        );
        std::fs::write(repo.join("plan-lint.toml"), "").unwrap();
        assert!(matches!(
            discover(&ProjectRoot::new(&deep)),
            Err(ConfigError::Ambiguous { .. })
        ));
    }

    #[test]
    fn overrides_and_globs_are_bounded() {
        let many: String = (0..=MAX_OVERRIDES)
            .map(|i| format!("[[overrides]]\nfiles = [\"p{i}/**\"]\n"))
            .collect();
        assert_eq!(
            problems(&many),
            ["this config has 1001 overrides; at most 1000 are allowed"]
        );
        let globs: Vec<String> = (0..=MAX_GLOBS).map(|i| format!("\"p{i}\"")).collect();
        assert_eq!(
            problems(&format!("exclude = [{}]", globs.join(","))),
            ["`exclude` has 1001 globs; at most 1000 are allowed"]
        );
    }
}

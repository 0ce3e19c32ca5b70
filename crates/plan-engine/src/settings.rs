//! The effective settings of a check run: the config file and the command line combined.
//! Which files are linted, which rules run on each at what severity, and what fails the run.

use crate::config::{self, Config, OverrideMatcher, Patterns, RuleSetting};
use crate::confine::ProjectRoot;
use crate::discover::{Take, display_path, is_plan_file_name, normalize};
use crate::error::EngineError;
use crate::options::{FailOn, Options};
use jiff::civil::Date;
use plan_rules::{Policy, Registry, Rule, Severity};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Settings {
    pub today: Date,
    pub fail_on: FailOn,
    /// Files larger than this many bytes are reported, not read.
    pub max_file_size: u64,
    pub config: Option<Config>,
    /// Every rule of the run: the built-ins and the config's custom rules.
    pub registry: Registry,
    /// The working folder, absolute.
    cwd: PathBuf,
    /// Severity per rule (registry order) from the defaults and the config's `[rules]`,
    /// before overrides; `None` is off.
    base: Vec<Option<Severity>>,
    /// Per rule (registry order): whether `--select`/`--ignore` leave it on.
    cli_on: Vec<bool>,
    /// The files a folder walk takes: the config's `include`, else the default; compiled once.
    include: Patterns,
    /// The project's folder, absolute: the config's, else the project root (the repository
    /// around the working folder, else the working folder). Globs are relative to it, and the
    /// portfolio rules see every plan under it.
    glob_root: PathBuf,
    /// Every override's globs, matched at once.
    overrides: OverrideMatcher,
    /// The baseline in use, absolute: `--baseline`, else the config's `baseline`, else
    /// `plan-lint-baseline.json` in the project's folder if it is there; none with
    /// `--no-baseline`.
    pub baseline: Option<PathBuf>,
}

impl Settings {
    /// Combine the command line with the config: `--config FILE`, else the one found from
    /// the working folder up to the repository root.
    pub fn new(args: &Options, root: &ProjectRoot, today: Date) -> Result<Settings, EngineError> {
        let cwd = root.cwd();
        let config_path = match &args.config {
            Some(path) => Some(cwd.join(path)),
            None => config::discover(root)?,
        };
        let config = match config_path {
            Some(path) => {
                let shown = display_path(&path, cwd);
                Some(config::load(root, &normalize(&path), &shown)?)
            }
            None => None,
        };
        let registry = config.as_ref().map_or_else(
            || Registry::built_in().clone(),
            |config| config.registry.clone(),
        );
        let selected = resolve(&registry, &args.select, "--select")?;
        let ignored = resolve(&registry, &args.ignore, "--ignore")?;
        let mut base: Vec<Option<Severity>> = registry
            .rules()
            .iter()
            .map(|rule| Some(rule.default_severity))
            .collect();
        if let Some(config) = &config {
            set(&registry, &mut base, &config.rules);
        }
        let cli_on = registry
            .rules()
            .iter()
            .map(|rule| (selected.is_empty() || selected.contains(rule)) && !ignored.contains(rule))
            .collect();
        let fail_on = args
            .fail_on
            .or(config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or_default();
        let max_file_size = args
            .max_file_size
            .or(config.as_ref().and_then(|c| c.max_file_size))
            .unwrap_or(crate::size::DEFAULT_MAX_FILE_SIZE);
        let include = match &config {
            Some(config) => config.include.clone(),
            None => Patterns::new(&config::DEFAULT_INCLUDE),
        };
        let glob_root = match &config {
            Some(config) => normalize(&cwd.join(&config.root)),
            None => root.path().to_owned(),
        };
        let overrides = OverrideMatcher::new(config.as_ref().map_or(&[][..], |c| &c.overrides));
        let configured = config.as_ref().and_then(|config| config.baseline.as_ref());
        let baseline = match (&args.baseline, configured) {
            _ if args.no_baseline => None,
            (Some(path), _) => Some(normalize(&cwd.join(path))),
            (None, Some(path)) => Some(normalize(&glob_root.join(path))),
            // As ESLint reads `eslint-suppressions.json`: the baseline that `--write-baseline`
            // writes is used where it is, so adopting takes no config.
            (None, None) => {
                let default = glob_root.join(crate::baseline::DEFAULT_FILE_NAME);
                matches!(
                    root.resolve(&default),
                    Ok(crate::confine::Resolved::Found(_))
                )
                .then_some(default)
            }
        };
        Ok(Settings {
            today,
            fail_on,
            max_file_size,
            config,
            registry,
            cwd: cwd.to_owned(),
            base,
            cli_on,
            include,
            glob_root,
            overrides,
            baseline,
        })
    }

    /// Whether a file found by walking a folder (`named: false`) or named on the command line
    /// (`named: true`) is linted. A walked file must match `include`; no file may match
    /// `exclude`, so that pre-commit and CI, which name files, honour it too.
    pub fn takes(&self, path: &Path, named: bool) -> Take {
        let Some(relative) = self.relative(path) else {
            // Outside the config's folder no glob applies.
            return if named || file_name_is_a_plan(path) {
                Take::Yes
            } else {
                Take::NotIncluded
            };
        };
        if let Some(glob) = self
            .config
            .as_ref()
            .and_then(|config| config.exclude.first_match(&relative))
        {
            return Take::Excluded(glob.to_owned());
        }
        if named || self.include.matches(&relative) {
            Take::Yes
        } else {
            Take::NotIncluded
        }
    }

    /// Whether `--select` and `--ignore` leave no rule on (`--select X --ignore X`).
    pub fn command_line_turns_every_rule_off(&self) -> bool {
        !self.cli_on.iter().any(|&on| on)
    }

    /// The folder of the project: its plans are the portfolio.
    pub fn project_folder(&self) -> &Path {
        &self.glob_root
    }

    /// The path of a file relative to the project's folder, `/`-separated; `None` when it lies
    /// outside.
    fn relative(&self, path: &Path) -> Option<String> {
        let absolute = normalize(&self.cwd.join(path));
        let relative = absolute.strip_prefix(&self.glob_root).ok()?;
        Some(display_path(relative, Path::new("")))
    }

    /// The indices of the `[[overrides]]` entries that apply to a file.
    pub fn overrides_for(&self, path: &Path) -> Vec<usize> {
        // Without a config there is nothing to match, and no path to work out.
        if self.config.is_none() {
            return Vec::new();
        }
        let Some(relative) = self.relative(path) else {
            return Vec::new();
        };
        self.overrides.matching(&relative)
    }

    /// The rules' severities for the files of a run, in file order.
    pub fn policy(&self, files: &[&Path]) -> RunPolicy {
        let mut profiles: Vec<Vec<Option<Severity>>> = Vec::new();
        let mut by_overrides: HashMap<Vec<usize>, usize> = HashMap::new();
        let file_profile = files
            .iter()
            .map(|path| {
                let overrides = self.overrides_for(path);
                *by_overrides
                    .entry(overrides)
                    .or_insert_with_key(|overrides| {
                        profiles.push(self.severities(overrides));
                        profiles.len() - 1
                    })
            })
            .collect();
        RunPolicy {
            profiles,
            file_profile,
            registry: self.registry.clone(),
        }
    }

    /// Severity per rule (registry order) with the given overrides applied in order.
    fn severities(&self, overrides: &[usize]) -> Vec<Option<Severity>> {
        let mut severities = self.base.clone();
        if let Some(config) = &self.config {
            for &i in overrides {
                set(&self.registry, &mut severities, &config.overrides[i].rules);
            }
        }
        for (severity, on) in severities.iter_mut().zip(&self.cli_on) {
            if !on {
                *severity = None;
            }
        }
        severities
    }

    /// The baseline `--write-baseline` writes: the file it names, else the baseline in use,
    /// else `plan-lint-baseline.json` in the project's folder (the config's, else the root).
    pub fn baseline_to_write(&self, named: Option<&Path>) -> PathBuf {
        match (named, &self.baseline) {
            (Some(path), _) => normalize(&self.cwd.join(path)),
            (None, Some(baseline)) => baseline.clone(),
            (None, None) => self.glob_root.join(crate::baseline::DEFAULT_FILE_NAME),
        }
    }

    /// Whether a finding of this severity makes the run fail.
    pub fn fails(&self, severity: Severity) -> bool {
        match self.fail_on {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Note => true,
            FailOn::Never => false,
        }
    }

    /// The `--show-settings` text.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let show = |patterns: &Patterns| {
            if patterns.written.is_empty() {
                "none".to_owned()
            } else {
                patterns.written.join(", ")
            }
        };
        match &self.config {
            Some(config) => {
                let _ = writeln!(
                    out,
                    "config file: {}",
                    display_path(&config.path, &self.cwd)
                );
                let _ = writeln!(
                    out,
                    "include: {} (honouring .gitignore)",
                    show(&config.include)
                );
                let _ = writeln!(out, "exclude: {}", show(&config.exclude));
            }
            None => {
                let _ = writeln!(out, "config file: none");
                let _ = writeln!(
                    out,
                    "include: {} (honouring .gitignore)",
                    config::DEFAULT_INCLUDE.join(", ")
                );
                let _ = writeln!(out, "exclude: none");
            }
        }
        let _ = writeln!(
            out,
            "project: {} (the portfolio rules see every plan under it)",
            display_path(&self.glob_root, &self.cwd)
        );
        let baseline = self.baseline.as_ref().map_or("none".to_owned(), |path| {
            crate::text::visible(&display_path(path, &self.cwd)).into_owned()
        });
        let _ = writeln!(out, "baseline: {baseline}");
        let _ = writeln!(out, "today: {}", self.today);
        let _ = writeln!(out, "fail-on: {}", self.fail_on.as_str());
        let _ = writeln!(
            out,
            "max-file-size: {}",
            crate::size::describe_size(self.max_file_size)
        );
        let _ = writeln!(out, "rules:");
        for (rule, severity) in self.registry.rules().iter().zip(self.severities(&[])) {
            let severity = severity.map_or("off", Severity::as_str);
            let _ = writeln!(out, "  {} {:<23} {severity}", rule.code, rule.name);
        }
        if let Some(config) = &self.config {
            for (i, o) in config.overrides.iter().enumerate() {
                let _ = writeln!(out, "overrides #{}: files {}", i + 1, show(&o.files));
                for (rule, severity) in &o.rules {
                    let severity = severity.map_or("off", Severity::as_str);
                    let _ = writeln!(out, "  {} {:<23} {severity}", rule.code, rule.name);
                }
            }
        }
        out
    }

    /// How `--show-files` names the config that applies to a file: `plan-lint.toml`, with the
    /// overrides that match it.
    /// Where the run's rules come from, as shown: the config file and its `rule_files`. When
    /// one of them changes, every plan's findings may change with it.
    pub fn rule_sources(&self) -> Vec<String> {
        let Some(config) = &self.config else {
            return Vec::new();
        };
        std::iter::once(normalize(&self.cwd.join(&config.path)))
            .chain(config.rule_files.iter().cloned())
            .map(|path| display_path(&path, &self.cwd))
            .collect()
    }

    pub fn describe_config_for(&self, path: &Path) -> Option<String> {
        let config = self.config.as_ref()?;
        let mut shown = display_path(&config.path, &self.cwd);
        let overrides = self.overrides_for(path);
        if !overrides.is_empty() {
            let numbers: Vec<String> = overrides.iter().map(|i| format!("#{}", i + 1)).collect();
            let _ = write!(shown, ", overrides {}", numbers.join(", "));
        }
        Some(shown)
    }
}

impl RunPolicy {
    /// The rules that are on for at least one file, in registry order.
    pub fn rules_on(&self) -> Vec<&'static Rule> {
        self.registry
            .rules()
            .iter()
            .enumerate()
            .filter(|(i, _)| self.profiles.iter().any(|profile| profile[*i].is_some()))
            .map(|(_, rule)| *rule)
            .collect()
    }
}

/// Rules' severities per file, as the rules crate asks for them.
#[derive(Debug)]
pub struct RunPolicy {
    /// One severity table per distinct set of matching overrides (usually very few).
    profiles: Vec<Vec<Option<Severity>>>,
    file_profile: Vec<usize>,
    registry: Registry,
}

impl Policy for RunPolicy {
    fn severity(&self, rule: &'static Rule, file: usize) -> Option<Severity> {
        let index = self.registry.index_of(rule)?;
        self.profiles[*self.file_profile.get(file)?][index]
    }

    fn registry(&self) -> &Registry {
        &self.registry
    }
}

fn set(registry: &Registry, severities: &mut [Option<Severity>], settings: &[RuleSetting]) {
    for (rule, severity) in settings {
        if let Some(index) = registry.index_of(rule) {
            severities[index] = *severity;
        }
    }
}

fn file_name_is_a_plan(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(is_plan_file_name)
}

fn resolve(
    registry: &Registry,
    names: &[String],
    option: &'static str,
) -> Result<Vec<&'static Rule>, EngineError> {
    names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(|name| {
            registry
                .by_name_or_code(name)
                .ok_or_else(|| EngineError::UnknownRule {
                    name: name.to_owned(),
                    option,
                    help: registry.unknown_rule_help(name),
                })
        })
        .collect()
}

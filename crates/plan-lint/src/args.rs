//! Command-line arguments. The doc comments are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use plan_engine::{FailOn, Options};
use std::path::PathBuf;

/// Lint Implementation Plans (*.plan.toml, *.plan.json, *.plan.yaml, *.plan.md) against the
/// delivery procedure.
#[derive(Debug, Parser)]
#[command(name = "plan-lint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `plan-lint [PATHS]` is `plan-lint check [PATHS]`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint plans (the default command)
    Check(Box<CheckArgs>),
    /// Write the portfolio's status report: one self-contained HTML page (or Markdown, or
    /// JSON) with the plans' health, timeline, RAID log, people, review calendar and findings
    Report(Box<ReportArgs>),
    /// List every rule, the project's custom rules too: code, name, default severity, summary
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
        /// The config file whose custom rules to list [default: the one found from here up]
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Show a rule's page: what it checks, why, and a failing and a passing example
    Explain {
        /// A rule name (`raid-mitigation`) or code (`PL002`), built-in or custom
        rule: String,
        /// The plan format to show the examples in [default: toml, as the pages write them]
        #[arg(long, value_enum)]
        format: Option<PlanFormat>,
        /// The config file whose custom rules to look in [default: the one found from here up]
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Run the examples of custom rules (`[[custom_rules.examples]]`) and report each one
    Test {
        /// Rule files, or config files, to test [default: the project's config and the rule
        /// files it names]
        files: Vec<PathBuf>,
        /// The config file to test when no files are named [default: the one found from here up]
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The date examples without a `today` are checked on [default: today, UTC]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Print the JSON Schema of the plan format, for completion and checking in editors
    Schema,
    /// Write a complete plan template that lints clean; never overwrites a file
    Init {
        /// The file to write (`.plan.toml`, `.plan.json`, `.plan.yaml`, `.plan.md`) [default:
        /// implementation.plan.toml, or the `--format` one]
        file: Option<PathBuf>,
        /// The plan's format [default: the file's, else toml]
        #[arg(long, value_enum)]
        format: Option<PlanFormat>,
        /// The date the template's dates start from [default: today, UTC]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// Print a shell completion script (for example `plan-lint completions bash >
    /// ~/.local/share/bash-completion/completions/plan-lint`)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these options
    Manpage,
    /// Run the language server (LSP over standard input and output) for editors
    Server {
        /// The date time-based rules treat as today [default: today, UTC]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
}

/// The names of the commands, for "did you mean" on a first argument that is neither a path
/// nor a command.
pub fn command_names() -> Vec<String> {
    use clap::CommandFactory;
    Cli::command()
        .get_subcommands()
        .map(|command| command.get_name().to_owned())
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// What a check run and a status report share: the config, the date, the baseline, the rules
/// and the size limit, which make the same findings of the same project.
#[derive(Debug, Clone, Args, Default)]
pub struct ProjectOptions {
    /// The config file [default: plan-lint.toml or .plan-lint.toml here or in the nearest
    /// ancestor folder, up to the repository root]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The date taken as today: by time-based rules, and by the status report's overdue
    /// reviews, late milestones and calendar [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// Treat the findings recorded in this baseline as known: not reported, not failing
    /// [default: the config's `baseline`, else plan-lint-baseline.json in the project's folder
    /// if it exists]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Use no baseline: report every finding
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,

    /// Run only these rules (comma-separated names or codes)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Run none of these rules (comma-separated names or codes)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Files larger than this are reported, not read (`10 MB`, `512 KB`, or bytes) [default:
    /// the config's `max_file_size`, else 10 MB]
    #[arg(long, value_name = "SIZE", value_parser = plan_engine::size::parse_size)]
    pub max_file_size: Option<u64>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    /// Files or folders to lint [default: .]. Folders are searched for *.plan.toml,
    /// *.plan.json, *.plan.yaml, *.plan.yml and *.plan.md, honouring .gitignore; a file named
    /// here is linted whatever its name
    pub paths: Vec<PathBuf>,

    /// How to print the report
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of standard output (atomically: all or nothing)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a SARIF 2.1.0 log to FILE, from the same run (atomically)
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,

    /// Also write the Markdown report to FILE, from the same run (atomically)
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Lint every plan, but report only findings in these files: portfolio rules still see
    /// every plan. Takes every file that follows it, so put it last (as the pre-commit hook
    /// does, which appends the staged files)
    #[arg(long, value_name = "FILES", num_args = 1.., value_delimiter = ',')]
    pub only_files: Vec<PathBuf>,

    /// Like --only-files, with the files changed since the git revision REF (from where the
    /// branch left REF, when git knows), plus files not yet committed
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    #[command(flatten)]
    pub project: ProjectOptions,

    /// Record every current finding in the baseline, then report as with it: FILE, else the
    /// baseline in use, else plan-lint-baseline.json beside the config or at the project root.
    /// Entries of plans the run did not check are kept
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        conflicts_with = "no_baseline"
    )]
    pub write_baseline: Option<Option<PathBuf>>,

    /// Drop the baseline's entries that match no finding any more
    #[arg(long, conflicts_with_all = ["write_baseline", "no_baseline"])]
    pub prune_baseline: bool,

    /// Also list the findings the baseline knows
    #[arg(long, conflicts_with = "no_baseline")]
    pub show_baseline: bool,

    /// Apply the safe fixes that findings carry, then report what is left
    #[arg(long)]
    pub fix: bool,

    /// Apply unsafe fixes too (a guessed key or value, a placeholder): look at what they
    /// write. Implies --fix unless --diff or --fix-only is given
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of applying them; exit 1 when there is one
    #[arg(long, conflicts_with_all = ["fix", "fix_only"])]
    pub diff: bool,

    /// Apply the fixes and report nothing else
    #[arg(long)]
    pub fix_only: bool,

    /// The lowest severity that makes the exit status 1 [default: the config's `fail_on`,
    /// else error]
    #[arg(long, value_name = "SEVERITY", value_parser = fail_on_parser())]
    pub fail_on: Option<FailOn>,

    /// When to colour the report: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR
    /// or CLICOLOR_FORCE force it), always, or never
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Plain output without colours: the same as --color never
    #[arg(long)]
    pub no_color: bool,

    /// Print the findings only: no summary line, no notes
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// After the report, count the findings of each rule (as ruff's --statistics does)
    #[arg(long)]
    pub statistics: bool,

    /// Print the plan files that would be linted, then exit
    #[arg(long, conflicts_with = "show_settings")]
    pub show_files: bool,

    /// Print the effective settings, then exit
    #[arg(long)]
    pub show_settings: bool,

    /// Exit 0 when no plan file is found (by default that is an error: a silent green run
    /// hides a broken path)
    #[arg(long)]
    pub allow_empty: bool,

    /// Set by `plan-lint report`: render the status report from this run instead.
    #[arg(skip)]
    pub status_report: Option<StatusReportRequest>,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Files or folders of plans [default: .], found as `plan-lint check` finds them; the
    /// report covers every plan of the project
    pub paths: Vec<PathBuf>,

    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The report's format
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,

    /// Link each finding to its line in the repository's web view: a URL with `{path}` (the
    /// file from the project's root), `{line}` and `{commit}` (the commit checked out), e.g.
    /// `https://github.com/OWNER/REPO/blob/{commit}/{path}#L{line}`
    #[arg(long, value_name = "TEMPLATE")]
    pub source_url: Option<String>,

    #[command(flatten)]
    pub project: ProjectOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// One self-contained page: inline CSS and SVG, nothing fetched
    #[default]
    Html,
    /// The same sections as Markdown tables and lists, without the charts
    Markdown,
    /// Every number of the page, for tools
    Json,
}

/// What `plan-lint report` asks of a check run.
#[derive(Debug, Clone)]
pub struct StatusReportRequest {
    pub format: ReportFormat,
    pub source_url: Option<String>,
}

impl ReportArgs {
    /// The check run a report is made from: the same discovery, settings and rules.
    pub fn check_args(&self) -> CheckArgs {
        CheckArgs {
            paths: self.paths.clone(),
            output: self.output.clone(),
            project: self.project.clone(),
            format: OutputFormat::Json,
            quiet: true,
            status_report: Some(StatusReportRequest {
                format: self.format,
                source_url: self.source_url.clone(),
            }),
            ..CheckArgs::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Source snippets with labels and help
    #[default]
    Human,
    /// One line per finding: `path:line:col: severity[code/name] message`
    Concise,
    /// A JSON document for tools
    Json,
    /// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request, most severe first
    Github,
    /// A Markdown summary of the portfolio, for a pull request or a job summary
    Markdown,
}

impl OutputFormat {
    /// As `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Markdown => "markdown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Toml,
    Json,
    Yaml,
    Markdown,
}

impl PlanFormat {
    /// The file name ending of a plan of this format.
    pub fn suffix(self) -> &'static str {
        match self {
            PlanFormat::Toml => ".plan.toml",
            PlanFormat::Json => ".plan.json",
            PlanFormat::Yaml => ".plan.yaml",
            PlanFormat::Markdown => ".plan.md",
        }
    }

    pub fn model(self) -> plan_model::Format {
        match self {
            PlanFormat::Toml => plan_model::Format::Toml,
            PlanFormat::Json => plan_model::Format::Json,
            PlanFormat::Yaml => plan_model::Format::Yaml,
            PlanFormat::Markdown => plan_model::Format::Markdown,
        }
    }

    pub fn of_model(format: plan_model::Format) -> PlanFormat {
        match format {
            plan_model::Format::Toml => PlanFormat::Toml,
            plan_model::Format::Json => PlanFormat::Json,
            plan_model::Format::Yaml => PlanFormat::Yaml,
            plan_model::Format::Markdown => PlanFormat::Markdown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match s.parse::<Date>() {
        Ok(date) if well_formed => Ok(date),
        _ => Err(format!("`{s}` is not a date; write it as YYYY-MM-DD")),
    }
}

/// `--fail-on`: one of the engine's names, which help and completions list.
fn fail_on_parser() -> impl clap::builder::TypedValueParser<Value = FailOn> {
    use clap::builder::TypedValueParser as _;
    let names = FailOn::ALL.map(FailOn::as_str);
    // Only those names get through, so each parses.
    clap::builder::PossibleValuesParser::new(names)
        .map(|name: String| FailOn::parse(&name).unwrap_or_default())
}

impl CheckArgs {
    /// What the engine needs of the arguments.
    pub fn options(&self) -> Options {
        let project = &self.project;
        Options {
            config: project.config.clone(),
            select: project.select.clone(),
            ignore: project.ignore.clone(),
            fail_on: self.fail_on,
            max_file_size: project.max_file_size,
            baseline: project.baseline.clone(),
            no_baseline: project.no_baseline,
        }
    }
}

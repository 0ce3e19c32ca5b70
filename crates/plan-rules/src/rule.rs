//! What a rule is, and what it is given to look at.

use crate::page::Page;
use crate::summary::PlanSummary;
use crate::{Finding, Severity};
use foldhash::HashMap;
use foldhash::HashMapExt as _;
use jiff::civil::Date;
use plan_model::{Plan, SchemaProblem, SourceFile};
use rayon::prelude::*;
use std::sync::Arc;

/// A built-in rule: its stable identity, its page, and how it checks.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, used as the SARIF `ruleId` (`PL002`).
    pub code: &'static str,
    /// Stable kebab-case name, used in config, suppressions and JSON (`raid-mitigation`).
    pub name: &'static str,
    pub default_severity: Severity,
    /// Time-based rules read "today" and skip closed plans.
    pub time_based: bool,
    /// Whether its findings can carry a fix, and of what kind (its page says the same).
    pub fix: Fixability,
    /// The rule's page, `rules/<name>.md`: the single source of its documentation.
    pub page: &'static str,
    pub check: Check,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

/// Whether a rule's findings come with fixes: some of them may not (a list of two
/// accountable people has no fix; a list of one has).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixability {
    None,
    /// Its fixes are safe: `--fix` applies them.
    Safe,
    /// Its fixes are unsafe: `--unsafe-fixes` applies them.
    Unsafe,
}

impl Fixability {
    /// As pages and `plan-lint rules` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Fixability::None => "none",
            Fixability::Safe => "safe",
            Fixability::Unsafe => "unsafe",
        }
    }
}

/// How a rule finds problems.
#[derive(Debug)]
pub enum Check {
    /// Found while reading the file (`syntax-error` … `missing-field`): the plan model
    /// reports these, and the engine gives them their rule.
    Schema(SchemaProblem),
    /// Looks at one plan at a time.
    Plan(fn(&PlanContext<'_>, &mut Vec<Finding>)),
    /// Looks across every plan in the run (duplicate plan ids, cross-plan references,
    /// one person's allocation over all plans), through their summaries.
    Portfolio(fn(&Portfolio, &mut Vec<Finding>)),
    /// Both: what can be checked within one plan, then what needs the others.
    PlanAndPortfolio(
        fn(&PlanContext<'_>, &mut Vec<Finding>),
        fn(&Portfolio, &mut Vec<Finding>),
    ),
    /// Reported by the suppression pass, after every other rule (`unjustified-suppression`,
    /// `unused-suppression`).
    Suppression,
    /// A project's own rule, from its config, or `custom-rule-error`: checked by the
    /// registry's [`CustomChecks`](crate::CustomChecks).
    Custom,
}

/// Where the documentation site is published (.github/workflows/docs.yml), one page per
/// built-in rule at `rules/<name>.html`.
pub const DOCS_SITE: &str = "https://plan-lint.github.io/plan-lint";

impl Rule {
    /// The rule's page on the documentation site; a project's own rule has none.
    pub fn help_uri(&self) -> Option<String> {
        (self.category() != "custom").then(|| format!("{DOCS_SITE}/rules/{}.html", self.name))
    }

    /// The one-sentence summary from the rule's page.
    pub fn summary(&self) -> &'static str {
        Page::parse(self.page).summary
    }

    /// The first paragraph of the page's "What it checks": a fuller description than the
    /// summary, as SARIF's `fullDescription` wants.
    pub fn description(&self) -> &'static str {
        Page::section(self.page, "What it checks")
            .and_then(|text| text.split("\n\n").next())
            .unwrap_or_else(|| self.summary())
    }

    /// The rule's family: `procedure` (PL001–PL099), `schema` (PL1xx), `suppression`
    /// (PL9xx), or `custom` (a project's own rule, whose code is never `PL…`).
    pub fn category(&self) -> &'static str {
        if !self.code.starts_with("PL") {
            return "custom";
        }
        match self.code.as_bytes().get(2) {
            Some(b'0') => "procedure",
            Some(b'9') => "suppression",
            _ => "schema",
        }
    }
}

/// One plan, as a per-plan rule sees it.
pub struct PlanContext<'a> {
    pub plan: &'a Plan<'a>,
    pub source: &'a SourceFile,
    /// Index of the file in the run, for [`Finding::new`].
    pub file: usize,
    pub today: Date,
    /// What looking up the plan's `design_plan` path found, when it was looked up.
    pub design_plan: Option<crate::DesignPlanLookup>,
    /// Writes fixes in the file's format.
    pub editor: plan_model::Editor<'a>,
}

impl PlanContext<'_> {
    /// A finding about this plan.
    pub fn finding(
        &self,
        rule: &'static Rule,
        span: plan_model::Span,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(rule, self.file, span, path, message)
    }
}

/// Every plan in the run, for rules that look across plans: their summaries, in file order.
pub struct Portfolio {
    pub plans: Vec<Arc<PlanSummary>>,
    pub today: Date,
    /// `plan.id` → index in `plans` of the first plan with that id; built once per run.
    by_id: HashMap<String, usize>,
    /// By file number, the files whose findings are wanted; all when `None`.
    focus: Option<Vec<bool>>,
}

impl Portfolio {
    pub fn new(plans: Vec<Arc<PlanSummary>>, today: Date) -> Self {
        let mut by_id = HashMap::with_capacity(plans.len());
        for (index, plan) in plans.iter().enumerate() {
            if let Some(id) = plan.id() {
                by_id.entry(id.to_owned()).or_insert(index);
            }
        }
        Portfolio {
            plans,
            today,
            by_id,
            focus: None,
        }
    }

    /// Only the findings in the files `focus` marks (by file number) are wanted: a rule may
    /// skip work that could only find something elsewhere, and what it finds elsewhere is
    /// dropped.
    pub fn focused(mut self, focus: &[bool]) -> Self {
        self.focus = Some(focus.to_vec());
        self
    }

    /// Whether findings in this file are wanted.
    pub fn in_focus(&self, file: usize) -> bool {
        self.focus
            .as_ref()
            .is_none_or(|focus| focus.get(file).copied().unwrap_or(false))
    }

    /// The first plan (in file order) with this `plan.id`.
    pub fn plan_with_id(&self, id: &str) -> Option<&PlanSummary> {
        self.index_of(id).map(|index| &*self.plans[index])
    }

    /// Free the summaries now: tens of thousands of small strings at portfolio scale, so
    /// every thread takes part.
    pub(crate) fn free(self) {
        let Portfolio { plans, by_id, .. } = self;
        rayon::join(|| plans.into_par_iter().for_each(drop), || drop(by_id));
    }

    /// The index in `plans` of the first plan (in file order) with this `plan.id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

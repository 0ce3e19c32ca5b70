//! Which rules run where, and at what severity: the command line's configuration, as the
//! rules see it.

use crate::{Finding, Registry, Rule, Severity};

/// The severity of each rule in each file of a run. Files are checked in parallel, so a
/// policy is shared between threads.
pub trait Policy: Sync {
    /// The severity of `rule`'s findings in file `file` (an index into the run), or `None`
    /// where the rule is off.
    fn severity(&self, rule: &'static Rule, file: usize) -> Option<Severity>;

    /// Every rule of the run: the built-ins, and the project's custom rules if it has some.
    fn registry(&self) -> &Registry {
        Registry::built_in()
    }
}

/// Every rule on, at its default severity.
#[derive(Debug, Clone, Copy, Default)]
pub struct Defaults;

impl Policy for Defaults {
    fn severity(&self, rule: &'static Rule, _file: usize) -> Option<Severity> {
        Some(rule.default_severity)
    }
}

/// Give a finding its configured severity; `None` when its rule is off in its file.
///
/// A rule may report some findings below its default (a draft plan's missing artefact is a
/// warning): configuration changes the default, so those keep their own severity unless the
/// rule is configured at a different level.
pub(crate) fn configure(mut finding: Finding, policy: &dyn Policy) -> Option<Finding> {
    let configured = policy.severity(finding.rule, finding.file)?;
    if configured != finding.rule.default_severity {
        finding.severity = configured;
    }
    Some(finding)
}

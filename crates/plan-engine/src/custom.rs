//! A project's custom rules as the engine runs them: each compiled rule (`plan-custom`) given
//! a [`Rule`] of its own, so that configuration, suppressions, the baseline and every output
//! treat it as they treat a built-in, and checked plan by plan in the first stage.

use plan_custom::{CustomRule, Outcome};
use plan_rules::{
    CUSTOM_RULE_ERROR, Check, CustomChecks, Finding, Fixability, PlanContext, Registry, Rule,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

/// The custom rules of a project, in config order (the config's own, then each rule file's).
#[derive(Debug, Default)]
pub struct CustomRules {
    rules: Vec<(&'static Rule, Arc<CustomRule>, Arc<Origin>)>,
    /// The plan's top-level tables any rule reads; `None` when one may read any.
    keys: Option<BTreeSet<String>>,
}

/// The file a custom rule is written in: the config, or a rule file.
#[derive(Debug)]
pub struct Origin {
    /// Absolute.
    pub path: std::path::PathBuf,
    pub text: String,
}

impl Origin {
    /// The 1-based line of a byte offset in the file.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            + 1
    }
}

impl CustomRules {
    pub fn new(rules: Vec<(Arc<CustomRule>, Arc<Origin>)>) -> CustomRules {
        let keys = plan_custom::plan_keys(rules.iter().map(|(rule, _)| &**rule));
        CustomRules {
            rules: rules
                .into_iter()
                .map(|(rule, origin)| (as_rule(&rule), rule, origin))
                .collect(),
            keys,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Each rule, with its registry entry and the file it is written in.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Rule, &CustomRule, &Origin)> {
        self.rules
            .iter()
            .map(|(rule, custom, origin)| (*rule, &**custom, &**origin))
    }

    /// The rules and their origins, to put them together with others'.
    pub fn shared(&self) -> Vec<(Arc<CustomRule>, Arc<Origin>)> {
        self.rules
            .iter()
            .map(|(_, rule, origin)| (rule.clone(), origin.clone()))
            .collect()
    }

    /// The built-in rules and these.
    pub fn registry(self: &Arc<Self>) -> Registry {
        if self.is_empty() {
            return Registry::built_in().clone();
        }
        let rules = self.rules.iter().map(|(rule, ..)| *rule).collect();
        Registry::with_custom(rules, self.clone())
    }
}

impl CustomChecks for CustomRules {
    fn check(
        &self,
        cx: &PlanContext<'_>,
        wanted: &dyn Fn(&'static Rule) -> bool,
        findings: &mut Vec<Finding>,
    ) {
        let (rules, checked): (Vec<&'static Rule>, Vec<&CustomRule>) = self
            .rules
            .iter()
            .filter(|(rule, ..)| wanted(rule))
            .map(|(rule, custom, _)| (*rule, &**custom))
            .unzip();
        let Some(document) = cx.plan.document.filter(|_| !rules.is_empty()) else {
            return;
        };
        let report_errors = wanted(CUSTOM_RULE_ERROR);
        let outcomes = plan_custom::check_all(&checked, document, cx.today, self.keys.as_ref());
        for (rule, outcomes) in rules.into_iter().zip(outcomes) {
            for outcome in outcomes {
                let (rule, hit) = match outcome {
                    Outcome::Failed(hit) => (rule, hit),
                    Outcome::Error(hit) if report_errors => (CUSTOM_RULE_ERROR, hit),
                    Outcome::Error(_) => continue,
                };
                let mut finding = cx.finding(rule, hit.span, hit.path, hit.message);
                finding.help = hit.help.map(Into::into);
                findings.push(finding);
            }
        }
    }
}

/// The registry entry of a custom rule. Findings name their rule as `&'static Rule`, as the
/// built-ins' do, so a custom rule's entry lives as long as the process; each distinct
/// definition is made once, so a language server reading an unchanged config again does not
/// grow.
fn as_rule(custom: &CustomRule) -> &'static Rule {
    static MADE: Mutex<Option<HashMap<String, &'static Rule>>> = Mutex::new(None);
    let page = custom.page();
    let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
    let made = made.get_or_insert_with(HashMap::new);
    let key = format!(
        "{}\n{}\n{}\n{page}",
        custom.code,
        custom.name,
        custom.severity.as_str()
    );
    made.entry(key).or_insert_with(|| {
        let leak = |text: &str| -> &'static str { Box::leak(text.to_owned().into_boxed_str()) };
        Box::leak(Box::new(Rule {
            code: leak(&custom.code),
            name: leak(&custom.name),
            default_severity: custom.severity,
            time_based: false,
            fix: Fixability::None,
            page: leak(&page),
            check: Check::Custom,
        }))
    })
}

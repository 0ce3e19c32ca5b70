//! One module per rule. Each defines `pub static RULE` and, unless it is a schema rule, the
//! function that checks it.

pub mod accountable_owner;
pub mod backlog_priority;
pub mod custom_rule_error;
pub mod dangling_reference;
pub mod dependency_cycle;
pub mod design_plan;
pub mod duplicate_id;
pub mod duplicate_plan_id;
pub mod health_stale;
pub mod invalid_value;
pub mod mechanism_raci;
pub mod milestone_overdue;
pub mod missing_field;
pub mod over_allocation;
pub mod problem_owner;
pub mod raid_mitigation;
pub mod red_health_action;
pub mod required_artefacts;
pub mod review_overdue;
pub mod review_trigger;
pub mod schedule_order;
pub mod syntax_error;
pub mod unjustified_suppression;
pub mod unknown_field;
pub mod unknown_person;
pub mod unused_suppression;

mod describe;

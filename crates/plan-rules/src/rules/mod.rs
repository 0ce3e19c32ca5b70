//! One module per rule. Each defines `pub static RULE` and, unless it is a schema rule, the
//! function that checks it.

pub mod accountable_owner;
pub mod invalid_value;
pub mod missing_field;
pub mod raid_mitigation;
pub mod red_health_action;
pub mod review_trigger;
pub mod syntax_error;
pub mod unknown_field;

mod describe;

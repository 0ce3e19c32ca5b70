//! One module per subcommand.

pub mod check;
pub mod explain;
pub mod generated;
pub mod init;
pub mod rules;
pub mod schema;

//! A format-neutral tree of values, each with its span. TOML and JSON are both read into it,
//! so the schema and everything after it never know which format a plan was written in.

//!
//! The tree lives in an [`Arena`], with a copy of the file's text: strings borrow from that
//! text where they can (no escapes) and from the arena otherwise, and tables and arrays are
//! slices in the arena. The typed plan read from the tree lives there too and borrows the same
//! strings, so reading a plan allocates nothing per table or string, and everything is freed
//! at once when the arena is emptied for the next file.

use crate::Span;
use jiff::civil::Date;

/// Where a file's text, value tree and typed plan are kept. One arena can be emptied and reused
/// for file after file ([`crate::with_thread_arena`]).
#[derive(Debug, Default)]
pub struct Arena(pub(crate) bumpalo::Bump);

impl Arena {
    pub fn new() -> Arena {
        Arena::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value<'a> {
    pub span: Span,
    pub kind: Kind<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    String(&'a str),
    Integer(i64),
    /// A number that is not an integer in range, as written (TOML's `_` separators removed):
    /// kept as text so that shares are read exactly, never through floating point.
    Float(&'a str),
    Boolean(bool),
    /// A TOML local date (`2026-11-24`).
    Date(Date),
    /// Any other TOML date-time, kept as written (plans use dates only).
    Datetime(&'a str),
    Null,
    Array(&'a [Value<'a>]),
    Table(Table<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table<'a> {
    /// Entries in source order.
    pub entries: &'a [Entry<'a>],
    /// Whether the table was opened by a TOML header (`[plan]`, `[[raid]]`). A header is the
    /// best place to point at a table; otherwise its key, or its opening brace, is.
    pub header: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub key_span: Span,
    pub value: Value<'a>,
}

/// Whether two keys are the same. Plans compare short keys all the time (repeated keys,
/// keys against the format's): most pairs differ in length or first byte, which is checked
/// before the bytes are compared.
#[inline]
pub fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl Kind<'_> {
    /// The name of the kind as users know it, for "expected a date, found an integer".
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::String(_) => "a string",
            Kind::Integer(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Boolean(_) => "a boolean",
            Kind::Date(_) => "a date",
            Kind::Datetime(_) => "a date-time",
            Kind::Null => "null",
            Kind::Array(_) => "an array",
            Kind::Table(_) => "a table",
        }
    }
}

impl Value<'_> {
    /// Where to point at this value as a whole: a table's header, or the first character of
    /// an inline table or object (pointing at a whole multi-line object helps nobody).
    pub fn anchor(&self) -> Span {
        match &self.kind {
            Kind::Table(table) if !table.header => Span::new(self.span.start, self.span.start + 1),
            _ => self.span,
        }
    }
}

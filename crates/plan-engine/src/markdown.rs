//! User text in Markdown (job summaries, pull request comments, the status report): escaped
//! so that it reads as text where it stands. A plan must not be able to put HTML, a link or a
//! heading into a page that reviewers trust.

use crate::text::{truncated, visible};

/// Where a piece of inline Markdown stands: a table cell must also escape `|`, which would
/// otherwise end the cell even inside a code span (GitHub Flavored Markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    TableCell,
    Text,
}

/// Punctuation that starts nothing in the middle of a line, and reads better unescaped.
const HARMLESS: &str = "-,'\"/=;?%";

/// How many characters of a user's text are shown: a message, and a name or path.
pub const LONG_TEXT: usize = 2_000;
pub const LONG_NAME: usize = 300;

/// A user's text as literal Markdown text: made visible (control characters and line breaks
/// escaped, so it stays on its line), cut to `limit` characters, and every ASCII punctuation
/// character that could start Markdown backslash-escaped (CommonMark allows it for all of
/// them). So no HTML, entity, link, image, emphasis, code span, math, table cell or autolink
/// (`www.`, `https:`, `a@b.org`) can start inside it; and since it never starts a line, no
/// heading or list can either.
pub fn text(text: &str, limit: usize) -> String {
    let shown = truncated(&visible(text), limit);
    let mut out = String::with_capacity(shown.len() + shown.len() / 4);
    for c in shown.chars() {
        if c.is_ascii_punctuation() && !HARMLESS.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A user's text as a code span, which Markdown shows literally: fenced with one backtick
/// more than the longest run inside it, padded when it starts or ends with a backtick or a
/// space, so the text can never close the span early.
pub fn code(text: &str, place: Place) -> String {
    let shown = truncated(&visible(text), LONG_NAME);
    if shown.is_empty() {
        return "—".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if shown.starts_with(['`', ' ']) || shown.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    let inner = match place {
        Place::TableCell => shown.replace('|', "\\|"),
        Place::Text => shown,
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

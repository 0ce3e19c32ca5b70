//! Text that users wrote, made safe for a terminal: control characters (C0, DEL, C1) and the
//! invisible bidirectional controls that reorder what is shown (U+202A–U+202E, U+2066–U+2069,
//! and the marks U+200E, U+200F, U+061C) are replaced with visible escapes such as `\u{1b}`,
//! whatever the colour setting. Key names, values, ids, file names and a plan's own text all
//! reach the human and concise reports, and an escape sequence in a name must never reach the
//! terminal as one.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character is one the terminal would act on or hide, rather than show.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// One line of text as it may be shown: every unsafe character escaped, line breaks and tabs
/// too, so a value can neither move the cursor nor start a line of its own.
pub fn visible(text: &str) -> Cow<'_, str> {
    // Printable ASCII, nearly every message and path, is checked a word at a time.
    let printable_ascii = text.bytes().all(|b| matches!(b, b' '..=b'~'));
    if printable_ascii || !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// A file's text as the human report shows it in snippets: unsafe characters escaped, except
/// the line structure (`\n`, `\r\n`) and tabs; and the way back from offsets in the file to
/// offsets in the shown text.
#[derive(Debug)]
pub struct ShownText<'a> {
    pub text: Cow<'a, str>,
    /// For each escaped character, in order: its offset in the file, and how many bytes the
    /// shown text has gained by the end of its escape.
    shifts: Vec<(usize, usize)>,
}

impl<'a> ShownText<'a> {
    pub fn new(text: &'a str) -> ShownText<'a> {
        let keeps = |text: &str, at: usize, c: char| {
            c == '\n' || c == '\t' || (c == '\r' && text[at + 1..].starts_with('\n'))
        };
        let mut unsafe_chars = text
            .char_indices()
            .filter(|&(at, c)| is_unsafe(c) && !keeps(text, at, c))
            .peekable();
        if unsafe_chars.peek().is_none() {
            return ShownText {
                text: Cow::Borrowed(text),
                shifts: Vec::new(),
            };
        }
        let mut shown = String::with_capacity(text.len() + 64);
        let mut shifts = Vec::new();
        let mut copied = 0;
        for (at, c) in unsafe_chars {
            shown.push_str(&text[copied..at]);
            push_escape(&mut shown, c);
            copied = at + c.len_utf8();
            shifts.push((at, shown.len() - copied));
        }
        shown.push_str(&text[copied..]);
        ShownText {
            text: Cow::Owned(shown),
            shifts,
        }
    }

    /// Where a byte offset of the file (on a character boundary) is in the shown text. An
    /// offset at an escaped character is the start of its escape.
    pub fn offset(&self, at: usize) -> usize {
        let before = self.shifts.partition_point(|&(escaped, _)| escaped < at);
        match before {
            0 => at,
            n => at + self.shifts[n - 1].1,
        }
    }
}

/// `1 plan`, `2 plans`; after a consonant, `y` becomes `ies` (`2 entries`, but `2 days`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        return format!("1 {word}");
    }
    match word.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) => format!("{n} {stem}ies"),
        _ => format!("{n} {word}s"),
    }
}

/// At most `limit` characters of `text`, with an ellipsis when cut.
pub fn truncated(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plurals_are_english() {
        use super::plural;
        assert_eq!(plural(1, "stale entry"), "1 stale entry");
        assert_eq!(plural(2, "stale entry"), "2 stale entries");
        assert_eq!(plural(0, "entry"), "0 entries");
        assert_eq!(plural(3, "day"), "3 days");
        assert_eq!(plural(2, "plan"), "2 plans");
    }

    use super::*;

    #[test]
    fn truncated_text_is_cut_at_a_character_with_an_ellipsis() {
        assert_eq!(truncated("abc", 3), "abc");
        assert_eq!(truncated("abcd", 3), "abc…");
        // Characters, not bytes: each of these is two or three bytes long.
        assert_eq!(truncated("éé✓✓", 3), "éé✓…");
        assert_eq!(truncated("", 0), "");
        assert_eq!(truncated("a", 0), "…");
    }

    #[test]
    fn control_and_bidi_characters_become_visible_escapes() {
        assert_eq!(visible("plain é ✓"), "plain é ✓");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("carol\u{1b}[2J\u{1b}]0;x\u{7}"),
            "carol\\u{1b}[2J\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(visible("a\nb\r\nc\td"), "a\\u{a}b\\u{d}\\u{a}c\\u{9}d");
        assert_eq!(
            visible("\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{200f}"),
            "\\u{7f}\\u{85}\\u{9b}\\u{202e}\\u{2066}\\u{200f}"
        );
    }

    #[test]
    fn the_printable_ascii_shortcut_agrees_with_is_unsafe() {
        for c in (0..=0x7f_u8).map(char::from) {
            let text = format!("x{c}y");
            let kept = matches!(visible(&text), Cow::Borrowed(_));
            assert_eq!(kept, !is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn shown_text_keeps_lines_and_maps_offsets() {
        let text = "a = \"\u{1b}[31m\"\r\nb = \"\u{202e}x\"\n\tc\rd";
        let shown = ShownText::new(text);
        assert_eq!(
            shown.text,
            "a = \"\\u{1b}[31m\"\r\nb = \"\\u{202e}x\"\n\tc\\u{d}d"
        );
        for (at, _) in text.char_indices() {
            let c = text[at..].chars().next().unwrap();
            let mapped = shown.offset(at);
            if is_unsafe(c)
                && !matches!(c, '\n' | '\t')
                && !(c == '\r' && text[at + 1..].starts_with('\n'))
            {
                assert!(shown.text[mapped..].starts_with("\\u{"), "{at}");
            } else {
                assert!(shown.text[mapped..].starts_with(c), "{at}: {c:?}");
            }
        }
        assert_eq!(shown.offset(text.len()), shown.text.len());
    }
}

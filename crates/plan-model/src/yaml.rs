//! YAML front-end: YAML 1.2 read with saphyr-parser's event API, which gives the span of every
//! scalar and collection as it goes, so the spanned value tree is built directly from the
//! events, with no intermediate document. Plain scalars are resolved by YAML 1.2's core schema
//! (`yes`, `no`, `on` and `off` are text), with one addition for plans: an unquoted
//! `YYYY-MM-DD` is a date, as it is in TOML.
//!
//! What YAML has and a plan does not need is refused with an error at its place, never
//! guessed at: a second document in the file, anchors and aliases (which also rules out the
//! "billion laughs": nothing is ever expanded), tags, and keys that are not text. Keys may not
//! repeat, as in TOML and in plan-lint's JSON.

use crate::value::{Arena, Entry, Kind, Table, Value, same_key};
use crate::{Span, SyntaxError};
use foldhash::HashSet;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError};
use std::borrow::Cow;

/// Deeper nesting than any plan needs is refused, as in JSON.
const MAX_DEPTH: usize = 128;

/// Mappings up to this many keys are checked for repeated keys by scanning them.
const SCAN_KEYS: usize = 16;

pub(crate) fn parse<'a>(text: &'a str, arena: &'a Arena) -> Result<Value<'a>, SyntaxError> {
    let mut reader = Reader {
        text,
        offsets: CharOffsets::new(text),
        arena: &arena.0,
        frames: Vec::new(),
        entries: Vec::new(),
        items: Vec::new(),
        root: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| scan_error(text, &reader.offsets, &e))?;
        let span = reader.span(span.start, span.end);
        if !reader.event(event, span)? {
            break;
        }
    }
    reader.root.ok_or_else(|| SyntaxError {
        message: "the file holds no YAML value".into(),
        span: Span::new(0, 0),
    })
}

struct Reader<'a> {
    text: &'a str,
    offsets: CharOffsets,
    arena: &'a bumpalo::Bump,
    /// The collections being read, innermost last.
    frames: Vec<Frame<'a>>,
    /// Scratch stacks for the entries of the mappings and the items of the sequences being
    /// read: each moves its own from the top into the arena when it ends.
    entries: Vec<Entry<'a>>,
    items: Vec<Value<'a>>,
    root: Option<Value<'a>>,
    documents: usize,
}

enum Frame<'a> {
    Sequence {
        start: usize,
        flow: bool,
        mark: usize,
    },
    Mapping {
        start: usize,
        flow: bool,
        mark: usize,
        /// The key read, waiting for its value.
        key: Option<(&'a str, Span)>,
        /// Past `SCAN_KEYS` keys, the keys so far.
        seen: Option<HashSet<&'a str>>,
    },
}

impl<'a> Reader<'a> {
    /// Read one event; `false` at the end of the stream.
    fn event(&mut self, event: Event<'a>, span: Span) -> Result<bool, SyntaxError> {
        match event {
            Event::StreamEnd => return Ok(false),
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(SyntaxError {
                        message: "a plan file holds one YAML document; this is a second".into(),
                        span: self.at_least_one_char(span),
                    });
                }
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    message: "aliases (`*name`) are not read in plans; write the value out".into(),
                    span: self.at_least_one_char(span),
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.refuse_anchor_and_tag(anchor, tag.is_some(), span)?;
                let value = self.keep(value);
                // The parser's end of an empty quoted scalar runs on to the end of its line.
                let span = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        Span::new(span.start, quoted_end(self.text, span.start))
                    }
                    _ => span,
                };
                if let Some(Frame::Mapping {
                    key: key @ None, ..
                }) = self.frames.last_mut()
                {
                    *key = Some((value, span));
                    return self.check_repeated_key();
                }
                let kind = match style {
                    ScalarStyle::Plain => resolve(value),
                    _ => Kind::String(value),
                };
                self.complete(Value { span, kind })?;
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                self.refuse_anchor_and_tag(anchor, tag.is_some(), span)?;
                if let Some(Frame::Mapping { key: None, .. }) = self.frames.last() {
                    return Err(SyntaxError {
                        message: "a key must be text, not a list or a table".into(),
                        span: self.at_least_one_char(span),
                    });
                }
                if self.frames.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        message: format!("values are nested more than {MAX_DEPTH} levels deep"),
                        span: self.at_least_one_char(span),
                    });
                }
                let start = span.start;
                let opening = self.text.as_bytes().get(start).copied();
                self.frames.push(match event {
                    Event::SequenceStart(..) => Frame::Sequence {
                        start,
                        flow: opening == Some(b'['),
                        mark: self.items.len(),
                    },
                    _ => Frame::Mapping {
                        start,
                        flow: opening == Some(b'{'),
                        mark: self.entries.len(),
                        key: None,
                        seen: None,
                    },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match self.frames.pop() {
                    Some(Frame::Sequence { start, flow, mark }) => {
                        let last = self.items[mark..].last().map(|item| item.span.end);
                        let end = self.end(start, flow, last, span);
                        let items = self.arena.alloc_slice_fill_iter(self.items.drain(mark..));
                        Value {
                            span: Span::new(start, end),
                            kind: Kind::Array(items),
                        }
                    }
                    Some(Frame::Mapping {
                        start, flow, mark, ..
                    }) => {
                        let last = self.entries[mark..]
                            .last()
                            .map(|entry| entry.value.span.end);
                        let end = self.end(start, flow, last, span);
                        let entries = self.arena.alloc_slice_fill_iter(self.entries.drain(mark..));
                        Value {
                            span: Span::new(start, end),
                            kind: Kind::Table(Table {
                                entries,
                                header: false,
                            }),
                        }
                    }
                    None => return Ok(true),
                };
                self.complete(value)?;
            }
        }
        Ok(true)
    }

    /// A value read whole: an item of its sequence, the value of its key, or the document.
    fn complete(&mut self, value: Value<'a>) -> Result<(), SyntaxError> {
        match self.frames.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { .. }) => self.items.push(value),
            Some(Frame::Mapping { key, .. }) => {
                let (key, key_span) = key.take().ok_or_else(|| SyntaxError {
                    message: "a value without a key".into(),
                    span: value.span,
                })?;
                self.entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
            }
        }
        Ok(())
    }

    /// The key just read may not be one its mapping already has.
    fn check_repeated_key(&mut self) -> Result<bool, SyntaxError> {
        let Some(Frame::Mapping {
            mark,
            key: Some((key, key_span)),
            seen,
            ..
        }) = self.frames.last_mut()
        else {
            return Ok(true);
        };
        let mapping = &self.entries[*mark..];
        let repeated = match seen {
            Some(seen) => !seen.insert(key),
            None if mapping.len() < SCAN_KEYS => mapping.iter().any(|e| same_key(e.key, key)),
            None => {
                let mut keys: HashSet<&str> = mapping.iter().map(|e| e.key).collect();
                let repeated = !keys.insert(key);
                *seen = Some(keys);
                repeated
            }
        };
        if repeated {
            return Err(SyntaxError {
                message: format!("duplicate key `{key}`"),
                span: *key_span,
            });
        }
        Ok(true)
    }

    fn refuse_anchor_and_tag(
        &self,
        anchor: usize,
        tagged: bool,
        span: Span,
    ) -> Result<(), SyntaxError> {
        let (message, sign) = if anchor != 0 {
            (
                "anchors (`&name`) are not read in plans; write each value out where it is used",
                b'&',
            )
        } else if tagged {
            (
                "tags (`!!str`, `!name`) are not read in plans; write the value plainly",
                b'!',
            )
        } else {
            return Ok(());
        };
        Err(SyntaxError {
            message: message.into(),
            span: self
                .property_before(span.start, sign)
                .unwrap_or_else(|| self.at_least_one_char(span)),
        })
    }

    /// The node property (`&name`, `!tag`) written just before the node at `start`, on its
    /// line: the parser's span starts at the node itself.
    fn property_before(&self, start: usize, sign: u8) -> Option<Span> {
        let line_start =
            memchr::memrchr(b'\n', &self.text.as_bytes()[..start]).map_or(0, |n| n + 1);
        let mut at = line_start + memchr::memrchr(sign, &self.text.as_bytes()[line_start..start])?;
        while at > line_start && self.text.as_bytes()[at - 1] == sign {
            at -= 1; // `!!str`
        }
        let end = self.text[at..start]
            .find([' ', '\t'])
            .map_or(start, |width| at + width);
        Some(Span::new(at, end))
    }

    /// Where a collection ends: its closing bracket when it has one, else its last value.
    fn end(&self, start: usize, flow: bool, last: Option<usize>, end_event: Span) -> usize {
        if flow {
            end_event.end.max(start)
        } else {
            last.unwrap_or(end_event.start).max(start)
        }
    }

    /// A scalar's text, kept as long as the file's: borrowed from the text when the parser
    /// could, else copied into the arena.
    fn keep(&self, value: Cow<'a, str>) -> &'a str {
        match value {
            Cow::Borrowed(text) => text,
            Cow::Owned(text) => self.arena.alloc_str(&text),
        }
    }

    /// A span of the parser's markers as byte offsets.
    fn span(&self, start: Marker, end: Marker) -> Span {
        let (start, end) = (self.offset(start), self.offset(end));
        Span::new(start, end.max(start))
    }

    fn offset(&self, marker: Marker) -> usize {
        self.offsets.byte_offset(self.text, marker.index())
    }

    /// An empty span widened to the character at it, so that it can be pointed at.
    fn at_least_one_char(&self, span: Span) -> Span {
        if span.end > span.start {
            return span;
        }
        Span::char_at(self.text, span.start)
    }
}

/// Just past the closing quote of the quoted scalar that opens at `start` (the parser has
/// checked it): `\` escapes in double quotes, `''` in single ones.
fn quoted_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(&quote) = bytes.get(start) else {
        return start;
    };
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// A plain scalar by YAML 1.2's core schema, and `YYYY-MM-DD` as a date.
fn resolve(text: &str) -> Kind<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Boolean(true),
        "false" | "False" | "FALSE" => return Kind::Boolean(false),
        _ => {}
    }
    if is_date(text) {
        if let Ok(date) = text.parse::<jiff::civil::Date>() {
            return Kind::Date(date);
        }
        return Kind::String(text);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(n) => Kind::Integer(n),
            Err(_) => Kind::Float(text),
        };
    }
    let radix = |prefix: &str, radix: u32| {
        let digits = text.strip_prefix(prefix)?;
        i64::from_str_radix(digits, radix).ok()
    };
    if let Some(n) = radix("0o", 8).or_else(|| radix("0x", 16)) {
        return Kind::Integer(n);
    }
    if is_float(digits) {
        return Kind::Float(text);
    }
    Kind::String(text)
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(at, b)| at == 4 || at == 7 || b.is_ascii_digit())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent, or
/// `.inf` and `.nan` (the sign already taken off).
fn is_float(text: &str) -> bool {
    if matches!(text, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        !exponent.is_empty() && digits(exponent)
    });
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

/// The parser counts places in characters; spans are in bytes. For a text that is not all
/// ASCII, the byte offset of every `STRIDE`th character is kept, and the rest counted from the
/// nearest: constant time per place, a small fraction of the text in memory.
struct CharOffsets {
    checkpoints: Option<Vec<usize>>,
}

const STRIDE: usize = 64;

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(at, _)| at)
                .collect()
        });
        CharOffsets { checkpoints }
    }

    fn byte_offset(&self, text: &str, chars: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return chars.min(text.len());
        };
        let Some(&from) = checkpoints.get(chars / STRIDE) else {
            return text.len();
        };
        text[from..]
            .char_indices()
            .nth(chars % STRIDE)
            .map_or(text.len(), |(at, _)| from + at)
    }
}

/// A scanner error as a syntax error at its place: a tab that indents is pointed at itself,
/// not at what follows it.
fn scan_error(text: &str, offsets: &CharOffsets, error: &ScanError) -> SyntaxError {
    let mut at = offsets.byte_offset(text, error.marker().index());
    let info = error.info();
    if info.contains("tab") {
        let line_start = memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |n| n + 1);
        if let Some(tab) = memchr::memchr(b'\t', &text.as_bytes()[line_start..at]) {
            at = line_start + tab;
        }
    }
    let message = match info {
        "recursion limit exceeded" => {
            format!("values are nested more than {MAX_DEPTH} levels deep")
        }
        info => info.to_owned(),
    };
    SyntaxError {
        message,
        span: Span::char_at(text, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table<'a>(value: &'a Value<'a>) -> &'a Table<'a> {
        match &value.kind {
            Kind::Table(table) => table,
            other => panic!("a table, not {other:?}"),
        }
    }

    fn error(text: &str) -> (String, String) {
        let arena = Arena::new();
        let error = parse(text, &arena).unwrap_err();
        (error.message, text[error.span.range()].to_owned())
    }

    /// Every key and value points at itself, in bytes, whatever characters come before it;
    /// a collection spans its items (a flow one its brackets too).
    #[test]
    fn keys_and_values_keep_their_spans() {
        let text = "a: 1\nné: \"x\\ny\"\nb:\n  - id: R-1\n    t: 'q''s'\n  - id: R-2\nc: [1, 2]\nd: {e: 2026-11-24}\nf: |\n  lit\n  eral\ng: plain # comment\nh: ''  # empty\ni: \"\"  # empty\n";
        let arena = Arena::new();
        let root = parse(text, &arena).unwrap();
        let shown: Vec<(&str, &str, &str)> = table(&root)
            .entries
            .iter()
            .map(|e| {
                (
                    e.key,
                    &text[e.key_span.range()],
                    &text[e.value.span.range()],
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("a", "a", "1"),
                ("né", "né", "\"x\\ny\""),
                ("b", "b", "- id: R-1\n    t: 'q''s'\n  - id: R-2"),
                ("c", "c", "[1, 2]"),
                ("d", "d", "{e: 2026-11-24}"),
                ("f", "f", "lit\n  eral\n"),
                ("g", "g", "plain"),
                ("h", "h", "''"),
                ("i", "i", "\"\""),
            ]
        );
        let entries = table(&root).entries;
        assert_eq!(entries[1].value.kind, Kind::String("x\ny"));
        let Kind::Array(items) = &entries[2].value.kind else {
            panic!("a list")
        };
        assert_eq!(&text[items[0].span.range()], "id: R-1\n    t: 'q''s'");
        assert_eq!(table(&items[0]).entries[1].value.kind, Kind::String("q's"));
        assert_eq!(entries[5].value.kind, Kind::String("lit\neral\n"));
        let date = jiff::civil::date(2026, 11, 24);
        assert_eq!(
            table(&entries[4].value).entries[0].value.kind,
            Kind::Date(date)
        );
    }

    #[test]
    fn plain_scalars_follow_the_yaml_1_2_core_schema_with_dates() {
        let date = jiff::civil::date(2026, 11, 24);
        let cases = [
            ("~", Kind::Null),
            ("null", Kind::Null),
            ("true", Kind::Boolean(true)),
            ("FALSE", Kind::Boolean(false)),
            // YAML 1.1's booleans are text in YAML 1.2, and in plans.
            ("yes", Kind::String("yes")),
            ("no", Kind::String("no")),
            ("on", Kind::String("on")),
            ("off", Kind::String("off")),
            ("42", Kind::Integer(42)),
            ("-7", Kind::Integer(-7)),
            ("0x1f", Kind::Integer(31)),
            ("0o17", Kind::Integer(15)),
            ("99999999999999999999", Kind::Float("99999999999999999999")),
            ("0.5", Kind::Float("0.5")),
            ("1e3", Kind::Float("1e3")),
            (".inf", Kind::Float(".inf")),
            ("2026-11-24", Kind::Date(date)),
            ("2026-13-40", Kind::String("2026-13-40")),
            ("2026-11-24T10:00:00Z", Kind::String("2026-11-24T10:00:00Z")),
            ("1.2.3", Kind::String("1.2.3")),
            ("50%", Kind::String("50%")),
            ("R-1", Kind::String("R-1")),
        ];
        for (plain, kind) in cases {
            assert_eq!(resolve(plain), kind, "{plain}");
        }
        // Quoted, everything is text.
        let arena = Arena::new();
        let root = parse("a: \"2026-11-24\"\nb: '1'\nc: \"true\"\n", &arena).unwrap();
        let kinds: Vec<&Kind<'_>> = table(&root).entries.iter().map(|e| &e.value.kind).collect();
        assert_eq!(
            kinds,
            [
                &Kind::String("2026-11-24"),
                &Kind::String("1"),
                &Kind::String("true")
            ]
        );
    }

    #[test]
    fn what_a_plan_does_not_use_is_an_error_at_its_place() {
        assert_eq!(
            error("a: 1\nb: 2\na: 3\n"),
            ("duplicate key `a`".into(), "a".into())
        );
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert_eq!(
            error(&format!("{many}k39: 0\n")),
            ("duplicate key `k39`".into(), "k39".into())
        );
        let (message, at) = error("a: &x 1\nb: 2\n");
        assert!(message.starts_with("anchors (`&name`)"), "{message}");
        assert_eq!(at, "&x");
        let (message, at) = error("a: !!str 1\n");
        assert!(message.starts_with("tags"), "{message}");
        assert_eq!(at, "!!str");
        let (message, _) = error("a: 1\n---\nb: 2\n");
        assert_eq!(
            message,
            "a plan file holds one YAML document; this is a second"
        );
        let (message, _) = error("? [a, b]\n: 1\n");
        assert_eq!(message, "a key must be text, not a list or a table");
        assert_eq!(
            error(""),
            ("the file holds no YAML value".into(), String::new())
        );
        assert_eq!(
            error("# only a comment\n").0,
            "the file holds no YAML value"
        );
        // Tabs may not indent (YAML's own rule), reported where the tab is.
        let (message, at) = error("a:\n\tb: 1\n");
        assert_eq!(
            message,
            "tabs disallowed within this context (block indentation)"
        );
        assert_eq!(at, "\t");
    }

    /// The billion laughs: nine levels of aliases, each ten times the last. Nothing is ever
    /// expanded: the first alias is the error.
    #[test]
    fn an_alias_bomb_is_refused_at_its_first_alias() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for level in b'b'..=b'i' {
            let previous = char::from(level - 1);
            let aliases = vec![format!("*{previous}"); 10].join(",");
            text.push_str(&format!(
                "{}: &{} [{aliases}]\n",
                char::from(level),
                char::from(level)
            ));
        }
        let (message, at) = error(&text);
        assert!(message.starts_with("anchors"), "{message}");
        assert_eq!(at, "&a");
        // An alias without its anchor is YAML's own error.
        let (message, _) = error("a: [1]\nb: [*a]\n");
        assert_eq!(message, "while parsing node, found unknown anchor");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (message, _) = error(&text);
        assert_eq!(
            message,
            format!("values are nested more than {MAX_DEPTH} levels deep")
        );
    }
}

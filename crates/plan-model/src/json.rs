//! JSON front-end: strict JSON (no comments, no trailing commas, no `NaN`) read with jiter's
//! streaming API, which reports the byte position of every key and value as it goes, so the
//! spanned value tree is built directly, without an intermediate syntax tree. Strings without
//! escapes are borrowed from the text.

use crate::value::{Arena, Entry, Kind, Table, Value, same_key};
use crate::{Span, SyntaxError};
use foldhash::HashSet;
use jiter::{Jiter, JiterError, Peek};

/// Deeper nesting than any plan needs is refused before it can exhaust the stack.
const MAX_DEPTH: usize = 128;

pub(crate) fn parse<'a>(text: &'a str, arena: &'a Arena) -> Result<Value<'a>, SyntaxError> {
    let mut reader = Reader {
        jiter: Jiter::new(text.as_bytes()),
        text,
        arena: &arena.0,
        entries: Vec::new(),
        items: Vec::new(),
    };
    if text.trim_start().is_empty() {
        return Err(SyntaxError {
            message: "the file holds no JSON value".into(),
            span: Span::new(0, 0),
        });
    }
    let value = reader.value(0)?;
    reader.jiter.finish().map_err(|e| error(text, e))?;
    Ok(value)
}

struct Reader<'a> {
    jiter: Jiter<'a>,
    text: &'a str,
    arena: &'a bumpalo::Bump,
    /// Scratch stacks for the entries of the objects and the items of the arrays being read:
    /// each object or array moves its own from the top into the arena when it ends.
    entries: Vec<Entry<'a>>,
    items: Vec<Value<'a>>,
}

/// Objects up to this many keys are checked for repeated keys by scanning them.
const SCAN_KEYS: usize = 16;

impl<'a> Reader<'a> {
    fn value(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let text = self.text;
        let peek = self.jiter.peek().map_err(|e| error(text, e))?;
        let start = self.jiter.current_index();
        if depth > MAX_DEPTH && matches!(peek, Peek::Array | Peek::Object) {
            return Err(SyntaxError {
                message: format!("values are nested more than {MAX_DEPTH} levels deep"),
                span: Span::new(start, start + 1),
            });
        }
        let kind = match peek {
            Peek::Null => {
                self.jiter.known_null().map_err(|e| error(text, e))?;
                Kind::Null
            }
            Peek::True | Peek::False => {
                Kind::Boolean(self.jiter.known_bool(peek).map_err(|e| error(text, e))?)
            }
            Peek::String => Kind::String(self.string()?.0),
            Peek::Array => {
                let mark = self.items.len();
                let mut next = self.jiter.known_array().map_err(|e| error(text, e))?;
                while next.is_some() {
                    let item = self.value(depth + 1)?;
                    self.items.push(item);
                    next = self.jiter.array_step().map_err(|e| error(text, e))?;
                }
                Kind::Array(self.arena.alloc_slice_fill_iter(self.items.drain(mark..)))
            }
            Peek::Object => Kind::Table(self.object(depth)?),
            _ => {
                let number = self.jiter.next_number_bytes().map_err(|e| error(text, e))?;
                let number = std::str::from_utf8(number).unwrap_or_default();
                match number.parse::<i64>() {
                    Ok(n) => Kind::Integer(n),
                    Err(_) => Kind::Float(self.arena.alloc_str(number)),
                }
            }
        };
        Ok(Value {
            span: Span::new(start, self.jiter.current_index()),
            kind,
        })
    }

    /// An object, its opening brace already peeked. JSON tolerates repeated keys, but TOML
    /// forbids them and a plan's twin in the other format must give the same findings; a
    /// repeated key is also always a mistake.
    fn object(&mut self, depth: usize) -> Result<Table<'a>, SyntaxError> {
        let (text, arena) = (self.text, self.arena);
        let mark = self.entries.len();
        // Past `SCAN_KEYS` keys, repeated keys are found with a set instead of a scan.
        let mut seen: Option<HashSet<&'a str>> = None;
        let mut before = self.jiter.current_index();
        let mut key = self
            .jiter
            .known_object()
            .map_err(|e| error(text, e))?
            .map(|key| keep(text, arena, key, before));
        while let Some((key_text, key_span)) = key {
            let object = &self.entries[mark..];
            let repeated = match &mut seen {
                Some(seen) => !seen.insert(key_text),
                None if object.len() < SCAN_KEYS => {
                    object.iter().any(|e| same_key(e.key, key_text))
                }
                None => {
                    let set = seen.insert(object.iter().map(|e| e.key).collect());
                    !set.insert(key_text)
                }
            };
            if repeated {
                return Err(SyntaxError {
                    message: format!("duplicate key `{key_text}`"),
                    span: key_span,
                });
            }
            let value = self.value(depth + 1)?;
            self.entries.push(Entry {
                key: key_text,
                key_span,
                value,
            });
            before = self.jiter.current_index();
            key = self
                .jiter
                .next_key()
                .map_err(|e| error(text, e))?
                .map(|key| keep(text, arena, key, before));
        }
        Ok(Table {
            entries: self.arena.alloc_slice_fill_iter(self.entries.drain(mark..)),
            header: false,
        })
    }

    /// A string value, its opening quote already peeked.
    fn string(&mut self) -> Result<(&'a str, Span), SyntaxError> {
        let text = self.text;
        let start = self.jiter.current_index();
        let decoded = self.jiter.known_str().map_err(|e| error(text, e))?;
        Ok(keep(text, self.arena, decoded, start))
    }
}

/// A string jiter has decoded, kept as long as the file's text, with its span (quotes
/// included). jiter hands back a slice of the text when the string has no escapes, which
/// is borrowed as it is; an escaped string, decoded into jiter's scratch space, is copied
/// into the arena and found in the text from `search_from`, where its opening quote is the
/// first after `search_from` (only whitespace, `{` or `,` come before a key).
fn keep<'a>(
    text: &'a str,
    arena: &'a bumpalo::Bump,
    decoded: &str,
    search_from: usize,
) -> (&'a str, Span) {
    let offset = (decoded.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    if offset <= text.len() && decoded.len() <= text.len() - offset {
        let end = offset + decoded.len();
        return (
            &text[offset..end],
            Span::new(offset.saturating_sub(1), end + 1),
        );
    }
    let bytes = text.as_bytes();
    let open =
        memchr::memchr(b'"', &bytes[search_from..]).map_or(search_from, |at| search_from + at);
    (
        arena.alloc_str(decoded),
        Span::new(open, closing_quote(bytes, open) + 1),
    )
}

/// The closing quote of the string whose opening quote is at `open` (jiter has checked it).
fn closing_quote(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    bytes.len().saturating_sub(1)
}

/// A jiter error as a syntax error at its place (on a character boundary).
fn error(text: &str, error: JiterError) -> SyntaxError {
    let at = crate::floor_char_boundary(text, error.index);
    let message = error.error_type.to_string();
    let mut chars = message.chars();
    let message = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    // Point at the offending character, not between two.
    SyntaxError {
        message,
        span: Span::char_at(text, at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize, repeat: Option<usize>) -> String {
        let mut fields: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
        if let Some(i) = repeat {
            fields.push(format!("\"k{i}\": 0"));
        }
        format!("{{{}}}", fields.join(", "))
    }

    #[test]
    fn repeated_keys_are_found_in_small_and_large_objects() {
        for n in [3, SCAN_KEYS - 1, SCAN_KEYS, SCAN_KEYS + 1, 100] {
            let arena = Arena::new();
            assert!(parse(&keys(n, None), &arena).is_ok(), "{n} distinct keys");
            for repeat in [0, n - 1] {
                let text = keys(n, Some(repeat));
                let error = parse(&text, &arena).unwrap_err();
                assert_eq!(
                    error.message,
                    format!("duplicate key `k{repeat}`"),
                    "{n} keys"
                );
                assert_eq!(&text[error.span.range()], format!("\"k{repeat}\""));
            }
        }
    }

    #[test]
    fn nested_values_keep_their_order_and_spans() {
        let text = r#"{"a": [1, {"b": "x\u00e9", "c": []}, "y"], "d": {"e": null}}"#;
        let arena = Arena::new();
        let Kind::Table(root) = parse(text, &arena).unwrap().kind else {
            panic!("a table")
        };
        let names: Vec<&str> = root.entries.iter().map(|e| e.key).collect();
        assert_eq!(names, ["a", "d"]);
        let Kind::Array(items) = &root.entries[0].value.kind else {
            panic!("an array")
        };
        assert_eq!(items.len(), 3);
        assert_eq!(&text[items[1].span.range()], r#"{"b": "x\u00e9", "c": []}"#);
        let Kind::Table(inner) = &items[1].kind else {
            panic!("a table")
        };
        assert_eq!(inner.entries[0].value.kind, Kind::String("xé"));
        assert_eq!(&text[items[2].span.range()], "\"y\"");
    }

    /// Keys and values with escapes are decoded and still point at their place in the text,
    /// whatever the whitespace around them; plain ones are borrowed from the text.
    #[test]
    fn escaped_keys_and_values_keep_their_spans() {
        let text = "{ \"a\\\"b\" :\"x\\ny\",\n  \"pl\\u00e4in\": [\"\\\\\", \"v\"],\"c\": \"\" }";
        let arena = Arena::new();
        let Kind::Table(root) = parse(text, &arena).unwrap().kind else {
            panic!("a table")
        };
        let keys: Vec<(&str, &str)> = root
            .entries
            .iter()
            .map(|e| (e.key, &text[e.key_span.range()]))
            .collect();
        assert_eq!(
            keys,
            [
                ("a\"b", "\"a\\\"b\""),
                ("pläin", "\"pl\\u00e4in\""),
                ("c", "\"c\"")
            ]
        );
        let first = &root.entries[0].value;
        assert_eq!(first.kind, Kind::String("x\ny"));
        assert_eq!(&text[first.span.range()], "\"x\\ny\"");
        let Kind::Array(items) = &root.entries[1].value.kind else {
            panic!("an array")
        };
        assert_eq!(items[0].kind, Kind::String("\\"));
        assert_eq!(&text[items[0].span.range()], "\"\\\\\"");
        assert_eq!(&text[items[1].span.range()], "\"v\"");
        let Kind::String(plain) = items[1].kind else {
            panic!("a string")
        };
        assert!(std::ptr::eq(
            plain.as_ptr(),
            text[items[1].span.range()][1..].as_ptr()
        ));
        assert_eq!(root.entries[2].value.kind, Kind::String(""));
        assert_eq!(&text[root.entries[2].value.span.range()], "\"\"");
    }
}

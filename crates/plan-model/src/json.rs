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
                    Err(_) => Kind::Float(number.parse().unwrap_or(f64::NAN)),
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
        let text = self.text;
        let mark = self.entries.len();
        // Past `SCAN_KEYS` keys, repeated keys are found with a set instead of a scan.
        let mut seen: Option<HashSet<&'a str>> = None;
        let mut key = self
            .jiter
            .next_object_bytes()
            .map_err(|e| error(text, e))?
            .map(|raw| locate(text, raw));
        while let Some((start, end)) = key {
            let (key_text, key_span) = self.decode(start, end)?;
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
            key = self
                .jiter
                .next_key_bytes()
                .map_err(|e| error(text, e))?
                .map(|raw| locate(text, raw));
        }
        Ok(Table {
            entries: self.arena.alloc_slice_fill_iter(self.entries.drain(mark..)),
            header: false,
        })
    }

    /// A string value, its opening quote already peeked.
    fn string(&mut self) -> Result<(&'a str, Span), SyntaxError> {
        let text = self.text;
        let raw = self.jiter.known_bytes().map_err(|e| error(text, e))?;
        let (start, end) = locate(text, raw);
        self.decode(start, end)
    }

    /// A string's text (from the file unless it has escapes) and its span, quotes included.
    fn decode(&self, start: usize, end: usize) -> Result<(&'a str, Span), SyntaxError> {
        let span = Span::new(start.saturating_sub(1), end + 1);
        let raw = &self.text[start..end];
        if !raw.contains('\\') {
            return Ok((raw, span));
        }
        // jiter has checked the escapes; serde_json turns them into characters.
        serde_json::from_str::<String>(&self.text[span.range()])
            .map(|decoded| (&*self.arena.alloc_str(&decoded), span))
            .map_err(|e| SyntaxError {
                message: format!("invalid string: {e}"),
                span,
            })
    }
}

/// Where a slice that jiter returned lies in the text: the bytes between the quotes.
fn locate(text: &str, raw: &[u8]) -> (usize, usize) {
    let start = raw.as_ptr() as usize - text.as_ptr() as usize;
    (start, start + raw.len())
}

/// A jiter error as a syntax error at its place (on a character boundary).
fn error(text: &str, error: JiterError) -> SyntaxError {
    let mut at = error.index.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let message = error.error_type.to_string();
    let mut chars = message.chars();
    let message = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    // Point at the offending character, not between two.
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    SyntaxError {
        message,
        span: Span::new(at, end),
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
}

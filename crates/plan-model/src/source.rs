//! A plan file's text and the mapping from byte offsets to lines and columns.

use crate::Span;

/// The decoded text of one plan file.
///
/// A UTF-8 byte-order mark is removed before anything else sees the text, so spans and
/// columns never count it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (relative to the working folder, `/`-separated).
    pub path: String,
    pub text: String,
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

/// A 1-based line and a 1-based column counted in Unicode scalar values.
///
/// 32 bits each: every finding and related place carries two, and at portfolio scale they are
/// a good part of what a run holds. (A plan file would need 4 GB on one line to overflow; the
/// values saturate rather than wrap.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Why a file's bytes are not text: the only way decoding fails.
#[derive(Debug, Clone)]
pub struct NotUtf8 {
    /// The offset of the first invalid byte, counted in the text decoded before it.
    pub valid_up_to: usize,
}

const BOM: &str = "\u{feff}";

/// Decode a file's bytes as UTF-8, dropping a leading byte-order mark.
///
/// The bytes become the text without a copy when they are valid. On invalid UTF-8, the
/// returned text is the valid prefix, so the error can still be shown at a line and column.
pub fn decode(bytes: Vec<u8>) -> (String, Option<NotUtf8>) {
    let (mut text, error) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid_up_to);
            // `valid_up_to` guarantees the prefix is valid UTF-8.
            (
                String::from_utf8(bytes).unwrap_or_default(),
                Some(valid_up_to),
            )
        }
    };
    let bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
    text.drain(..bom);
    let error = error.map(|at| NotUtf8 {
        valid_up_to: at.saturating_sub(bom),
    });
    (text, error)
}

/// The byte offset at which each line of `text` starts (`[0, …]`); lines end at `\n`.
pub fn line_starts(text: &str) -> Vec<usize> {
    // memchr because this runs over every byte of every plan (it was a tenth of a run with
    // `match_indices`); one pass, sized for plans' short lines (about 20 bytes in JSON and
    // TOML alike: sized for 24, nearly every file's index grew once), so that it is never
    // grown. It lives only while its file is checked.
    let mut line_starts = Vec::with_capacity(text.len() / 12 + 1);
    line_starts.push(0);
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    line_starts
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The line and column of a byte offset. Offsets past the end map to the end of the text;
    /// an offset inside a multi-byte character maps to that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_index = self.line(offset) - 1;
        let line_start = self.line_starts[line_index];
        let before = &self.text.as_bytes()[line_start..offset];
        // Columns count characters; in ASCII (nearly every plan) that is bytes.
        let column = if before.is_ascii() {
            before.len()
        } else {
            self.text[line_start..]
                .char_indices()
                .take_while(|&(i, _)| line_start + i < offset)
                .count()
        };
        let saturated = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        LineCol {
            line: saturated(line_index + 1),
            column: saturated(column + 1),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// The byte offset at which the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts[self.line(offset) - 1]
    }

    /// The start and (exclusive) end positions of a span, as SARIF and LSP count them:
    /// the end column is the one just after the last character.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    /// The number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let file = SourceFile::new("x", "a = \"é✓\" # ü\nb = 1\r\nc = 2".to_owned());
        let b = file.text.find('b').unwrap();
        assert_eq!(file.line_col(b), LineCol { line: 2, column: 1 });
        let hash = file.text.find('#').unwrap();
        assert_eq!(
            file.line_col(hash),
            LineCol {
                line: 1,
                column: 10
            }
        );
        let c = file.text.find('c').unwrap();
        assert_eq!(file.line_col(c), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_col(10_000), LineCol { line: 3, column: 6 });
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let (text, err) = decode("\u{feff}x = 1".into());
        assert_eq!(text, "x = 1");
        assert!(err.is_none());
    }

    #[test]
    fn invalid_utf8_keeps_the_valid_prefix() {
        let (text, err) = decode(b"\xef\xbb\xbfa = 1\nb = \xff".to_vec());
        assert_eq!(text, "a = 1\nb = ");
        assert_eq!(err.unwrap().valid_up_to, 10);
    }
}

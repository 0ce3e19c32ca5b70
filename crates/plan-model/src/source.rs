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
    lines: LineIndex,
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

/// Where each line of a text starts, and how much text comes before any place in it: a line
/// and column are found by a binary search and a count over at most one block of the text.
/// Counting each column from the start of its line made a plan written on one long line
/// quadratic in its findings (5 s for 50,000 findings on a 5 MB line).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// For a text that is not all ASCII, what comes before each multiple of [`BLOCK`] bytes;
    /// in ASCII every byte is a character and a UTF-16 code unit.
    blocks: Option<Vec<Counts>>,
}

/// How much text comes before a place: characters (Unicode scalar values) and UTF-16 code
/// units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub chars: usize,
    pub utf16: usize,
}

/// The most bytes counted to find a column.
const BLOCK: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let blocks = (!text.is_ascii()).then(|| {
            let mut blocks = Vec::with_capacity(text.len() / BLOCK + 2);
            let mut before = Counts::default();
            for block in text.as_bytes().chunks(BLOCK) {
                blocks.push(before);
                let counted = count(block);
                before.chars += counted.chars;
                before.utf16 += counted.utf16;
            }
            blocks.push(before);
            blocks
        });
        LineIndex {
            starts: line_starts(text),
            blocks,
        }
    }

    /// The characters and UTF-16 code units of `text` (the text this index was made of) before
    /// `offset`; a character counts when its first byte is before `offset`. Offsets past the
    /// end count the whole text.
    pub fn before(&self, text: &str, offset: usize) -> Counts {
        let offset = offset.min(text.len());
        let Some(blocks) = &self.blocks else {
            return Counts {
                chars: offset,
                utf16: offset,
            };
        };
        let block = offset / BLOCK;
        let counted = count(&text.as_bytes()[block * BLOCK..offset]);
        Counts {
            chars: blocks[block].chars + counted.chars,
            utf16: blocks[block].utf16 + counted.utf16,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The 0-based line of `offset` in `text` (the text this index was made of), and what
    /// comes before it on that line.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, Counts) {
        let offset = offset.min(text.len());
        let line = self.line(offset) - 1;
        let start = self.starts[line];
        // In a text that is not all ASCII, a short stretch is counted as it is, and a long one
        // by the blocks, which count up to two blocks' worth whatever the line (8 KB for every
        // finding of a plan of short lines). In ASCII, bytes are the count.
        if self.blocks.is_some() && offset - start <= BLOCK {
            return (line, count(&text.as_bytes()[start..offset]));
        }
        let (before, line_before) = (self.before(text, offset), self.before(text, start));
        (
            line,
            Counts {
                chars: before.chars - line_before.chars,
                utf16: before.utf16 - line_before.utf16,
            },
        )
    }

    /// The byte offset at which each line starts (`[0, …]`).
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }
}

/// The characters in `bytes` (every byte but a UTF-8 continuation byte, `0b10xxxxxx`, starts
/// one) and their UTF-16 code units (a character of four bytes, led by `0b11110xxx`, is two).
/// Written as two plain counts, which the compiler turns into vector instructions.
fn count(bytes: &[u8]) -> Counts {
    let chars = bytes.iter().filter(|&&byte| byte as i8 >= -0x40).count();
    let long = bytes.iter().filter(|&&byte| byte >= 0xF0).count();
    Counts {
        chars,
        utf16: chars + long,
    }
}

/// The last character boundary of `text` at or before `at` (the end, past it).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first character boundary of `text` at or after `at` (the end, past it).
pub fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
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
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }

    /// The line and column of a byte offset. Offsets past the end map to the end of the text;
    /// an offset inside a multi-byte character maps to that character.
    pub fn line_col(&self, offset: usize) -> LineCol {
        // Columns count characters.
        let (line_index, before) = self.lines.locate(&self.text, offset);
        let column = before.chars;
        let saturated = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        LineCol {
            line: saturated(line_index + 1),
            column: saturated(column + 1),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// The byte offset at which the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.lines.starts[self.line(offset) - 1]
    }

    /// The start and (exclusive) end positions of a span, as SARIF and LSP count them:
    /// the end column is the one just after the last character.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    /// The number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.lines.starts.len()
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// Line and column as the definition says, counted from the start of the text.
    fn naive_line_col(text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line_start = text[..floor_char_boundary(text, offset)]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let line = text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let column = text[line_start..]
            .char_indices()
            .take_while(|&(at, _)| line_start + at < offset)
            .count();
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Texts of one- to four-byte characters and line breaks, long enough to cross blocks.
    fn texts() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("a".to_owned()),
            Just("\n".to_owned()),
            Just("é".to_owned()),
            Just("✓".to_owned()),
            Just("😀".to_owned()),
            "[a-z ]{1,300}",
        ];
        proptest::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn lines_and_columns_agree_with_counting_from_the_start(
            text in texts(),
            picks in proptest::collection::vec(0usize..100_000, 1..40),
        ) {
            let file = SourceFile::new("x", text.clone());
            for pick in picks {
                let offset = pick % (text.len() + 2);
                prop_assert_eq!(file.line_col(offset), naive_line_col(&text, offset), "at {}", offset);
                // The editor's columns: UTF-16 units from the line's start, short or long.
                let (line, on_line) = file.lines.locate(&text, offset);
                let end = floor_char_boundary(&text, offset);
                let start = text[..end].rfind('\n').map_or(0, |at| at + 1);
                let cut = usize::from(end < offset.min(text.len()));
                let cut_units = text[end..].chars().next().map_or(0, char::len_utf16) * cut;
                prop_assert_eq!(line, text[..end].matches('\n').count());
                prop_assert_eq!(
                    on_line.utf16,
                    text[start..end].chars().map(char::len_utf16).sum::<usize>() + cut_units
                );
                let counts = file.lines.before(&text, offset);
                let end = floor_char_boundary(&text, offset);
                let whole = &text[..end];
                // A character cut by the offset counts: its first byte is before it.
                let cut = usize::from(end < offset.min(text.len()));
                prop_assert_eq!(counts.chars, whole.chars().count() + cut);
                let cut_units = text[end..].chars().next().map_or(0, char::len_utf16) * cut;
                prop_assert_eq!(
                    counts.utf16,
                    whole.chars().map(char::len_utf16).sum::<usize>() + cut_units
                );
            }
        }
    }

    #[test]
    fn a_long_line_is_counted_within_blocks() {
        // Every block boundary of a line of two-byte characters, and places around them.
        let text = format!("x\n{}y", "é".repeat(3 * BLOCK));
        let file = SourceFile::new("x", text.clone());
        for offset in (0..text.len() + 1)
            .step_by(511)
            .chain([BLOCK, 2 * BLOCK, text.len()])
        {
            assert_eq!(
                file.line_col(offset),
                naive_line_col(&text, offset),
                "at {offset}"
            );
        }
        let y = text.find('y').unwrap();
        assert_eq!(
            file.line_col(y),
            LineCol {
                line: 2,
                column: 3 * BLOCK as u32 + 1
            }
        );
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

//! Byte offsets ↔ LSP positions: lines from 0, characters in UTF-16 code units (what every
//! client speaks; an emoji is two, a combining mark one).

use lsp_types::{Position, Range};
use plan_model::{Span, floor_char_boundary};

/// A text's lines, and what comes before each place in UTF-16 code units.
pub struct LineIndex<'t> {
    text: &'t str,
    lines: plan_model::LineIndex,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            lines: plan_model::LineIndex::new(text),
        }
    }

    /// Counted over at most a block of the text, not from the start of the line: a plan on one
    /// long line with many diagnostics costs no more than one on many lines.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let (line, before) = self.lines.locate(self.text, offset);
        Position::new(line as u32, before.utf16 as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position; past a line's end, that line's end.
    pub fn offset(&self, position: Position) -> usize {
        let starts = self.lines.starts();
        let Some(&start) = starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units >= position.character as usize || c == '\n' || c == '\r' {
                return start + at;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_emoji_as_two_and_combining_marks_as_one() {
        let text = "a = \"😀e\u{301}x\"\nb";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // `a = "` is 5, the emoji 2, `e` 1, the combining acute 1.
        assert_eq!(index.position(x), Position::new(0, 9));
        assert_eq!(index.offset(Position::new(0, 9)), x);
        assert_eq!(index.position(text.len()), Position::new(1, 1));
        assert_eq!(index.offset(Position::new(0, 99)), text.find('\n').unwrap());
        assert_eq!(index.offset(Position::new(7, 0)), text.len());
    }

    #[test]
    fn positions_on_a_long_line_agree_with_counting_from_its_start() {
        // Past several 4 KB blocks, with characters of one, two and four bytes.
        let text = format!("a\n{}\nz", "x😀é✓".repeat(2_000));
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).step_by(97) {
            let floor = floor_char_boundary(&text, offset);
            let start = text[..floor].rfind('\n').map_or(0, |at| at + 1);
            let line = text[..floor].matches('\n').count() as u32;
            let units: usize = text[start..floor].chars().map(char::len_utf16).sum();
            assert_eq!(
                index.position(offset),
                Position::new(line, units as u32),
                "at {offset}"
            );
        }
    }
}

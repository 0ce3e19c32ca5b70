//! Byte ranges into a plan's source text.

use std::ops::Range;

/// A half-open byte range `start..end` into a [`SourceFile`](crate::SourceFile)'s text.
///
/// Spans always lie on `char` boundaries of the text they were made from: every constructor
/// in this crate takes them from a parser that works on `&str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The character of `text` at byte `at` (a character boundary), so that a place can be
    /// pointed at; empty at the end of the text.
    pub fn char_at(text: &str, at: usize) -> Span {
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        Span::new(at, end)
    }

    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

//! A file's text as edited over several rounds of fixes, remembering which parts are the
//! original's: the unified diff of `--diff` comes from that record, in time linear in the
//! text, instead of from a diff algorithm whose worst case is quadratic.

use plan_model::Edit;
use std::fmt::Write as _;
use std::ops::Range;

/// Lines of context around each change in a diff, as `diff -u` writes.
const CONTEXT: usize = 3;

#[derive(Debug, Clone)]
enum Piece {
    /// A range of the original text.
    Kept(Range<usize>),
    New(String),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Kept(range) => range.len(),
            Piece::New(text) => text.len(),
        }
    }

    /// The part of this piece from `from` to `to`, counted from its start.
    fn part(&self, from: usize, to: usize) -> Piece {
        match self {
            Piece::Kept(range) => Piece::Kept(range.start + from..range.start + to),
            Piece::New(text) => Piece::New(text[from..to].to_owned()),
        }
    }
}

/// The original text and the pieces the current text is made of.
#[derive(Debug, Clone)]
pub struct Patched<'o> {
    original: &'o str,
    pieces: Vec<Piece>,
}

impl<'o> Patched<'o> {
    pub fn new(original: &'o str) -> Patched<'o> {
        Patched {
            original,
            pieces: vec![Piece::Kept(0..original.len())],
        }
    }

    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.original.len());
        for piece in &self.pieces {
            match piece {
                Piece::Kept(range) => text.push_str(&self.original[range.clone()]),
                Piece::New(new) => text.push_str(new),
            }
        }
        text
    }

    pub fn is_changed(&self) -> bool {
        !matches!(self.pieces.as_slice(), [Piece::Kept(range)] if *range == (0..self.original.len()))
    }

    /// Apply edits of the current text: in text order, not overlapping (insertions at one
    /// place are made in the order given). One pass over the pieces.
    pub fn apply(&mut self, edits: &[&Edit]) {
        let mut out: Vec<Piece> = Vec::with_capacity(self.pieces.len() + 2 * edits.len());
        let mut push = |piece: Piece| {
            if piece.len() > 0 {
                out.push(piece);
            }
        };
        let mut edits = edits.iter().copied().peekable();
        // Where the current piece starts, in the current text.
        let mut offset = 0;
        // The end of the text the last edit replaces, while it runs into later pieces.
        let mut deleting_until = 0;
        for piece in std::mem::take(&mut self.pieces) {
            let end = offset + piece.len();
            let mut kept_from = deleting_until.clamp(offset, end);
            while let Some(edit) = edits.next_if(|edit| edit.span.start < end) {
                let start = edit.span.start.max(kept_from);
                push(piece.part(kept_from - offset, start - offset));
                push(Piece::New(edit.content.clone()));
                deleting_until = edit.span.end.max(start);
                kept_from = deleting_until.clamp(offset, end);
            }
            push(piece.part(kept_from - offset, end - offset));
            offset = end;
        }
        // Insertions at the very end.
        for edit in edits {
            push(Piece::New(edit.content.clone()));
        }
        self.pieces = out;
    }

    /// The changes, as (original range, current range) pairs in bytes, in order.
    fn changes(&self) -> Vec<(Range<usize>, Range<usize>)> {
        let mut changes: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        let (mut original, mut current) = (0, 0);
        for piece in &self.pieces {
            let len = piece.len();
            match piece {
                Piece::Kept(range) if range.start == original => {}
                Piece::Kept(range) => {
                    // The original from `original` to here was replaced (or deleted).
                    extend(&mut changes, original..range.start, current..current);
                }
                Piece::New(_) => extend(&mut changes, original..original, current..current + len),
            }
            if let Piece::Kept(range) = piece {
                original = range.end;
            }
            current += len;
        }
        if original < self.original.len() {
            extend(
                &mut changes,
                original..self.original.len(),
                current..current,
            );
        }
        changes
    }

    /// A unified diff from the original to the current text (empty when they are the same).
    /// Lines are made visible first: a plan's text must not act on the terminal.
    pub fn unified_diff(&self, path: &str) -> String {
        let current = self.text();
        let old = Lines::new(self.original);
        let new = Lines::new(&current);
        // Each change widened to whole lines, with the changes that share a line: before the
        // first of them and after the last, the text of those lines is the same in both.
        let mut spans: Vec<[Range<usize>; 2]> = Vec::new();
        for (removed, added) in self.changes() {
            let old_start = old.line_start_of(removed.start);
            let old_end = if removed.end == old_start {
                old_start
            } else {
                old.line_end_after(removed.end)
            };
            let new_end = added.end + (old_end - removed.end);
            match spans.last_mut() {
                // On a line an earlier change is on: the earlier one's start still holds.
                Some([old_span, new_span]) if old_start < old_span.end => {
                    old_span.end = old_span.end.max(old_end);
                    new_span.end = new_end;
                }
                _ => {
                    let new_start = added.start - (removed.start - old_start);
                    spans.push([old_start..old_end, new_start..new_end]);
                }
            }
        }
        let mut regions: Vec<[Range<usize>; 2]> = Vec::new();
        for [old_span, new_span] in spans {
            let region = [
                old.lines_before(old_span.start)..old.lines_before(old_span.end),
                new.lines_before(new_span.start)..new.lines_before(new_span.end),
            ];
            match regions.last_mut() {
                Some(last) if last[0].end >= region[0].start => {
                    last[0].end = last[0].end.max(region[0].end);
                    last[1].end = last[1].end.max(region[1].end);
                }
                _ => regions.push(region),
            }
        }
        if regions.is_empty() {
            return String::new();
        }
        let path = crate::text::visible(path);
        let mut out = format!("--- a/{path}\n+++ b/{path}\n");
        let mut index = 0;
        while index < regions.len() {
            // A hunk: regions whose context would touch.
            let mut last = index;
            while last + 1 < regions.len()
                && regions[last + 1][0].start - regions[last][0].end <= 2 * CONTEXT
            {
                last += 1;
            }
            let old_from = regions[index][0].start.saturating_sub(CONTEXT);
            let old_to = (regions[last][0].end + CONTEXT).min(old.count());
            let lead = regions[index][0].start - old_from;
            let new_from = regions[index][1].start - lead;
            let new_to = regions[last][1].end + (old_to - regions[last][0].end);
            let _ = writeln!(
                out,
                "@@ -{} +{} @@",
                hunk_range(old_from, old_to - old_from),
                hunk_range(new_from, new_to - new_from)
            );
            let mut line = old_from;
            for region in &regions[index..=last] {
                for context in line..region[0].start {
                    old.write(&mut out, ' ', context);
                }
                for removed in region[0].clone() {
                    old.write(&mut out, '-', removed);
                }
                for added in region[1].clone() {
                    new.write(&mut out, '+', added);
                }
                line = region[0].end;
            }
            for context in line..old_to {
                old.write(&mut out, ' ', context);
            }
            index = last + 1;
        }
        out
    }
}

/// Join a change to the previous one when they touch.
fn extend(
    changes: &mut Vec<(Range<usize>, Range<usize>)>,
    removed: Range<usize>,
    added: Range<usize>,
) {
    match changes.last_mut() {
        Some((last_removed, last_added))
            if last_removed.end == removed.start && last_added.end == added.start =>
        {
            last_removed.end = removed.end;
            last_added.end = added.end;
        }
        _ => changes.push((removed, added)),
    }
}

/// `start,count` of a hunk header, 1-based; an empty range names the line before it.
fn hunk_range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

/// A text's lines, by their start offsets.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let mut starts = plan_model::line_starts(text);
        // A final line break ends the last line; no empty line follows it.
        if starts.len() > 1 && starts.last() == Some(&text.len()) {
            starts.pop();
        }
        if text.is_empty() {
            starts.clear();
        }
        Lines { text, starts }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    /// Where the line holding `offset` starts; at the end, the end when the last line is
    /// complete (an insertion there starts a line), else the last line's start.
    fn line_start_of(&self, offset: usize) -> usize {
        if offset >= self.text.len() && (self.text.is_empty() || self.text.ends_with('\n')) {
            return self.text.len();
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        self.starts[line]
    }

    /// `offset` if a line starts there (or the text ends), else where its line ends.
    fn line_end_after(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        if offset == 0 || offset >= bytes.len() || bytes[offset - 1] == b'\n' {
            return offset.min(bytes.len());
        }
        // The next line's start, from the index: searching the text for the line break would
        // cost the rest of the line for every change (quadratic on a plan written on one line).
        let line = self.starts.partition_point(|&start| start <= offset);
        self.starts.get(line).copied().unwrap_or(bytes.len())
    }

    /// The number of lines that start before `offset`.
    fn lines_before(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start < offset)
    }

    fn write(&self, out: &mut String, sign: char, line: usize) {
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = &self.text[start..end];
        let body = text.strip_suffix('\n').unwrap_or(text);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(sign);
        out.push_str(&crate::text::visible(body));
        out.push('\n');
        if !text.ends_with('\n') {
            out.push_str("\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan_model::Span;

    fn edit(start: usize, end: usize, content: &str) -> Edit {
        Edit::new(Span::new(start, end), content)
    }

    #[test]
    fn pieces_follow_edits_over_rounds() {
        let original = "abcdef";
        let mut patched = Patched::new(original);
        patched.apply(&[&edit(1, 2, "XY"), &edit(4, 4, "!")]);
        assert_eq!(patched.text(), "aXYcd!ef");
        patched.apply(&[&edit(0, 3, ""), &edit(8, 8, "?")]);
        assert_eq!(patched.text(), "cd!ef?");
        patched.apply(&[&edit(2, 5, "-")]);
        assert_eq!(patched.text(), "cd-?");
        assert!(patched.is_changed());
        assert!(!Patched::new(original).is_changed());
    }

    #[test]
    fn the_diff_is_what_diff_u_writes() {
        let original: String = (1..=12).map(|n| format!("line {n}\n")).collect();
        let mut patched = Patched::new(&original);
        let at = |line: usize| original.match_indices('\n').nth(line - 2).unwrap().0 + 1;
        // Line 2 changed, a line inserted after line 10.
        patched.apply(&[
            &edit(at(2), at(3) - 1, "line two"),
            &edit(at(11), at(11), "new line\n"),
        ]);
        assert_eq!(
            patched.unified_diff("a.plan.toml"),
            "--- a/a.plan.toml\n+++ b/a.plan.toml\n\
             @@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n line 5\n\
             @@ -8,5 +8,6 @@\n line 8\n line 9\n line 10\n+new line\n line 11\n line 12\n"
        );
        let unterminated = "a = 1";
        let mut patched = Patched::new(unterminated);
        patched.apply(&[&edit(5, 5, "\nb = []")]);
        assert_eq!(
            patched.unified_diff("x"),
            "--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n-a = 1\n\\ No newline at end of file\n+a = 1\n+b = []\n\\ No newline at end of file\n"
        );
        assert_eq!(Patched::new("same\n").unified_diff("x"), "");
    }

    #[test]
    fn a_line_ends_where_the_index_says() {
        // As searching the text for the next line break says, at every offset.
        let scanned = |text: &str, offset: usize| {
            let bytes = text.as_bytes();
            if offset == 0 || offset >= bytes.len() || bytes[offset - 1] == b'\n' {
                return offset.min(bytes.len());
            }
            bytes[offset..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |at| offset + at + 1)
        };
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "ab\ncd",
            "ab\ncd\n",
            "\n\nx\n\n",
            "é✓\n😀x",
        ] {
            let lines = Lines::new(text);
            for offset in 0..=text.len() + 1 {
                assert_eq!(
                    lines.line_end_after(offset),
                    scanned(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn changes_sharing_a_line_make_one_change_of_it() {
        // Each rename shortens the line, so that a later change starts earlier in the new text
        // than in the old: the line is one removed and one added line, the others context.
        let original = "a: 1\n{ keyy: 1, keyy2: 2, keyy3: 3 }\nz: 2\n";
        let mut patched = Patched::new(original);
        let at = |needle: &str| original.find(needle).unwrap();
        patched.apply(&[
            &edit(at("keyy:"), at("keyy:") + 4, "k"),
            &edit(at("keyy2"), at("keyy2") + 5, "k2"),
            &edit(at("keyy3"), at("keyy3") + 5, "k3"),
        ]);
        assert_eq!(patched.text(), "a: 1\n{ k: 1, k2: 2, k3: 3 }\nz: 2\n");
        assert_eq!(
            patched.unified_diff("x"),
            "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a: 1\n-{ keyy: 1, keyy2: 2, keyy3: 3 }\n+{ k: 1, k2: 2, k3: 3 }\n z: 2\n"
        );
    }
}

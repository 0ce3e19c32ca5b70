//! The tables the benchmarks write into the results pages, between markers.

/// `text` with `block` between its `start` and `end` markers, which are kept; `None` when it
/// lacks them, in that order.
pub fn between_markers(text: &str, start: &str, end: &str, block: &str) -> Option<String> {
    let (a, b) = (text.find(start)?, text.find(end)?);
    (a < b).then(|| format!("{}{start}\n{block}{}", &text[..a], &text[b..]))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_block_replaces_what_was_between_the_markers_and_nothing_else() {
        let page = "# Results\n\n<!-- a:start -->\nold\n<!-- a:end -->\nafter\n";
        assert_eq!(
            super::between_markers(page, "<!-- a:start -->", "<!-- a:end -->", "new\n").as_deref(),
            Some("# Results\n\n<!-- a:start -->\nnew\n<!-- a:end -->\nafter\n")
        );
        assert_eq!(
            super::between_markers(
                "<!-- a:end --><!-- a:start -->",
                "<!-- a:start -->",
                "<!-- a:end -->",
                "x"
            ),
            None
        );
        assert_eq!(
            super::between_markers("none", "<!-- a:start -->", "<!-- a:end -->", "x"),
            None
        );
    }
}

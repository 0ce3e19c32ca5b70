//! File sizes as people write them: `10 MB`, `512KB`, `1048576`.

/// The largest plan file read unless the config or command line says otherwise: a plan is a
/// few hundred lines, and reading an arbitrary large file would only risk running out of
/// memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

const UNITS: [(&str, u64); 4] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)];

/// A positive size: a number of bytes, or a number with `B`, `KB`, `MB` or `GB` (powers of
/// 1024, as file managers mean them; case and the space before the unit do not matter).
pub fn parse_size(written: &str) -> Result<u64, String> {
    let trimmed = written.trim();
    let upper = trimmed.to_ascii_uppercase();
    let (number, unit) = UNITS
        .iter()
        .find_map(|&(unit, bytes)| Some((upper.strip_suffix(unit)?, bytes)))
        .unwrap_or((upper.as_str(), 1));
    let number: u64 = number.trim().parse().map_err(|_| {
        format!("`{written}` is not a size; write a number of bytes, or one such as \"10 MB\"")
    })?;
    match number.checked_mul(unit) {
        Some(0) => Err("the size must be more than 0".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{written}` is too large")),
    }
}

/// A size for messages: the largest whole unit, `10 MB`, else bytes.
pub fn describe_size(bytes: u64) -> String {
    UNITS
        .iter()
        .find(|&&(_, unit)| bytes >= unit && bytes.is_multiple_of(unit))
        .map_or_else(
            || format!("{bytes} B"),
            |&(name, unit)| format!("{} {name}", bytes / unit),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_and_without_units() {
        assert_eq!(parse_size("10 MB"), Ok(10 << 20));
        assert_eq!(parse_size("512kb"), Ok(512 << 10));
        assert_eq!(parse_size("1GB"), Ok(1 << 30));
        assert_eq!(parse_size("2048"), Ok(2048));
        assert_eq!(parse_size(" 7 B "), Ok(7));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten MB").is_err());
        assert!(parse_size("-1 MB").is_err());
        assert!(parse_size("99999999999999 GB").is_err());
    }

    #[test]
    fn sizes_are_described_in_the_largest_whole_unit() {
        assert_eq!(describe_size(DEFAULT_MAX_FILE_SIZE), "10 MB");
        assert_eq!(describe_size(1536), "1536 B");
        assert_eq!(describe_size(2048), "2 KB");
        assert_eq!(describe_size(7), "7 B");
    }
}

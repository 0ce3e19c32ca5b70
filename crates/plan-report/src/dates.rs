//! Dates as the report writes them (`2026-11-25`) and counts them.

use jiff::civil::Date;
use serde::Serializer;

/// Whole days from `from` to `to`: negative when `to` is earlier.
pub fn days_between(from: Date, to: Date) -> i32 {
    to.since((jiff::Unit::Day, from))
        .map_or(0, |span| span.get_days())
}

/// The day after `date`, or `date` itself at the end of the calendar.
pub fn next_day(date: Date) -> Date {
    date.tomorrow().unwrap_or(date)
}

pub fn date<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

pub fn opt_date<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_are_counted_across_months_and_leap_years() {
        assert_eq!(days_between(date(2026, 11, 25), date(2026, 12, 2)), 7);
        assert_eq!(days_between(date(2028, 2, 28), date(2028, 3, 1)), 2);
        assert_eq!(days_between(date(2026, 12, 2), date(2026, 11, 25)), -7);
        assert_eq!(next_day(date(2026, 12, 31)), date(2027, 1, 1));
    }
}

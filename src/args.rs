//! Argument parsers shared by the commands (clap `value_parser`s): a bad value is refused
//! up front, exit 2, by clap's "invalid value '…' for '--arg'" with the allowed range.
//!
//! Every number that sizes a loop or a date span is bounded here: NaN and infinity slip
//! through `<`/`>` checks and hang the generators; huge counts overflow dates.

use tidewatch_core::Error;

/// The most calls a generated history may have: about 3 000 a second go through the desk,
/// so this is an hour.
pub const MAX_GENERATED_CALLS: f64 = 10_000_000.0;

/// Refuses a generated history of more than [`MAX_GENERATED_CALLS`], naming `flag`.
pub fn generated_calls(days: i64, per_day: f64, flag: &str) -> Result<(), Error> {
    let expected = days as f64 * per_day;
    if expected > MAX_GENERATED_CALLS {
        return Err(Error::invalid(
            flag,
            format!("{expected:.0} calls over {days} days: at most {MAX_GENERATED_CALLS} (fewer days or calls)"),
        ));
    }
    Ok(())
}

/// Mean calls per day of a generated history (a busy city sees a few thousand).
pub fn calls_per_day(s: &str) -> Result<f64, String> {
    finite_in(s, 0.0, tidewatch_workstation::demo::MAX_CALLS_PER_DAY)
}

/// Calls × this factor in a what-if replay (as `sim::simulate` accepts).
pub fn surge(s: &str) -> Result<f64, String> {
    finite_in(s, 1.0, 10.0)
}

/// Seconds a solver may run: up to a day.
pub fn time_limit(s: &str) -> Result<f64, String> {
    finite_in(s, 0.1, 86_400.0)
}

/// A finite number in `lo..=hi`.
fn finite_in(s: &str, lo: f64, hi: f64) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| "not a number".to_string())?;
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(format!("must be a finite number from {lo} to {hi}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_and_out_of_range_numbers_are_refused() {
        for bad in ["nan", "NaN", "inf", "-inf", "infinity", "1e12", "-1", "", "x", "1e309"] {
            assert!(calls_per_day(bad).is_err(), "{bad}");
        }
        assert_eq!(calls_per_day("-0"), Ok(-0.0));
        assert_eq!(calls_per_day("40"), Ok(40.0));
        assert!(surge("0.5").is_err() && surge("1.6").is_ok());
        assert!(time_limit("0").is_err() && time_limit("30").is_ok());
    }
}

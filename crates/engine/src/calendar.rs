//! The French calendar used for deadlines expressed in working days.
//!
//! Public holidays follow the Code du travail, art. L3133-1; the Alsace-Moselle
//! calendar (Bas-Rhin, Haut-Rhin, Moselle) adds Good Friday and 26 December
//! (art. L3134-13). A working day is neither a Saturday, a Sunday nor a holiday.

use chrono::{Datelike, Months, NaiveDate, TimeDelta, Weekday};
use cpts_lang::syntax::Unit;

/// How a holiday's date is found each year.
#[derive(Clone, Copy)]
enum Rule {
    /// A fixed (month, day).
    Fixed(u32, u32),
    /// An offset in days from Easter Sunday.
    Easter(i64),
}

/// (rule, Alsace-Moselle only, name). Fixed dates come first, so their names
/// win when two holidays coincide (Ascension on 1 May 2008).
const HOLIDAYS: [(Rule, bool, &str); 13] = [
    (Rule::Fixed(1, 1), false, "Jour de l'an"),
    (Rule::Fixed(5, 1), false, "Fête du Travail"),
    (Rule::Fixed(5, 8), false, "Victoire 1945"),
    (Rule::Fixed(7, 14), false, "Fête nationale"),
    (Rule::Fixed(8, 15), false, "Assomption"),
    (Rule::Fixed(11, 1), false, "Toussaint"),
    (Rule::Fixed(11, 11), false, "Armistice 1918"),
    (Rule::Fixed(12, 25), false, "Noël"),
    (Rule::Fixed(12, 26), true, "Saint-Étienne"),
    (Rule::Easter(-2), true, "Vendredi saint"),
    (Rule::Easter(1), false, "Lundi de Pâques"),
    (Rule::Easter(39), false, "Ascension"),
    (Rule::Easter(50), false, "Lundi de Pentecôte"),
];

/// A holiday calendar: the national French one, optionally with the local
/// law of Alsace-Moselle. The default is the national calendar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Calendar {
    /// Whether the Alsace-Moselle holidays (Good Friday, 26 December) apply.
    pub alsace_moselle: bool,
}

impl Calendar {
    /// The national calendar (Code du travail, art. L3133-1).
    pub fn national() -> Calendar {
        Calendar::default()
    }

    /// The calendar of Bas-Rhin, Haut-Rhin and Moselle: the national one plus
    /// Good Friday and 26 December (Code du travail, art. L3134-13).
    pub fn alsace_moselle() -> Calendar {
        Calendar {
            alsace_moselle: true,
        }
    }

    /// The public holidays of `year`, sorted by date, with their French names.
    /// Two holidays may share a date (Ascension on 1 May 2008): both are listed.
    /// Empty for years outside chrono's range.
    pub fn holidays(&self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        let easter = easter_opt(year);
        let date = |rule| match rule {
            Rule::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
            Rule::Easter(offset) => shift(easter?, offset),
        };
        let mut out: Vec<_> = HOLIDAYS
            .iter()
            .filter(|&&(_, local, _)| self.alsace_moselle || !local)
            .filter_map(|&(rule, _, name)| Some((date(rule)?, name)))
            .collect();
        out.sort_by_key(|&(d, _)| d);
        out
    }

    /// The name of the public holiday falling on `d`, if any (the fixed-date
    /// one when two coincide).
    pub fn is_holiday(&self, d: NaiveDate) -> Option<&'static str> {
        // Easter-based holidays fall on a Monday, Thursday or Friday between
        // 20 March and 14 June: only then is Easter worth computing.
        let (month, day) = (d.month(), d.day());
        let movable = (3..=6).contains(&month)
            && matches!(d.weekday(), Weekday::Mon | Weekday::Thu | Weekday::Fri);
        let easter = if movable { easter_opt(d.year()) } else { None };
        let offset = easter.map(|e| (d - e).num_days());
        for &(rule, local, name) in &HOLIDAYS {
            let hit = match rule {
                Rule::Fixed(m, dd) => (m, dd) == (month, day),
                Rule::Easter(o) => offset == Some(o),
            };
            if hit && (self.alsace_moselle || !local) {
                return Some(name);
            }
        }
        None
    }

    /// Whether `d` is a working day: not a Saturday, not a Sunday, not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        is_weekday(d) && self.is_holiday(d).is_none()
    }

    /// `date` plus `amount` units: months/years with chrono's end-of-month
    /// clamping (31 Jan + 1 month = 28/29 Feb), weeks = 7 days, working days =
    /// the `amount`-th working day strictly after `date` (negative amounts go
    /// backwards; zero returns `date` itself). Never panics: a result beyond
    /// chrono's range saturates to `NaiveDate::MAX` / `NaiveDate::MIN`.
    pub fn add(&self, date: NaiveDate, amount: i64, unit: Unit) -> NaiveDate {
        let result = match unit {
            Unit::Days => shift(date, amount),
            Unit::Weeks => amount.checked_mul(7).and_then(|n| shift(date, n)),
            Unit::Months => add_months(date, amount),
            Unit::Years => amount.checked_mul(12).and_then(|n| add_months(date, n)),
            Unit::WorkingDays => self.add_working_days(date, amount),
        };
        result.unwrap_or(saturate(amount >= 0))
    }

    /// Working days in (`from`, `to`]; when `to < from`, minus the working
    /// days in (`to`, `from`]. Linear in the number of years spanned.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let weekday_holidays = (from.year()..=to.year()).flat_map(|y| {
            let mut days = self.holidays(y);
            days.dedup_by_key(|&mut (d, _)| d);
            days.into_iter()
                .filter(|&(d, _)| d > from && d <= to && is_weekday(d))
        });
        weekdays_through(to) - weekdays_through(from) - weekday_holidays.count() as i64
    }

    /// The `amount`-th working day strictly after (before, if negative) `date`.
    fn add_working_days(&self, date: NaiveDate, amount: i64) -> Option<NaiveDate> {
        let (mut d, mut left) = (date, amount.unsigned_abs());
        while left > 0 {
            d = if amount > 0 {
                d.succ_opt()?
            } else {
                d.pred_opt()?
            };
            left -= u64::from(self.is_working_day(d));
        }
        Some(d)
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous
/// Meeus/Jones/Butcher algorithm). Saturates to `NaiveDate::MAX` / `MIN` for
/// years outside chrono's range.
pub fn easter_sunday(year: i32) -> NaiveDate {
    easter_opt(year).unwrap_or(saturate(year > 0))
}

fn easter_opt(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let (a, b, c) = (y.rem_euclid(19), y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = u32::try_from(h + l - 7 * m + 114).ok()?;
    NaiveDate::from_ymd_opt(year, n / 31, n % 31 + 1)
}

/// `date` shifted by `n` calendar days, `None` on overflow.
fn shift(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    date.checked_add_signed(TimeDelta::try_days(n)?)
}

/// `date` shifted by `n` months (end-of-month clamping), `None` on overflow.
fn add_months(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let months = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 {
        date.checked_add_months(months)
    } else {
        date.checked_sub_months(months)
    }
}

/// `NaiveDate::MAX` if `up`, else `NaiveDate::MIN`.
fn saturate(up: bool) -> NaiveDate {
    if up { NaiveDate::MAX } else { NaiveDate::MIN }
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday-to-Friday days from a fixed origin through `d` (0001-01-01, day 1
/// of the common era, is a Monday); only differences are meaningful.
fn weekdays_through(d: NaiveDate) -> i64 {
    let n = i64::from(d.num_days_from_ce());
    5 * n.div_euclid(7) + n.rem_euclid(7).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Unit::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_dates() {
        let known = "2017-04-16 2018-04-01 2019-04-21 2020-04-12 2021-04-04 \
                     2022-04-17 2023-04-09 2024-03-31 2025-04-20 2026-04-05";
        for e in known.split(' ').map(d) {
            assert_eq!(easter_sunday(e.year()), e);
        }
        for y in 1583..=9999 {
            let e = easter_sunday(y);
            let (earliest, latest) = (d("2001-03-22").with_year(y), d("2001-04-25").with_year(y));
            assert_eq!(e.weekday(), Weekday::Sun);
            assert!(Some(e) >= earliest && Some(e) <= latest, "{y}");
        }
    }

    #[test]
    fn holidays() {
        let list = |cal: Calendar, y| {
            let h = cal.holidays(y);
            h.iter()
                .map(|(d, n)| format!("{d} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(
            list(Calendar::default(), 2024),
            "2024-01-01 Jour de l'an, 2024-04-01 Lundi de Pâques, 2024-05-01 Fête du Travail, \
             2024-05-08 Victoire 1945, 2024-05-09 Ascension, 2024-05-20 Lundi de Pentecôte, \
             2024-07-14 Fête nationale, 2024-08-15 Assomption, 2024-11-01 Toussaint, \
             2024-11-11 Armistice 1918, 2024-12-25 Noël"
        );
        let alsace = list(Calendar::alsace_moselle(), 2024);
        assert!(alsace.contains("2024-03-29 Vendredi saint, 2024-04-01 Lundi de Pâques"));
        assert!(alsace.ends_with("2024-12-25 Noël, 2024-12-26 Saint-Étienne"));
        assert_eq!(Calendar::national().is_holiday(d("2024-03-29")), None);
        assert_eq!(Calendar::national().holidays(2008).len(), 11); // Ascension on 1 May
        assert_eq!(
            Calendar::national().is_holiday(d("2008-05-01")),
            Some("Fête du Travail")
        );
        for cal in [Calendar::national(), Calendar::alsace_moselle()] {
            for day in d("2000-01-01").iter_days().take_while(|x| x.year() <= 2100) {
                let listed = cal.holidays(day.year()).iter().any(|&(h, _)| h == day);
                assert_eq!(cal.is_holiday(day).is_some(), listed, "{day}");
            }
        }
    }

    #[test]
    fn adding_units() {
        let cal = Calendar::national();
        for (from, n, unit, to) in [
            ("2024-05-03", 1, WorkingDays, "2024-05-06"),
            ("2024-05-07", 1, WorkingDays, "2024-05-10"),
            ("2024-05-10", -1, WorkingDays, "2024-05-07"),
            ("2024-05-04", 0, WorkingDays, "2024-05-04"),
            ("2022-12-31", 2, Months, "2023-02-28"),
            ("2024-01-31", 2, Months, "2024-03-31"),
            ("2024-01-31", 1, Months, "2024-02-29"),
            ("2024-03-31", -1, Months, "2024-02-29"),
            ("2024-02-29", 1, Years, "2025-02-28"),
            ("2024-05-03", 2, Weeks, "2024-05-17"),
            ("2024-05-03", -3, Days, "2024-04-30"),
        ] {
            assert_eq!(cal.add(d(from), n, unit), d(to), "{from} {n} {unit:?}");
        }
        let (may7, may10) = (d("2024-05-07"), d("2024-05-10"));
        assert_eq!(cal.working_days_between(may7, may10), 1);
        assert_eq!(cal.working_days_between(may10, may7), -1);
        let alsace = Calendar::alsace_moselle();
        assert_eq!(alsace.add(d("2024-03-28"), 1, WorkingDays), d("2024-04-02"));
    }

    #[test]
    fn never_panics_at_the_edges() {
        let cal = Calendar::alsace_moselle();
        for day in [
            NaiveDate::MIN,
            d("1583-01-01"),
            d("9999-12-31"),
            NaiveDate::MAX,
        ] {
            for n in [-100_000, -1, 0, 1, 100_000, i64::MIN, i64::MAX] {
                for unit in [Days, WorkingDays, Weeks, Months, Years] {
                    if unit != WorkingDays || n.unsigned_abs() <= 100_000 {
                        let _ = cal.add(day, n, unit);
                    }
                }
            }
        }
        assert_eq!(cal.add(d("9999-12-31"), i64::MAX, Years), NaiveDate::MAX);
        assert_eq!(cal.add(d("1583-01-01"), i64::MIN, Days), NaiveDate::MIN);
        assert_eq!(cal.add(NaiveDate::MAX, 1, WorkingDays), NaiveDate::MAX);
        assert_eq!(cal.add(NaiveDate::MIN, -1, WorkingDays), NaiveDate::MIN);
        assert!(cal.working_days_between(d("1583-01-01"), d("9999-12-31")) > 2_000_000);
        let _ = (
            easter_sunday(i32::MIN),
            easter_sunday(i32::MAX),
            cal.holidays(i32::MAX),
        );
    }

    #[test]
    fn working_days_round_trip() {
        assert_eq!(d("0001-01-01").weekday(), Weekday::Mon); // origin of `weekdays_through`
        let runs = [
            (Calendar::national(), 2017..=2030),
            (Calendar::alsace_moselle(), 2024..=2024),
        ];
        for (cal, years) in runs {
            let start = NaiveDate::from_ymd_opt(*years.start(), 1, 1).unwrap();
            for day in start.iter_days().take_while(|x| years.contains(&x.year())) {
                let mut expected = day.iter_days().skip(1).filter(|&x| cal.is_working_day(x));
                for n in 1..=30 {
                    let end = cal.add(day, n, WorkingDays);
                    assert_eq!(Some(end), expected.next(), "{day} + {n}");
                    assert_eq!(cal.working_days_between(day, end), n, "{day} + {n}");
                }
                for n in [1, 2, 7, 30] {
                    let back = cal.add(day, -n, WorkingDays);
                    let within = n - 1 + i64::from(cal.is_working_day(day)); // (back, day]
                    assert!(cal.is_working_day(back), "{day} - {n}");
                    assert_eq!(cal.working_days_between(back, day), within, "{day} - {n}");
                }
            }
        }
    }
}

//! "Did you mean" suggestions.

/// The candidate closest to `name`, if close enough to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = strsim::jaro_winkler(name, candidate);
        let contains = candidate.contains(name) || name.contains(candidate);
        let score = if contains && name.len() > 2 {
            score.max(0.85)
        } else {
            score
        };
        if score >= 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `help` text for a name that was not found.
pub fn help<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_not_strangers() {
        let names = ["membres", "territoire", "association"];
        assert_eq!(closest("membre", names), Some("membres"));
        assert_eq!(closest("teritoire", names), Some("territoire"));
        assert_eq!(closest("zzz", names), None);
    }
}

//! Gazetteer search for intake: Chinese names, pinyin (full or initials) and English.

use super::{Place, PlaceKind, Region};

const FINALS: [&str; 37] = [
    "iang", "iong", "uang", "ueng", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan", "van", "ai", "ei", "ao", "ou", "an", "en",
    "in", "un", "vn", "ia", "ie", "iu", "ua", "uo", "ue", "ui", "ve", "er", "a", "o", "e", "i", "u", "v",
];

/// First letters of each pinyin syllable ("changbai jingwuzhan" → "cbjwz"), by greedy
/// initial + longest-final segmentation: what dispatchers type for speed.
pub fn pinyin_initials(pinyin: &str) -> String {
    let mut out = String::new();
    for word in pinyin.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        let w = word.to_ascii_lowercase();
        let mut rest = w.as_str();
        while !rest.is_empty() {
            let initial = ["zh", "ch", "sh"]
                .into_iter()
                .find(|i| rest.starts_with(i))
                .map(str::len)
                .unwrap_or_else(|| usize::from(rest.starts_with(|c: char| "bpmfdtnlgkhjqxrzcsyw".contains(c))));
            let after = &rest[initial..];
            // Prefer a final that does not swallow the next syllable's initial ("changbai":
            // "chang" + "bai", but "chan" + "gan" is not considered).
            let fin = FINALS.iter().find(|f| after.starts_with(**f)).map(|f| f.len()).unwrap_or(0);
            let take = (initial + fin).max(1);
            out.push_str(&rest[..1]);
            rest = &rest[take.min(rest.len())..];
        }
    }
    out
}

/// How well a place matches; lower is better.
fn score(p: &Place, q: &str) -> Option<u32> {
    let lower = |s: &str| s.to_lowercase();
    let compact = |s: &str| lower(s).chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let qc = compact(q);
    if qc.is_empty() {
        return None;
    }
    let initials = pinyin_initials(&p.pinyin);
    let fields = [p.name_zh.clone(), compact(&p.pinyin), initials, compact(&p.name_en), p.id.0.clone()];
    let mut best = None;
    for (i, f) in fields.iter().enumerate() {
        let f = if i == 0 { f.clone() } else { compact(f) };
        let q = if i == 0 { q.trim().to_string() } else { qc.clone() };
        let s = if f == q {
            0
        } else if f.starts_with(&q) {
            1
        } else if f.contains(&q) {
            2
        } else {
            continue;
        };
        let s = s * 10 + i as u32;
        best = Some(best.map_or(s, |b: u32| b.min(s)));
    }
    // Junctions and bridge ends are not places a caller names.
    best.filter(|_| !matches!(p.kind, PlaceKind::Junction))
}

impl Region {
    /// Places matching `query`, best first, at most `limit`.
    pub fn search_places(&self, query: &str, limit: usize) -> Vec<&Place> {
        let mut hits: Vec<(u32, &Place)> = self.places.iter().filter_map(|p| score(p, query).map(|s| (s, p))).collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name_zh.len().cmp(&b.1.name_zh.len())));
        hits.into_iter().take(limit).map(|(_, p)| p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::pinyin_initials;

    #[test]
    fn initials_per_syllable() {
        assert_eq!(pinyin_initials("changbai jingwuzhan"), "cbjwz");
        assert_eq!(pinyin_initials("dinghai keyunzhan"), "dhkyz");
        assert_eq!(pinyin_initials("panzhi matou"), "pzmt");
        assert_eq!(pinyin_initials("xiaosha"), "xs");
    }
}

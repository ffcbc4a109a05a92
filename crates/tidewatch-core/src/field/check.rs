//! Whether a reported fix is believable, and what it means: on which island, or on the
//! water. Each bad fix is either refused (never stored) or flagged (stored for the track,
//! never used as a unit's fresh position); every case is counted by the caller.
//!
//! | case | decision | why |
//! |---|---|---|
//! | unreadable payload, or the phone says "no fix" | refused `malformed` / `no_fix` | nothing to place |
//! | outside the region's bounds | refused `outside_region` | not ours to route; a wrong fix |
//! | a land unit in the sea, away from coasts, bridges and ferry crossings | refused `at_sea` | a car cannot be there |
//! | more than [`Rules::future_skew_s`] ahead of the service's clock | refused `future` | a wrong phone clock would keep the fix "fresh" |
//! | older than [`Rules::max_age_s`] | refused `too_old` | past the point of a track, and of retention |
//! | the same fix time as one stored for the device | refused `duplicate` | an app re-sending after a lost answer |
//! | faster than the unit kind can move since its last fix | flagged `jump` | one of the two is wrong; refusing would pin the unit to a bad fix |
//! | accuracy worse than [`Rules::poor_accuracy_m`] | flagged `inaccurate` | a cell-tower guess, not a place to route from |
//! | no time in the payload | flagged `no_time` (time of arrival used) | still a place, but less sure |
//!
//! A land unit on the water near a ferry crossing is on the ferry (`afloat`); near a
//! bridge it is on the bridge; within [`Rules::coast_m`] (plus the fix's accuracy) of an
//! island it is on that island's shore (a pier, a sea wall).

use geo::{BoundingRect, Contains, Coord, MultiPolygon, Point, Rect};
use serde::Serialize;

use super::fix::{Fix, Refusal};
use crate::geo_math::{haversine_m, land_of, metres_to_coast, metres_to_segment};
use crate::ids::IslandId;
use crate::region::{Bounds, Region, UnitKind};

/// Something doubtful about a stored fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Jump,
    Inaccurate,
    NoTime,
}

impl Flag {
    pub const ALL: [Flag; 3] = [Flag::Jump, Flag::Inaccurate, Flag::NoTime];

    pub fn name(self) -> &'static str {
        match self {
            Flag::Jump => "jump",
            Flag::Inaccurate => "inaccurate",
            Flag::NoTime => "no_time",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Whether a fix with this flag may still be a unit's start point for an ETA.
    pub fn usable_for_eta(self) -> bool {
        self == Flag::NoTime
    }
}

/// The limits, each with a default for phones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// A phone's clock may run this far ahead of the service's (seconds).
    pub future_skew_s: i64,
    /// The oldest fix taken (seconds before now): a phone's offline queue within a shift.
    pub max_age_s: i64,
    /// Off an island by at most this (plus the fix's accuracy, up to `poor_accuracy_m`) is
    /// on its shore.
    pub coast_m: f64,
    /// A land unit this close to a ferry crossing's line is on the ferry (ferries do not
    /// sail straight).
    pub ferry_corridor_m: f64,
    pub bridge_corridor_m: f64,
    /// A fix less sure than this is flagged `inaccurate`.
    pub poor_accuracy_m: f64,
    /// Speed is judged against the previous fix only if it is this recent (seconds): an
    /// old fix says little about how far the unit could have gone.
    pub jump_window_s: i64,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            future_skew_s: 120,
            max_age_s: 24 * 3600,
            coast_m: 200.0,
            ferry_corridor_m: 2000.0,
            bridge_corridor_m: 300.0,
            poor_accuracy_m: 300.0,
            jump_window_s: 600,
        }
    }
}

/// The fastest a unit of `kind` can believably move (km/h), GPS noise included: a car on an
/// expressway or bridge, a fast police boat.
pub fn max_speed_kmh(kind: UnitKind) -> f64 {
    match kind {
        UnitKind::Boat => 110.0,
        UnitKind::Traffic | UnitKind::Station | UnitKind::Joint | UnitKind::Post => 200.0,
    }
}

/// The device's stored fix just before this one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Previous {
    pub fix_utc: i64,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
}

/// A fix to store, and what it means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accepted {
    /// The fix's time (the time of arrival when the app sent none).
    pub fix_utc: i64,
    /// The island it is on (or on the shore of); None on the water or on a bridge.
    pub island: Option<IslandId>,
    /// On the water: a boat at sea, or a land unit on a ferry crossing.
    pub afloat: bool,
    /// The bridge or ferry route it is on, for a land unit off the islands.
    pub crossing: Option<String>,
    pub flags: Vec<Flag>,
}

impl Accepted {
    /// Whether this fix may be a unit's start point for an ETA.
    pub fn usable_for_eta(&self) -> bool {
        self.flags.iter().all(|f| f.usable_for_eta())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Verdict {
    Accepted(Accepted),
    Refused(Refusal),
}

struct IslandShape {
    id: IslandId,
    bbox: Rect<f64>,
    land: MultiPolygon<f64>,
}

struct Crossing {
    id: String,
    ferry: bool,
    a: Coord<f64>,
    b: Coord<f64>,
}

/// The region's shapes a fix is judged against, built once per region.
pub struct Geometry {
    bounds: Bounds,
    islands: Vec<IslandShape>,
    crossings: Vec<Crossing>,
}

impl Geometry {
    pub fn of(region: &Region) -> Geometry {
        let islands = region
            .islands
            .iter()
            .filter_map(|i| {
                let land = land_of(&i.shape);
                Some(IslandShape { id: i.id.clone(), bbox: land.bounding_rect()?, land })
            })
            .collect();
        let at = |place: &crate::ids::PlaceId| region.place(place).map(|p| Coord { x: p.lon, y: p.lat });
        let bridges =
            region.bridges.iter().filter_map(|b| Some(Crossing { id: b.id.0.clone(), ferry: false, a: at(&b.from)?, b: at(&b.to)? }));
        let ferries =
            region.ferry_routes.iter().filter_map(|f| Some(Crossing { id: f.id.0.clone(), ferry: true, a: at(&f.from)?, b: at(&f.to)? }));
        Geometry { bounds: region.meta.bounds, islands, crossings: bridges.chain(ferries).collect() }
    }

    /// The island whose land holds the point.
    pub fn island_at(&self, lon: f64, lat: f64) -> Option<&IslandId> {
        let p = Point::new(lon, lat);
        self.islands.iter().find(|i| i.bbox.contains(&p) && i.land.contains(&p)).map(|i| &i.id)
    }

    /// The nearest island within `within_m` of the point (off its land).
    fn shore_of(&self, lon: f64, lat: f64, within_m: f64) -> Option<&IslandId> {
        let (dlat, dlon) = (within_m / 111_000.0, within_m / (111_000.0 * lat.to_radians().cos().max(0.1)));
        self.islands
            .iter()
            .filter(|i| {
                let (min, max) = (i.bbox.min(), i.bbox.max());
                lon >= min.x - dlon && lon <= max.x + dlon && lat >= min.y - dlat && lat <= max.y + dlat
            })
            .map(|i| (i, metres_to_coast(&i.land, lon, lat)))
            .filter(|(_, m)| *m <= within_m)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| &i.id)
    }

    /// The bridge or ferry crossing the point is on (bridges first: a bridge's corridor is
    /// the narrower).
    fn crossing_at(&self, lon: f64, lat: f64, rules: &Rules) -> Option<&Crossing> {
        let near = |c: &&Crossing| {
            let corridor = if c.ferry { rules.ferry_corridor_m } else { rules.bridge_corridor_m };
            metres_to_segment(c.a, c.b, lon, lat) <= corridor
        };
        self.crossings.iter().filter(|c| !c.ferry).find(near).or_else(|| self.crossings.iter().filter(|c| c.ferry).find(near))
    }
}

/// Judges `fix` from a unit of `kind`, given the device's previous stored fix, at `now`.
pub fn judge(geo: &Geometry, rules: &Rules, kind: UnitKind, fix: &Fix, previous: Option<&Previous>, now: i64) -> Verdict {
    let mut flags = Vec::new();
    let t = fix.fix_utc.unwrap_or_else(|| {
        flags.push(Flag::NoTime);
        now
    });
    if t > now.saturating_add(rules.future_skew_s) {
        return Verdict::Refused(Refusal::Future);
    }
    if t < now.saturating_sub(rules.max_age_s) {
        return Verdict::Refused(Refusal::TooOld);
    }
    if !geo.bounds.contains(fix.lon, fix.lat) {
        return Verdict::Refused(Refusal::OutsideRegion);
    }
    if previous.is_some_and(|p| p.fix_utc == t) {
        return Verdict::Refused(Refusal::Duplicate);
    }
    let Some((island, afloat, crossing)) = place(geo, rules, kind, fix) else {
        return Verdict::Refused(Refusal::AtSea);
    };
    if fix.accuracy_m.is_some_and(|a| a > rules.poor_accuracy_m) {
        flags.push(Flag::Inaccurate);
    }
    if previous.is_some_and(|p| jumped(rules, kind, p, fix, t)) {
        flags.push(Flag::Jump);
    }
    Verdict::Accepted(Accepted { fix_utc: t, island, afloat, crossing, flags })
}

/// Where the fix is: (island, afloat, crossing); None for a land unit out at sea.
fn place(geo: &Geometry, rules: &Rules, kind: UnitKind, fix: &Fix) -> Option<(Option<IslandId>, bool, Option<String>)> {
    if let Some(island) = geo.island_at(fix.lon, fix.lat) {
        return Some((Some(island.clone()), false, None));
    }
    let slack = rules.coast_m + fix.accuracy_m.unwrap_or(0.0).min(rules.poor_accuracy_m);
    if kind != UnitKind::Boat {
        if let Some(island) = geo.shore_of(fix.lon, fix.lat, slack) {
            return Some((Some(island.clone()), false, None));
        }
        let crossing = geo.crossing_at(fix.lon, fix.lat, rules)?;
        return Some((None, crossing.ferry, Some(crossing.id.clone())));
    }
    Some((None, true, None))
}

/// Whether getting from `p` to the fix at `t` needs more speed than the unit has. Both
/// fixes' accuracy (capped) is given as slack.
fn jumped(rules: &Rules, kind: UnitKind, p: &Previous, fix: &Fix, t: i64) -> bool {
    let dt = t - p.fix_utc;
    if dt <= 0 || dt > rules.jump_window_s {
        return false;
    }
    let slack = |a: Option<f64>| a.unwrap_or(0.0).min(rules.poor_accuracy_m);
    let metres = haversine_m((p.lon, p.lat), (fix.lon, fix.lat)) - slack(p.accuracy_m) - slack(fix.accuracy_m);
    metres > 0.0 && metres / dt as f64 * 3.6 > max_speed_kmh(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn dinghai() -> &'static (Region, Geometry) {
        static PACK: OnceLock<(Region, Geometry)> = OnceLock::new();
        PACK.get_or_init(|| {
            let region = Region::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/regions/dinghai"))).unwrap();
            let geo = Geometry::of(&region);
            (region, geo)
        })
    }

    const NOW: i64 = 1_791_424_800;

    fn fix(lon: f64, lat: f64, t: i64) -> Fix {
        Fix { lon, lat, fix_utc: Some(t), accuracy_m: Some(10.0), speed_kmh: None, bearing_deg: None, altitude_m: None, battery_pct: None }
    }

    fn place_of(id: &str) -> (f64, f64) {
        let p = dinghai().0.place(&id.into()).unwrap();
        (p.lon, p.lat)
    }

    fn judge_at(kind: UnitKind, f: &Fix, previous: Option<&Previous>) -> Verdict {
        judge(&dinghai().1, &Rules::default(), kind, f, previous, NOW)
    }

    fn accepted(v: Verdict) -> Accepted {
        match v {
            Verdict::Accepted(a) => a,
            Verdict::Refused(r) => panic!("refused: {r:?}"),
        }
    }

    /// Open water between Jintang and the main island, away from every bridge and ferry line.
    const OPEN_SEA: (f64, f64) = (121.95, 29.93);

    #[test]
    fn a_car_at_its_station_is_on_its_island() {
        let (lon, lat) = place_of("ps_lincheng");
        let a = accepted(judge_at(UnitKind::Station, &fix(lon, lat, NOW - 5), None));
        assert_eq!((a.island.as_ref().map(IslandId::as_str), a.afloat, a.fix_utc), (Some("zhoushan"), false, NOW - 5));
        assert!(a.flags.is_empty() && a.usable_for_eta());
        let (lon, lat) = place_of("post_changbai");
        assert_eq!(accepted(judge_at(UnitKind::Post, &fix(lon, lat, NOW), None)).island.unwrap().as_str(), "changbai");
    }

    #[test]
    fn a_car_in_open_sea_is_refused_a_boat_there_is_afloat() {
        let (lon, lat) = OPEN_SEA;
        assert!(dinghai().1.island_at(lon, lat).is_none(), "the test point is at sea");
        assert_eq!(judge_at(UnitKind::Traffic, &fix(lon, lat, NOW), None), Verdict::Refused(Refusal::AtSea));
        let a = accepted(judge_at(UnitKind::Boat, &fix(lon, lat, NOW), None));
        assert!(a.afloat && a.island.is_none());
    }

    #[test]
    fn a_car_on_the_ferry_or_a_bridge_is_accepted() {
        let (a, b) = (place_of("pier_dinghai"), place_of("pier_panzhi"));
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        assert!(dinghai().1.island_at(mid.0, mid.1).is_none(), "mid-crossing is at sea");
        let on_ferry = accepted(judge_at(UnitKind::Station, &fix(mid.0, mid.1, NOW), None));
        assert!(on_ferry.afloat && on_ferry.island.is_none(), "{on_ferry:?}");
        assert_eq!(on_ferry.crossing.as_deref(), Some("ferry_dinghai_panzhi"));
        // Mid-bridge on Cengang: within the shore allowance of the islands it joins.
        let (a, b) = (place_of("be_cengang_zhoushan"), place_of("be_cengang_lidiao"));
        let on_bridge = accepted(judge_at(UnitKind::Traffic, &fix((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0, NOW), None));
        assert!(!on_bridge.afloat && on_bridge.island.is_some(), "{on_bridge:?}");
    }

    #[test]
    fn outside_the_bounds_future_and_old_fixes_are_refused() {
        let (lon, lat) = place_of("ps_lincheng");
        assert_eq!(judge_at(UnitKind::Station, &fix(116.4, 39.9, NOW), None), Verdict::Refused(Refusal::OutsideRegion));
        assert_eq!(judge_at(UnitKind::Station, &fix(lon, lat, NOW + 121), None), Verdict::Refused(Refusal::Future));
        accepted(judge_at(UnitKind::Station, &fix(lon, lat, NOW + 120), None));
        assert_eq!(judge_at(UnitKind::Station, &fix(lon, lat, NOW - 24 * 3600 - 1), None), Verdict::Refused(Refusal::TooOld));
        let no_time = Fix { fix_utc: None, ..fix(lon, lat, 0) };
        let a = accepted(judge_at(UnitKind::Station, &no_time, None));
        assert_eq!((a.fix_utc, a.flags.as_slice(), a.usable_for_eta()), (NOW, &[Flag::NoTime][..], true));
    }

    #[test]
    fn duplicates_are_refused_jumps_and_poor_fixes_flagged() {
        let (lon, lat) = place_of("ps_lincheng");
        let previous = Previous { fix_utc: NOW - 10, lon, lat, accuracy_m: Some(10.0) };
        assert_eq!(judge_at(UnitKind::Station, &fix(lon, lat, NOW - 10), Some(&previous)), Verdict::Refused(Refusal::Duplicate));
        // 5 km in 10 s is 1800 km/h.
        let (far_lon, far_lat) = place_of("pier_dinghai");
        assert!(haversine_m((lon, lat), (far_lon, far_lat)) > 4000.0);
        let a = accepted(judge_at(UnitKind::Station, &fix(far_lon, far_lat, NOW), Some(&previous)));
        assert_eq!(a.flags, vec![Flag::Jump]);
        assert!(!a.usable_for_eta());
        // The same move in 10 minutes is a drive.
        let earlier = Previous { fix_utc: NOW - 600, ..previous };
        assert!(accepted(judge_at(UnitKind::Station, &fix(far_lon, far_lat, NOW), Some(&earlier))).flags.is_empty());
        let vague = Fix { accuracy_m: Some(1500.0), ..fix(lon, lat, NOW) };
        assert_eq!(accepted(judge_at(UnitKind::Station, &vague, None)).flags, vec![Flag::Inaccurate]);
    }

    #[test]
    fn a_boat_is_slower_than_a_car() {
        let (lon, lat) = place_of("pier_dinghai");
        let previous = Previous { fix_utc: NOW - 60, lon, lat, accuracy_m: None };
        // About 2.5 km in a minute: 150 km/h, a car on an expressway but no police boat.
        let (to_lon, to_lat) = (lon + 0.0259, lat);
        let moved = haversine_m((lon, lat), (to_lon, to_lat));
        assert!((2400.0..2600.0).contains(&moved), "{moved}");
        let boat = accepted(judge_at(UnitKind::Boat, &fix(to_lon, to_lat, NOW), Some(&previous)));
        assert_eq!(boat.flags, vec![Flag::Jump]);
        let car = accepted(judge_at(UnitKind::Traffic, &fix(to_lon, to_lat, NOW), Some(&previous)));
        assert!(car.flags.is_empty(), "{car:?}");
    }

    #[test]
    fn names_are_distinct_and_parse_back() {
        let names: std::collections::HashSet<_> = Refusal::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(names.len(), Refusal::ALL.len());
        for f in Flag::ALL {
            assert_eq!(Flag::parse(f.name()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.name());
        }
        for r in Refusal::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.name());
        }
    }
}

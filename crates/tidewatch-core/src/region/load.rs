//! Loading a pack folder: parse every file, check every field and cross-reference,
//! report all problems at once.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use geo::{LineString, MultiPolygon, Polygon};
use serde::Deserialize;
use toml::Spanned;

use super::calendar::parse_pack_date;
use super::csv_rows::{CsvFile, Limit, Row, UTF8_BOM};
use super::model::*;
use super::{HolidayCalendar, Region, SpecialDay};
use crate::error::pack::{ErrorSink, PackErrors, ProblemKind, ProblemParams};
use crate::geo_math::metres_outside;
use crate::ids::*;
use crate::time::{Seconds, TimeOfDay};

const REGION: &str = "region.toml";
const ISLANDS: &str = "islands.geojson";

pub(super) fn load(dir: &Path) -> Result<Region, PackErrors> {
    let mut sink = ErrorSink::default();
    let meta = read_meta(dir, &mut sink);
    let (islands, islands_geojson) = read_islands(dir, &mut sink);
    let island_index: HashMap<IslandId, usize> = islands.iter().enumerate().map(|(i, x)| (x.id.clone(), i)).collect();

    let Some(meta) = meta else {
        return Err(PackErrors(sink.errors));
    };
    let places = read_places(dir, &meta, &islands, &island_index, &mut sink);
    let place_index: HashMap<PlaceId, usize> = places.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let lookup = Lookup { places: &places, place_index: &place_index, meta: &meta };
    let roads = read_roads(dir, &lookup, &mut sink);
    let bridges = read_bridges(dir, &lookup, &mut sink);
    let ferry_routes = read_ferry_routes(dir, &lookup, &mut sink);
    let sailings = read_sailings(dir, &lookup, &ferry_routes, &mut sink);
    let incident_types = read_incident_types(dir, &mut sink);
    let units = read_units(dir, &lookup, &mut sink);
    let unit_index: HashMap<UnitId, usize> = units.iter().enumerate().map(|(i, u)| (u.id.clone(), i)).collect();
    let officers = read_officers(dir, &island_index, &unit_index, &mut sink);
    let holidays = read_holidays(dir, &mut sink);
    let responders = super::responders::read_responders(dir, &island_index, &mut sink);
    let checkpoints = super::checkpoints::read_checkpoints(dir, &places, &place_index, &mut sink);
    check_shared_ids(&places, &bridges, &ferry_routes, &mut sink);
    check_kpi_types(&meta.kpi, &incident_types, &mut sink);
    check_roads_connected(&places, &islands, &roads, &mut sink);
    check_time_budget(&meta, &roads, &bridges, &ferry_routes, &mut sink);

    if !sink.errors.is_empty() {
        return Err(PackErrors(sink.errors));
    }
    Ok(Region {
        dir: dir.to_path_buf(),
        meta,
        islands,
        islands_geojson,
        places,
        roads,
        bridges,
        ferry_routes,
        sailings,
        incident_types,
        units,
        officers,
        responders,
        checkpoints,
        holidays,
        island_index,
        place_index,
        unit_index,
    })
}

struct Lookup<'a> {
    places: &'a [Place],
    place_index: &'a HashMap<PlaceId, usize>,
    meta: &'a RegionMeta,
}

impl Lookup<'_> {
    fn place(&self, row: &Row, sink: &mut ErrorSink, field: &str) -> Option<&Place> {
        let id = row.required(sink, field)?;
        match self.place_index.get(&PlaceId(id.clone())) {
            Some(&i) => Some(&self.places[i]),
            None => {
                row.error(sink, field, format!("{field} '{id}' is not a place in places.csv"));
                None
            }
        }
    }

    fn road_class_speed(&self, row: &Row, sink: &mut ErrorSink) -> Option<(String, f64)> {
        let class = row.required(sink, "class")?;
        match self.meta.road_classes.iter().find(|c| c.id == class) {
            Some(c) => Some((class, c.speed_kmh)),
            None => {
                row.error(sink, "class", format!("class '{class}' is not a road_class in region.toml"));
                None
            }
        }
    }
}

/// Remembers ids seen in one file to report duplicates with the first line.
#[derive(Default)]
struct SeenIds(HashMap<String, u64>);

impl SeenIds {
    fn first(&mut self, row: &Row, sink: &mut ErrorSink, field: &str, id: &str) -> bool {
        if let Some(first) = self.0.get(id) {
            row.error(sink, field, format!("duplicate {field} '{id}' (first on line {first})"));
            false
        } else {
            self.0.insert(id.to_string(), row.line);
            true
        }
    }
}

// ---------------------------------------------------------------- region.toml

/// Plausible ranges of every number in a pack (see assets/regions/README.md, "Validation
/// rules"). With these, one link is at most 300 km at 1 km/h = 1 080 000 s, and
/// [`check_time_budget`] keeps the sum of all of them far below `u32::MAX` seconds.
mod limits {
    use super::Limit;
    pub const WALK_SPEED_KMH: Limit = Limit::new(1.0, 20.0, "km/h");
    pub const SPEED_KMH: Limit = Limit::new(1.0, 200.0, "km/h");
    pub const BOAT_SPEED_KMH: Limit = Limit::new(1.0, 120.0, "km/h");
    pub const DETOUR_FACTOR: Limit = Limit::new(1.0, 5.0, "");
    pub const SNAP_MAX_M: Limit = Limit::new(10.0, 50_000.0, "m");
    pub const PLACE_TOLERANCE_M: Limit = Limit::new(0.0, 10_000.0, "m");
    pub const STOP_MINUTES: Limit = Limit::new(0.0, 120.0, "min");
    pub const LINK_LENGTH_M: Limit = Limit::new(1.0, 300_000.0, "m");
    pub const CROSSING_MIN: Limit = Limit::new(1.0, 1440.0, "min");
    pub const LON: Limit = Limit::new(-180.0, 180.0, "°");
    pub const LAT: Limit = Limit::new(-90.0, 90.0, "°");
    /// Wind force at which something stops: the desk's wind scale is 0..=17 (China's
    /// extended Beaufort scale); 0 would stop it in a calm (use `status = closed`).
    pub const STOP_WIND_FORCE: std::ops::RangeInclusive<u64> = 1..=17;
    pub const TARGET_S: std::ops::RangeInclusive<u64> = 60..=86_400;
    pub const POPULATION: u64 = 100_000_000;
    /// All links, crossings and waits of a pack in a row stay under this many seconds
    /// (34 years): with a boat leg, an access leg and a unit's busy offset on top, an ETA
    /// still fits a `u32`, far below the engine's "unreachable" `u32::MAX`.
    pub const TIME_BUDGET_S: u64 = 1 << 30;
}

use limits::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    name_zh: String,
    name_en: String,
    time_zone: String,
    attribution: String,
    bounds: RawBounds,
    #[serde(default)]
    defaults: RawDefaults,
    road_class: Vec<RoadClassRaw>,
    #[serde(default)]
    target: Vec<RawTarget>,
    #[serde(default)]
    kpi: RawKpi,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawKpi {
    islands: KpiIslands,
    crime_types: Vec<String>,
    traffic_types: Vec<String>,
    ordinary_traffic_accident_types: Vec<String>,
}

type Num = Spanned<f64>;
type Int = Spanned<i64>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBounds {
    min_lon: Num,
    max_lon: Num,
    min_lat: Num,
    max_lat: Num,
}

/// Absent keys take the defaults written in [`check_defaults`] (and in the README).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawDefaults {
    detour_factor: Option<Num>,
    snap_max_m: Option<Num>,
    place_tolerance_m: Option<Num>,
    access_speed_kmh: Option<Num>,
    ferry_disembark_min: Option<Num>,
    boat_speed_kmh: Option<Num>,
    boat_detour_factor: Option<Num>,
    boat_landing_min: Option<Num>,
    boat_stop_wind_force: Option<Int>,
    walk_speed_kmh: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoadClassRaw {
    id: String,
    speed_kmh: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    priority: Int,
    road_s: Int,
    bridge_s: Int,
    ferry_s: Int,
}

/// Range checks on `region.toml` values, each error on the value's line.
struct TomlCheck<'a> {
    text: &'a str,
    sink: &'a mut ErrorSink,
    ok: bool,
}

impl TomlCheck<'_> {
    fn bad(&mut self, span: std::ops::Range<usize>, key: &str, message: String) {
        self.sink.push(REGION, Some(toml_line(self.text, span.start)), Some(key), message);
        self.ok = false;
    }

    /// The value of `key`, or `default` when absent; NaN (reported) when out of `limit`.
    fn number(&mut self, key: &str, v: Option<&Num>, default: f64, limit: Limit) -> f64 {
        let Some(v) = v else { return default };
        let x = *v.get_ref();
        if !limit.contains(x) {
            self.bad(v.span(), key, format!("{key} = {x} is outside {}", limit.describe()));
        }
        x
    }

    fn integer(&mut self, key: &str, v: &Int, range: std::ops::RangeInclusive<u64>) -> u64 {
        let x = *v.get_ref();
        match u64::try_from(x) {
            Ok(u) if range.contains(&u) => u,
            _ => {
                self.bad(v.span(), key, format!("{key} = {x} is outside {}..={}", range.start(), range.end()));
                0
            }
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
fn toml_line(text: &str, offset: usize) -> u64 {
    let prefix = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    prefix.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Reads a text file, skipping a UTF-8 byte-order mark; reports a missing file.
fn read_text(dir: &Path, name: &str, sink: &mut ErrorSink) -> Option<String> {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(t) => Some(t.strip_prefix(UTF8_BOM).map(str::to_string).unwrap_or(t)),
        Err(e) => {
            sink.file(name, format!("cannot read {}: {e}", dir.join(name).display()));
            None
        }
    }
}

fn read_meta(dir: &Path, sink: &mut ErrorSink) -> Option<RegionMeta> {
    let text = read_text(dir, REGION, sink)?;
    let raw: RawMeta = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| toml_line(&text, s.start));
            sink.push(REGION, line, None, e.message().to_string());
            return None;
        }
    };
    let mut check = TomlCheck { text: &text, sink, ok: true };
    let time_zone: Option<chrono_tz::Tz> = raw.time_zone.parse().ok();
    if time_zone.is_none() {
        check.sink.file(REGION, format!("time_zone '{}' is not an IANA time zone", raw.time_zone));
        check.ok = false;
    }
    let bounds = check_bounds(&mut check, &raw.bounds);
    let defaults = check_defaults(&mut check, &raw.defaults);
    let road_classes = check_road_classes(&mut check, &raw.road_class);
    let targets = check_targets(&mut check, &raw.target);
    let (time_zone, true) = (time_zone?, check.ok) else {
        return None;
    };
    Some(RegionMeta {
        id: raw.id,
        name_zh: raw.name_zh,
        name_en: raw.name_en,
        time_zone,
        attribution: raw.attribution,
        bounds,
        defaults,
        road_classes,
        targets,
        kpi: KpiDefinitions {
            islands: raw.kpi.islands,
            crime_types: raw.kpi.crime_types,
            traffic_types: raw.kpi.traffic_types,
            ordinary_traffic_accident_types: raw.kpi.ordinary_traffic_accident_types,
        },
    })
}

fn check_bounds(check: &mut TomlCheck, b: &RawBounds) -> Bounds {
    let min_lon = check.number("bounds.min_lon", Some(&b.min_lon), 0.0, LON);
    let max_lon = check.number("bounds.max_lon", Some(&b.max_lon), 0.0, LON);
    let min_lat = check.number("bounds.min_lat", Some(&b.min_lat), 0.0, LAT);
    let max_lat = check.number("bounds.max_lat", Some(&b.max_lat), 0.0, LAT);
    // Not `>=`: NaN, already reported, must not be reported twice.
    if min_lon.is_finite() && max_lon.is_finite() && min_lon >= max_lon {
        check.bad(b.max_lon.span(), "bounds.max_lon", format!("bounds.max_lon = {max_lon} is not above min_lon = {min_lon}"));
    }
    if min_lat.is_finite() && max_lat.is_finite() && min_lat >= max_lat {
        check.bad(b.max_lat.span(), "bounds.max_lat", format!("bounds.max_lat = {max_lat} is not above min_lat = {min_lat}"));
    }
    Bounds { min_lon, max_lon, min_lat, max_lat }
}

fn check_defaults(check: &mut TomlCheck, d: &RawDefaults) -> Defaults {
    let wind = match &d.boat_stop_wind_force {
        Some(w) => check.integer("defaults.boat_stop_wind_force", w, STOP_WIND_FORCE) as u8,
        None => 10,
    };
    Defaults {
        detour_factor: check.number("defaults.detour_factor", d.detour_factor.as_ref(), 1.35, DETOUR_FACTOR),
        snap_max_m: check.number("defaults.snap_max_m", d.snap_max_m.as_ref(), 3000.0, SNAP_MAX_M),
        place_tolerance_m: check.number("defaults.place_tolerance_m", d.place_tolerance_m.as_ref(), 500.0, PLACE_TOLERANCE_M),
        access_speed_kmh: check.number("defaults.access_speed_kmh", d.access_speed_kmh.as_ref(), 20.0, SPEED_KMH),
        ferry_disembark: Seconds::from_minutes(check.number(
            "defaults.ferry_disembark_min",
            d.ferry_disembark_min.as_ref(),
            3.0,
            STOP_MINUTES,
        )),
        boat_speed_kmh: check.number("defaults.boat_speed_kmh", d.boat_speed_kmh.as_ref(), 45.0, BOAT_SPEED_KMH),
        boat_detour_factor: check.number("defaults.boat_detour_factor", d.boat_detour_factor.as_ref(), 1.2, DETOUR_FACTOR),
        boat_landing: Seconds::from_minutes(check.number("defaults.boat_landing_min", d.boat_landing_min.as_ref(), 3.0, STOP_MINUTES)),
        boat_stop_wind_force: wind,
        walk_speed_kmh: check.number("defaults.walk_speed_kmh", d.walk_speed_kmh.as_ref(), 5.0, WALK_SPEED_KMH),
    }
}

fn check_road_classes(check: &mut TomlCheck, classes: &[RoadClassRaw]) -> Vec<RoadClass> {
    let mut out: Vec<RoadClass> = Vec::new();
    for c in classes {
        let speed_kmh = check.number(&format!("road_class '{}' speed_kmh", c.id), Some(&c.speed_kmh), 0.0, SPEED_KMH);
        if out.iter().any(|o| o.id == c.id) {
            check.bad(c.speed_kmh.span(), "road_class", format!("road_class '{}' is defined twice", c.id));
        }
        out.push(RoadClass { id: c.id.clone(), speed_kmh });
    }
    out
}

fn check_targets(check: &mut TomlCheck, targets: &[RawTarget]) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    for t in targets {
        let priority = check.integer("target priority", &t.priority, 1..=4) as u8;
        if priority != 0 && out.iter().any(|o| o.priority == priority) {
            check.bad(t.priority.span(), "target", format!("target priority {priority} is given twice"));
        }
        let mut secs = |key: &str, v: &Int| Seconds(check.integer(&format!("target {priority} {key}"), v, TARGET_S) as u32);
        let (road, bridge, ferry) = (secs("road_s", &t.road_s), secs("bridge_s", &t.bridge_s), secs("ferry_s", &t.ferry_s));
        out.push(Target { priority, road, bridge, ferry });
    }
    out
}

/// Every type named in `[kpi]` must be an incident type of the pack (a misspelt one
/// would silently count nothing).
fn check_kpi_types(kpi: &KpiDefinitions, types: &[IncidentType], sink: &mut ErrorSink) {
    let lists = [
        ("crime_types", &kpi.crime_types),
        ("traffic_types", &kpi.traffic_types),
        ("ordinary_traffic_accident_types", &kpi.ordinary_traffic_accident_types),
    ];
    for (field, list) in lists {
        for t in list.iter().filter(|t| !types.iter().any(|x| x.id.0 == **t)) {
            sink.file(REGION, format!("kpi.{field}: '{t}' is not an incident type in incident_types.csv"));
        }
    }
}

// ------------------------------------------------------------ islands.geojson

fn read_islands(dir: &Path, sink: &mut ErrorSink) -> (Vec<Island>, serde_json::Value) {
    let Some(text) = read_text(dir, ISLANDS, sink) else {
        return (Vec::new(), serde_json::Value::Null);
    };
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            sink.file(ISLANDS, format!("line {}: not JSON: {e}", e.line()));
            return (Vec::new(), serde_json::Value::Null);
        }
    };
    let Some(features) = json.get("features").and_then(|f| f.as_array()) else {
        sink.file(ISLANDS, "not a GeoJSON FeatureCollection (no \"features\" array)".into());
        return (Vec::new(), json);
    };
    let mut islands = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let mut props = Props { feature: i, island: String::new(), map: f.get("properties").and_then(|p| p.as_object()), sink: &mut *sink };
        if let Some(island) = island_from_feature(&mut props, f, &mut seen) {
            islands.push(island);
        }
    }
    (islands, json)
}

fn island_from_feature(p: &mut Props, f: &serde_json::Value, seen: &mut HashMap<String, usize>) -> Option<Island> {
    let id = p.string("id")?;
    if id.is_empty() {
        p.error("id", "properties.id is missing".into());
        return None;
    }
    p.island = format!("island '{id}': ");
    if let Some(first) = seen.insert(id.clone(), p.feature) {
        p.error("id", format!("duplicate island id '{id}' (first in feature {first})"));
        return None;
    }
    let shape = parse_geometry(f.get("geometry")).map_err(|msg| p.error("geometry", msg));
    let confidence = p.string("confidence").and_then(|c| {
        let parsed = Confidence::parse(&c);
        if parsed.is_none() {
            p.error("confidence", format!("confidence '{c}' is not one of high, medium, low, estimate"));
        }
        parsed
    });
    let (name_zh, name_en, source) = (p.string("name_zh"), p.string("name_en"), p.string("source"));
    let (inhabited, in_district, population) = (p.boolean("inhabited", false), p.boolean("in_district", true), p.population());
    Some(Island {
        id: IslandId(id),
        name_zh: name_zh?,
        name_en: name_en?,
        inhabited: inhabited?,
        in_district: in_district?,
        population: population?,
        shape: shape.ok()?,
        provenance: Provenance { source: source?, confidence: confidence? },
    })
}

/// Typed reads of one feature's properties: a property of the wrong type is an error
/// naming the feature and the property, never coerced to a default.
struct Props<'a> {
    feature: usize,
    /// `island '<id>': ` once the id is known, to start messages with.
    island: String,
    map: Option<&'a serde_json::Map<String, serde_json::Value>>,
    sink: &'a mut ErrorSink,
}

impl Props<'_> {
    fn error(&mut self, property: &str, message: String) {
        self.sink.push(ISLANDS, Some(self.feature as u64), Some(property), format!("{}{message}", self.island));
    }

    fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.map.and_then(|m| m.get(key)).filter(|v| !v.is_null())
    }

    /// A string property; absent or null is "".
    fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key) {
            None => Some(String::new()),
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => {
                let msg = format!("property {key} {other} is not a string");
                self.error(key, msg);
                None
            }
        }
    }

    /// A `true` / `false` property; absent or null is `default`.
    fn boolean(&mut self, key: &str, default: bool) -> Option<bool> {
        match self.get(key) {
            None => Some(default),
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(other) => {
                let msg = format!("property {key} {other} is not true or false");
                self.error(key, msg);
                None
            }
        }
    }

    /// A whole number of people, or null / absent when unknown.
    fn population(&mut self) -> Option<Option<u64>> {
        let Some(v) = self.get("population") else { return Some(None) };
        match v.as_u64() {
            Some(n) if n <= POPULATION => Some(Some(n)),
            _ => {
                let msg = format!("property population {v} is not a whole number of people in 0..={POPULATION} (or null)");
                self.error("population", msg);
                None
            }
        }
    }
}

fn parse_geometry(g: Option<&serde_json::Value>) -> Result<MultiPolygon<f64>, String> {
    let g = g.ok_or("geometry is missing")?;
    let kind = g.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let coords = g.get("coordinates").ok_or("geometry has no coordinates")?;
    let polygons: Vec<&serde_json::Value> = match kind {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords.as_array().ok_or("MultiPolygon coordinates are not an array")?.iter().collect(),
        other => return Err(format!("geometry type '{other}' is not Polygon or MultiPolygon")),
    };
    let mut out = Vec::new();
    for poly in polygons {
        let rings = poly.as_array().ok_or("polygon is not an array of rings")?;
        let mut rings = rings.iter().map(parse_ring);
        let exterior = rings.next().ok_or("polygon has no ring")??;
        let interiors = rings.collect::<Result<Vec<_>, _>>()?;
        out.push(Polygon::new(exterior, interiors));
    }
    Ok(MultiPolygon(out))
}

/// A closed ring of at least 4 `[lon, lat]` positions on the globe (last = first).
fn parse_ring(ring: &serde_json::Value) -> Result<LineString<f64>, String> {
    let pts = ring.as_array().ok_or("ring is not an array")?;
    if pts.len() < 4 {
        return Err(format!("ring has {} positions; a closed ring needs at least 4", pts.len()));
    }
    let coords = pts
        .iter()
        .map(|p| match p.as_array().map(|a| (a.first().and_then(|x| x.as_f64()), a.get(1).and_then(|x| x.as_f64()))) {
            Some((Some(x), Some(y))) if LON.contains(x) && LAT.contains(y) => Ok((x, y)),
            _ => Err(format!("position {p} is not [lon, lat] with lon in -180..=180 and lat in -90..=90")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if coords.first() != coords.last() {
        return Err(format!("ring is not closed: its last position {} is not its first {}", pts[pts.len() - 1], pts[0]));
    }
    Ok(LineString::from(coords))
}

// ------------------------------------------------------------------ places.csv

fn read_places(
    dir: &Path,
    meta: &RegionMeta,
    islands: &[Island],
    island_index: &HashMap<IslandId, usize>,
    sink: &mut ErrorSink,
) -> Vec<Place> {
    let cols = ["id", "kind", "name_zh", "name_en", "lon", "lat", "island", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "places.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let kind = row.choice(
            sink,
            "kind",
            PlaceKind::parse,
            "station, post, traffic_squadron, pier, village, town, landmark, bridge_end, junction",
        );
        let lon = row.number(sink, "lon");
        let lat = row.number(sink, "lat");
        let island = row.required(sink, "island");
        let provenance = row.provenance(sink);
        let (Some(id), Some(kind), Some(lon), Some(lat), Some(island), Some(provenance)) = (id, kind, lon, lat, island, provenance) else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        if !meta.bounds.contains(lon, lat) {
            let (field, v) = if (meta.bounds.min_lon..=meta.bounds.max_lon).contains(&lon) { ("lat", lat) } else { ("lon", lon) };
            row.error(sink, field, format!("{field} {v} is outside the region bounds"));
            sink.kind(ProblemKind::OutsideBounds, ProblemParams { value: Some(v.to_string()), ..Default::default() });
            continue;
        }
        let Some(&ii) = island_index.get(&IslandId(island.clone())) else {
            row.error(sink, "island", format!("island '{island}' is not in islands.geojson"));
            continue;
        };
        let off = metres_outside(&islands[ii].shape, lon, lat);
        if off > meta.defaults.place_tolerance_m {
            row.error(
                sink,
                "lon",
                format!(
                    "place '{id}' lies {off:.0} m off its island '{island}' (in the sea; tolerance {:.0} m)",
                    meta.defaults.place_tolerance_m
                ),
            );
            sink.kind(
                ProblemKind::OffIsland,
                ProblemParams {
                    place: Some(id.clone()),
                    island: Some(island.clone()),
                    distance_m: Some(off.round() as u32),
                    tolerance_m: Some(meta.defaults.place_tolerance_m.round() as u32),
                    ..Default::default()
                },
            );
            continue;
        }
        out.push(Place {
            id: PlaceId(id),
            kind,
            name_zh: row.text("name_zh").to_string(),
            name_en: row.text("name_en").to_string(),
            pinyin: row.text("pinyin").to_string(),
            lon,
            lat,
            island: IslandId(island),
            provenance,
        });
    }
    out
}

// ------------------------------------------------------------------- roads.csv

fn read_roads(dir: &Path, lookup: &Lookup, sink: &mut ErrorSink) -> Vec<Road> {
    let cols = ["id", "from", "to", "class", "length_m", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "roads.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let from = lookup.place(&row, sink, "from").cloned();
        let to = lookup.place(&row, sink, "to").cloned();
        let class = lookup.road_class_speed(&row, sink);
        let length = row.bounded(sink, "length_m", LINK_LENGTH_M);
        let one_way = one_way(&row, sink);
        let provenance = row.provenance(sink);
        let (Some(id), Some(from), Some(to), Some((class, speed)), Some(length_m), Some(one_way), Some(provenance)) =
            (id, from, to, class, length, one_way, provenance)
        else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        if from.island != to.island {
            row.error(
                sink,
                "to",
                format!(
                    "road '{id}' joins island '{}' to island '{}'; links between islands belong in bridges.csv",
                    from.island, to.island
                ),
            );
            continue;
        }
        let time = Seconds::travel(length_m, speed);
        out.push(Road { id, from: from.id, to: to.id, class, length_m, time, one_way, provenance });
    }
    out
}

/// The optional `oneway` column: `yes` (driven from `from` to `to` only), `no` or empty.
/// Anything else is refused rather than guessed: a street read the wrong way round sends
/// units against the traffic, or round the block for nothing.
fn one_way(row: &Row, sink: &mut ErrorSink) -> Option<bool> {
    match row.text("oneway") {
        "" | "no" => Some(false),
        "yes" => Some(true),
        other => {
            let hint = "yes (driven only from 'from' to 'to'; swap them for the other way), no or empty";
            row.error(sink, "oneway", format!("oneway '{other}' is not one of {hint}"));
            None
        }
    }
}

// ----------------------------------------------------------------- bridges.csv

fn read_bridges(dir: &Path, lookup: &Lookup, sink: &mut ErrorSink) -> Vec<Bridge> {
    let cols = ["id", "name_zh", "name_en", "from", "to", "class", "length_m", "opened", "close_wind_force", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "bridges.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let from = lookup.place(&row, sink, "from").cloned();
        let to = lookup.place(&row, sink, "to").cloned();
        let class = lookup.road_class_speed(&row, sink);
        let length = row.bounded(sink, "length_m", LINK_LENGTH_M);
        let opened = partial_date(&row, sink, "opened");
        let wind = row.optional_integer(sink, "close_wind_force", STOP_WIND_FORCE);
        let status = link_status(&row, sink);
        let provenance = row.provenance(sink);
        let (
            Some(id),
            Some(from),
            Some(to),
            Some((class, speed)),
            Some(length_m),
            Some(opened),
            Some(wind),
            Some(status),
            Some(provenance),
        ) = (id, from, to, class, length, opened, wind, status, provenance)
        else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        if from.island == to.island {
            row.error(sink, "to", format!("bridge '{id}' has both ends on island '{}'", from.island));
            continue;
        }
        out.push(Bridge {
            id: BridgeId(id),
            name_zh: row.text("name_zh").to_string(),
            name_en: row.text("name_en").to_string(),
            from: from.id,
            to: to.id,
            class,
            length_m,
            time: Seconds::travel(length_m, speed),
            opened,
            close_wind_force: wind.map(|w| w as u8),
            status,
            provenance,
        });
    }
    out
}

/// The optional `status` column (`open`, `closed`; empty is open) and its `closed_reason`.
/// Packs written before the columns existed have neither and are open.
fn link_status(row: &Row, sink: &mut ErrorSink) -> Option<LinkStatus> {
    match row.text("status") {
        "" | "open" => Some(LinkStatus::Open),
        "closed" => Some(LinkStatus::Closed { reason: row.text("closed_reason").to_string() }),
        other => {
            row.error(sink, "status", format!("status '{other}' is not one of open, closed"));
            None
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (sources often give only a year or a month), or empty.
fn partial_date(row: &Row, sink: &mut ErrorSink, field: &str) -> Option<Option<PartialDate>> {
    let v = row.text(field);
    if v.is_empty() {
        return Some(None);
    }
    let parsed = PartialDate::parse(v);
    if parsed.is_none() {
        row.error(sink, field, format!("{field} '{v}' is not YYYY, YYYY-MM or YYYY-MM-DD"));
    }
    parsed.map(Some)
}

fn optional_date(row: &Row, sink: &mut ErrorSink, field: &str) -> Option<Option<NaiveDate>> {
    let v = row.text(field);
    if v.is_empty() {
        return Some(None);
    }
    match parse_pack_date(v) {
        Ok(d) => Some(Some(d)),
        Err(why) => {
            row.error(sink, field, format!("{field} '{v}' {why}"));
            None
        }
    }
}

// ------------------------------------------------- ferry_routes.csv, sailings.csv

fn read_ferry_routes(dir: &Path, lookup: &Lookup, sink: &mut ErrorSink) -> Vec<FerryRoute> {
    let cols = [
        "id",
        "name_zh",
        "name_en",
        "from",
        "to",
        "vessel",
        "crossing_min",
        "stop_wind_force",
        "stop_visibility_m",
        "source",
        "confidence",
    ];
    let Some(file) = CsvFile::read(dir, "ferry_routes.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let from = lookup.place(&row, sink, "from").cloned();
        let to = lookup.place(&row, sink, "to").cloned();
        let vessel = row.choice(sink, "vessel", VesselClass::parse, "high_speed, ordinary, car_ferry");
        let crossing = row.bounded(sink, "crossing_min", CROSSING_MIN);
        let wind = row.integer(sink, "stop_wind_force", STOP_WIND_FORCE);
        let vis = row.integer(sink, "stop_visibility_m", 0..=100_000);
        let status = link_status(&row, sink);
        let provenance = row.provenance(sink);
        let (Some(id), Some(from), Some(to), Some(vessel), Some(crossing), Some(wind), Some(vis), Some(status), Some(provenance)) =
            (id, from, to, vessel, crossing, wind, vis, status, provenance)
        else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        let mut ok = true;
        for (field, p) in [("from", &from), ("to", &to)] {
            if p.kind != PlaceKind::Pier {
                row.error(sink, field, format!("{field} '{}' is a {}, not a pier", p.id, p.kind.name()));
                ok = false;
            }
        }
        if ok && from.island == to.island {
            row.error(sink, "to", format!("ferry route '{id}' has both piers on island '{}'", from.island));
            ok = false;
        }
        if ok {
            out.push(FerryRoute {
                id: FerryRouteId(id),
                name_zh: row.text("name_zh").to_string(),
                name_en: row.text("name_en").to_string(),
                from: from.id,
                to: to.id,
                vessel,
                crossing: Seconds::from_minutes(crossing),
                stop_wind_force: wind as u8,
                stop_visibility_m: vis as u32,
                status,
                provenance,
            });
        }
    }
    out
}

fn read_sailings(dir: &Path, lookup: &Lookup, routes: &[FerryRoute], sink: &mut ErrorSink) -> Vec<Sailing> {
    let cols = ["route", "from", "day_type", "depart", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "sailings.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for row in file.rows() {
        let route_id = row.required(sink, "route");
        let from = lookup.place(&row, sink, "from").map(|p| p.id.clone());
        let day_types = row.choice(
            sink,
            "day_type",
            |s| match s {
                "weekday" => Some(vec![DayType::Weekday]),
                "weekend" => Some(vec![DayType::Weekend]),
                "holiday" => Some(vec![DayType::Holiday]),
                "daily" => Some(DayType::ALL.to_vec()),
                _ => None,
            },
            "weekday, weekend, holiday, daily",
        );
        let depart_text = row.text("depart");
        let depart = TimeOfDay::parse_hhmm(depart_text);
        if depart.is_none() {
            row.error(sink, "depart", format!("depart '{depart_text}' is not HH:MM"));
            sink.kind(ProblemKind::NotHhmm, ProblemParams { value: Some(depart_text.to_string()), ..Default::default() });
        }
        let provenance = row.provenance(sink);
        let (Some(route_id), Some(from), Some(day_types), Some(depart), Some(provenance)) = (route_id, from, day_types, depart, provenance)
        else {
            continue;
        };
        let Some(route) = routes.iter().find(|r| r.id.0 == route_id) else {
            row.error(sink, "route", format!("route '{route_id}' is not in ferry_routes.csv"));
            continue;
        };
        if from != route.from && from != route.to {
            row.error(sink, "from", format!("from '{from}' is not an end of route '{route_id}' ({} – {})", route.from, route.to));
            continue;
        }
        out.push(Sailing { route: route.id.clone(), from, day_types, depart, provenance });
    }
    out
}

// ------------------------------------------------- incident types, units, officers

fn read_incident_types(dir: &Path, sink: &mut ErrorSink) -> Vec<IncidentType> {
    let cols = ["id", "name_zh", "name_en", "unit_kinds", "default_priority"];
    let Some(file) = CsvFile::read(dir, "incident_types.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let priority = row.integer(sink, "default_priority", 1..=4);
        let kinds_text = row.text("unit_kinds");
        let kinds: Result<Vec<UnitKind>, &str> =
            kinds_text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(|s| UnitKind::parse(s).ok_or(s)).collect();
        let kinds = match kinds {
            Ok(k) if !k.is_empty() => Some(k),
            Ok(_) => {
                row.error(sink, "unit_kinds", "unit_kinds is empty: no unit could respond".into());
                None
            }
            Err(bad) => {
                row.error(sink, "unit_kinds", format!("unit kind '{bad}' is not one of traffic, station, joint, post, boat"));
                None
            }
        };
        let fallback = row.choice(sink, "boat_fallback", BoatFallback::parse, "empty, never or police_crew");
        let on_scene = row.optional_integer(sink, "on_scene_min", 1..=24 * 60);
        let (Some(id), Some(priority), Some(unit_kinds), Some(boat_fallback), Some(on_scene)) = (id, priority, kinds, fallback, on_scene)
        else {
            continue;
        };
        if seen.first(&row, sink, "id", &id) {
            out.push(IncidentType {
                id: IncidentTypeId(id),
                name_zh: row.text("name_zh").to_string(),
                name_en: row.text("name_en").to_string(),
                unit_kinds,
                default_priority: priority as u8,
                boat_fallback,
                on_scene_s: on_scene.map_or(DEFAULT_ON_SCENE_S, |m| m as u32 * 60),
            });
        }
    }
    out
}

fn read_units(dir: &Path, lookup: &Lookup, sink: &mut ErrorSink) -> Vec<Unit> {
    let cols = ["id", "call_sign", "kind", "base", "crew", "speed_kmh", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "units.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let kind = row.choice(sink, "kind", UnitKind::parse, "traffic, station, joint, post, boat");
        let base = lookup.place(&row, sink, "base").cloned();
        let crew = row.integer(sink, "crew", 1..=50);
        let speed = row.optional_bounded(sink, "speed_kmh", BOAT_SPEED_KMH);
        let provenance = row.provenance(sink);
        let (Some(id), Some(kind), Some(base), Some(crew), Some(speed), Some(provenance)) = (id, kind, base, crew, speed, provenance)
        else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        if kind == UnitKind::Boat && base.kind != PlaceKind::Pier {
            row.error(sink, "base", format!("boat '{id}' is based at '{}', a {}, not a pier", base.id, base.kind.name()));
            continue;
        }
        if kind != UnitKind::Boat && speed.is_some() {
            // The engine reads it only for boats; ignoring it silently would mislead.
            row.error(sink, "speed_kmh", format!("speed_kmh is for boats only; '{id}' is a {} unit (leave it empty)", kind.name()));
            continue;
        }
        out.push(Unit {
            id: UnitId(id),
            call_sign: row.text("call_sign").to_string(),
            kind,
            base: base.id,
            crew: crew as u32,
            speed_kmh: speed,
            provenance,
        });
    }
    out
}

fn read_officers(dir: &Path, islands: &HashMap<IslandId, usize>, units: &HashMap<UnitId, usize>, sink: &mut ErrorSink) -> Vec<Officer> {
    let cols = ["id", "name", "skills", "home_island", "unit", "source", "confidence"];
    let Some(file) = CsvFile::read(dir, "officers.csv", &cols, sink) else {
        return Vec::new();
    };
    let mut seen = SeenIds::default();
    let mut out = Vec::new();
    for row in file.rows() {
        let id = row.id(sink, "id");
        let skills = row.choice(
            sink,
            "skills",
            |s| match s {
                "traffic" => Some(Skills::Traffic),
                "station" => Some(Skills::Station),
                "both" => Some(Skills::Both),
                _ => None,
            },
            "traffic, station, both",
        );
        let home = row.required(sink, "home_island");
        let unit = row.text("unit");
        let provenance = row.provenance(sink);
        let (Some(id), Some(skills), Some(home), Some(provenance)) = (id, skills, home, provenance) else {
            continue;
        };
        if !seen.first(&row, sink, "id", &id) {
            continue;
        }
        if !islands.contains_key(&IslandId(home.clone())) {
            row.error(sink, "home_island", format!("home_island '{home}' is not in islands.geojson"));
            continue;
        }
        if !unit.is_empty() && !units.contains_key(&UnitId(unit.to_string())) {
            row.error(sink, "unit", format!("unit '{unit}' is not in units.csv"));
            continue;
        }
        out.push(Officer {
            id: OfficerId(id),
            name: row.text("name").to_string(),
            skills,
            home_island: IslandId(home),
            unit: (!unit.is_empty()).then(|| UnitId(unit.to_string())),
            provenance,
        });
    }
    out
}

fn read_holidays(dir: &Path, sink: &mut ErrorSink) -> HolidayCalendar {
    let mut cal = HolidayCalendar::default();
    let Some(file) = CsvFile::read(dir, "holidays.csv", &["date", "kind"], sink) else {
        return cal;
    };
    for row in file.rows() {
        let date = optional_date(&row, sink, "date");
        let kind = row.choice(
            sink,
            "kind",
            |s| match s {
                "holiday" => Some(SpecialDay::Holiday),
                "workday" => Some(SpecialDay::Workday),
                _ => None,
            },
            "holiday, workday",
        );
        match (date, kind) {
            (Some(Some(date)), Some(kind)) => {
                let name = format!("{} {}", row.text("name_zh"), row.text("name_en")).trim().to_string();
                if cal.insert(date, kind, name).is_some() {
                    row.error(sink, "date", format!("date {date} is listed twice"));
                }
            }
            (Some(None), _) => row.error(sink, "date", "date is empty".into()),
            _ => {}
        }
    }
    cal
}

// ------------------------------------------------------------ whole-pack checks

/// Closures name places, bridges and ferry routes by id, so the ids must not collide.
fn check_shared_ids(places: &[Place], bridges: &[Bridge], routes: &[FerryRoute], sink: &mut ErrorSink) {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    let all = places
        .iter()
        .map(|p| (p.id.as_str(), "places.csv"))
        .chain(bridges.iter().map(|b| (b.id.as_str(), "bridges.csv")))
        .chain(routes.iter().map(|r| (r.id.as_str(), "ferry_routes.csv")));
    for (id, file) in all {
        if let Some(first) = owner.insert(id, file) {
            if first != file {
                sink.file(file, format!("id '{id}' is also used in {first}; places, bridges and ferry routes share one id space"));
            }
        }
    }
}

/// Every island's road graph must be connected, or some of its places are unreachable.
fn check_roads_connected(places: &[Place], islands: &[Island], roads: &[Road], sink: &mut ErrorSink) {
    let index: HashMap<&PlaceId, usize> = places.iter().enumerate().map(|(i, p)| (&p.id, i)).collect();
    let mut parent: Vec<usize> = (0..places.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for r in roads {
        let (a, b) = (index[&r.from], index[&r.to]);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    for island in islands {
        let members: Vec<usize> = (0..places.len()).filter(|&i| places[i].island == island.id).collect();
        let Some(&first) = members.first() else { continue };
        let root = find(&mut parent, first);
        let cut: Vec<&str> = members.iter().filter(|&&i| find(&mut parent, i) != root).map(|&i| places[i].id.as_str()).collect();
        if !cut.is_empty() {
            sink.file(
                "roads.csv",
                format!(
                    "island '{}': road graph is not connected; no road joins '{}' to {}",
                    island.id,
                    places[first].id,
                    cut.iter().take(5).map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
                ),
            );
            sink.kind(
                ProblemKind::RoadsDisconnected,
                ProblemParams {
                    island: Some(island.id.to_string()),
                    place: Some(places[first].id.to_string()),
                    places: Some(cut.iter().take(5).map(|s| s.to_string()).collect()),
                    ..Default::default()
                },
            );
        }
    }
}

/// The longest trip the engine can add up is every road and bridge once plus every ferry
/// route both ways with its longest wait (under 2 days: it looks no further): past
/// [`TIME_BUDGET_S`] in total, some ETA could overflow its `u32` seconds. The per-field
/// limits make this need thousands of absurd rows; it is checked so it cannot happen.
fn check_time_budget(meta: &RegionMeta, roads: &[Road], bridges: &[Bridge], routes: &[FerryRoute], sink: &mut ErrorSink) {
    let links: u64 = roads.iter().map(|r| r.time.0 as u64).chain(bridges.iter().map(|b| b.time.0 as u64)).sum();
    let ferry_leg = |r: &FerryRoute| 2 * (r.crossing.0 as u64 + meta.defaults.ferry_disembark.0 as u64 + 2 * 86_400);
    let total = links + routes.iter().map(ferry_leg).sum::<u64>();
    if total > TIME_BUDGET_S {
        sink.file(
            "roads.csv",
            format!(
                "the roads, bridges and ferries take {total} s end to end, more than {TIME_BUDGET_S} s: \
                 travel times could overflow; check length_m and the road_class speeds"
            ),
        );
    }
}

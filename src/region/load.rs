//! Loading a pack folder: parse every file, check every field and cross-reference,
//! report all problems at once.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use geo::{LineString, MultiPolygon, Polygon};
use serde::Deserialize;

use super::csv_rows::{CsvFile, Row};
use super::errors::{ErrorSink, PackErrors, ProblemKind, ProblemParams};
use super::model::*;
use super::{HolidayCalendar, Region, SpecialDay};
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
    check_shared_ids(&places, &bridges, &ferry_routes, &mut sink);
    check_kpi_types(&meta.kpi, &incident_types, &mut sink);
    check_roads_connected(&places, &islands, &roads, &mut sink);

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBounds {
    min_lon: f64,
    max_lon: f64,
    min_lat: f64,
    max_lat: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDefaults {
    detour_factor: f64,
    snap_max_m: f64,
    place_tolerance_m: f64,
    access_speed_kmh: f64,
    ferry_disembark_min: f64,
    boat_speed_kmh: f64,
    boat_detour_factor: f64,
    boat_landing_min: f64,
    boat_stop_wind_force: u8,
}

impl Default for RawDefaults {
    fn default() -> Self {
        RawDefaults {
            detour_factor: 1.35,
            snap_max_m: 3000.0,
            place_tolerance_m: 500.0,
            access_speed_kmh: 20.0,
            ferry_disembark_min: 3.0,
            boat_speed_kmh: 45.0,
            boat_detour_factor: 1.2,
            boat_landing_min: 3.0,
            boat_stop_wind_force: 10,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoadClassRaw {
    id: String,
    speed_kmh: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    priority: u8,
    road_s: u32,
    bridge_s: u32,
    ferry_s: u32,
}

fn read_meta(dir: &Path, sink: &mut ErrorSink) -> Option<RegionMeta> {
    let text = match std::fs::read_to_string(dir.join(REGION)) {
        Ok(t) => t,
        Err(e) => {
            sink.file(REGION, format!("cannot read {}: {e}", dir.join(REGION).display()));
            return None;
        }
    };
    let raw: RawMeta = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1) as u64);
            sink.push(REGION, line, None, e.message().to_string());
            return None;
        }
    };
    let mut ok = true;
    let mut bad = |msg: String| {
        sink.file(REGION, msg);
        ok = false;
    };
    let time_zone: Option<chrono_tz::Tz> = raw.time_zone.parse().ok();
    if time_zone.is_none() {
        bad(format!("time_zone '{}' is not an IANA time zone", raw.time_zone));
    }
    let b = &raw.bounds;
    if !(b.min_lon < b.max_lon && b.min_lat < b.max_lat && (-180.0..=180.0).contains(&b.min_lon) && (-90.0..=90.0).contains(&b.min_lat)) {
        bad("bounds: min must be below max and within lon ±180, lat ±90".into());
    }
    for c in &raw.road_class {
        if c.speed_kmh.is_nan() || c.speed_kmh <= 0.0 {
            bad(format!("road_class '{}': speed_kmh must be greater than 0", c.id));
        }
    }
    let d = &raw.defaults;
    for (name, v) in [
        ("detour_factor", d.detour_factor),
        ("snap_max_m", d.snap_max_m),
        ("access_speed_kmh", d.access_speed_kmh),
        ("boat_speed_kmh", d.boat_speed_kmh),
        ("boat_detour_factor", d.boat_detour_factor),
    ] {
        if v.is_nan() || v <= 0.0 {
            bad(format!("defaults.{name} must be greater than 0"));
        }
    }
    for t in &raw.target {
        if !(1..=4).contains(&t.priority) {
            bad(format!("target priority {} is outside 1..=4", t.priority));
        }
    }
    let time_zone = time_zone?;
    ok.then(|| RegionMeta {
        id: raw.id,
        name_zh: raw.name_zh,
        name_en: raw.name_en,
        time_zone,
        attribution: raw.attribution,
        bounds: Bounds { min_lon: b.min_lon, max_lon: b.max_lon, min_lat: b.min_lat, max_lat: b.max_lat },
        defaults: Defaults {
            detour_factor: d.detour_factor,
            snap_max_m: d.snap_max_m,
            place_tolerance_m: d.place_tolerance_m,
            access_speed_kmh: d.access_speed_kmh,
            ferry_disembark: Seconds::from_minutes(d.ferry_disembark_min),
            boat_speed_kmh: d.boat_speed_kmh,
            boat_detour_factor: d.boat_detour_factor,
            boat_landing: Seconds::from_minutes(d.boat_landing_min),
            boat_stop_wind_force: d.boat_stop_wind_force,
        },
        road_classes: raw.road_class.into_iter().map(|c| RoadClass { id: c.id, speed_kmh: c.speed_kmh }).collect(),
        targets: raw
            .target
            .into_iter()
            .map(|t| Target { priority: t.priority, road: Seconds(t.road_s), bridge: Seconds(t.bridge_s), ferry: Seconds(t.ferry_s) })
            .collect(),
        kpi: KpiDefinitions {
            islands: raw.kpi.islands,
            crime_types: raw.kpi.crime_types,
            traffic_types: raw.kpi.traffic_types,
            ordinary_traffic_accident_types: raw.kpi.ordinary_traffic_accident_types,
        },
    })
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
    let text = match std::fs::read_to_string(dir.join(ISLANDS)) {
        Ok(t) => t,
        Err(e) => {
            sink.file(ISLANDS, format!("cannot read: {e}"));
            return (Vec::new(), serde_json::Value::Null);
        }
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
        let line = Some(i as u64);
        let mut err = |field: &str, msg: String| sink.push(ISLANDS, line, Some(field), msg);
        let props = f.get("properties").cloned().unwrap_or_default();
        let text = |k: &str| props.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let id = text("id");
        if id.is_empty() {
            err("id", "properties.id is missing".into());
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), i) {
            err("id", format!("duplicate island id '{id}' (first in feature {first})"));
            continue;
        }
        let shape = match parse_geometry(f.get("geometry")) {
            Ok(s) => s,
            Err(msg) => {
                err("geometry", format!("island '{id}': {msg}"));
                continue;
            }
        };
        let Some(confidence) = Confidence::parse(&text("confidence")) else {
            err("confidence", format!("island '{id}': confidence '{}' is not one of high, medium, low, estimate", text("confidence")));
            continue;
        };
        islands.push(Island {
            id: IslandId(id),
            name_zh: text("name_zh"),
            name_en: text("name_en"),
            inhabited: props.get("inhabited").and_then(|v| v.as_bool()).unwrap_or(false),
            in_district: props.get("in_district").and_then(|v| v.as_bool()).unwrap_or(true),
            population: props.get("population").and_then(|v| v.as_u64()),
            shape,
            provenance: Provenance { source: text("source"), confidence },
        });
    }
    (islands, json)
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

fn parse_ring(ring: &serde_json::Value) -> Result<LineString<f64>, String> {
    let pts = ring.as_array().ok_or("ring is not an array")?;
    if pts.len() < 4 {
        return Err(format!("ring has {} positions; a closed ring needs at least 4", pts.len()));
    }
    pts.iter()
        .map(|p| match p.as_array().map(|a| (a.first().and_then(|x| x.as_f64()), a.get(1).and_then(|x| x.as_f64()))) {
            Some((Some(x), Some(y))) if x.is_finite() && y.is_finite() => Ok((x, y)),
            _ => Err(format!("position {p} is not [lon, lat]")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(LineString::from)
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
        let length = row.positive(sink, "length_m");
        let provenance = row.provenance(sink);
        let (Some(id), Some(from), Some(to), Some((class, speed)), Some(length_m), Some(provenance)) =
            (id, from, to, class, length, provenance)
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
        out.push(Road { id, from: from.id, to: to.id, class, length_m, time: Seconds::travel(length_m, speed), provenance });
    }
    out
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
        let length = row.positive(sink, "length_m");
        let opened = partial_date(&row, sink, "opened");
        let wind = row.optional_integer(sink, "close_wind_force", 0..=17);
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
fn partial_date(row: &Row, sink: &mut ErrorSink, field: &str) -> Option<Option<String>> {
    let v = row.text(field);
    if v.is_empty() {
        return Some(None);
    }
    let padded = match v.len() {
        4 => format!("{v}-01-01"),
        7 => format!("{v}-01"),
        _ => v.to_string(),
    };
    if v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) && NaiveDate::parse_from_str(&padded, "%Y-%m-%d").is_ok() {
        Some(Some(v.to_string()))
    } else {
        row.error(sink, field, format!("{field} '{v}' is not YYYY, YYYY-MM or YYYY-MM-DD"));
        None
    }
}

fn optional_date(row: &Row, sink: &mut ErrorSink, field: &str) -> Option<Option<NaiveDate>> {
    let v = row.text(field);
    if v.is_empty() {
        return Some(None);
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(Some(d)),
        Err(_) => {
            row.error(sink, field, format!("{field} '{v}' is not a date YYYY-MM-DD"));
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
        let crossing = row.positive(sink, "crossing_min");
        let wind = row.integer(sink, "stop_wind_force", 0..=17);
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
        let (Some(id), Some(priority), Some(unit_kinds)) = (id, priority, kinds) else {
            continue;
        };
        if seen.first(&row, sink, "id", &id) {
            out.push(IncidentType {
                id: IncidentTypeId(id),
                name_zh: row.text("name_zh").to_string(),
                name_en: row.text("name_en").to_string(),
                unit_kinds,
                default_priority: priority as u8,
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
        let speed = row.optional_number(sink, "speed_kmh");
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
        if matches!(speed, Some(s) if s <= 0.0) {
            row.error(sink, "speed_kmh", "speed_kmh must be greater than 0".into());
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

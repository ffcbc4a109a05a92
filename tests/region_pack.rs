//! Loading and validating region packs: the real Dinghai pack loads and is sound; every
//! kind of broken pack is refused with the file, line and field, never a panic.

mod support;

use support::*;
use tidewatch_core::geo_math::metres_outside;
use tidewatch_core::region::{PlaceKind, Region};
use tidewatch_core::route::{road_times_from, Network, Passable};

fn errors_of(dir: &std::path::Path) -> Vec<String> {
    match Region::load(dir) {
        Ok(_) => panic!("the broken pack loaded"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

fn assert_error(errors: &[String], expected: &str) {
    assert!(errors.iter().any(|e| e.contains(expected)), "no error containing {expected:?} in {errors:#?}");
}

#[test]
fn dinghai_pack_loads_with_what_the_desk_needs() {
    let region = support::dinghai();
    let c = region.counts();
    assert!(c.islands >= 15, "inhabited Dinghai islands: {}", c.islands);
    assert!(c.units >= 20 && c.officers >= 60, "{c:?}");
    let in_district = |id: &tidewatch_core::ids::PlaceId| region.island(&region.place(id).unwrap().island).unwrap().in_district;
    assert!(region.bridges.iter().filter(|b| in_district(&b.from) || in_district(&b.to)).count() >= 8, "the 8 bridges");
    for kind in [PlaceKind::Station, PlaceKind::Post, PlaceKind::TrafficSquadron, PlaceKind::Pier, PlaceKind::Village] {
        assert!(region.places.iter().any(|p| p.kind == kind), "no {kind:?}");
    }
    assert!(region.units.iter().any(|u| u.kind == tidewatch_core::region::UnitKind::Boat));
    assert!(c.estimated > 0, "estimates must be marked");
    // The coastline's ODbL attribution, word for word as the About box test shows it (ui).
    let osm = "Coastlines © OpenStreetMap contributors (ODbL 1.0); land polygons by osmdata.openstreetmap.de, via roaring-landmask.";
    assert!(region.meta.attribution.starts_with(osm), "ODbL attribution: {}", region.meta.attribution);
    assert!(region.holidays.day_type(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()) == tidewatch_core::region::DayType::Holiday);
}

#[test]
fn every_place_lies_on_its_island() {
    let region = support::dinghai();
    for p in &region.places {
        let island = region.island(&p.island).unwrap();
        let off = metres_outside(&island.shape, p.lon, p.lat);
        assert!(off <= region.meta.defaults.place_tolerance_m, "{} is {off:.0} m off {}", p.id, p.island);
    }
}

/// The longest run of the straight line a–b off `shape`'s land, in metres, sampled every
/// `step_m` metres (lon/lat interpolated: links are at most a few km long).
fn longest_water_run(shape: &geo::MultiPolygon<f64>, a: (f64, f64), b: (f64, f64), step_m: f64) -> f64 {
    let len = tidewatch_core::geo_math::haversine_m(a, b);
    let n = (len / step_m).ceil().max(1.0) as usize;
    let (mut run, mut longest) = (0.0f64, 0.0f64);
    for i in 0..=n {
        let t = i as f64 / n as f64;
        let (lon, lat) = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        if tidewatch_core::geo_math::on_land(shape, lon, lat) {
            run = 0.0;
        } else {
            run += len / n as f64;
            longest = longest.max(run);
        }
    }
    longest
}

#[test]
fn every_generated_road_stays_on_land() {
    // The OSM land polygons are simplified to about 50 m: a straight link may cut a
    // headland by that much, never cross a bay. The generator allows 60 m (MAX_GAP_M),
    // measured on its own plane; sampled here on lon/lat every 10 m, one sample more at
    // either end of a run is measurement, not water: 80 m.
    let region = support::dinghai();
    let mut checked = 0;
    for r in region.roads.iter().filter(|r| r.provenance.source.starts_with("generated")) {
        let (a, b) = (region.place(&r.from).unwrap(), region.place(&r.to).unwrap());
        let island = region.island(&a.island).unwrap();
        let run = longest_water_run(&island.shape, (a.lon, a.lat), (b.lon, b.lat), 10.0);
        assert!(run <= 80.0, "road {} ({} - {}) crosses {run:.0} m of water", r.id, r.from, r.to);
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} generated roads");
}

#[test]
fn every_island_road_graph_is_connected_without_bridges() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let mut pass = Passable::all_open(&net);
    pass.bridge_open.iter_mut().for_each(|b| *b = false);
    for (i, members) in net.island_nodes.iter().enumerate() {
        let Some(&first) = members.first() else { continue };
        let dist = road_times_from(&net, &pass, first);
        for &v in members {
            assert!(
                dist[v as usize] != u32::MAX,
                "island {}: {} unreachable from {}",
                net.islands[i].id,
                net.node_ids[v as usize],
                net.node_ids[first as usize]
            );
        }
        assert!(
            net.nodes.iter().enumerate().all(|(v, n)| n.island as usize == i || dist[v] == u32::MAX),
            "roads leave island {}",
            net.islands[i].id
        );
    }
}

#[test]
fn every_ferry_route_joins_two_piers_on_different_islands_with_sailings_both_ways() {
    let region = support::dinghai();
    assert!(region.ferry_routes.len() >= 7);
    for r in &region.ferry_routes {
        let (a, b) = (region.place(&r.from).unwrap(), region.place(&r.to).unwrap());
        assert_eq!((a.kind, b.kind), (PlaceKind::Pier, PlaceKind::Pier), "{}", r.id);
        assert_ne!(a.island, b.island, "{}", r.id);
        for end in [&r.from, &r.to] {
            assert!(region.sailings.iter().any(|s| s.route == r.id && &s.from == end), "{} has no sailing from {end}", r.id);
        }
    }
}

#[test]
fn bad_number_names_file_line_and_field() {
    let dir = pack_copy();
    set_field(dir.path(), "places.csv", 3, "lat", "30.0o");
    assert_error(&errors_of(dir.path()), "places.csv:3: lat '30.0o' is not a number");
}

#[test]
fn coordinate_outside_the_region_bounds() {
    let dir = pack_copy();
    set_field(dir.path(), "places.csv", 14, "lat", "31.9");
    assert_error(&errors_of(dir.path()), "places.csv:14: lat 31.9 is outside the region bounds");
}

#[test]
fn unknown_island() {
    let dir = pack_copy();
    set_field(dir.path(), "places.csv", 5, "island", "atlantis");
    assert_error(&errors_of(dir.path()), "places.csv:5: island 'atlantis' is not in islands.geojson");
}

#[test]
fn place_in_the_sea() {
    let dir = pack_copy();
    let line = line_of(dir.path(), "places.csv", "id", "post_panzhi");
    // Between Panzhi and Damao, well off Panzhi's coast.
    set_field(dir.path(), "places.csv", line, "lon", "122.02");
    set_field(dir.path(), "places.csv", line, "lat", "29.90");
    let errors = errors_of(dir.path());
    assert_error(&errors, &format!("places.csv:{line}: place 'post_panzhi' lies"));
    assert_error(&errors, "off its island 'panzhi'");
}

#[test]
fn duplicate_id() {
    let dir = pack_copy();
    let new_line = duplicate_row(dir.path(), "units.csv", 2);
    assert_error(&errors_of(dir.path()), &format!("units.csv:{new_line}: duplicate id 'dh_traffic_01' (first on line 2)"));
}

#[test]
fn ferry_route_end_that_is_not_a_pier() {
    let dir = pack_copy();
    let line = line_of(dir.path(), "ferry_routes.csv", "id", "ferry_dinghai_damao");
    set_field(dir.path(), "ferry_routes.csv", line, "to", "post_changbai");
    assert_error(&errors_of(dir.path()), &format!("ferry_routes.csv:{line}: to 'post_changbai' is a post, not a pier"));
}

#[test]
fn timetable_time_that_is_not_hhmm() {
    let dir = pack_copy();
    set_field(dir.path(), "sailings.csv", 4, "depart", "9.30");
    assert_error(&errors_of(dir.path()), "sailings.csv:4: depart '9.30' is not HH:MM");
}

#[test]
fn unit_whose_base_does_not_exist() {
    let dir = pack_copy();
    set_field(dir.path(), "units.csv", 6, "base", "ps_nowhere");
    assert_error(&errors_of(dir.path()), "units.csv:6: base 'ps_nowhere' is not a place in places.csv");
}

#[test]
fn boat_based_away_from_a_pier() {
    let dir = pack_copy();
    let line = line_of(dir.path(), "units.csv", "kind", "boat");
    set_field(dir.path(), "units.csv", line, "base", "post_changbai");
    assert_error(&errors_of(dir.path()), &format!("units.csv:{line}: boat"));
}

#[test]
fn road_joining_two_islands_and_disconnected_island() {
    let dir = pack_copy();
    // Re-point every road of Changbai at the main island: one error per road, and the
    // island's graph falls apart.
    let region = support::dinghai();
    let road = region.roads.iter().find(|r| region.place(&r.from).unwrap().island.0 == "changbai").expect("a Changbai road");
    let line = line_of(dir.path(), "roads.csv", "id", &road.id);
    set_field(dir.path(), "roads.csv", line, "to", "ps_chengdong");
    let errors = errors_of(dir.path());
    assert_error(&errors, &format!("roads.csv:{line}: road '{}' joins island", road.id));
}

#[test]
fn malformed_files_are_errors_not_panics() {
    let dir = pack_copy();
    std::fs::write(dir.path().join("islands.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [{\"properties\": {\"id\": \"x\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]").unwrap();
    assert_error(&errors_of(dir.path()), "islands.geojson: line");

    let dir = pack_copy();
    std::fs::write(dir.path().join("islands.geojson"), "{\"type\": \"FeatureCollection\", \"features\": [{\"properties\": {\"id\": \"x\", \"confidence\": \"high\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}").unwrap();
    assert_error(&errors_of(dir.path()), "islands.geojson: feature 0: island 'x': geometry type 'Point' is not Polygon or MultiPolygon");

    let dir = pack_copy();
    let toml = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), toml.replace("time_zone = \"Asia/Shanghai\"", "time_zone = \"Mars/Olympus\"")).unwrap();
    assert_error(&errors_of(dir.path()), "region.toml: time_zone 'Mars/Olympus' is not an IANA time zone");

    // A misspelt KPI type would silently count nothing; an unknown islands rule is refused.
    let dir = pack_copy();
    let toml = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), toml.replace("crime_types = [\"theft\"", "crime_types = [\"thef\"")).unwrap();
    assert_error(&errors_of(dir.path()), "region.toml: kpi.crime_types: 'thef' is not an incident type in incident_types.csv");
    let dir = pack_copy();
    let toml = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), toml.replace("islands = \"inhabited_in_district\"", "islands = \"all\"")).unwrap();
    assert_error(&errors_of(dir.path()), "unknown variant `all`");

    let dir = pack_copy();
    std::fs::write(dir.path().join("region.toml"), "id = \"x\"\nname_zh = [oops\n").unwrap();
    assert_error(&errors_of(dir.path()), "region.toml:2:");

    let dir = pack_copy();
    std::fs::remove_file(dir.path().join("units.csv")).unwrap();
    assert_error(&errors_of(dir.path()), "units.csv: cannot read");

    let dir = pack_copy();
    std::fs::write(dir.path().join("bridges.csv"), "id,name_zh\nx,y\n").unwrap();
    assert_error(&errors_of(dir.path()), "bridges.csv:1: missing column(s): name_en, from, to");
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let dir = pack_copy();
    set_field(dir.path(), "places.csv", 3, "lat", "x");
    set_field(dir.path(), "sailings.csv", 4, "depart", "25:00");
    set_field(dir.path(), "units.csv", 6, "base", "nowhere");
    let errors = errors_of(dir.path());
    assert_error(&errors, "places.csv:3:");
    assert_error(&errors, "sailings.csv:4:");
    assert_error(&errors, "units.csv:6:");
}

#[test]
fn gazetteer_search_finds_places_by_chinese_pinyin_and_english() {
    let region = support::dinghai();
    let first = |q: &str| region.search_places(q, 5).first().map(|p| p.id.0.clone());
    assert_eq!(first("长白警务站").as_deref(), Some("post_changbai"));
    assert_eq!(first("changbai jingwuzhan").as_deref(), Some("post_changbai"));
    assert_eq!(first("cbjwz").as_deref(), Some("post_changbai"), "pinyin initials");
    assert_eq!(first("Changbai Police Post").as_deref(), Some("post_changbai"));
    assert!(region.search_places("盘峙", 10).iter().all(|p| p.name_zh.contains("盘峙") || p.pinyin.contains("panzhi")));
    assert!(region.search_places("", 10).is_empty());
    assert!(region.search_places("zzzzqqq", 10).is_empty());
}

// ------------------------------------------------------------------ hardening (issue #11)
//
// Every number the travel-time engine adds up is range-checked at load, with the file and
// line (or key / feature and property) of the bad value; see assets/regions/README.md,
// "Validation rules".

/// Replaces the one line of `file` that is exactly `old` (trimmed) with `new`; returns its
/// 1-based line number.
fn replace_line(dir: &std::path::Path, file: &str, old: &str, new: &str) -> usize {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let hits: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.trim() == old).map(|(i, _)| i).collect();
    assert_eq!(hits.len(), 1, "{file}: {old:?} is on lines {hits:?}");
    let out: Vec<&str> = text.lines().enumerate().map(|(i, l)| if i == hits[0] { new } else { l }).collect();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
    hits[0] + 1
}

/// The 1-based line where `needle` first occurs in `file`.
fn line_containing(dir: &std::path::Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{file} has no {needle:?}")) + 1
}

#[test]
fn road_length_that_would_overflow_the_seconds_is_refused() {
    for (value, why) in [
        ("1e12", "length_m 1e12 is outside 1..=300000 m"),
        ("6e10", "length_m 6e10 is outside 1..=300000 m"),
        ("300001", "length_m 300001 is outside 1..=300000 m"),
        ("-5", "length_m -5 is outside 1..=300000 m"),
        ("0", "length_m 0 is outside 1..=300000 m"),
        ("nan", "length_m 'nan' is not a number"),
        ("inf", "length_m 'inf' is not a number"),
    ] {
        let dir = pack_copy();
        set_field(dir.path(), "roads.csv", 7, "length_m", value);
        assert_error(&errors_of(dir.path()), &format!("roads.csv:7: {why}"));
    }
    let dir = pack_copy();
    set_field(dir.path(), "roads.csv", 7, "length_m", "300000");
    Region::load(dir.path()).expect("300 km is the longest road link allowed");
}

#[test]
fn bridge_length_out_of_range_is_refused() {
    let dir = pack_copy();
    set_field(dir.path(), "bridges.csv", 3, "length_m", "6e10");
    assert_error(&errors_of(dir.path()), "bridges.csv:3: length_m 6e10 is outside 1..=300000 m");
}

#[test]
fn road_class_speed_out_of_range_is_refused() {
    for value in ["1e-6", "0.5", "inf", "nan", "-28", "201"] {
        let dir = pack_copy();
        let line = replace_line(dir.path(), "region.toml", "speed_kmh = 28", &format!("speed_kmh = {value}"));
        let errors = errors_of(dir.path());
        assert_error(&errors, &format!("region.toml:{line}: road_class 'urban' speed_kmh = "));
        assert_error(&errors, "is outside 1..=200 km/h");
    }
}

#[test]
fn region_defaults_must_be_finite_and_plausible() {
    let cases = [
        ("detour_factor = 1.35", "detour_factor", "inf", "1..=5"),
        ("detour_factor = 1.35", "detour_factor", "0.9", "1..=5"),
        ("snap_max_m = 3000", "snap_max_m", "inf", "10..=50000 m"),
        ("place_tolerance_m = 500", "place_tolerance_m", "nan", "0..=10000 m"),
        ("place_tolerance_m = 500", "place_tolerance_m", "-5", "0..=10000 m"),
        ("access_speed_kmh = 20", "access_speed_kmh", "inf", "1..=200 km/h"),
        ("ferry_disembark_min = 3", "ferry_disembark_min", "nan", "0..=120 min"),
        ("ferry_disembark_min = 3", "ferry_disembark_min", "-5", "0..=120 min"),
        ("boat_speed_kmh = 45", "boat_speed_kmh", "1e9", "1..=120 km/h"),
        ("boat_detour_factor = 1.2", "boat_detour_factor", "-inf", "1..=5"),
        ("boat_landing_min = 3", "boat_landing_min", "nan", "0..=120 min"),
        ("boat_landing_min = 3", "boat_landing_min", "-5", "0..=120 min"),
    ];
    for (old, key, value, range) in cases {
        let dir = pack_copy();
        let comment_free = old; // the shipped file has comments after the values
        let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
        let line = text.lines().position(|l| l.starts_with(comment_free)).expect(old) + 1;
        let edited: Vec<String> =
            text.lines().enumerate().map(|(i, l)| if i + 1 == line { format!("{key} = {value}") } else { l.to_string() }).collect();
        std::fs::write(dir.path().join("region.toml"), edited.join("\n")).unwrap();
        let errors = errors_of(dir.path());
        assert_error(&errors, &format!("region.toml:{line}: defaults.{key} = "));
        assert_error(&errors, &format!("is outside {range}"));
    }
}

#[test]
fn boat_stop_wind_force_outside_the_wind_scale_is_refused() {
    let dir = pack_copy();
    let line = line_containing(dir.path(), "region.toml", "boat_landing_min = 3");
    let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(
        dir.path().join("region.toml"),
        text.replace("boat_landing_min = 3", "boat_landing_min = 3\nboat_stop_wind_force = 255"),
    )
    .unwrap();
    assert_error(&errors_of(dir.path()), &format!("region.toml:{}: defaults.boat_stop_wind_force = 255 is outside 1..=17", line + 1));
}

#[test]
fn region_bounds_must_be_on_the_globe_and_ordered() {
    for (old, new, expected) in [
        ("max_lon = 122.36", "max_lon = 200", "bounds.max_lon = 200 is outside -180..=180 °"),
        ("max_lon = 122.36", "max_lon = inf", "bounds.max_lon = inf is outside -180..=180 °"),
        ("min_lat = 29.85", "min_lat = nan", "bounds.min_lat = NaN is outside -90..=90 °"),
        ("max_lat = 30.37", "max_lat = 29", "bounds.max_lat = 29 is not above min_lat = 29.85"),
    ] {
        let dir = pack_copy();
        let line = line_containing(dir.path(), "region.toml", old);
        let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
        std::fs::write(dir.path().join("region.toml"), text.replacen(old, new, 1)).unwrap();
        assert_error(&errors_of(dir.path()), &format!("region.toml:{line}: {expected}"));
    }
}

#[test]
fn targets_twice_for_one_priority_or_out_of_range_are_refused() {
    let dir = pack_copy();
    let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), format!("{text}\n[[target]]\npriority = 2\nroad_s = 60\nbridge_s = 60\nferry_s = 60\n"))
        .unwrap();
    let line = text.lines().count() + 3;
    assert_error(&errors_of(dir.path()), &format!("region.toml:{line}: target priority 2 is given twice"));

    let dir = pack_copy();
    let line = line_containing(dir.path(), "region.toml", "road_s = 600");
    let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), text.replacen("road_s = 600", "road_s = 0", 1)).unwrap();
    assert_error(&errors_of(dir.path()), &format!("region.toml:{line}: target 1 road_s = 0 is outside 60..=86400"));
}

/// The islands file with feature `i`'s JSON edited by `edit`.
fn edit_island(dir: &std::path::Path, i: usize, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("islands.geojson");
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut json["features"][i]);
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
}

#[test]
fn unclosed_island_ring_is_refused() {
    let dir = pack_copy();
    edit_island(dir.path(), 2, |f| {
        let ring = f["geometry"]["coordinates"][0].as_array_mut().unwrap();
        ring.pop();
    });
    let errors = errors_of(dir.path());
    assert_error(&errors, "islands.geojson: feature 2: island '");
    assert_error(&errors, "ring is not closed");
}

#[test]
fn wrongly_typed_island_properties_are_errors_not_coerced() {
    for (property, value, expected) in [
        ("inhabited", serde_json::json!("yes"), "property inhabited \"yes\" is not true or false"),
        ("in_district", serde_json::json!("false"), "property in_district \"false\" is not true or false"),
        ("population", serde_json::json!("many"), "property population \"many\" is not a whole number of people"),
        ("population", serde_json::json!(-3), "property population -3 is not a whole number of people"),
        ("population", serde_json::json!(12.5), "property population 12.5 is not a whole number of people"),
        ("name_en", serde_json::json!(7), "property name_en 7 is not a string"),
    ] {
        let dir = pack_copy();
        edit_island(dir.path(), 1, |f| f["properties"][property] = value.clone());
        let id = support::dinghai().islands[1].id.clone();
        let errors = errors_of(dir.path());
        assert_error(&errors, &format!("islands.geojson: feature 1: island '{id}': {expected}"));
    }
    // Null population stays "unknown".
    let dir = pack_copy();
    edit_island(dir.path(), 1, |f| f["properties"]["population"] = serde_json::Value::Null);
    assert_eq!(Region::load(dir.path()).unwrap().islands[1].population, None);
}

#[test]
fn island_coordinates_off_the_globe_are_refused() {
    let dir = pack_copy();
    edit_island(dir.path(), 0, |f| f["geometry"]["coordinates"][0][1] = serde_json::json!([1e300, 30.0]));
    assert_error(&errors_of(dir.path()), "islands.geojson: feature 0: island 'zhoushan': position [1e+300,30.0] is not [lon, lat]");
}

#[test]
fn holiday_date_must_be_yyyy_mm_dd_in_a_sane_range() {
    for (value, why) in [
        ("-2025-04-05", "is not a date YYYY-MM-DD"),
        ("2025-4-5", "is not a date YYYY-MM-DD"),
        ("1776-07-04", "is outside the years 2000..=2100"),
    ] {
        let dir = pack_copy();
        set_field(dir.path(), "holidays.csv", 5, "date", value);
        assert_error(&errors_of(dir.path()), &format!("holidays.csv:5: date '{value}' {why}"));
    }
}

#[test]
fn ferry_crossing_and_stop_limits_are_range_checked() {
    for (field, value, expected) in [
        ("crossing_min", "1e9", "crossing_min 1e9 is outside 1..=1440 min"),
        ("crossing_min", "nan", "crossing_min 'nan' is not a number"),
        ("stop_wind_force", "255", "stop_wind_force 255 is outside 1..=17"),
        ("stop_visibility_m", "-1", "stop_visibility_m '-1' is not a whole number"),
    ] {
        let dir = pack_copy();
        set_field(dir.path(), "ferry_routes.csv", 3, field, value);
        assert_error(&errors_of(dir.path()), &format!("ferry_routes.csv:3: {expected}"));
    }
    let dir = pack_copy();
    set_field(dir.path(), "bridges.csv", 4, "close_wind_force", "0");
    assert_error(&errors_of(dir.path()), "bridges.csv:4: close_wind_force 0 is outside 1..=17");
}

#[test]
fn unit_speed_is_range_checked_and_only_for_boats() {
    let dir = pack_copy();
    let line = line_of(dir.path(), "units.csv", "kind", "boat");
    set_field(dir.path(), "units.csv", line, "speed_kmh", "inf");
    assert_error(&errors_of(dir.path()), &format!("units.csv:{line}: speed_kmh 'inf' is not a number"));
    set_field(dir.path(), "units.csv", line, "speed_kmh", "0.001");
    assert_error(&errors_of(dir.path()), &format!("units.csv:{line}: speed_kmh 0.001 is outside 1..=120 km/h"));

    let dir = pack_copy();
    set_field(dir.path(), "units.csv", 2, "speed_kmh", "60");
    assert_error(&errors_of(dir.path()), "units.csv:2: speed_kmh is for boats only; 'dh_traffic_01' is a traffic unit");
}

#[test]
fn a_network_whose_times_add_up_past_the_budget_is_refused() {
    // Every link at its limit (300 km at 1 km/h = 300 h) is allowed one by one; a
    // thousand of them in a row would be 34 years, which no u32 ETA should come near.
    let dir = pack_copy();
    let text = std::fs::read_to_string(dir.path().join("region.toml")).unwrap();
    std::fs::write(dir.path().join("region.toml"), text.replace("speed_kmh = 22", "speed_kmh = 1")).unwrap();
    let mut roads = std::fs::read_to_string(dir.path().join("roads.csv")).unwrap();
    if !roads.ends_with('\n') {
        roads.push('\n');
    }
    let region = support::dinghai();
    let road = region.roads.iter().find(|r| r.class == "small_island").expect("a small-island road");
    for i in 0..1000 {
        roads.push_str(&format!("slow_{i},{},{},small_island,300000,test,estimate\n", road.from, road.to));
    }
    std::fs::write(dir.path().join("roads.csv"), roads).unwrap();
    assert_error(&errors_of(dir.path()), "roads.csv: the roads, bridges and ferries take");
}

#[test]
fn files_with_a_utf8_byte_order_mark_load() {
    let dir = pack_copy();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(std::fs::read(&path).unwrap());
        std::fs::write(&path, bytes).unwrap();
    }
    let with_bom = Region::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let plain = support::dinghai();
    assert_eq!(serde_json::to_value(with_bom.counts()).unwrap(), serde_json::to_value(plain.counts()).unwrap());
    assert_eq!(with_bom.places[0].id, plain.places[0].id, "the first column's header is 'id', not '\\u{{feff}}id'");
}

fn region_check(dir: &std::path::Path) -> (Option<i32>, String) {
    let out = support::tidewatch(&["region", "check", dir.to_str().unwrap()]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn region_check_prints_the_range_errors_and_exits_1() {
    let dir = pack_copy();
    set_field(dir.path(), "roads.csv", 7, "length_m", "1e12");
    set_field(dir.path(), "holidays.csv", 5, "date", "-2025-04-05");
    let (code, stdout) = region_check(dir.path());
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("roads.csv:7: length_m 1e12 is outside 1..=300000 m"), "{stdout}");
    assert!(stdout.contains("holidays.csv:5: date '-2025-04-05' is not a date YYYY-MM-DD"), "{stdout}");

    let dir = pack_copy();
    let line = replace_line(dir.path(), "region.toml", "speed_kmh = 28", "speed_kmh = 1e-6");
    let (code, stdout) = region_check(dir.path());
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains(&format!("region.toml:{line}: road_class 'urban' speed_kmh = 0.000001 is outside 1..=200 km/h")), "{stdout}");
}

/// Adds an empty `column` to every row of `file`.
fn add_column(dir: &std::path::Path, file: &str, column: &str) {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut headers = reader.headers().unwrap().clone();
    headers.push_field(column);
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| {
            let mut r = r.unwrap();
            r.push_field("");
            r
        })
        .collect();
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn a_bad_oneway_value_names_the_file_and_line() {
    for value in ["-1", "true", "1", "Yes", "both"] {
        let dir = pack_copy();
        add_column(dir.path(), "roads.csv", "oneway");
        set_field(dir.path(), "roads.csv", 7, "oneway", value);
        assert_error(&errors_of(dir.path()), &format!("roads.csv:7: oneway '{value}' is not one of yes"));
    }
}

#[test]
fn a_one_way_road_is_driven_from_its_from_to_its_to_only() {
    let dir = pack_copy();
    add_column(dir.path(), "roads.csv", "oneway");
    set_field(dir.path(), "roads.csv", 7, "oneway", "yes");
    set_field(dir.path(), "roads.csv", 8, "oneway", "no");
    let region = Region::load(dir.path()).expect("yes and no are oneway values");
    let (one, two) = (&region.roads[5], &region.roads[6]);
    assert!(one.one_way && !two.one_way);
    let net = Network::from_region(&region);
    assert!(net.has_one_way());
    let (a, b) = (region.place_index(&one.from).unwrap() as u32, region.place_index(&one.to).unwrap() as u32);
    let parallel = region.roads.iter().filter(|r| (r.from == one.from && r.to == one.to) || (r.from == one.to && r.to == one.from)).count();
    assert_eq!(parallel, 1, "the test road is the only link between its ends");
    assert!(net.edges(a).any(|e| e.to == b) && net.edges_in(b).any(|e| e.to == a), "driven from → to");
    assert!(!net.edges(b).any(|e| e.to == a) && !net.edges_in(a).any(|e| e.to == b), "never to → from");
    assert!(net.walk_edges(b).any(|e| e.to == a), "walked both ways");
    // The shipped pack has no one-way road: both directions are the same table.
    let shipped = Network::from_region(&support::dinghai());
    assert!(!shipped.has_one_way());
}

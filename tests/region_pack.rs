//! Loading and validating region packs: the real Dinghai pack loads and is sound; every
//! kind of broken pack is refused with the file, line and field, never a panic.

mod support;

use support::*;
use tidewatch::geo_math::metres_outside;
use tidewatch::region::{PlaceKind, Region};
use tidewatch::route::{road_times_from, Network, Passable};

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
    let region = Region::load(&dinghai_dir()).expect("the bundled pack is valid");
    let c = region.counts();
    assert!(c.islands >= 15, "inhabited Dinghai islands: {}", c.islands);
    assert!(c.units >= 20 && c.officers >= 60, "{c:?}");
    let in_district = |id: &tidewatch::ids::PlaceId| region.island(&region.place(id).unwrap().island).unwrap().in_district;
    assert!(region.bridges.iter().filter(|b| in_district(&b.from) || in_district(&b.to)).count() >= 8, "the 8 bridges");
    for kind in [PlaceKind::Station, PlaceKind::Post, PlaceKind::TrafficSquadron, PlaceKind::Pier, PlaceKind::Village] {
        assert!(region.places.iter().any(|p| p.kind == kind), "no {kind:?}");
    }
    assert!(region.units.iter().any(|u| u.kind == tidewatch::region::UnitKind::Boat));
    assert!(c.estimated > 0, "estimates must be marked");
    assert!(region.meta.attribution.contains("OpenStreetMap"), "ODbL attribution");
    assert!(region.holidays.day_type(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()) == tidewatch::region::DayType::Holiday);
}

#[test]
fn every_place_lies_on_its_island() {
    let region = Region::load(&dinghai_dir()).unwrap();
    for p in &region.places {
        let island = region.island(&p.island).unwrap();
        let off = metres_outside(&island.shape, p.lon, p.lat);
        assert!(off <= region.meta.defaults.place_tolerance_m, "{} is {off:.0} m off {}", p.id, p.island);
    }
}

#[test]
fn every_island_road_graph_is_connected_without_bridges() {
    let region = Region::load(&dinghai_dir()).unwrap();
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
    let region = Region::load(&dinghai_dir()).unwrap();
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
    let region = Region::load(&dinghai_dir()).unwrap();
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
    let region = Region::load(&dinghai_dir()).unwrap();
    let first = |q: &str| region.search_places(q, 5).first().map(|p| p.id.0.clone());
    assert_eq!(first("长白警务站").as_deref(), Some("post_changbai"));
    assert_eq!(first("changbai jingwuzhan").as_deref(), Some("post_changbai"));
    assert_eq!(first("cbjwz").as_deref(), Some("post_changbai"), "pinyin initials");
    assert_eq!(first("Changbai Police Post").as_deref(), Some("post_changbai"));
    assert!(region.search_places("盘峙", 10).iter().all(|p| p.name_zh.contains("盘峙") || p.pinyin.contains("panzhi")));
    assert!(region.search_places("", 10).is_empty());
    assert!(region.search_places("zzzzqqq", 10).is_empty());
}

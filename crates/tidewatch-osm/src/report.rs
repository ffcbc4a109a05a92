//! The import's report: what was read, each island's graph, what was left out.

use std::fmt::Write;

use crate::graph::Import;
use crate::model::OsmData;
use crate::write::FERRY_FILE;

pub fn text(extract: &str, data: &OsmData, imp: &Import) -> String {
    let mut t = String::new();
    let highway_ways = data.ways.iter().filter(|w| !w.is_ferry()).count();
    let _ = writeln!(
        t,
        "read {extract}: {} nodes ({} inside the pack's bounds), {} ways ({highway_ways} highways, {} ferries)",
        data.nodes_read,
        data.nodes.len(),
        data.ways_read,
        data.ways.len() - highway_ways
    );
    for r in &imp.islands {
        let _ = writeln!(t, "{}", island_line(r));
    }
    let s = &imp.skipped;
    if !s.unknown_highway.is_empty() {
        let list: Vec<String> = s.unknown_highway.iter().map(|(h, n)| format!("highway={h} ({n})")).collect();
        let _ = writeln!(t, "not roads for a patrol car (no class in the highway table): {}", list.join(", "));
    }
    let _ = writeln!(
        t,
        "way nodes missing from the extract or at sea: {}; pieces between two islands (bridges.csv keeps those links): {}",
        s.nodes_missing_or_at_sea, s.between_islands
    );
    let matched = imp.ferries.iter().filter(|f| f.existing_route.is_some()).count();
    let _ = writeln!(
        t,
        "ferries: {} route=ferry ways written to {FERRY_FILE} as timetable candidates ({matched} match a route of the pack)",
        imp.ferries.len()
    );
    let _ = writeln!(
        t,
        "wrote {} road nodes, {} road segments ({} one-way, {} bridges, {} tunnels), {} place connectors (estimates)",
        imp.junctions.len(),
        imp.segments.len(),
        imp.segments.iter().filter(|s| s.oneway).count(),
        imp.segments.iter().filter(|s| s.structure == "bridge").count(),
        imp.segments.iter().filter(|s| s.structure == "tunnel").count(),
        imp.snaps.len()
    );
    t
}

fn island_line(r: &crate::graph::IslandReport) -> String {
    if r.nodes == 0 {
        return format!("island {}: no imported roads; its generated roads stay (estimates)", r.island);
    }
    let fate = if r.replaces_generated {
        "one graph joins every place: its generated roads are replaced".to_owned()
    } else if !r.one_way_cut.is_empty() {
        format!(
            "one-way streets cut {} of {} places off by car ({}): its generated roads stay as the fallback (estimates)",
            r.one_way_cut.len(),
            r.places,
            r.one_way_cut.join(", ")
        )
    } else if !r.unsnapped.is_empty() {
        format!(
            "{} of {} places have no road node within 1 km ({}): its generated roads stay as the fallback (estimates)",
            r.unsnapped.len(),
            r.places,
            r.unsnapped.join(", ")
        )
    } else {
        "the places reach more than one separate graph: its generated roads stay as the fallback (estimates)".to_owned()
    };
    format!(
        "island {}: {} road nodes, {} segments, {} connected components ({} that no place reaches left out); {fate}",
        r.island, r.nodes, r.segments, r.components, r.components_left_out
    )
}

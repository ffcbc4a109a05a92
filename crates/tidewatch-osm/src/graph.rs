//! From an extract's ways to the pack's road graph.
//!
//! Ways are split at junctions (a node shared by two ways, or a way's end) into segments
//! whose length is the sum of their pieces. Each node belongs to the island whose land
//! holds it (or lies within [`COAST_SLACK_M`] of it: the coastline is simplified); a
//! stretch at sea (a bridge between islands, a pier head) or outside the extract breaks the
//! way there: links between islands stay the pack's own `bridges.csv`. Every place is
//! attached to the nearest road node on its own island by a straight connector (an
//! estimate); a component of the imported roads that no place reaches is left out. An
//! island keeps its generated roads as the fallback unless the import joins all of its
//! places into one graph, one a car can drive from any of them to any other with the
//! one-way streets as tagged.

use std::collections::{BTreeMap, HashMap, HashSet};

use geo::BoundingRect;
use tidewatch_core::geo_math::{haversine_m, metres_outside};
use tidewatch_core::region::{PlaceKind, Region};

use crate::highways::HighwayTable;
use crate::model::{OsmData, Way};

/// How far off the (simplified) coastline a road node still counts as on the island.
pub const COAST_SLACK_M: f64 = 60.0;
/// How far a place may be from the nearest imported road node to be attached to it.
pub const SNAP_MAX_M: f64 = 1000.0;
/// How far a ferry way's end may be from a pier to be matched with it.
pub const FERRY_PIER_M: f64 = 2000.0;

/// Rows written by an import start with this (ids of places and roads).
pub const PREFIX: &str = "osm_";

#[derive(Debug, Clone)]
pub struct Segment {
    pub way: i64,
    pub part: u32,
    pub from: i64,
    pub to: i64,
    pub island: usize,
    pub length_m: f64,
    pub highway: String,
    pub class: String,
    pub oneway: bool,
    pub structure: &'static str,
}

#[derive(Debug, Clone)]
pub struct Snap {
    pub place: String,
    pub node: i64,
    pub metres: f64,
    pub class: String,
}

#[derive(Debug, Clone)]
pub struct FerryCandidate {
    pub way: i64,
    pub name: String,
    pub ends: [(f64, f64); 2],
    /// The nearest pier of the pack to each end (id, metres), if within [`FERRY_PIER_M`].
    pub piers: [Option<(String, f64)>; 2],
    /// A ferry route of the pack already joining these two piers.
    pub existing_route: Option<String>,
}

/// One island's outcome, for the report.
#[derive(Debug, Clone, Default)]
pub struct IslandReport {
    pub island: String,
    pub nodes: usize,
    pub segments: usize,
    pub components: usize,
    pub components_left_out: usize,
    pub places: usize,
    pub unsnapped: Vec<String>,
    /// Places the one-way streets cut off: a car cannot get from the first place to them
    /// or back (the graph joins them only if its roads are driven both ways).
    pub one_way_cut: Vec<String>,
    /// True when the import joins every place: the generated roads are replaced.
    pub replaces_generated: bool,
}

/// Pieces of ways not imported, counted for the report.
#[derive(Debug, Clone, Default)]
pub struct Skipped {
    pub unknown_highway: BTreeMap<String, usize>,
    pub nodes_missing_or_at_sea: usize,
    pub between_islands: usize,
}

#[derive(Debug, Default)]
pub struct Import {
    /// Road nodes kept: node id → (lon, lat, island index).
    pub junctions: BTreeMap<i64, (f64, f64, usize)>,
    pub segments: Vec<Segment>,
    pub snaps: Vec<Snap>,
    pub ferries: Vec<FerryCandidate>,
    pub islands: Vec<IslandReport>,
    pub skipped: Skipped,
}

impl Import {
    /// Islands whose generated roads the import replaces.
    pub fn replaced_islands(&self) -> HashSet<String> {
        self.islands.iter().filter(|r| r.replaces_generated).map(|r| r.island.clone()).collect()
    }
}

/// Builds the import of `data` into `region`.
pub fn build_import(region: &Region, data: &OsmData, table: &HighwayTable) -> Import {
    let mut imp = Import::default();
    let islands = IslandFinder::new(region);
    let roads: Vec<&Way> = data.ways.iter().filter(|w| !w.is_ferry()).collect();
    let usage = node_usage(&roads, table);
    let mut node_island: HashMap<i64, Option<usize>> = HashMap::new();
    for way in &roads {
        let Some(highway) = way.tag("highway") else { continue };
        let Some((class, _)) = table.class(highway) else {
            *imp.skipped.unknown_highway.entry(highway.to_owned()).or_default() += 1;
            continue;
        };
        let mut island_of =
            |id: i64| *node_island.entry(id).or_insert_with(|| data.nodes.get(&id).and_then(|&(lon, lat)| islands.find(lon, lat)));
        split_way(way, class, data, &usage, &mut island_of, &mut imp);
    }
    let all_segments = std::mem::take(&mut imp.segments);
    attach(region, data, all_segments, &mut imp);
    imp.ferries = data.ways.iter().filter(|w| w.is_ferry()).filter_map(|w| ferry_candidate(region, data, w)).collect();
    imp
}

/// How many times each node is used by a road way; a way's ends count twice, so that
/// every end is a junction.
fn node_usage(roads: &[&Way], table: &HighwayTable) -> HashMap<i64, u32> {
    let mut usage: HashMap<i64, u32> = HashMap::new();
    for way in roads.iter().filter(|w| w.tag("highway").is_some_and(|h| table.class(h).is_some())) {
        for &n in &way.nodes {
            *usage.entry(n).or_default() += 1;
        }
        for n in [way.nodes.first(), way.nodes.last()].into_iter().flatten() {
            *usage.entry(*n).or_default() += 2;
        }
    }
    usage
}

/// Cuts one way into segments between junctions, breaking it where a node is missing or
/// at sea and where it passes from one island to another.
fn split_way(
    way: &Way,
    class: &str,
    data: &OsmData,
    usage: &HashMap<i64, u32>,
    island_of: &mut impl FnMut(i64) -> Option<usize>,
    imp: &mut Import,
) {
    // (start node, its island, length so far, previous node)
    let mut open: Option<(i64, usize, f64, i64)> = None;
    let mut part = 0u32;
    let mut emit = |imp: &mut Import, from: i64, to: i64, island: usize, length_m: f64| {
        if from != to {
            part += 1;
            imp.segments.push(Segment {
                way: way.id,
                part,
                from,
                to,
                island,
                length_m,
                highway: way.tag("highway").unwrap_or_default().to_owned(),
                class: class.to_owned(),
                oneway: way.oneway(),
                structure: way.structure(),
            });
        }
    };
    for &n in &way.nodes {
        let here = data.nodes.get(&n).copied().zip(island_of(n));
        let Some((pos, island)) = here else {
            imp.skipped.nodes_missing_or_at_sea += 1;
            if let Some((s, isl, len, prev)) = open.take() {
                emit(imp, s, prev, isl, len);
            }
            continue;
        };
        match open {
            None => open = Some((n, island, 0.0, n)),
            Some((_, isl, _, _)) if isl != island => {
                imp.skipped.between_islands += 1;
                open = Some((n, island, 0.0, n));
            }
            Some((s, isl, len, prev)) => {
                let len = len + haversine_m(data.nodes[&prev], pos);
                if usage.get(&n).copied().unwrap_or(0) >= 2 {
                    emit(imp, s, n, isl, len);
                    open = Some((n, isl, 0.0, n));
                } else {
                    open = Some((s, isl, len, n));
                }
            }
        }
    }
    if let Some((s, isl, len, prev)) = open {
        emit(imp, s, prev, isl, len);
    }
}

/// Snaps places, keeps the components they reach, and writes each island's report.
fn attach(region: &Region, data: &OsmData, segments: Vec<Segment>, imp: &mut Import) {
    let comp = Components::of(&segments);
    let mut island_of: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &segments {
        island_of.insert(s.from, s.island);
        island_of.insert(s.to, s.island);
    }
    let mut nodes_by_island: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
    for (&n, &i) in &island_of {
        nodes_by_island.entry(i).or_default().push(n);
    }
    let class_at = node_classes(&segments);
    let mut kept_roots: HashSet<i64> = HashSet::new();
    for (ii, island) in region.islands.iter().enumerate() {
        let nodes = nodes_by_island.get(&ii).cloned().unwrap_or_default();
        let mut report = IslandReport { island: island.id.0.clone(), nodes: nodes.len(), ..Default::default() };
        let roots: HashSet<i64> = nodes.iter().map(|&n| comp.root(n)).collect();
        report.components = roots.len();
        report.segments = segments.iter().filter(|s| s.island == ii).count();
        let mut reached: HashSet<i64> = HashSet::new();
        let mut snapped: Vec<(String, i64)> = Vec::new();
        // an earlier import's road nodes are not places to attach (they are replaced)
        let places = region.places.iter().filter(|p| p.island == island.id && !p.id.0.starts_with(PREFIX));
        for place in places {
            report.places += 1;
            let nearest = nodes
                .iter()
                .map(|&n| (haversine_m((place.lon, place.lat), data.nodes[&n]), n))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            match nearest {
                Some((m, n)) if m <= SNAP_MAX_M => {
                    reached.insert(comp.root(n));
                    snapped.push((place.id.0.clone(), n));
                    imp.snaps.push(Snap { place: place.id.0.clone(), node: n, metres: m, class: class_at[&n].clone() });
                }
                _ => report.unsnapped.push(place.id.0.clone()),
            }
        }
        report.components_left_out = roots.len() - reached.len();
        if reached.len() == 1 {
            report.one_way_cut = one_way_cut(segments.iter().filter(|s| s.island == ii), &snapped);
        }
        report.replaces_generated = report.places > 0 && report.unsnapped.is_empty() && reached.len() == 1 && report.one_way_cut.is_empty();
        kept_roots.extend(reached);
        imp.islands.push(report);
    }
    for s in segments {
        if kept_roots.contains(&comp.root(s.from)) {
            for n in [s.from, s.to] {
                let (lon, lat) = data.nodes[&n];
                imp.junctions.insert(n, (lon, lat, s.island));
            }
            imp.segments.push(s);
        }
    }
}

/// The places (of `snapped`: place, node) a car cannot drive to from the first one, or back
/// from, over `segments` driven as their `oneway` says (the connectors go both ways).
fn one_way_cut<'s>(segments: impl Iterator<Item = &'s Segment>, snapped: &[(String, i64)]) -> Vec<String> {
    let (mut out, mut back): (HashMap<i64, Vec<i64>>, HashMap<i64, Vec<i64>>) = Default::default();
    for s in segments {
        out.entry(s.from).or_default().push(s.to);
        back.entry(s.to).or_default().push(s.from);
        if !s.oneway {
            out.entry(s.to).or_default().push(s.from);
            back.entry(s.from).or_default().push(s.to);
        }
    }
    let Some(&(_, first)) = snapped.first() else { return Vec::new() };
    let reach = |adj: &HashMap<i64, Vec<i64>>| {
        let mut seen: HashSet<i64> = HashSet::from([first]);
        let mut stack = vec![first];
        while let Some(v) = stack.pop() {
            for &w in adj.get(&v).into_iter().flatten() {
                if seen.insert(w) {
                    stack.push(w);
                }
            }
        }
        seen
    };
    let (to, from) = (reach(&out), reach(&back));
    snapped.iter().filter(|(_, n)| !(to.contains(n) && from.contains(n))).map(|(p, _)| p.clone()).collect()
}

/// The class of the fastest-numbered road at each node (the class a connector takes).
fn node_classes(segments: &[Segment]) -> HashMap<i64, String> {
    let mut out: HashMap<i64, String> = HashMap::new();
    for s in segments {
        for n in [s.from, s.to] {
            out.entry(n).or_insert_with(|| s.class.clone());
        }
    }
    out
}

/// Union-find over the segments' nodes.
struct Components {
    parent: HashMap<i64, i64>,
}

impl Components {
    fn of(segments: &[Segment]) -> Components {
        let mut c = Components { parent: HashMap::new() };
        for s in segments {
            let (a, b) = (c.find(s.from), c.find(s.to));
            if a != b {
                c.parent.insert(a.max(b), a.min(b));
            }
        }
        c
    }

    fn find(&mut self, n: i64) -> i64 {
        let mut r = *self.parent.entry(n).or_insert(n);
        while self.parent[&r] != r {
            r = self.parent[&r];
        }
        // path compression for the next caller
        let mut x = n;
        while self.parent[&x] != r {
            let next = self.parent[&x];
            self.parent.insert(x, r);
            x = next;
        }
        r
    }

    fn root(&self, n: i64) -> i64 {
        let mut r = n;
        while let Some(&p) = self.parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        r
    }
}

/// Point → island, with each island's bounding box first (most points are in none).
struct IslandFinder<'r> {
    region: &'r Region,
    boxes: Vec<(f64, f64, f64, f64)>,
}

impl<'r> IslandFinder<'r> {
    fn new(region: &'r Region) -> Self {
        // the box grows by the slack (about 0.001° per 100 m at these latitudes)
        let pad = COAST_SLACK_M / 90_000.0;
        let boxes = region
            .islands
            .iter()
            .map(|i| match i.shape.bounding_rect() {
                Some(r) => (r.min().x - pad, r.min().y - pad, r.max().x + pad, r.max().y + pad),
                None => (f64::NAN, f64::NAN, f64::NAN, f64::NAN),
            })
            .collect();
        IslandFinder { region, boxes }
    }

    /// The island holding the point, else the nearest within [`COAST_SLACK_M`].
    fn find(&self, lon: f64, lat: f64) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (i, b) in self.boxes.iter().enumerate() {
            if !(lon >= b.0 && lon <= b.2 && lat >= b.1 && lat <= b.3) {
                continue;
            }
            let off = metres_outside(&self.region.islands[i].shape, lon, lat);
            if off == 0.0 {
                return Some(i);
            }
            if off <= COAST_SLACK_M && best.is_none_or(|(d, _)| off < d) {
                best = Some((off, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// A ferry way, matched to the pack's piers at its ends.
fn ferry_candidate(region: &Region, data: &OsmData, way: &Way) -> Option<FerryCandidate> {
    let first = way.nodes.iter().find_map(|n| data.nodes.get(n))?;
    let last = way.nodes.iter().rev().find_map(|n| data.nodes.get(n))?;
    let pier = |p: (f64, f64)| {
        region
            .places
            .iter()
            .filter(|pl| pl.kind == PlaceKind::Pier)
            .map(|pl| (pl.id.0.clone(), haversine_m(p, (pl.lon, pl.lat))))
            .filter(|(_, m)| *m <= FERRY_PIER_M)
            .min_by(|a, b| a.1.total_cmp(&b.1))
    };
    let piers = [pier(*first), pier(*last)];
    let existing_route = match &piers {
        [Some((a, _)), Some((b, _))] => region
            .ferry_routes
            .iter()
            .find(|r| (r.from.0 == *a && r.to.0 == *b) || (r.from.0 == *b && r.to.0 == *a))
            .map(|r| r.id.0.clone()),
        _ => None,
    };
    let name = way.tag("name:en").or(way.tag("name")).unwrap_or_default().to_owned();
    Some(FerryCandidate { way: way.id, name, ends: [*first, *last], piers, existing_route })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(from: i64, to: i64, oneway: bool) -> Segment {
        Segment {
            way: 1,
            part: 1,
            from,
            to,
            island: 0,
            length_m: 100.0,
            highway: "residential".into(),
            class: "urban".into(),
            oneway,
            structure: "",
        }
    }

    #[test]
    fn places_the_one_way_streets_cut_off_are_named() {
        let places = |nodes: &[i64]| nodes.iter().map(|&n| (format!("p{n}"), n)).collect::<Vec<_>>();
        // A one-way loop 1 → 2 → 3 → 1 joins everything; a one-way spur 3 → 4 does not.
        let roads = [seg(1, 2, true), seg(2, 3, true), seg(3, 1, true), seg(3, 4, true)];
        assert!(one_way_cut(roads.iter(), &places(&[1, 2, 3])).is_empty());
        assert_eq!(one_way_cut(roads.iter(), &places(&[1, 2, 4])), ["p4"]);
        // The spur driven both ways joins it; a dead end into the first place cuts it off.
        let roads = [seg(1, 2, true), seg(2, 3, true), seg(3, 1, true), seg(3, 4, false)];
        assert!(one_way_cut(roads.iter(), &places(&[1, 4])).is_empty());
        assert_eq!(one_way_cut([seg(5, 1, true)].iter(), &places(&[1, 5])), ["p5"]);
    }
}

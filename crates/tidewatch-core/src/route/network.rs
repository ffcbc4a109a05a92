//! The travel-time network: road and bridge edges in compressed sparse rows (seconds as
//! integers), plus the small time-dependent overlay of ferry arcs between piers.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;
use geo::MultiPolygon;

use crate::geo_math::{haversine_m, land_of};
use crate::region::{DayType, HolidayCalendar, Region, VesselClass};
use crate::time::Seconds;

pub type NodeIx = u32;
pub const NO_BRIDGE: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Node {
    pub lon: f64,
    pub lat: f64,
    pub island: u32,
    pub pier: bool,
}

#[derive(Debug, Clone)]
pub struct BridgeLink {
    pub id: String,
    pub close_wind_force: Option<u8>,
    /// First UTC second the bridge may be used (its opening); `None`: always.
    pub opened_at: Option<i64>,
}

/// One direction of a ferry route, with its departures per day type.
#[derive(Debug, Clone)]
pub struct FerryArc {
    pub route_id: String,
    pub from: NodeIx,
    pub to: NodeIx,
    pub vessel: VesselClass,
    /// Crossing plus disembarking.
    pub crossing_s: u32,
    /// Local clock times, seconds after local midnight (00:00–23:59 from a pack), sorted,
    /// indexed by [`DayType::index`]. See [`ServiceDays`] for how a clock time becomes an
    /// instant on a day the clocks change.
    pub departures: [Vec<u32>; 3],
    pub stop_wind_force: u8,
    pub stop_visibility_m: u32,
}

#[derive(Debug, Clone)]
pub struct IslandArea {
    pub id: String,
    pub shape: MultiPolygon<f64>,
    /// `shape` with its holes filled: holes count as land (see `geo_math::land_of`).
    pub land: MultiPolygon<f64>,
}

/// Police-boat model: straight line × detour at the boat's speed, plus landing when it
/// puts in at a pier.
#[derive(Debug, Clone)]
pub struct BoatModel {
    pub detour_factor: f64,
    pub landing_s: u32,
    pub stop_wind_force: u8,
}

impl BoatModel {
    /// Sailing from `a` to the pier at `b` and landing there.
    pub fn seconds(&self, a: (f64, f64), b: (f64, f64), speed_kmh: f64) -> u32 {
        self.sail_s(a, b, speed_kmh).saturating_add(self.landing_s)
    }

    /// Sailing from `a` to a point `b` at sea: no landing (the rescue is on the water).
    pub fn sail_s(&self, a: (f64, f64), b: (f64, f64), speed_kmh: f64) -> u32 {
        Seconds::travel(haversine_m(a, b) * self.detour_factor, speed_kmh).0
    }
}

/// A network ready for routing. Built from a [`Region`] or, in tests and benchmarks,
/// with [`NetworkBuilder`] directly.
#[derive(Debug, Clone)]
pub struct Network {
    pub nodes: Vec<Node>,
    /// External id of each node (the place id).
    pub node_ids: Vec<String>,
    first_edge: Vec<u32>,
    edge_to: Vec<NodeIx>,
    edge_secs: Vec<u32>,
    edge_bridge: Vec<u32>,
    /// Seconds on foot along each edge (the last leg from a landing pier, `walk.rs`).
    edge_walk: Vec<u32>,
    /// Which ways each edge may be driven ([`DRIVE_OUT`], [`DRIVE_IN`]). Every link is
    /// stored at both ends, so one-way streets stay walkable both ways.
    edge_drive: Vec<u8>,
    /// Some road is one-way: searches towards a node differ from searches from it.
    one_way: bool,
    pub bridges: Vec<BridgeLink>,
    pub ferries: Vec<FerryArc>,
    ferries_from: HashMap<NodeIx, Vec<u32>>,
    pub piers: Vec<NodeIx>,
    pub islands: Vec<IslandArea>,
    pub island_nodes: Vec<Vec<NodeIx>>,
    pub tz: Tz,
    pub calendar: HolidayCalendar,
    pub boat: BoatModel,
    pub access_speed_kmh: f64,
    pub snap_max_m: f64,
    /// The last leg from a landing pier: on foot, unless the island has a vehicle.
    pub last_leg: super::last_leg::LastLegModel,
    /// Bridges and ferry routes the region pack itself closes (`status = closed`): shut
    /// whatever the weather or the dispatcher's conditions say.
    pub closed_in_pack: Vec<String>,
}

/// The edge stored at `u` towards `v` may be driven from `u` to `v`.
pub const DRIVE_OUT: u8 = 1;
/// The edge stored at `u` towards `v` may be driven from `v` to `u`.
pub const DRIVE_IN: u8 = 2;

/// An edge as seen while searching.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub index: u32,
    pub to: NodeIx,
    pub secs: u32,
    pub bridge: u32,
}

impl Network {
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edge_to.len()
    }

    /// The edges a vehicle may drive out of `n` (`to` is where it gets).
    #[inline]
    pub fn edges(&self, n: NodeIx) -> impl Iterator<Item = Edge> + '_ {
        self.edges_with(n, DRIVE_OUT)
    }

    /// The edges a vehicle may drive into `n` (`to` is where it comes from): the steps of a
    /// backward search, which gives every node's time *to* `n`.
    #[inline]
    pub fn edges_in(&self, n: NodeIx) -> impl Iterator<Item = Edge> + '_ {
        self.edges_with(n, DRIVE_IN)
    }

    /// Every edge at `n`, whatever its direction: on foot a one-way street goes both ways.
    #[inline]
    pub fn walk_edges(&self, n: NodeIx) -> impl Iterator<Item = Edge> + '_ {
        self.edges_with(n, DRIVE_OUT | DRIVE_IN)
    }

    /// The edges at `n` usable `way`: [`DRIVE_OUT`], [`DRIVE_IN`] or both (on foot).
    #[inline]
    pub fn edges_with(&self, n: NodeIx, way: u8) -> impl Iterator<Item = Edge> + '_ {
        let (a, b) = (self.first_edge[n as usize], self.first_edge[n as usize + 1]);
        (a..b).filter(move |&e| self.edge_drive[e as usize] & way != 0).map(move |e| self.edge(e))
    }

    /// Some road may be driven one way only.
    pub fn has_one_way(&self) -> bool {
        self.one_way
    }

    /// Seconds on foot along edge `e`.
    #[inline]
    pub fn edge_walk_s(&self, e: u32) -> u32 {
        self.edge_walk[e as usize]
    }

    pub fn edge(&self, e: u32) -> Edge {
        Edge { index: e, to: self.edge_to[e as usize], secs: self.edge_secs[e as usize], bridge: self.edge_bridge[e as usize] }
    }

    pub fn ferries_from(&self, n: NodeIx) -> &[u32] {
        self.ferries_from.get(&n).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn pos(&self, n: NodeIx) -> (f64, f64) {
        let node = &self.nodes[n as usize];
        (node.lon, node.lat)
    }

    pub fn from_region(region: &Region) -> Network {
        let d = &region.meta.defaults;
        let mut b = NetworkBuilder::new(
            region.meta.time_zone,
            region.holidays.clone(),
            BoatModel { detour_factor: d.boat_detour_factor, landing_s: d.boat_landing.0, stop_wind_force: d.boat_stop_wind_force },
        );
        b.access_speed_kmh = d.access_speed_kmh;
        b.snap_max_m = d.snap_max_m;
        b.walk_speed_kmh = d.walk_speed_kmh;
        for island in &region.islands {
            b.add_island(island.id.0.clone(), island.shape.clone());
        }
        let ix = |id: &crate::ids::PlaceId| region.place_index(id).expect("validated pack") as NodeIx;
        for p in &region.places {
            let island = region.island_index(&p.island).expect("validated pack") as u32;
            b.add_node(p.id.0.clone(), p.lon, p.lat, island, p.kind == crate::region::PlaceKind::Pier);
        }
        for r in &region.roads {
            b.add_road_walk(ix(&r.from), ix(&r.to), r.time.0, Seconds::travel(r.length_m, d.walk_speed_kmh).0);
            if r.one_way {
                b.one_way_last();
            }
        }
        let tz = region.meta.time_zone;
        for br in &region.bridges {
            // A date past the calendar's end never comes: the bridge is never usable.
            let opened_at = br.opened.map(|o| o.usable_from().map_or(i64::MAX, |d| local_instant(tz, d.and_time(NaiveTime::MIN))));
            b.add_bridge(br.id.0.clone(), ix(&br.from), ix(&br.to), br.time.0, br.close_wind_force, opened_at);
            b.set_last_walk_s(Seconds::travel(br.length_m, d.walk_speed_kmh).0);
        }
        for i in super::last_leg::islands_without_vehicle(region) {
            b.without_vehicle(i);
        }
        for route in &region.ferry_routes {
            for (from, to) in [(&route.from, &route.to), (&route.to, &route.from)] {
                let mut departures: [Vec<u32>; 3] = Default::default();
                for s in region.sailings.iter().filter(|s| s.route == route.id && &s.from == from) {
                    for dt in &s.day_types {
                        departures[dt.index()].push(s.depart.0);
                    }
                }
                b.add_ferry(FerryArc {
                    route_id: route.id.0.clone(),
                    from: ix(from),
                    to: ix(to),
                    vessel: route.vessel,
                    crossing_s: route.crossing.0.saturating_add(d.ferry_disembark.0),
                    departures,
                    stop_wind_force: route.stop_wind_force,
                    stop_visibility_m: route.stop_visibility_m,
                });
            }
        }
        let mut net = b.build();
        net.closed_in_pack = region
            .bridges
            .iter()
            .filter(|b| b.status.is_closed())
            .map(|b| b.id.0.clone())
            .chain(region.ferry_routes.iter().filter(|f| f.status.is_closed()).map(|f| f.id.0.clone()))
            .collect();
        net
    }
}

/// A road or bridge between `a` and `b`, driven both ways unless `one_way` (then `a` → `b`).
#[derive(Debug, Clone, Copy)]
struct Link {
    a: NodeIx,
    b: NodeIx,
    secs: u32,
    bridge: u32,
    walk_s: u32,
    one_way: bool,
}

/// Assembles a [`Network`]: add nodes, roads (two-way unless made one-way) and bridges,
/// ferry arcs; `build`.
pub struct NetworkBuilder {
    nodes: Vec<Node>,
    node_ids: Vec<String>,
    links: Vec<Link>,
    no_vehicle: Vec<u32>,
    bridges: Vec<BridgeLink>,
    ferries: Vec<FerryArc>,
    islands: Vec<IslandArea>,
    tz: Tz,
    calendar: HolidayCalendar,
    boat: BoatModel,
    pub access_speed_kmh: f64,
    pub snap_max_m: f64,
    pub walk_speed_kmh: f64,
}

impl NetworkBuilder {
    pub fn new(tz: Tz, calendar: HolidayCalendar, boat: BoatModel) -> Self {
        NetworkBuilder {
            nodes: Vec::new(),
            node_ids: Vec::new(),
            links: Vec::new(),
            no_vehicle: Vec::new(),
            bridges: Vec::new(),
            ferries: Vec::new(),
            islands: Vec::new(),
            tz,
            calendar,
            boat,
            access_speed_kmh: 20.0,
            snap_max_m: 3000.0,
            walk_speed_kmh: super::last_leg::DEFAULT_WALK_SPEED_KMH,
        }
    }

    pub fn add_island(&mut self, id: String, shape: MultiPolygon<f64>) -> u32 {
        let land = land_of(&shape);
        self.islands.push(IslandArea { id, shape, land });
        self.islands.len() as u32 - 1
    }

    pub fn add_node(&mut self, id: String, lon: f64, lat: f64, island: u32, pier: bool) -> NodeIx {
        self.nodes.push(Node { lon, lat, island, pier });
        self.node_ids.push(id);
        self.nodes.len() as NodeIx - 1
    }

    /// A road whose length is unknown: on foot it takes [`super::last_leg::WALK_FACTOR`] × its
    /// driving time (a small-island road driven at about 22 km/h, walked at 5).
    pub fn add_road(&mut self, a: NodeIx, b: NodeIx, secs: u32) {
        self.add_road_walk(a, b, secs, secs.saturating_mul(super::last_leg::WALK_FACTOR));
    }

    pub fn add_road_walk(&mut self, a: NodeIx, b: NodeIx, secs: u32, walk_s: u32) {
        self.links.push(Link { a, b, secs, bridge: NO_BRIDGE, walk_s, one_way: false });
    }

    /// A one-way road: driven from `a` to `b` only (walked both ways).
    pub fn add_one_way_road(&mut self, a: NodeIx, b: NodeIx, secs: u32) {
        self.add_road(a, b, secs);
        self.one_way_last();
    }

    /// Makes roads (not bridges) one-way where `choose` says: `None` leaves a road two-way,
    /// `Some(reversed)` lets it be driven from its first node to its second, or the other
    /// way when `reversed`. For generated networks.
    pub fn one_way_roads(&mut self, mut choose: impl FnMut() -> Option<bool>) {
        for l in self.links.iter_mut().filter(|l| l.bridge == NO_BRIDGE) {
            if let Some(reversed) = choose() {
                if reversed {
                    std::mem::swap(&mut l.a, &mut l.b);
                }
                l.one_way = true;
            }
        }
    }

    /// Sets the time on foot of the link added last.
    pub fn set_last_walk_s(&mut self, walk_s: u32) {
        if let Some(l) = self.links.last_mut() {
            l.walk_s = walk_s;
        }
    }

    /// The link added last may be driven only from its first node to its second.
    pub fn one_way_last(&mut self) {
        if let Some(l) = self.links.last_mut() {
            l.one_way = true;
        }
    }

    /// No vehicle is stationed on `island`: crews landed there by boat go on foot.
    pub fn without_vehicle(&mut self, island: u32) {
        self.no_vehicle.push(island);
    }

    /// `opened_at`: the first UTC second the bridge may be used (`None`: always).
    pub fn add_bridge(&mut self, id: String, a: NodeIx, b: NodeIx, secs: u32, close_wind_force: Option<u8>, opened_at: Option<i64>) {
        self.bridges.push(BridgeLink { id, close_wind_force, opened_at });
        let walk_s = secs.saturating_mul(super::last_leg::WALK_FACTOR);
        self.links.push(Link { a, b, secs, bridge: self.bridges.len() as u32 - 1, walk_s, one_way: false });
    }

    pub fn add_ferry(&mut self, mut arc: FerryArc) {
        for d in &mut arc.departures {
            d.sort_unstable();
            d.dedup();
        }
        self.ferries.push(arc);
    }

    pub fn build(self) -> Network {
        let n = self.nodes.len();
        let mut degree = vec![0u32; n + 1];
        for l in &self.links {
            degree[l.a as usize] += 1;
            degree[l.b as usize] += 1;
        }
        let mut first_edge = vec![0u32; n + 1];
        for i in 0..n {
            first_edge[i + 1] = first_edge[i] + degree[i];
        }
        let m = first_edge[n] as usize;
        let (mut edge_to, mut edge_secs, mut edge_bridge) = (vec![0; m], vec![0; m], vec![NO_BRIDGE; m]);
        let (mut edge_walk, mut edge_drive) = (vec![0; m], vec![0u8; m]);
        let mut fill = first_edge.clone();
        for l in &self.links {
            // Stored at `a` it is driven out, at `b` in; two-way roads both at both ends.
            let both = if l.one_way { 0 } else { DRIVE_OUT | DRIVE_IN };
            for (u, v, drive) in [(l.a, l.b, DRIVE_OUT | both), (l.b, l.a, DRIVE_IN | both)] {
                let e = fill[u as usize] as usize;
                fill[u as usize] += 1;
                edge_to[e] = v;
                edge_secs[e] = l.secs;
                edge_bridge[e] = l.bridge;
                edge_walk[e] = l.walk_s;
                edge_drive[e] = drive;
            }
        }
        let one_way = self.links.iter().any(|l| l.one_way);
        let mut ferries_from: HashMap<NodeIx, Vec<u32>> = HashMap::new();
        for (i, f) in self.ferries.iter().enumerate() {
            ferries_from.entry(f.from).or_default().push(i as u32);
        }
        let mut island_nodes =
            vec![Vec::new(); self.islands.len().max(1 + self.nodes.iter().map(|x| x.island as usize).max().unwrap_or(0))];
        for (i, node) in self.nodes.iter().enumerate() {
            island_nodes[node.island as usize].push(i as NodeIx);
        }
        let piers = (0..n as NodeIx).filter(|&i| self.nodes[i as usize].pier).collect();
        let last_leg = super::last_leg::LastLegModel::new(self.walk_speed_kmh, self.access_speed_kmh, island_nodes.len(), &self.no_vehicle);
        Network {
            nodes: self.nodes,
            node_ids: self.node_ids,
            first_edge,
            edge_to,
            edge_secs,
            edge_bridge,
            edge_walk,
            edge_drive,
            one_way,
            bridges: self.bridges,
            ferries: self.ferries,
            ferries_from,
            piers,
            islands: self.islands,
            island_nodes,
            tz: self.tz,
            calendar: self.calendar,
            boat: self.boat,
            access_speed_kmh: self.access_speed_kmh,
            snap_max_m: self.snap_max_m,
            last_leg,
            closed_in_pack: Vec::new(),
        }
    }
}

/// The instant (UTC seconds) a local clock reading names in `tz`. When the clocks go
/// back and the reading happens twice, the earlier; when they go forward and the reading
/// never happens (it is in the gap), the first instant after the gap. Local midnights,
/// sailings and bridge openings all become instants this one way.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> i64 {
    // One conversion for the whole core (`time::local_to_utc`); it fails only beyond
    // chrono's range, where the reading is taken as UTC rather than refused mid-search.
    crate::time::local_to_utc(tz, local).map_or_else(|| local.and_utc().timestamp(), |t| t.timestamp())
}

/// One local day of the timetable look-ahead.
#[derive(Debug, Clone)]
struct ServiceDay {
    date: NaiveDate,
    /// The instant the local day begins (its midnight, or the first instant after a gap
    /// that swallows midnight).
    start: i64,
    day_type: DayType,
    /// The UTC offset is the same all day (checked hourly), so a clock time `d` is
    /// `start + d`: the common case, without time-zone lookups inside the search.
    steady: bool,
}

impl ServiceDay {
    fn new(tz: Tz, date: NaiveDate, day_type: DayType) -> ServiceDay {
        let start = local_instant(tz, date.and_time(NaiveTime::MIN));
        let midnight = date.and_time(NaiveTime::MIN);
        let reading = |u: i64| tz.timestamp_opt(u, 0).single().map(|d| (d.naive_local(), d.offset().fix().local_minus_utc()));
        let offset = |u: i64| reading(u).map(|(_, o)| o);
        // Steady: the day starts at a real midnight (not after a gap) and keeps its offset.
        let steady = reading(start).is_some_and(|(l, _)| l == midnight) && (1..=24).all(|h| offset(start + h * 3600) == offset(start));
        ServiceDay { date, start, day_type, steady }
    }

    /// The instant of local clock time `d` (seconds after midnight) on this day.
    #[inline]
    fn at(&self, tz: Tz, d: u32) -> i64 {
        if self.steady && d < 86_400 {
            return self.start + d as i64;
        }
        let local = self.date.and_time(NaiveTime::MIN).checked_add_signed(chrono::Duration::seconds(d as i64));
        local.map_or(i64::MAX, |l| local_instant(tz, l))
    }
}

/// The timetable days a query may use: the query's local day and the
/// [`SERVICE_DAYS_AHEAD`] days after it, each with its day type and the instants its
/// clock times name, so that timetable lookups are cheap inside the search.
#[derive(Debug, Clone)]
pub struct ServiceDays {
    tz: Tz,
    days: Vec<ServiceDay>,
}

/// How many local days after the query day a search looks for sailings.
pub const SERVICE_DAYS_AHEAD: u64 = 3;

impl ServiceDays {
    pub fn around(net: &Network, t: i64) -> ServiceDays {
        let tz = net.tz;
        // Out of chrono's range there is no local day, hence no sailing.
        let today = tz.timestamp_opt(t, 0).single().map(|d| d.date_naive());
        let days = today
            .into_iter()
            .flat_map(|today| (0..=SERVICE_DAYS_AHEAD).filter_map(move |k| today.checked_add_days(chrono::Days::new(k))))
            .map(|date| ServiceDay::new(tz, date, net.calendar.day_type(date)))
            .collect();
        ServiceDays { tz, days }
    }

    /// The first departure of `arc` at or after `t`, if any within the days covered. Each
    /// sailing leaves at its local clock time on its day ([`local_instant`]), so on the
    /// day the clocks change the later sailings keep their clock times.
    #[inline]
    pub fn next_departure(&self, arc: &FerryArc, t: i64) -> Option<i64> {
        let mut best: Option<i64> = None;
        for day in &self.days {
            // A later day's sailings are no earlier than its start.
            if best.is_some_and(|b| b <= day.start) {
                break;
            }
            let deps = &arc.departures[day.day_type.index()];
            // Clock time to instant is monotone, so the instants are sorted too.
            let i = deps.partition_point(|&d| day.at(self.tz, d) < t);
            if let Some(&d) = deps.get(i) {
                let u = day.at(self.tz, d);
                best = Some(best.map_or(u, |b| b.min(u)));
            }
        }
        best
    }
}

//! A unit moved along a real trip (roads, bridges, ferry crossings, a boat's sailing) for
//! `tidewatch field simulate` and the load benchmark: where it is at a moment. Pure.

use crate::rng::Rng;
use crate::route::{fastest_trip, Conditions, Destination, Network, Passable, ServiceDays, StepKind, Trip, UnitStart};

/// A wandering unit's next trip is at most this long (a later sailing is not waited for).
const MAX_TRIP_S: u32 = 3 * 3600;

/// A trip as timed waypoints; between two, the unit moves in a straight line.
#[derive(Debug, Clone, PartialEq)]
pub struct Drive {
    /// (unix seconds, lon, lat), in time order.
    points: Vec<(i64, f64, f64)>,
}

impl Drive {
    /// The trip's waypoints from `start` (the unit's position when it set off).
    pub fn of(net: &Network, trip: &Trip, start: (f64, f64)) -> Drive {
        let mut points = vec![(trip.depart, start.0, start.1)];
        for s in &trip.steps {
            let (a, b) = (net.pos(s.from), s.to.map(|n| net.pos(n)));
            points.push((s.start, a.0, a.1));
            if let StepKind::Ferry { depart, .. } = s.kind {
                // Waiting at the pier until the sailing.
                points.push((depart, a.0, a.1));
            }
            if let Some(b) = b {
                points.push((s.end, b.0, b.1));
            }
        }
        Drive { points }
    }

    /// A trip from `node` at `t` to a random road node (a pier, for a boat: `boat_speed_kmh`)
    /// in calm weather; staying put when ten draws find nothing within three hours.
    pub fn wander(net: &Network, boat_speed_kmh: Option<f64>, node: u32, t: i64, rng: &mut Rng) -> Drive {
        let start = UnitStart { node, offset_s: 0, boat_speed_kmh, at_sea: None };
        let stay = || Drive { points: vec![(t, net.pos(node).0, net.pos(node).1)] };
        let Ok(pass) = Passable::new(net, &Conditions::default(), t) else { return stay() };
        let days = ServiceDays::around(net, t);
        for _ in 0..10 {
            let to = match boat_speed_kmh {
                Some(_) if !net.piers.is_empty() => net.piers[rng.below(net.piers.len())],
                _ => rng.below(net.node_count()) as u32,
            };
            let dest = Destination::Node { node: to, access_s: 0 };
            if let Some(trip) = fastest_trip(net, &pass, &days, &start, t, &dest).filter(|tr| tr.eta_s <= MAX_TRIP_S && to != node) {
                return Drive::of(net, &trip, net.pos(node));
            }
        }
        stay()
    }

    /// Where the trip ends: its last road node.
    pub fn end_node(&self, net: &Network) -> u32 {
        let (_, lon, lat) = self.points.last().copied().unwrap_or((0, 0.0, 0.0));
        (0..net.node_count() as u32).find(|&n| net.pos(n) == (lon, lat)).unwrap_or(0)
    }

    /// When the trip ends.
    pub fn ends(&self) -> i64 {
        self.points.last().map(|p| p.0).unwrap_or(i64::MIN)
    }

    /// Where the unit is at `t` (its start before, its end after) and its bearing (degrees
    /// from north) and speed (km/h) on the segment it is on.
    pub fn at(&self, t: i64) -> (f64, f64, f64, f64) {
        let Some(i) = self.points.iter().position(|p| p.0 > t) else {
            let last = self.points.last().copied().unwrap_or((t, 0.0, 0.0));
            return (last.1, last.2, 0.0, 0.0);
        };
        if i == 0 {
            return (self.points[0].1, self.points[0].2, 0.0, 0.0);
        }
        let (a, b) = (self.points[i - 1], self.points[i]);
        let f = (t - a.0) as f64 / (b.0 - a.0).max(1) as f64;
        let (lon, lat) = (a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f);
        let m = crate::geo_math::haversine_m((a.1, a.2), (b.1, b.2));
        let speed = m / (b.0 - a.0).max(1) as f64 * 3.6;
        let bearing = ((b.1 - a.1) * a.2.to_radians().cos()).atan2(b.2 - a.2).to_degrees().rem_euclid(360.0);
        (lon, lat, bearing, speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;
    use crate::route::{fastest_trip, locate, Conditions, Destination, Passable, ServiceDays, UnitStart};

    #[test]
    fn a_drive_over_a_ferry_waits_at_the_pier_then_crosses() {
        let region = Region::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai")).unwrap();
        let net = Network::from_region(&region);
        let t0 = 1_780_804_800;
        let (pass, days) = (Passable::new(&net, &Conditions::default(), t0).unwrap(), ServiceDays::around(&net, t0));
        let from = region.place_index(&"ps_lincheng".into()).unwrap() as u32;
        let to = region.place_index(&"post_panzhi".into()).unwrap() as u32;
        let start = UnitStart { node: from, offset_s: 0, boat_speed_kmh: None, at_sea: None };
        let trip = fastest_trip(&net, &pass, &days, &start, t0, &Destination::Node { node: to, access_s: 0 }).unwrap();
        let drive = Drive::of(&net, &trip, net.pos(from));
        assert_eq!(drive.at(t0 - 10).0, net.pos(from).0);
        assert_eq!((drive.at(drive.ends() + 10).0, drive.at(drive.ends() + 10).1), net.pos(to));
        let ferry = trip.steps.iter().find_map(|s| match s.kind {
            StepKind::Ferry { depart, .. } => Some((s.from, s.start, depart, s.end)),
            _ => None,
        });
        let (pier, arrive, depart, land) = ferry.expect("Panzhi is over the water");
        if depart > arrive + 1 {
            let waiting = drive.at((arrive + depart) / 2);
            assert_eq!(((waiting.0, waiting.1), waiting.3), (net.pos(pier), 0.0), "waits at the pier");
        }
        let crossing = drive.at((depart + land) / 2);
        assert!(locate(&net, crossing.0, crossing.1).at_sea, "mid-crossing is on the water");
        // Every moment is somewhere believable: never further from the last point than its speed allows.
        let mut last = drive.at(t0);
        for t in (t0..drive.ends()).step_by(5) {
            let now = drive.at(t);
            assert!(crate::geo_math::haversine_m((last.0, last.1), (now.0, now.1)) < 5.0 * 60.0, "at {t}");
            last = now;
        }
    }
}

//! A seat's share of the leader's planning: a station's leader rosters the officers of its
//! own units and sees the reach of its own islands; the traffic squadron's, its traffic
//! units' officers; the centre (and a desk on its own journal), everyone and everything.
//! The calls the demand learns from are scoped where they are served (the service answers
//! a seat only its area's calls, `source.rs`), so a seat cannot widen its scope here.

use tidewatch_core::dispatch::seat::{station_for, Seat};
use tidewatch_core::ids::IslandId;
use tidewatch_core::region::{Officer, Region};
use tidewatch_plan::roster::PlanConfig;

/// Leaves every officer outside `seat`'s scope out of the plan (as absent).
pub(super) fn plan_only_own_officers(region: &Region, seat: &Seat, config: &mut PlanConfig) {
    if seat.is_centre() {
        return;
    }
    for officer in region.officers.iter().filter(|o| !owns_officer(region, seat, o)) {
        config.officers.entry(officer.id.as_str().to_string()).or_default().absent = true;
    }
}

/// An officer is the seat's when the unit they crew is; one without a unit, when their
/// home island is a station's own (the traffic squadron's officers crew its units).
fn owns_officer(region: &Region, seat: &Seat, officer: &Officer) -> bool {
    match (&officer.unit, seat) {
        (Some(unit), _) => region.unit(unit).is_some_and(|u| seat.owns_unit(region, u)),
        (None, Seat::Station(_)) => owns_island(region, seat, &officer.home_island),
        (None, Seat::Traffic) => false,
        (None, Seat::Centre) => true,
    }
}

/// Whether any of `island`'s places is in `seat`'s area (a station's: the island's places
/// whose nearest station it is). The traffic squadron works every island's roads.
pub(super) fn owns_island(region: &Region, seat: &Seat, island: &IslandId) -> bool {
    let Seat::Station(station) = seat else { return true };
    region
        .places
        .iter()
        .filter(|p| &p.island == island)
        .any(|p| station_for(region, p.lon, p.lat, Some(p.island.0.as_str())).is_some_and(|s| &s.id == station))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dinghai() -> Region {
        Region::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai")).expect("the Dinghai pack")
    }

    #[test]
    fn a_station_plans_its_own_officers_and_the_centre_everyone() {
        let region = dinghai();
        let jintang = Seat::Station("ps_jintang".into());
        let mut config = PlanConfig::default();
        plan_only_own_officers(&region, &Seat::Centre, &mut config);
        assert!(config.officers.values().all(|o| !o.absent), "the centre plans everyone");
        plan_only_own_officers(&region, &jintang, &mut config);
        let planned: Vec<&Officer> =
            region.officers.iter().filter(|o| !config.officers.get(o.id.as_str()).is_some_and(|s| s.absent)).collect();
        assert!(!planned.is_empty() && planned.len() < region.officers.len(), "{} of {}", planned.len(), region.officers.len());
        assert!(planned.iter().all(|o| o.home_island.0 == "jintang"), "金塘's officers live on 金塘");
        assert!(owns_island(&region, &jintang, &"jintang".into()) && !owns_island(&region, &jintang, &"panzhi".into()));
    }
}

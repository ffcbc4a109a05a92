//! Where a dispatched unit's trip started, as the journal records it with the dispatch
//! (`DispatchPlan::from`): the GPS fix it was routed from, or its last known place. The
//! journal's own words, mapped from the core's `StartFrom` here, so a renamed domain field
//! never changes what is written.

use serde::{Deserialize, Serialize};
use tidewatch_core::dispatch::{FixSource, IgnoredFix, StartBasis, StartFrom};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StartRecord {
    /// `gps` or `last_known`.
    pub basis: String,
    /// The place (road node) the trip was routed from.
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fix: Option<FixRecord>,
    /// Why the fix was not used: `stale`, `future`, `at_sea`, `invalid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ignored: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub afloat: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ferry_route: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct FixRecord {
    pub lon: f64,
    pub lat: f64,
    pub fix_utc: i64,
    pub age_s: i64,
    /// `osmand` or `owntracks`.
    pub source: String,
}

impl From<&StartFrom> for StartRecord {
    fn from(f: &StartFrom) -> StartRecord {
        StartRecord {
            basis: match f.basis {
                StartBasis::Gps => "gps",
                StartBasis::LastKnown => "last_known",
            }
            .into(),
            place: f.place.clone(),
            fix: f.fix.as_ref().map(|x| FixRecord {
                lon: x.lon,
                lat: x.lat,
                fix_utc: x.fix_utc,
                age_s: x.age_s,
                source: match x.source {
                    FixSource::Osmand => "osmand",
                    FixSource::Owntracks => "owntracks",
                }
                .into(),
            }),
            ignored: f.ignored.map(|i| {
                match i {
                    IgnoredFix::Stale => "stale",
                    IgnoredFix::Future => "future",
                    IgnoredFix::AtSea => "at_sea",
                    IgnoredFix::Invalid => "invalid",
                }
                .into()
            }),
            afloat: f.afloat,
            ferry_route: f.ferry_route.clone(),
        }
    }
}

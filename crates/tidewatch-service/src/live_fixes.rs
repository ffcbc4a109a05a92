//! The crews' latest positions as the core's live fixes, for every ranking the service
//! makes (recommendation, preview, dispatch, reassignment): the core decides which are
//! fresh (`tidewatch_core::dispatch::Live`), by the freshness limits of the service's
//! position settings.

use tidewatch_core::dispatch::{FixSource, Freshness, Live, LiveFix};
use tidewatch_core::ids::UnitId;
use tidewatch_workstation::accounts::Session;
use tidewatch_workstation::MapFix;

use crate::error::ApiError;
use crate::positions::{latest_positions, Settings, Source};
use crate::Service;

/// A fix up to this many times its source's limit old is still read, so the
/// recommendation can say it was stale; older ones are not looked for (the unit then
/// simply has no fix). Bounded so the query stays a short index range.
const STALE_SHOWN: i64 = 2;

/// The desk's map shows a unit at a fix up to this old (dimmed once stale); an older one
/// is not a position any more, and the unit stays where the journal put it.
pub const MAP_WINDOW_S: i64 = 3600;

/// The core's freshness limits from the service's settings.
pub fn freshness(settings: &Settings) -> Freshness {
    Freshness { osmand_s: settings.fresh_osmand_s, owntracks_s: settings.fresh_owntracks_s }
}

fn source(s: Source) -> FixSource {
    match s {
        Source::Osmand => FixSource::Osmand,
        Source::Owntracks => FixSource::Owntracks,
    }
}

impl Service {
    /// Each unit's latest usable fix (fresh or a little stale), ready for the core.
    pub async fn live_fixes(&self) -> Result<Live, ApiError> {
        let settings = self.field.settings;
        let window = |s: Source| settings.fresh_s(s).saturating_mul(STALE_SHOWN);
        let latest = latest_positions(&self.db, self.clock.now(), window).await?;
        let fixes = latest
            .into_iter()
            .map(|p| (UnitId(p.unit), LiveFix { lon: p.lon, lat: p.lat, fix_utc: p.fix_utc, source: source(p.source) }))
            .collect();
        Ok(Live { fixes, freshness: freshness(&settings), rules: settings.rules })
    }

    /// Each unit's latest fix within [`MAP_WINDOW_S`], fresh or stale, for the desk's map
    /// (any signed-in operator).
    pub async fn map_fixes(&self, _operator: &Session) -> Result<Vec<MapFix>, ApiError> {
        let settings = self.field.settings;
        let latest = latest_positions(&self.db, self.clock.now(), |_| MAP_WINDOW_S).await?;
        Ok(latest
            .into_iter()
            .map(|p| MapFix {
                stale: p.age_s > settings.fresh_s(p.source),
                unit: UnitId(p.unit),
                lon: p.lon,
                lat: p.lat,
                fix_utc: p.fix_utc,
                age_s: p.age_s,
                source: source(p.source),
                afloat: p.afloat,
            })
            .collect())
    }
}

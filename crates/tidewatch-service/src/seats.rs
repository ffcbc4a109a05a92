//! Where the seats may act (`tidewatch_core::dispatch::seat` says what each owns). The
//! centre acts on everything. A station's or the traffic squadron's seat sees the whole
//! board (its own first) and may take any call, look at any incident, recommendation or
//! timeline; it acts — dispatch, reassign, en route, on scene, clear, cancel, note — only on
//! incidents in its area, sends any free unit to them, and takes a busy unit only off
//! another incident of its own area (never off a colleague's). The conditions and the
//! board's thresholds hold for every seat, so only the centre sets them. Each refusal is 403
//! `forbidden` naming the area, checked here in the service, never only in a UI.

use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::Error;
use tidewatch_journal::ReadModels;
use tidewatch_journal_pg::PgJournal;
use tidewatch_workstation::accounts::{Action, Session};
use tidewatch_workstation::Workstation;

/// Ok when incident `id` is in `seat`'s area (after the role check: a role that may not
/// dispatch learns nothing about the incident).
pub fn in_area(w: &mut Workstation<PgJournal>, seat: &Seat, id: IncidentId) -> Result<(), Error> {
    let session = w.authorized(Action::Dispatch)?.clone();
    if seat.is_centre() || owns(w, seat, id)? {
        return Ok(());
    }
    Err(refusal(&session, format!("act on incident {id}: it is outside {}", seat.area_name(w.region()))))
}

/// Ok when `seat` may send `unit` to incident `id`: free, on `id` already, or busy on
/// another incident of the seat's own area.
pub fn may_take(w: &mut Workstation<PgJournal>, seat: &Seat, id: IncidentId, unit: &UnitId) -> Result<(), Error> {
    if seat.is_centre() {
        return Ok(());
    }
    let rows = w.desk().journal().unit_rows()?;
    let busy_on = rows.iter().find(|r| r.unit_id == unit.0).and_then(|r| r.incident_id).filter(|&on| on != id);
    let Some(other) = busy_on else { return Ok(()) };
    if owns(w, seat, other)? {
        return Ok(());
    }
    let session = w.authorized(Action::Dispatch)?.clone();
    Err(refusal(&session, format!("take unit '{unit}' off incident {other}: it is outside {}", seat.area_name(w.region()))))
}

/// Ok at the centre's seat; what holds for every seat is the centre's to set.
pub fn centre_only(w: &mut Workstation<PgJournal>, seat: &Seat, action: Action, what: &str) -> Result<(), Error> {
    let session = w.authorized(action)?.clone();
    if seat.is_centre() {
        return Ok(());
    }
    Err(refusal(&session, format!("{what} from the seat {}: only the centre sets them", seat.name())))
}

fn owns(w: &Workstation<PgJournal>, seat: &Seat, id: IncidentId) -> Result<bool, Error> {
    let row = w.desk().incident(id)?;
    Ok(seat.owns_incident(w.region(), &row.incident_type, row.lon, row.lat, row.island.as_deref()))
}

fn refusal(session: &Session, action: String) -> Error {
    Error::Forbidden { user: session.username.clone(), role: session.role.name().into(), action }
}

//! The workstation on a real journal, with the desk's usual accounts.

use std::path::Path;

use chrono::{DateTime, Utc};
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::Workstation;

pub const ADMIN_PASSWORD: &str = "correct horse";
pub const PASSWORD: &str = "s3cret-pass";

/// A desk on `db` with an administrator `admin`, a dispatcher `wang` and a supervisor `li`
/// (created on first open), signed in as `user`.
pub fn signed_in(db: &Path, user: &str) -> Workstation {
    let mut ws = Workstation::open(super::dinghai(), db, tidewatch_core::time::SystemClock.clock()).expect("open");
    if ws.sign_in_state().unwrap().needs_first_administrator {
        ws.create_first_administrator("admin", ADMIN_PASSWORD, 1).unwrap();
        ws.create_account("wang", Role::Dispatcher, PASSWORD, 2).unwrap();
        ws.create_account("li", Role::Supervisor, PASSWORD, 3).unwrap();
    }
    ws.logout();
    let password = if user == "admin" { ADMIN_PASSWORD } else { PASSWORD };
    ws.login(user, password).unwrap();
    ws
}

pub fn last_seq(ws: &Workstation) -> i64 {
    ws.desk().journal().last_seq()
}

/// Receives a phone call of `kind` at `place`; the incident's id.
pub fn receive(ws: &mut Workstation, at: DateTime<Utc>, kind: &str, place: (f64, f64)) -> tidewatch_core::ids::IncidentId {
    ws.receive(at, &super::phone_call(kind, place)).expect("receive")
}

//! The desk's API over the service's routes (the contract of issue #13): each call is one
//! request answered by the same type the local workstation returns.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tidewatch_core::dispatch::{Board, Recommendation, Thresholds};
use tidewatch_core::error::RemoteError;
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::region::Region;
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{AccountRow, Ack, AuditReport, Event, PoliceLine, SignOutReason};
use tidewatch_workstation::accounts::{DeskSession, RefusedSignIn, Role, Session};
use tidewatch_workstation::desk::{Intake, ReassignOption};
use tidewatch_workstation::tips::{QueuedTip, TipIncident, TipKpis, TipPhoto, TipStep};
use tidewatch_workstation::{
    BoardThresholdsView, ConditionsView, Dashboard, DeskApi, ExportedFile, PreviewQuery, RegionEditorView, RegionSave, ReportFormat,
    ReportQuery, ServiceSeat, SignIn,
};
use tidewatch_workstation::{MapFix, Track};

use crate::address::segment;
use crate::RemoteDesk;

/// What the service answers a sign-in with.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct SignedIn {
    pub token: String,
    pub username: String,
    pub role: Role,
    pub idle_timeout_s: i64,
    /// Where the service seated the operator (`centre`, `traffic`, `station:<id>`).
    pub seat: String,
}

#[derive(serde::Deserialize)]
struct SignInState {
    needs_first_administrator: bool,
}

#[derive(serde::Deserialize)]
struct Received {
    incident_id: IncidentId,
}

impl RemoteDesk {
    pub(crate) fn get<T: DeserializeOwned>(&mut self, path: &str) -> Result<T, Error> {
        self.ready()?;
        let answer = self.http.get(path);
        self.signed(answer)
    }

    pub(crate) fn send<T: DeserializeOwned>(&mut self, method: &str, path: &str, body: Option<Value>) -> Result<T, Error> {
        self.ready()?;
        let answer = self.http.send(method, path, body);
        self.signed(answer)
    }

    fn send_empty(&mut self, method: &str, path: &str, body: Option<Value>) -> Result<(), Error> {
        self.ready()?;
        let answer = self.http.send_empty(method, path, body);
        self.signed(answer)
    }

    /// The service no longer knows this desk's session (it lapsed there, or was revoked):
    /// the desk's sign-in screen comes back, as when the local desk signs an idle operator
    /// out.
    pub(crate) fn signed<T>(&mut self, answer: Result<T, Error>) -> Result<T, Error> {
        match answer {
            Err(e) if e.kind() == "not_signed_in" && self.session.is_some() => {
                self.end();
                Err(Error::Remote(Box::new(RemoteError {
                    kind: "session_expired",
                    message: e.to_string(),
                    field: None,
                    minutes: Some(i64::from(self.idle_minutes)),
                })))
            }
            other => other,
        }
    }

    fn incident(id: IncidentId, what: &str) -> String {
        format!("/api/incidents/{}/{what}", id.0)
    }

    fn sign_in(&mut self, path: &str, body: Value) -> Result<Session, Error> {
        let signed_in: SignedIn = self.http.send("POST", path, Some(body))?;
        if let Some(pin) = self.take_first_use_pin() {
            (self.report)(crate::Live::Pinned(pin));
        }
        self.begin(signed_in)
    }
}

/// `Some` fields of a JSON object only (the service refuses unknown fields, and a missing
/// optional one is its default).
pub(crate) fn object(fields: &[(&str, Option<Value>)]) -> Value {
    Value::Object(fields.iter().filter_map(|(k, v)| v.clone().map(|v| ((*k).to_string(), v))).collect())
}

impl DeskApi for RemoteDesk {
    fn region(&self) -> &Region {
        &self.region
    }

    /// The desk's session and whether the service needs its first administrator. A
    /// service out of reach shows the sign-in screen (signing in then says why).
    fn sign_in_state(&mut self) -> Result<SignIn, Error> {
        let needs = match self.http.get::<SignInState>("/api/sign-in-state") {
            Ok(s) => s.needs_first_administrator,
            Err(e) if e.kind() == "service_unavailable" => false,
            Err(e) => return Err(e),
        };
        Ok(SignIn {
            needs_first_administrator: needs,
            session: self.session.clone(),
            idle_signed_out: None,
            idle_minutes: self.idle_minutes,
            service: Some(ServiceSeat { url: self.base().to_string(), seat: self.seat() }),
        })
    }

    fn create_first_administrator(&mut self, username: &str, password: &str, _at: i64) -> Result<Session, Error> {
        self.sign_in("/api/first-administrator", json!({ "username": username, "password": password }))
    }

    fn login(&mut self, username: &str, password: &str) -> Result<Session, Error> {
        let seat = self.config.seat.clone().map(Value::String);
        let body = object(&[("username", Some(json!(username))), ("password", Some(json!(password))), ("seat", seat)]);
        self.sign_in("/api/sign-in", body)
    }

    /// Ends the session on the service (journaled there); the desk forgets it even when the
    /// service cannot be told (the session then lapses there after its idle timeout).
    fn sign_out(&mut self, _reason: SignOutReason, _at: i64) -> Result<(), Error> {
        if self.session.is_none() {
            return Ok(());
        }
        let told = self.http.send_empty("POST", "/api/sign-out", None);
        self.end();
        match told {
            // Out of reach, or the session already gone there: signed out here all the same.
            Err(e) if matches!(e.kind(), "service_unavailable" | "not_signed_in") => Ok(()),
            other => other,
        }
    }

    fn still_here(&mut self) -> Result<(), Error> {
        self.get::<Value>("/api/session").map(drop)
    }

    fn board(&mut self, _at: DateTime<Utc>) -> Result<Board, Error> {
        self.get("/api/desk/board")
    }

    fn receive(&mut self, _at: DateTime<Utc>, intake: &Intake) -> Result<IncidentId, Error> {
        let body = object(&[
            ("incident_type", Some(json!(intake.incident_type))),
            ("priority", intake.priority.map(|p| json!(p))),
            ("lon", Some(json!(intake.lon))),
            ("lat", Some(json!(intake.lat))),
            ("source", Some(json!(intake.source))),
            ("text", Some(json!(intake.text))),
        ]);
        self.send::<Received>("POST", "/api/incidents", Some(body)).map(|r| r.incident_id)
    }

    fn recommend(&mut self, _at: DateTime<Utc>, id: IncidentId) -> Result<Recommendation, Error> {
        self.get(&Self::incident(id, "recommendation"))
    }

    fn preview(&mut self, _at: DateTime<Utc>, q: &PreviewQuery) -> Result<Recommendation, Error> {
        let body = object(&[
            ("at", Some(json!(q.at))),
            ("lon", Some(json!(q.lon))),
            ("lat", Some(json!(q.lat))),
            ("incident_type", Some(json!(q.incident_type))),
            ("priority", q.priority.map(|p| json!(p))),
        ]);
        self.send("POST", "/api/preview", Some(body))
    }

    fn assign(
        &mut self,
        _at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        let body = object(&[
            ("unit", Some(json!(unit.0))),
            ("override_reason", override_reason.map(|r| json!(r))),
            ("reassign_reason", reassign_reason.map(|r| json!(r))),
        ]);
        self.send("POST", &Self::incident(id, "dispatch"), Some(body))
    }

    fn assign_carried(
        &mut self,
        _at: DateTime<Utc>,
        id: IncidentId,
        crew: &UnitId,
        boat: &UnitId,
        override_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        let body = object(&[
            ("unit", Some(json!(crew.0))),
            ("carrier", Some(json!(boat.0))),
            ("override_reason", override_reason.map(|r| json!(r))),
        ]);
        self.send("POST", &Self::incident(id, "dispatch-carried"), Some(body))
    }

    fn call_responder(&mut self, _at: DateTime<Utc>, id: IncidentId, responder: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "responder-call"), Some(json!({ "responder": responder })))
    }

    fn en_route(&mut self, _at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "en-route"), None)
    }

    fn on_scene(&mut self, _at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "on-scene"), None)
    }

    fn boat_back(&mut self, _at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "boat-back"), None)
    }

    fn clear(&mut self, _at: DateTime<Utc>, id: IncidentId, outcome: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "clear"), Some(json!({ "outcome": outcome })))
    }

    fn cancel(&mut self, _at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "cancel"), Some(json!({ "reason": reason })))
    }

    fn timeline(&mut self, id: IncidentId) -> Result<Vec<Event>, Error> {
        self.get(&Self::incident(id, "timeline"))
    }

    fn conditions_view(&mut self) -> Result<ConditionsView, Error> {
        self.get("/api/conditions")
    }

    fn set_conditions(&mut self, _at: DateTime<Utc>, conditions: Conditions) -> Result<ConditionsView, Error> {
        let body = serde_json::to_value(conditions).map_err(|e| Error::invalid("conditions", e.to_string()))?;
        self.send("PUT", "/api/conditions", Some(body))
    }

    fn reassign_options(&mut self, _at: DateTime<Utc>, id: IncidentId) -> Result<Vec<ReassignOption>, Error> {
        self.get(&Self::incident(id, "reassign-options"))
    }

    fn reassign(&mut self, _at: DateTime<Utc>, id: IncidentId, unit: &UnitId, reason: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "reassign"), Some(json!({ "unit": unit.0, "reason": reason })))
    }

    fn reassign_carried(&mut self, _at: DateTime<Utc>, id: IncidentId, crew: &UnitId, boat: &UnitId, reason: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "reassign"), Some(json!({ "unit": crew.0, "reason": reason, "carrier": boat.0 })))
    }

    fn note(&mut self, _at: DateTime<Utc>, id: IncidentId, text: &str) -> Result<Ack, Error> {
        self.send("POST", &Self::incident(id, "note"), Some(json!({ "text": text })))
    }

    fn board_thresholds(&mut self) -> Result<BoardThresholdsView, Error> {
        self.get("/api/board-thresholds")
    }

    fn set_board_thresholds(&mut self, _at: DateTime<Utc>, thresholds: Thresholds) -> Result<BoardThresholdsView, Error> {
        let body = serde_json::to_value(thresholds).map_err(|e| Error::invalid("thresholds", e.to_string()))?;
        self.send("PUT", "/api/board-thresholds", Some(body))
    }

    fn supervisor_dashboard(&mut self, _now: DateTime<Utc>, q: &ReportQuery) -> Result<Dashboard, Error> {
        self.remote_dashboard(q)
    }

    fn export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error> {
        self.remote_export_report(now, q, by, format, dir)
    }

    fn export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error> {
        self.remote_export_journal(now, dir)
    }

    fn audit_journal(&mut self) -> Result<AuditReport, Error> {
        self.remote_audit()
    }

    fn desk_sessions(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, Error> {
        self.get(&format!("/api/reports/desk-sessions?from_utc={from_utc}&to_utc={to_utc}"))
    }

    fn refused_sign_ins(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<RefusedSignIn>, Error> {
        self.get(&format!("/api/reports/refused-sign-ins?from_utc={from_utc}&to_utc={to_utc}"))
    }

    fn accounts(&mut self) -> Result<Vec<AccountRow>, Error> {
        self.get("/api/accounts")
    }

    fn create_account(&mut self, username: &str, role: Role, password: &str, _at: i64) -> Result<(), Error> {
        self.send_empty("POST", "/api/accounts", Some(json!({ "username": username, "password": password, "role": role })))
    }

    fn set_account_disabled(&mut self, username: &str, disabled: bool, _at: i64) -> Result<(), Error> {
        self.send_empty("POST", &format!("/api/accounts/{}/disabled", segment(username)), Some(json!({ "disabled": disabled })))
    }

    fn reset_password(&mut self, username: &str, password: &str, _at: i64) -> Result<(), Error> {
        self.send_empty("POST", &format!("/api/accounts/{}/password", segment(username)), Some(json!({ "password": password })))
    }

    fn region_editor(&mut self) -> Result<RegionEditorView, Error> {
        self.remote_region_editor()
    }

    /// The service's clock journals the edit.
    fn edit_region(&mut self, _at: DateTime<Utc>, edit: &RegionEdit) -> Result<RegionSave, Error> {
        self.remote_edit_region(edit)
    }

    fn reread_region(&mut self) -> Result<bool, Error> {
        self.remote_reread_region()
    }

    fn tips_queue(&mut self, closed_since: Option<i64>) -> Result<Vec<QueuedTip>, Error> {
        self.remote_tips_queue(closed_since)
    }

    fn tip_photo(&mut self, id: i64) -> Result<TipPhoto, Error> {
        self.remote_tip_photo(id)
    }

    fn tip_to_incident(&mut self, id: i64, ask: &TipIncident) -> Result<TipStep, Error> {
        self.remote_tip_to_incident(id, ask)
    }

    fn tip_pass_on(&mut self, id: i64, to: PoliceLine, note: &str) -> Result<TipStep, Error> {
        self.remote_tip_pass_on(id, to, note)
    }

    fn tip_close(&mut self, id: i64, reply: &str) -> Result<TipStep, Error> {
        self.remote_tip_close(id, reply)
    }

    fn tip_kpis(&mut self, from: i64, to: i64) -> Result<TipKpis, Error> {
        self.remote_tip_kpis(from, to)
    }

    fn unit_fixes(&mut self) -> Result<Vec<MapFix>, Error> {
        self.remote_unit_fixes()
    }

    fn unit_track(&mut self, unit: &UnitId, from: i64, to: i64) -> Result<Track, Error> {
        self.remote_unit_track(unit, from, to)
    }
}

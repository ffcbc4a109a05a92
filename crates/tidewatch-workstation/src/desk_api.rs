//! What the dispatcher's desk asks of its workstation, as a trait with two
//! implementations: this process's own [`Workstation`] (the single desk on its SQLite
//! journal) and `tidewatch_client::RemoteDesk` (a seat on the command-centre service, over
//! HTTP). The Tauri shell holds one of them behind this trait, so the UI does not change.
//!
//! Each method returns the same type the local method does; a service seat gets them as
//! the service's JSON of those types. `at` is the moment the operator acted, from the
//! shell's clock: the local desk journals it, a service seat goes by the service's clock.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::accounts::{DeskSession, RefusedSignIn, Role, Session};
use crate::desk::{Intake, ReassignOption};
use crate::map_fixes::{MapFix, Track};
use crate::tips::{only_on_the_service, QueuedTip, TipIncident, TipKpis, TipPhoto, TipStep};
use crate::{
    BoardThresholdsView, ConditionsView, ExportedFile, PreviewQuery, RegionEditorView, RegionSave, ReportFormat, ReportQuery, SignIn,
    Workstation,
};
use tidewatch_core::dispatch::{Board, Recommendation, Thresholds};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::region::Region;
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{AccountRow, Ack, AuditReport, Event, PoliceLine, SignOutReason};
use tidewatch_report::Dashboard;

/// The dispatcher's, the sign-in screen's and the accounts screen's calls.
pub trait DeskApi: Send + crate::leader::LeaderApi {
    /// The region pack the map, the gazetteer and the intake form are drawn from.
    fn region(&self) -> &Region;

    // ---- sign-in
    fn sign_in_state(&mut self) -> Result<SignIn, Error>;
    fn create_first_administrator(&mut self, username: &str, password: &str, at: i64) -> Result<Session, Error>;
    fn login(&mut self, username: &str, password: &str) -> Result<Session, Error>;
    fn sign_out(&mut self, reason: SignOutReason, at: i64) -> Result<(), Error>;
    fn still_here(&mut self) -> Result<(), Error>;

    // ---- the dispatcher
    fn board(&mut self, at: DateTime<Utc>) -> Result<Board, Error>;
    fn receive(&mut self, at: DateTime<Utc>, intake: &Intake) -> Result<IncidentId, Error>;
    fn recommend(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Recommendation, Error>;
    fn preview(&mut self, at: DateTime<Utc>, query: &PreviewQuery) -> Result<Recommendation, Error>;
    fn assign(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error>;
    /// Sends `crew` carried across by the police boat `boat` (a carried row): both units
    /// are committed and the pairing journaled.
    fn assign_carried(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        crew: &UnitId,
        boat: &UnitId,
        override_reason: Option<&str>,
    ) -> Result<Ack, Error>;
    /// Journals a call to a community responder (the pack's id) about the incident.
    fn call_responder(&mut self, at: DateTime<Utc>, id: IncidentId, responder: &str) -> Result<Ack, Error>;
    fn en_route(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error>;
    fn on_scene(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error>;
    /// The boat carrying incident `id`'s crew is back at its base: free again.
    fn boat_back(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error>;
    fn clear(&mut self, at: DateTime<Utc>, id: IncidentId, outcome: &str) -> Result<Ack, Error>;
    fn cancel(&mut self, at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error>;
    fn timeline(&mut self, id: IncidentId) -> Result<Vec<Event>, Error>;
    fn conditions_view(&mut self) -> Result<ConditionsView, Error>;
    fn set_conditions(&mut self, at: DateTime<Utc>, conditions: Conditions) -> Result<ConditionsView, Error>;
    fn reassign_options(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Vec<ReassignOption>, Error>;
    fn reassign(&mut self, at: DateTime<Utc>, id: IncidentId, unit: &UnitId, reason: &str) -> Result<Ack, Error>;
    /// Sends `crew` carried by the police boat `boat` instead of the incident's unit (a
    /// carried reassign option); `reason` is required.
    fn reassign_carried(&mut self, at: DateTime<Utc>, id: IncidentId, crew: &UnitId, boat: &UnitId, reason: &str) -> Result<Ack, Error>;
    fn note(&mut self, at: DateTime<Utc>, id: IncidentId, text: &str) -> Result<Ack, Error>;
    fn board_thresholds(&mut self) -> Result<BoardThresholdsView, Error>;
    fn set_board_thresholds(&mut self, at: DateTime<Utc>, thresholds: Thresholds) -> Result<BoardThresholdsView, Error>;

    // ---- the supervisor's screen (reports need `ViewReports`, the journal `ExportJournal`)
    fn supervisor_dashboard(&mut self, now: DateTime<Utc>, q: &ReportQuery) -> Result<Dashboard, Error>;
    /// Writes the report into `dir` (the desk's export folder) and journals the export.
    fn export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error>;
    /// Writes every event as JSON lines into `dir` and journals the export.
    fn export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error>;
    /// The journal's tamper check: the chain, and on the service the read models rebuilt.
    fn audit_journal(&mut self) -> Result<AuditReport, Error>;
    /// Who sat at the desk (or, on the service, at any seat) in `[from_utc, to_utc)`.
    fn desk_sessions(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, Error>;
    /// Refused sign-ins and lock-outs in `[from_utc, to_utc)`.
    fn refused_sign_ins(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<RefusedSignIn>, Error>;

    // ---- accounts (administrators)
    fn accounts(&mut self) -> Result<Vec<AccountRow>, Error>;
    fn create_account(&mut self, username: &str, role: Role, password: &str, at: i64) -> Result<(), Error>;
    fn set_account_disabled(&mut self, username: &str, disabled: bool, at: i64) -> Result<(), Error>;
    fn reset_password(&mut self, username: &str, password: &str, at: i64) -> Result<(), Error>;

    // ---- the region editor (administrators)
    fn region_editor(&mut self) -> Result<RegionEditorView, Error>;
    /// Saves one edit; the desk's region (and, on the service, every process's) routes
    /// with it from then on.
    fn edit_region(&mut self, at: DateTime<Utc>, edit: &RegionEdit) -> Result<RegionSave, Error>;
    /// Brings [`DeskApi::region`] up to edits saved elsewhere (on the service, by another
    /// seat); true when it changed. The desk on its own journal has no elsewhere.
    fn reread_region(&mut self) -> Result<bool, Error> {
        Ok(false)
    }

    // ---- the command centre's own: citizens' tips and crews' positions. A desk on its
    // own journal has neither: tips are refused saying where they arrive, and the map has
    // no fixes (units stay where the journal put them).

    /// Open tips, grouped (and those closed since `closed_since`, unix seconds).
    fn tips_queue(&mut self, _closed_since: Option<i64>) -> Result<Vec<QueuedTip>, Error> {
        Err(only_on_the_service())
    }
    fn tip_photo(&mut self, _id: i64) -> Result<TipPhoto, Error> {
        Err(only_on_the_service())
    }
    /// Makes the tip (and its group) an incident; the recommendation is then asked as for
    /// any call.
    fn tip_to_incident(&mut self, _id: i64, _ask: &TipIncident) -> Result<TipStep, Error> {
        Err(only_on_the_service())
    }
    /// Passes the tip on as a hazard to the traffic police or a station.
    fn tip_pass_on(&mut self, _id: i64, _to: PoliceLine, _note: &str) -> Result<TipStep, Error> {
        Err(only_on_the_service())
    }
    /// Closes the tip and its group with the reply the tipper sees.
    fn tip_close(&mut self, _id: i64, _reply: &str) -> Result<TipStep, Error> {
        Err(only_on_the_service())
    }
    /// Tips received and closed in `[from, to)` (the supervisor's report).
    fn tip_kpis(&mut self, _from: i64, _to: i64) -> Result<TipKpis, Error> {
        Err(only_on_the_service())
    }
    /// Each unit's latest fix from its crew's phone, fresh or stale.
    fn unit_fixes(&mut self) -> Result<Vec<MapFix>, Error> {
        Ok(Vec::new())
    }
    /// A unit's track in `[from, to)` with its incidents (the supervisor's replay).
    fn unit_track(&mut self, _unit: &UnitId, _from: i64, _to: i64) -> Result<Track, Error> {
        Err(only_on_the_service())
    }
}

/// The single desk: each call is the workstation's own method (account administration
/// writes SQLite's own tables, hence `Workstation<Journal>`).
impl DeskApi for Workstation {
    fn region(&self) -> &Region {
        Workstation::region(self)
    }
    fn sign_in_state(&mut self) -> Result<SignIn, Error> {
        Workstation::sign_in_state(self)
    }
    fn create_first_administrator(&mut self, username: &str, password: &str, at: i64) -> Result<Session, Error> {
        Workstation::create_first_administrator(self, username, password, at)
    }
    fn login(&mut self, username: &str, password: &str) -> Result<Session, Error> {
        Workstation::login(self, username, password)
    }
    fn sign_out(&mut self, reason: SignOutReason, at: i64) -> Result<(), Error> {
        Workstation::sign_out(self, reason, at)
    }
    fn still_here(&mut self) -> Result<(), Error> {
        Workstation::still_here(self)
    }
    fn board(&mut self, at: DateTime<Utc>) -> Result<Board, Error> {
        Workstation::board(self, at)
    }
    fn receive(&mut self, at: DateTime<Utc>, intake: &Intake) -> Result<IncidentId, Error> {
        Workstation::receive(self, at, intake)
    }
    fn recommend(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Recommendation, Error> {
        Workstation::recommend(self, at, id)
    }
    fn preview(&mut self, at: DateTime<Utc>, query: &PreviewQuery) -> Result<Recommendation, Error> {
        Workstation::preview(self, at, query)
    }
    fn assign(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        Workstation::assign(self, at, id, unit, override_reason, reassign_reason)
    }
    fn assign_carried(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        crew: &UnitId,
        boat: &UnitId,
        override_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        Workstation::assign_carried(self, at, id, crew, boat, override_reason)
    }
    fn call_responder(&mut self, at: DateTime<Utc>, id: IncidentId, responder: &str) -> Result<Ack, Error> {
        Workstation::call_responder(self, at, id, responder)
    }
    fn en_route(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        Workstation::en_route(self, at, id)
    }
    fn on_scene(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        Workstation::on_scene(self, at, id)
    }
    fn boat_back(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        Workstation::boat_back(self, at, id)
    }
    fn clear(&mut self, at: DateTime<Utc>, id: IncidentId, outcome: &str) -> Result<Ack, Error> {
        Workstation::clear(self, at, id, outcome)
    }
    fn cancel(&mut self, at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error> {
        Workstation::cancel(self, at, id, reason)
    }
    fn timeline(&mut self, id: IncidentId) -> Result<Vec<Event>, Error> {
        Workstation::timeline(self, id)
    }
    fn conditions_view(&mut self) -> Result<ConditionsView, Error> {
        Workstation::conditions_view(self)
    }
    fn set_conditions(&mut self, at: DateTime<Utc>, conditions: Conditions) -> Result<ConditionsView, Error> {
        Workstation::set_conditions(self, at, conditions)
    }
    fn reassign_options(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Vec<ReassignOption>, Error> {
        Workstation::reassign_options(self, at, id)
    }
    fn reassign(&mut self, at: DateTime<Utc>, id: IncidentId, unit: &UnitId, reason: &str) -> Result<Ack, Error> {
        Workstation::reassign(self, at, id, unit, reason)
    }
    fn reassign_carried(&mut self, at: DateTime<Utc>, id: IncidentId, crew: &UnitId, boat: &UnitId, reason: &str) -> Result<Ack, Error> {
        Workstation::reassign_carried(self, at, id, crew, boat, reason)
    }
    fn note(&mut self, at: DateTime<Utc>, id: IncidentId, text: &str) -> Result<Ack, Error> {
        Workstation::note(self, at, id, text)
    }
    fn board_thresholds(&mut self) -> Result<BoardThresholdsView, Error> {
        Workstation::board_thresholds(self)
    }
    fn set_board_thresholds(&mut self, at: DateTime<Utc>, thresholds: Thresholds) -> Result<BoardThresholdsView, Error> {
        Workstation::set_board_thresholds(self, at, thresholds)
    }
    fn supervisor_dashboard(&mut self, now: DateTime<Utc>, q: &ReportQuery) -> Result<Dashboard, Error> {
        Workstation::supervisor_dashboard(self, now, q)
    }
    fn export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error> {
        Workstation::export_report(self, now, q, by, format, dir)
    }
    fn export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error> {
        Workstation::export_journal(self, now, dir)
    }
    fn audit_journal(&mut self) -> Result<AuditReport, Error> {
        Workstation::audit_journal(self)
    }
    fn desk_sessions(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, Error> {
        Workstation::desk_sessions(self, from_utc, to_utc)
    }
    fn refused_sign_ins(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<RefusedSignIn>, Error> {
        Workstation::refused_sign_ins(self, from_utc, to_utc)
    }
    fn accounts(&mut self) -> Result<Vec<AccountRow>, Error> {
        Workstation::accounts(self)
    }
    fn create_account(&mut self, username: &str, role: Role, password: &str, at: i64) -> Result<(), Error> {
        Workstation::create_account(self, username, role, password, at)
    }
    fn set_account_disabled(&mut self, username: &str, disabled: bool, at: i64) -> Result<(), Error> {
        Workstation::set_account_disabled(self, username, disabled, at)
    }
    fn reset_password(&mut self, username: &str, password: &str, at: i64) -> Result<(), Error> {
        Workstation::reset_password(self, username, password, at)
    }
    fn region_editor(&mut self) -> Result<RegionEditorView, Error> {
        Workstation::region_editor(self)
    }
    fn edit_region(&mut self, at: DateTime<Utc>, edit: &RegionEdit) -> Result<RegionSave, Error> {
        Workstation::edit_region(self, at, edit)
    }
}

//! The journal's vocabulary: every fact the desk records is one of these events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::crew::{CrewActionKind, PhotoRecord};
use super::patrol_record::PatrolPlanRecord;
use super::records::{DispatchPlan, PublishedRosterRecord, ThresholdsRecord, UnitStatusRecord};
use super::tip_record::TipRecord;
use tidewatch_core::dispatch::LifecycleEvent;
use tidewatch_core::ids::IncidentId;

/// Where a call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CallSource {
    Phone,
    /// 随手拍: a citizen's photo tip.
    CitizenTip,
    Patrol,
}

impl CallSource {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "phone" => CallSource::Phone,
            "citizen_tip" => CallSource::CitizenTip,
            "patrol" => CallSource::Patrol,
            _ => return None,
        })
    }
}

/// Which police line found a hazard (passed to the other line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PoliceLine {
    Traffic,
    Station,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    // ---- incident lifecycle
    Received {
        incident_type: String,
        priority: u8,
        lon: f64,
        lat: f64,
        island: Option<String>,
        /// The road node the incident is reached from (where a unit on scene is).
        node: Option<String>,
        source: CallSource,
        text: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    Dispatched {
        unit: String,
        plan: DispatchPlan,
        override_reason: Option<String>,
        /// The police boat that carries `unit`'s crew across (issue #16): sent with it,
        /// claimed in the same transaction, freed with it. Left out when None, so
        /// dispatches written before it hash the same.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        carrier: Option<String>,
    },
    EnRoute {
        unit: String,
    },
    OnScene {
        unit: String,
    },
    Cleared {
        unit: Option<String>,
        outcome: String,
    },
    Cancelled {
        reason: String,
    },
    /// The unit was taken off this incident (sent elsewhere, broke down...).
    UnitWithdrawn {
        unit: String,
        reason: String,
    },
    Note {
        text: String,
    },
    /// The dispatcher called one of the island's community responders (issue #16) about
    /// the incident: who (the pack's id, and the name or role and phone as the pack had
    /// them then). Never a police arrival: the incident's state does not change.
    ResponderCalled {
        responder: String,
        name: String,
        phone: String,
    },
    /// A correction of an earlier event; the original stays as it was.
    Correction {
        corrects_seq: i64,
        field: String,
        value: String,
        reason: String,
    },
    // ---- units
    UnitStatus {
        unit: String,
        status: UnitStatusRecord,
        position: String,
    },
    // ---- the four joint lines of work and citizen tips
    Checkpoint {
        place: String,
        island: Option<String>,
        vehicles_checked: u32,
        /// Violations by kind, e.g. drunk_driving, unlicensed_driving, overloading.
        violations: BTreeMap<String, u32>,
        /// An unannounced raid (突击清查), e.g. on an outlying island, not a set checkpoint.
        /// Left out of the payload when false, so events written before it hash the same.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        surprise: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    Patrol {
        unit: String,
        island: Option<String>,
        hours: f64,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    ServiceStall {
        place: String,
        island: Option<String>,
        people_served: u32,
        elderly_served: u32,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    Hazard {
        island: Option<String>,
        found_by: PoliceLine,
        passed_to: PoliceLine,
        description: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
    },
    TipReceived {
        island: Option<String>,
        text: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        synthetic: bool,
        /// A tip from the public page (category, place, photo digest, receipt); None for
        /// the desk's and the demo's, whose payloads then hash as before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        tip: Option<TipRecord>,
    },
    TipAssigned {
        tip: i64,
        unit: String,
    },
    TipClosed {
        tip: i64,
        outcome: String,
    },
    // ---- accounts
    AccountCreated {
        username: String,
        role: String,
        /// [`password_digest`] of the password hash the account row got, so the audit
        /// catches a row whose hash no event set. Left out when None (events written
        /// before it hash the same).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        password_sha256: Option<String>,
    },
    // ---- rosters
    /// A roster published to dispatch: from now on its units are on duty when their
    /// officers are. The whole roster is kept so the journal says what dispatch believed,
    /// as the journal's own record of it (`records::PublishedRosterRecord`).
    RosterPublished {
        /// First day (local) and number of days.
        from: chrono::NaiveDate,
        days: u32,
        shifts: u32,
        /// Version 1 (the roster file as it was) or 2 (plain rows): see `records`.
        #[ts(type = "unknown")]
        roster: PublishedRosterRecord,
    },
    // ---- patrol plans (issue #18)
    /// A patrol plan published to the desk by a patrol leader: the whole plan (checkpoint
    /// and raid operations, visit lists with their seeds, standby positions), so the
    /// journal says what the teams were told and a visit list can be re-created.
    PatrolPlanned {
        plan: PatrolPlanRecord,
    },
    /// What came of one operation of a published plan (`plan`: its `patrol_planned` seq).
    CheckpointResult {
        plan: i64,
        operation: String,
        /// The plan's site and island, copied so the record reads alone.
        site: String,
        island: String,
        held: bool,
        vehicles_checked: u32,
        /// By kind: `patrol_record::VIOLATION_KINDS`.
        violations: BTreeMap<String, u32>,
        /// Why it was not held, or anything to add. Left out when empty.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    // ---- the desk's conditions
    /// What the desk believed about the weather and closures from this time on: every
    /// recommendation until the next change used it.
    ConditionsSet {
        wind_force: u8,
        visibility_m: Option<u32>,
        /// Bridge and ferry-route ids closed or suspended by hand.
        closed: Vec<String>,
    },
    // ---- the status board
    /// The thresholds the dispatcher's board judges overdue states by, from this time on
    /// (set by a supervisor; the operator column says who).
    BoardThresholdsSet {
        thresholds: ThresholdsRecord,
    },
    // ---- region pack
    /// An administrator saved an edit of the region pack (the desk's editable copy).
    RegionEdited {
        file: String,
        /// The row's id (or, for a timetable, route, pier and day type).
        row: String,
        change: String,
    },
    // ---- operator sessions and account changes (the operator column says who)
    /// An operator signed in at this desk.
    SignedIn {
        role: String,
    },
    /// The operator's session at this desk ended.
    SignedOut {
        reason: SignOutReason,
    },
    AccountDisabled {
        username: String,
    },
    AccountEnabled {
        username: String,
    },
    /// An administrator set a new password (the hash is not journaled, its
    /// [`password_digest`] is). It also lifts a sign-in lock on that name.
    PasswordReset {
        username: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        password_sha256: Option<String>,
    },
    /// A sign-in was refused. Nobody was signed in, so the operator column holds
    /// [`NOT_SIGNED_IN`]; `username` is the name as typed (it may name no account). The
    /// password is never journaled.
    SignInFailed {
        username: String,
        reason: SignInFailure,
    },
    /// After `failures` failed sign-ins in a row with this name, the desk refuses it until
    /// `until_utc` (journaled under [`NOT_SIGNED_IN`], right after the last failure).
    SignInLocked {
        username: String,
        failures: u32,
        until_utc: i64,
    },
    // ---- field devices (crews' phones reporting positions; the positions themselves are
    // kept apart from the chain, by the service)
    /// An administrator registered a phone or tracker to a unit. `device` is the service's
    /// number for it; its secret is never journaled.
    DeviceRegistered {
        device: i64,
        unit: String,
        name: String,
    },
    /// An administrator revoked a device: its reports are refused from now on.
    DeviceRevoked {
        device: i64,
        unit: String,
    },
    // ---- the journal itself
    /// The events before this one were imported from an export (`tidewatch journal
    /// import`) whose SHA-256 is `file_sha256`. `rechained` is None when every line's hash
    /// verified, so the events keep their original hashes (a seal of the source still
    /// checks); otherwise it says why the file's chain did not verify and that the events
    /// were chained anew on purpose (`--rechain`).
    JournalImported {
        file_sha256: String,
        events: u64,
        rechained: Option<String>,
    },
    // ---- citizens' tips worked on at the service (`tip` is the tip's `tip_received` seq)
    /// A dispatcher made the tip an incident (whose own events follow as usual).
    TipToIncident {
        tip: i64,
        incident: i64,
    },
    /// A dispatcher passed the tip on as a hazard to the traffic police or a station.
    TipPassedOn {
        tip: i64,
        passed_to: PoliceLine,
        note: String,
    },
    // ---- crews (the crew's page on their phones)
    /// A crew member acted for `unit` on the crew's page, under their own name. Right after
    /// the event the action caused, in the same transaction (en route, on scene, cleared, a
    /// withdrawal when unable, a note, a unit status), or alone (acknowledged, a photo).
    /// The event's `at_utc` is the service's time; `phone_utc` is when the phone says it
    /// happened (an action queued offline arrives later than it was taken).
    CrewAction {
        unit: String,
        action: CrewActionKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        phone_utc: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        photo: Option<PhotoRecord>,
    },
}

/// What the account events journal of a password hash (an argon2id PHC string): its
/// SHA-256, in hex. It pins the accounts row's hash to the event that set it (an audit
/// compares them), and tells nothing about the password: the digest hides the salt, which
/// any guess would need.
pub fn password_digest(phc: &str) -> String {
    use sha2::Digest;
    hex(sha2::Sha256::digest(phc.as_bytes()).as_slice())
}

/// The operator column of events recorded while nobody was signed in (failed sign-ins and
/// the lock-outs they cause). Not a possible username: usernames have no spaces or brackets.
pub const NOT_SIGNED_IN: &str = "(not signed in)";

/// Why an operator's session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SignOutReason {
    /// The operator signed out.
    SignedOut,
    /// The desk locked itself after the operator was idle.
    Idle,
    /// Another operator signed in at this desk without the previous one signing out.
    Replaced,
}

/// Why a sign-in was refused, as journaled (the person at the desk is told only "unknown
/// user or wrong password", or that the name is locked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SignInFailure {
    /// No account has this name.
    UnknownAccount,
    WrongPassword,
    /// The account exists but an administrator disabled it.
    AccountDisabled,
    /// The name was locked after repeated failures; the password was not checked.
    Locked,
}

impl EventBody {
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::Received { .. } => "received",
            EventBody::Dispatched { .. } => "dispatched",
            EventBody::EnRoute { .. } => "en_route",
            EventBody::OnScene { .. } => "on_scene",
            EventBody::Cleared { .. } => "cleared",
            EventBody::Cancelled { .. } => "cancelled",
            EventBody::UnitWithdrawn { .. } => "unit_withdrawn",
            EventBody::Note { .. } => "note",
            EventBody::ResponderCalled { .. } => "responder_called",
            EventBody::Correction { .. } => "correction",
            EventBody::UnitStatus { .. } => "unit_status",
            EventBody::Checkpoint { .. } => "checkpoint",
            EventBody::Patrol { .. } => "patrol",
            EventBody::ServiceStall { .. } => "service_stall",
            EventBody::Hazard { .. } => "hazard",
            EventBody::TipReceived { .. } => "tip_received",
            EventBody::TipAssigned { .. } => "tip_assigned",
            EventBody::TipClosed { .. } => "tip_closed",
            EventBody::AccountCreated { .. } => "account_created",
            EventBody::RosterPublished { .. } => "roster_published",
            EventBody::PatrolPlanned { .. } => "patrol_planned",
            EventBody::CheckpointResult { .. } => "checkpoint_result",
            EventBody::ConditionsSet { .. } => "conditions_set",
            EventBody::BoardThresholdsSet { .. } => "board_thresholds_set",
            EventBody::SignedIn { .. } => "signed_in",
            EventBody::SignedOut { .. } => "signed_out",
            EventBody::AccountDisabled { .. } => "account_disabled",
            EventBody::AccountEnabled { .. } => "account_enabled",
            EventBody::PasswordReset { .. } => "password_reset",
            EventBody::RegionEdited { .. } => "region_edited",
            EventBody::SignInFailed { .. } => "sign_in_failed",
            EventBody::SignInLocked { .. } => "sign_in_locked",
            EventBody::JournalImported { .. } => "journal_imported",
            EventBody::DeviceRegistered { .. } => "device_registered",
            EventBody::DeviceRevoked { .. } => "device_revoked",
            EventBody::TipToIncident { .. } => "tip_to_incident",
            EventBody::TipPassedOn { .. } => "tip_passed_on",
            EventBody::CrewAction { .. } => "crew_action",
        }
    }

    /// What the event does to its incident's lifecycle.
    pub fn lifecycle(&self) -> LifecycleEvent {
        match self {
            EventBody::Received { .. } => LifecycleEvent::Received,
            EventBody::Dispatched { .. } => LifecycleEvent::Dispatched,
            EventBody::EnRoute { .. } => LifecycleEvent::EnRoute,
            EventBody::OnScene { .. } => LifecycleEvent::OnScene,
            EventBody::Cleared { .. } => LifecycleEvent::Cleared,
            EventBody::Cancelled { .. } => LifecycleEvent::Cancelled,
            EventBody::UnitWithdrawn { .. } => LifecycleEvent::UnitWithdrawn,
            EventBody::Note { .. } => LifecycleEvent::Note,
            EventBody::Correction { .. } => LifecycleEvent::Correction,
            _ => LifecycleEvent::Other,
        }
    }

    /// The unit an event is about, for the journal's `unit_id` column.
    pub fn unit(&self) -> Option<&str> {
        match self {
            EventBody::Dispatched { unit, .. }
            | EventBody::EnRoute { unit }
            | EventBody::OnScene { unit }
            | EventBody::UnitWithdrawn { unit, .. }
            | EventBody::UnitStatus { unit, .. }
            | EventBody::Patrol { unit, .. }
            | EventBody::TipAssigned { unit, .. }
            | EventBody::DeviceRegistered { unit, .. }
            | EventBody::DeviceRevoked { unit, .. }
            | EventBody::CrewAction { unit, .. } => Some(unit),
            EventBody::Cleared { unit, .. } => unit.as_deref(),
            _ => None,
        }
    }
}

/// An event as stored: who, when, what, and its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Event {
    pub seq: i64,
    pub incident_id: Option<IncidentId>,
    /// When it happened (UTC unix seconds).
    pub at_utc: i64,
    /// When the desk wrote it (UTC unix seconds).
    pub recorded_utc: i64,
    pub operator: String,
    pub body: EventBody,
    #[serde(with = "hex_bytes")]
    #[ts(type = "string")]
    pub hash: [u8; 32],
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(b: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(b))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        super::parse_hex32(&s).ok_or_else(|| serde::de::Error::custom("hash is not 64 hex digits"))
    }
}

/// Lower-case hex of a hash.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// 64 hex digits as 32 bytes; None for anything else. Works on bytes, never slicing the
/// text, so multi-byte characters are refused rather than split.
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        *o = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

/// An `events` row as stored, each column read with its type checked.
#[derive(Debug, Clone)]
pub(crate) struct StoredEvent {
    pub seq: i64,
    pub incident_id: Option<i64>,
    pub kind: String,
    pub at_utc: i64,
    pub recorded_utc: i64,
    pub operator: String,
    pub unit_id: Option<String>,
    pub payload: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The columns [`StoredEvent::read`] expects, in order.
pub(crate) const EVENT_COLUMNS: &str = "seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash";

impl StoredEvent {
    /// Reads a row of `SELECT {EVENT_COLUMNS} FROM events`. A value of the wrong type (a
    /// hand-edited row) is an error naming the event, its kind and the column.
    pub(crate) fn read(r: &rusqlite::Row) -> Result<StoredEvent, tidewatch_core::Error> {
        let seq: i64 = r.get(0).map_err(|e| column_error("?", "?", "seq", e))?;
        let kind: String = r.get(2).map_err(|e| column_error(&seq.to_string(), "?", "kind", e))?;
        let col = |name: &str, e: rusqlite::Error| column_error(&seq.to_string(), &kind, name, e);
        Ok(StoredEvent {
            seq,
            incident_id: r.get(1).map_err(|e| col("incident_id", e))?,
            at_utc: r.get(3).map_err(|e| col("at_utc", e))?,
            recorded_utc: r.get(4).map_err(|e| col("recorded_utc", e))?,
            operator: r.get(5).map_err(|e| col("operator", e))?,
            unit_id: r.get(6).map_err(|e| col("unit_id", e))?,
            payload: r.get(7).map_err(|e| col("payload", e))?,
            prev_hash: r.get(8).map_err(|e| col("prev_hash", e))?,
            hash: r.get(9).map_err(|e| col("hash", e))?,
            kind,
        })
    }

    /// The event's body, read from its payload (see [`decode_body`]).
    pub(crate) fn body(&self) -> Result<EventBody, tidewatch_core::Error> {
        decode_body(self.seq, &self.kind, &self.payload)
    }

    pub(crate) fn into_event(self) -> Result<Event, tidewatch_core::Error> {
        let body = self.body()?;
        let hash = self.hash.as_slice().try_into().map_err(|_| {
            tidewatch_core::Error::Storage(format!(
                "event {} ({}): column hash holds {} bytes, not 32",
                self.seq,
                self.kind,
                self.hash.len()
            ))
        })?;
        Ok(Event {
            seq: self.seq,
            incident_id: self.incident_id.map(IncidentId),
            at_utc: self.at_utc,
            recorded_utc: self.recorded_utc,
            operator: self.operator,
            body,
            hash,
        })
    }
}

fn column_error(seq: &str, kind: &str, column: &str, e: rusqlite::Error) -> tidewatch_core::Error {
    let why = match e {
        rusqlite::Error::InvalidColumnType(_, _, t) => format!("holds {}", type_name(t)),
        rusqlite::Error::IntegralValueOutOfRange(_, v) => format!("holds {v}, out of range"),
        rusqlite::Error::FromSqlConversionFailure(_, t, err) => format!("holds {} that cannot be read: {err}", type_name(t)),
        other => other.to_string(),
    };
    tidewatch_core::Error::Storage(format!("event {seq} ({kind}): column {column} {why}, which is not what the desk writes there"))
}

fn type_name(t: rusqlite::types::Type) -> &'static str {
    use rusqlite::types::Type;
    match t {
        Type::Null => "NULL",
        Type::Integer => "an integer",
        Type::Real => "a real number",
        Type::Text => "text",
        Type::Blob => "a blob",
    }
}

/// Reads an event's payload as the body of kind `kind`. When it does not fit, the error
/// names the event, its kind and the field at fault.
pub(crate) fn decode_body(seq: i64, kind: &str, payload: &str) -> Result<EventBody, tidewatch_core::Error> {
    let body: EventBody = decode_json(payload).map_err(|msg| tidewatch_core::Error::Storage(format!("event {seq} ({kind}): {msg}")))?;
    if body.kind() != kind {
        return Err(tidewatch_core::Error::Storage(format!("event {seq} ({kind}): the payload is a {} event, not {kind}", body.kind())));
    }
    Ok(body)
}

/// Parses `text` as a `T`; on failure the message names the field at fault ("field
/// body.priority: invalid type…"), found by taking fields out one at a time: serde's own
/// message does not say which field of an internally tagged enum was wrong.
pub fn decode_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let err = match serde_json::from_str::<T>(text) {
        Ok(t) => return Ok(t),
        Err(e) => e,
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Err(format!("not JSON: {err}"));
    };
    let msg = match serde_json::from_value::<T>(value.clone()) {
        Ok(t) => return Ok(t),
        Err(e) => e.to_string(),
    };
    Err(match culprit::<T>(&value, &msg) {
        Some(path) => format!("field {path}: {msg}"),
        None => msg,
    })
}

/// The path of the field whose removal changes the decoding error: serde stops at the
/// first bad value, so removing a good field leaves the same error. `kind` tags are looked
/// up before the other fields, so a tag is the culprit only when the error is about it.
fn culprit<T: serde::de::DeserializeOwned>(root: &serde_json::Value, msg: &str) -> Option<String> {
    let about_tag = msg.contains("unknown variant") || msg.contains("missing field `kind`");
    let mut path: Vec<String> = Vec::new();
    'descend: for _ in 0..8 {
        let node = path.iter().try_fold(root, |v, k| step(v, k))?;
        let keys: Vec<String> = match node {
            serde_json::Value::Object(m) => m.keys().filter(|k| about_tag || *k != "kind").cloned().collect(),
            serde_json::Value::Array(a) => (0..a.len()).map(|i| i.to_string()).collect(),
            _ => break,
        };
        for k in keys {
            let mut probe = root.clone();
            if remove_at(&mut probe, &path, &k).is_none() {
                continue;
            }
            let changed = match serde_json::from_value::<T>(probe) {
                Ok(_) => true,
                Err(e) => e.to_string() != msg,
            };
            if changed {
                path.push(k);
                continue 'descend;
            }
        }
        break;
    }
    (!path.is_empty()).then(|| path.join("."))
}

fn step<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m.get(key),
        serde_json::Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

fn remove_at(root: &mut serde_json::Value, path: &[String], key: &str) -> Option<()> {
    let mut node = root;
    for k in path {
        node = match node {
            serde_json::Value::Object(m) => m.get_mut(k.as_str())?,
            serde_json::Value::Array(a) => a.get_mut(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match node {
        serde_json::Value::Object(m) => m.remove(key).map(drop),
        serde_json::Value::Array(a) => {
            let i = key.parse::<usize>().ok().filter(|&i| i < a.len())?;
            a.remove(i);
            Some(())
        }
        _ => None,
    }
}

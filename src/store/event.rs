//! The journal's vocabulary: every fact the desk records is one of these events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dispatch::UnitStatus;
use crate::region::RouteMode;

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

/// The plan the unit was sent on: what the desk recommended and what it predicted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DispatchPlan {
    pub recommended_unit: Option<String>,
    /// 1-based rank of the chosen unit in the recommendation.
    pub rank: Option<u32>,
    pub eta_s: Option<u32>,
    pub route_mode: Option<RouteMode>,
    pub drive_s: u32,
    pub ferry_wait_s: u32,
    pub crossing_s: u32,
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
        status: UnitStatus,
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
    },
    // ---- rosters
    /// A roster published to dispatch: from now on its units are on duty when their
    /// officers are. The whole roster is kept so the journal says what dispatch believed.
    RosterPublished {
        /// First day (local) and number of days.
        from: chrono::NaiveDate,
        days: u32,
        shifts: u32,
        #[ts(type = "unknown")]
        roster: Box<crate::roster::Roster>,
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
        thresholds: crate::dispatch::Thresholds,
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
    /// An administrator set a new password (the hash is not journaled). It also lifts a
    /// sign-in lock on that name.
    PasswordReset {
        username: String,
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
            | EventBody::TipAssigned { unit, .. } => Some(unit),
            EventBody::Cleared { unit, .. } => unit.as_deref(),
            _ => None,
        }
    }
}

/// An event as stored: who, when, what, and its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Event {
    pub seq: i64,
    pub incident_id: Option<i64>,
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
        s.serialize_str(&b.iter().map(|x| format!("{x:02x}")).collect::<String>())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        let mut out = [0u8; 32];
        if s.len() != 64 {
            return Err(serde::de::Error::custom("hash is not 64 hex digits"));
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}

//! The journal: what the desk records (the versioned event records of `event.rs` and
//! `records.rs`, in the journal's own terms, never the domain's structs), the hash chain,
//! and the storage behind a trait (`contract.rs`: `JournalStore`, `ReadModels`) with its
//! SQLite implementation (WAL, embedded migrations), the read models derived from the
//! events, audit, seals and backups. Above this crate nobody writes SQL; the PostgreSQL
//! store (`tidewatch-journal-pg`) passes the same contract suite.

mod audit;
mod backup;
mod claim;
mod contract;
mod crew;
mod event;
mod journal;
mod lock;
mod migrations;
mod open;
pub mod patrol_record;
mod read;
pub mod records;
mod scope;
mod seal;
mod start_record;
mod tip_record;

pub use audit::{seal, verify, verify_sealed, AuditReport, JournaledAccounts, StoredAccount};
pub use backup::{backup, restore};
pub use claim::{claimed_units, unit_taken, HeldUnit};
pub use contract::{AccountChange, AccountStore, EventRow, JournalStore, NewEvent, ReadModels};
pub use crew::{CrewActionKind, PhotoRecord};
pub use event::decode_json;
pub use event::{hex, parse_hex32, password_digest, CallSource, Event, EventBody, PoliceLine};
pub use event::{SignInFailure, SignOutReason, NOT_SIGNED_IN};
pub use journal::{Ack, Journal};
pub use patrol_record::{OperationRecord, PatrolPlanRecord, StandbyRecord, StopRecord, VisitListRecord};
pub use read::AccountRow;
pub use read::{CallRecord, IncidentRow, JointWorkTotals, UnitRow};
pub use read::{DispatchOverride, IncidentSpan};
pub use records::{DispatchPlan, PublishedRosterRecord, RosterRecord, RouteModeRecord, ThresholdsRecord, UnitStatusRecord};
pub use scope::{day_start, local_midnight, Scope};
pub use seal::{ChainHead, Seal};
pub use start_record::{FixRecord, StartRecord};
pub use tip_record::TipRecord;

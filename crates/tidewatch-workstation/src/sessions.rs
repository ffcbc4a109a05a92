//! Operator sessions: every sign-in and sign-out at the desk is journaled, so a supervisor
//! can see who was on the desk and when.
//!
//! The core, not only the UI, ends a session nobody uses. Every call that checks the
//! operator first checks that they have not been idle for the idle timeout
//! ([`IDLE_TIMEOUT_S`] unless [`Workstation::with_idle_timeout`]); one who has is signed out
//! (journaled `SignedOut { reason: idle }` at the moment the session lapsed) and the call
//! is refused with [`Error::SessionExpired`]. What counts as activity is every call the
//! operator makes ([`Workstation::authorized`], [`Workstation::signed_in`], and
//! [`Workstation::still_here`] for a key or click that calls nothing); what the screens
//! poll by themselves ([`Workstation::watching`]: the board, the conditions, a plan's
//! progress) does not, or a desk left showing the board would never time out.

use super::Workstation;
use crate::accounts::{desk_sessions, refused_sign_ins, Action, DeskSession, RefusedSignIn, Session};
use crate::desk::DeskStore;
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, NewEvent, SignOutReason};

/// How long an operator may do nothing at the desk before the core signs them out: 30
/// minutes, the same as the UI's screen lock.
pub const IDLE_TIMEOUT_S: i64 = 30 * 60;

impl<S: DeskStore> Workstation<S> {
    /// Another idle timeout than [`IDLE_TIMEOUT_S`] (seconds, at least 1).
    pub fn with_idle_timeout(mut self, seconds: i64) -> Workstation<S> {
        self.idle_timeout_s = seconds.max(1);
        self
    }

    pub(super) fn idle_minutes(&self) -> i64 {
        (self.idle_timeout_s + 59) / 60
    }

    /// The signed-in operator when they may do `action`; a clear refusal otherwise. A call
    /// let through counts as the operator's activity.
    pub fn authorized(&mut self, action: Action) -> Result<&Session, Error> {
        self.active(Some(action))
    }

    /// The signed-in operator's username, when they may do `action`.
    pub(super) fn operator(&mut self, action: Action) -> Result<String, Error> {
        self.authorized(action).map(|s| s.username.clone())
    }

    /// Any signed-in operator may look (timelines, rosters); acting needs a role. Counts as
    /// the operator's activity.
    pub fn signed_in(&mut self) -> Result<&Session, Error> {
        self.active(None)
    }

    /// Any signed-in operator, for what the screens poll by themselves: refused once the
    /// operator has been idle too long, but not itself activity.
    pub fn watching(&mut self) -> Result<&Session, Error> {
        if self.lapse_if_idle()? {
            return Err(self.expired());
        }
        self.session.as_ref().ok_or(Error::NotSignedIn)
    }

    /// The operator pressed a key or clicked without calling the core (panning the map,
    /// typing a form): they are still at the desk. Refused, like any call, once the session
    /// has lapsed; it never revives one.
    pub fn still_here(&mut self) -> Result<(), Error> {
        self.signed_in().map(drop)
    }

    fn active(&mut self, action: Option<Action>) -> Result<&Session, Error> {
        if self.lapse_if_idle()? {
            return Err(self.expired());
        }
        let now = self.desk.now();
        let session = self.session.as_ref().ok_or(Error::NotSignedIn)?;
        if let Some(action) = action {
            session.authorize(action)?;
        }
        self.last_activity = now;
        Ok(session)
    }

    fn expired(&self) -> Error {
        Error::SessionExpired { user: self.idle_signed_out.clone().unwrap_or_default(), minutes: self.idle_minutes() }
    }

    /// Signs the operator out when they have done nothing for the idle timeout (journaled
    /// as idle, at the moment the session lapsed; recorded now); true when it did.
    pub(super) fn lapse_if_idle(&mut self) -> Result<bool, Error> {
        let Some(session) = &self.session else { return Ok(false) };
        let now = self.desk.now();
        let lapsed_at = self.last_activity.saturating_add(self.idle_timeout_s);
        if now < lapsed_at {
            return Ok(false);
        }
        let user = session.username.clone();
        self.end_session(SignOutReason::Idle, lapsed_at, now)?;
        self.idle_signed_out = Some(user);
        Ok(true)
    }

    /// Makes `session` the desk's operator, journaling `SignedIn` (and `SignedOut` for the
    /// previous operator: idle if their session had lapsed, replaced otherwise).
    pub(super) fn begin_session(&mut self, session: Session, at: i64) -> Result<(), Error> {
        self.lapse_if_idle()?;
        if self.session.is_some() {
            self.end_session(SignOutReason::Replaced, at, at)?;
        }
        let body = EventBody::SignedIn { role: session.role.name().into() };
        let event = NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: session.username.clone(), body };
        self.desk.journal_mut().append(&event)?;
        self.session = Some(session);
        self.last_activity = self.desk.now();
        self.idle_signed_out = None;
        Ok(())
    }

    fn end_session(&mut self, reason: SignOutReason, at: i64, recorded: i64) -> Result<(), Error> {
        if let Some(session) = self.session.take() {
            let body = EventBody::SignedOut { reason };
            let event = NewEvent { incident_id: None, at_utc: at, recorded_utc: recorded, operator: session.username.clone(), body };
            if let Err(e) = self.desk.journal_mut().append(&event) {
                // Not journaled: the operator stays signed in rather than leave unrecorded.
                self.session = Some(session);
                return Err(e);
            }
        }
        Ok(())
    }

    /// The operator signs out, or the UI locked the desk after they were idle (`Idle`).
    /// Nobody signed in: nothing to do. A session that had already lapsed is journaled as
    /// idle at the moment it lapsed, whatever `reason` says.
    pub fn sign_out(&mut self, reason: SignOutReason, at: i64) -> Result<(), Error> {
        if self.lapse_if_idle()? {
            return Ok(());
        }
        let who = self.session.as_ref().map(|s| s.username.clone());
        self.end_session(reason, at, at)?;
        if reason == SignOutReason::Idle && who.is_some() {
            self.idle_signed_out = who;
        }
        Ok(())
    }

    /// Who was on the desk: sessions that began in `[from_utc, to_utc)`, oldest first.
    pub fn desk_sessions(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, Error> {
        self.authorized(Action::ViewReports)?;
        let events = self.desk.journal().session_events_since(from_utc)?;
        Ok(desk_sessions(&events).into_iter().filter(|s| s.signed_in_utc < to_utc).collect())
    }

    /// Refused sign-ins and lock-outs in `[from_utc, to_utc)`, oldest first: someone trying
    /// names or passwords at the desk is for a supervisor to see.
    pub fn refused_sign_ins(&mut self, from_utc: i64, to_utc: i64) -> Result<Vec<RefusedSignIn>, Error> {
        self.authorized(Action::ViewReports)?;
        let events = self.desk.journal().sign_in_attempts_since(from_utc)?;
        Ok(refused_sign_ins(&events).into_iter().filter(|r| r.at_utc < to_utc).collect())
    }
}

//! Operator sessions: every sign-in and sign-out at the desk is journaled, so a supervisor
//! can see who was on the desk and when.

use super::Workstation;
use crate::accounts::{desk_sessions, Action, DeskSession, Session};
use crate::store::{EventBody, SignOutReason};
use crate::Error;

impl Workstation {
    /// Makes `session` the desk's operator, journaling `SignedIn` (and `SignedOut` as
    /// replaced for an operator who never signed out).
    pub(super) fn begin_session(&mut self, session: Session, at: i64) -> Result<(), Error> {
        if self.session.is_some() {
            self.end_session(SignOutReason::Replaced, at)?;
        }
        let body = EventBody::SignedIn { role: session.role.name().into() };
        self.desk.journal_mut().append(None, at, at, &session.username, &body)?;
        self.session = Some(session);
        Ok(())
    }

    fn end_session(&mut self, reason: SignOutReason, at: i64) -> Result<(), Error> {
        if let Some(session) = self.session.take() {
            let body = EventBody::SignedOut { reason };
            if let Err(e) = self.desk.journal_mut().append(None, at, at, &session.username, &body) {
                // Not journaled: the operator stays signed in rather than leave unrecorded.
                self.session = Some(session);
                return Err(e);
            }
        }
        Ok(())
    }

    /// The operator signs out, or the desk locks itself after they were idle (`Idle`).
    /// Nobody signed in: nothing to do.
    pub fn sign_out(&mut self, reason: SignOutReason, at: i64) -> Result<(), Error> {
        self.end_session(reason, at)
    }

    /// Who was on the desk: sessions that began in `[from_utc, to_utc)`, oldest first.
    pub fn desk_sessions(&self, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, Error> {
        self.authorized(Action::ViewReports)?;
        let events = self.desk.journal().session_events_since(from_utc)?;
        Ok(desk_sessions(&events).into_iter().filter(|s| s.signed_in_utc < to_utc).collect())
    }
}

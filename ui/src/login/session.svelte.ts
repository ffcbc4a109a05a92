// Who is signed in at this desk, as runes state shared by the app, the header and the
// login screen. The core holds the real session (it survives a page reload); this mirrors
// what it answered.
//
// Idle: the core is the authority. It signs an operator out after `idleMinutes` without a
// call of theirs (the screens' own polls do not count) and answers the next call with
// `session_expired`, whichever screen made it: this state then returns to the sign-in
// screen with a notice. The UI's own timer below locks the screen at the same limit
// without waiting for a call. Keys, clicks and wheel turns that call nothing (panning the
// map, typing a form) are reported to the core with `still_here`, at most once a minute,
// so that both agree on when the operator was last at the desk.
import { createFirstAdministrator, login, logout, onSessionExpired, signInState, stillHere } from '../ipc/commands';
import type { CoreError, ServiceSeat, Session, SignOutReason } from '../ipc/types';

/** An unattended desk signs its operator out after this long without a key or a click
 *  (the core's setting replaces it once `sign_in_state` has answered). */
export const IDLE_MINUTES = 30;

/** Keys and clicks are reported to the core at most this often. */
export const STILL_HERE_EVERY_MS = 60_000;

class Operator {
  /** The signed-in operator, or null. */
  session = $state<Session | null>(null);
  /** No account exists: the first-start screen creates the administrator. */
  needsFirstAdministrator = $state(false);
  /** sign_in_state has answered (the login screen waits for it). */
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);
  /** Who the desk signed out for being idle (the login form offers their name again). */
  idleSignedOut = $state<string | null>(null);
  /** The command-centre service and seat this desk works at; null on its own journal. */
  service = $state<ServiceSeat | null>(null);
  /** The idle limit, minutes (the core's). */
  idleMinutes = $state(IDLE_MINUTES);
  /** Last key, click or wheel (ms since epoch); not state, nothing renders it. */
  lastActivity = Date.now();
  /** When the core last heard of the operator (a sign-in or `still_here`). */
  lastReported = Date.now();

  async load(): Promise<void> {
    try {
      const s = await signInState();
      this.needsFirstAdministrator = s.needs_first_administrator;
      this.idleMinutes = s.idle_minutes || IDLE_MINUTES;
      this.service = s.service;
      if (!s.session && s.idle_signed_out) this.idleSignedOut = s.idle_signed_out;
      this.session = s.session;
      this.loadError = null;
    } catch (e) {
      this.loadError = e as CoreError;
    } finally {
      this.loaded = true;
    }
  }

  async signIn(username: string, password: string): Promise<void> {
    this.session = await login(username, password);
    this.idleSignedOut = null;
    // The service may seat the operator otherwise than asked: show where it did.
    if (this.service) this.service = (await signInState()).service;
    this.touch(Date.now(), false);
  }

  async createFirstAdministrator(username: string, password: string): Promise<void> {
    this.session = await createFirstAdministrator(username, password);
    this.needsFirstAdministrator = false;
    this.touch(Date.now(), false);
  }

  async signOut(reason: SignOutReason = 'signed_out'): Promise<void> {
    try {
      await logout(reason);
    } finally {
      // Whatever the core said, this screen no longer acts for anyone.
      this.session = null;
    }
  }

  /** The operator pressed a key, clicked or turned the wheel. `report`: tell the core too
   *  (at most once a minute; a sign-in has just told it). */
  touch(now = Date.now(), report = true): void {
    this.lastActivity = now;
    if (!report) {
      this.lastReported = now;
    } else if (this.session && now - this.lastReported >= STILL_HERE_EVERY_MS) {
      this.lastReported = now;
      // A lapsed session answers session_expired, which `expired` below handles.
      stillHere().catch(() => undefined);
    }
  }

  /** The core signed the operator out for being idle (any call answered session_expired). */
  expired(): void {
    const who = this.session?.username;
    if (!who) return;
    this.idleSignedOut = who;
    this.session = null;
  }

  /** Signs the operator out when idle for `limitMs`; true when it did. */
  async signOutIfIdle(now = Date.now(), limitMs = this.idleMinutes * 60_000): Promise<boolean> {
    const who = this.session?.username;
    if (!who || now - this.lastActivity < limitMs) return false;
    this.idleSignedOut = who;
    await this.signOut('idle');
    return true;
  }
}

export const operator = new Operator();
onSessionExpired((e) => {
  if (e.minutes) operator.idleMinutes = e.minutes;
  operator.expired();
});

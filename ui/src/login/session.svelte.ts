// Who is signed in at this desk, as runes state shared by the app, the header and the
// login screen. The core holds the real session (it survives a page reload); this mirrors
// what it answered.
import { createFirstAdministrator, login, logout, signInState } from '../ipc/commands';
import type { CoreError, Session, SignOutReason } from '../ipc/types';

/** An unattended desk signs its operator out after this long without a key or a click. */
export const IDLE_MINUTES = 30;

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
  /** Last key, click or wheel (ms since epoch); not state, nothing renders it. */
  lastActivity = Date.now();

  async load(): Promise<void> {
    try {
      const s = await signInState();
      this.needsFirstAdministrator = s.needs_first_administrator;
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
    this.touch();
  }

  async createFirstAdministrator(username: string, password: string): Promise<void> {
    this.session = await createFirstAdministrator(username, password);
    this.needsFirstAdministrator = false;
    this.touch();
  }

  async signOut(reason: SignOutReason = 'signed_out'): Promise<void> {
    try {
      await logout(reason);
    } finally {
      // Whatever the core said, this screen no longer acts for anyone.
      this.session = null;
    }
  }

  touch(now = Date.now()): void {
    this.lastActivity = now;
  }

  /** Signs the operator out when idle for `limitMs`; true when it did. */
  async signOutIfIdle(now = Date.now(), limitMs = IDLE_MINUTES * 60_000): Promise<boolean> {
    const who = this.session?.username;
    if (!who || now - this.lastActivity < limitMs) return false;
    await this.signOut('idle');
    this.idleSignedOut = who;
    return true;
  }
}

export const operator = new Operator();

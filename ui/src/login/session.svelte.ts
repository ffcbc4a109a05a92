// Who is signed in at this desk, as runes state shared by the app, the header and the
// login screen. The core holds the real session; this mirrors what it answered.
import { createFirstAdministrator, login, logout, signInState } from '../ipc/commands';
import type { CoreError, Session } from '../ipc/types';

class Operator {
  /** The signed-in operator, or null. */
  session = $state<Session | null>(null);
  /** No account exists: the first-start screen creates the administrator. */
  needsFirstAdministrator = $state(false);
  /** sign_in_state has answered (the login screen waits for it). */
  loaded = $state(false);
  loadError = $state<CoreError | null>(null);

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
  }

  async createFirstAdministrator(username: string, password: string): Promise<void> {
    this.session = await createFirstAdministrator(username, password);
    this.needsFirstAdministrator = false;
  }

  async signOut(): Promise<void> {
    try {
      await logout();
    } finally {
      // Whatever the core said, this screen no longer acts for anyone.
      this.session = null;
    }
  }
}

export const operator = new Operator();

import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { board } from '../ipc/commands';
import { IDLE_MINUTES, STILL_HERE_EVERY_MS, operator } from './session.svelte';

describe('operator session', () => {
  beforeEach(() => {
    invoke.mockReset();
    operator.session = null;
    operator.idleSignedOut = null;
  });

  it('signs an idle operator out as idle, and not before the limit', async () => {
    invoke.mockResolvedValue({ username: 'wang', role: 'dispatcher' });
    await operator.signIn('wang', 'wang-pass-1');
    const t0 = operator.lastActivity;
    const limit = IDLE_MINUTES * 60_000;

    expect(await operator.signOutIfIdle(t0 + limit - 1)).toBe(false);
    operator.touch(t0 + limit - 1); // a key press just before the limit
    expect(await operator.signOutIfIdle(t0 + limit + 1)).toBe(false);
    expect(operator.session).not.toBeNull();

    invoke.mockResolvedValue(null);
    expect(await operator.signOutIfIdle(t0 + 2 * limit)).toBe(true);
    expect(invoke).toHaveBeenLastCalledWith('logout', { reason: 'idle' });
    expect(operator.session).toBeNull();
    expect(operator.idleSignedOut).toBe('wang');
    // Nobody signed in: nothing more to do.
    expect(await operator.signOutIfIdle(t0 + 3 * limit)).toBe(false);
  });

  it('clears the session even when the core fails to sign out', async () => {
    operator.session = { username: 'wang', role: 'dispatcher' };
    invoke.mockRejectedValue({ kind: 'storage', message: 'journal: disk full' });
    await expect(operator.signOut()).rejects.toEqual({ kind: 'storage', message: 'journal: disk full' });
    expect(invoke).toHaveBeenCalledWith('logout', { reason: 'signed_out' });
    expect(operator.session).toBeNull();
  });

  it('returns to sign-in when any call finds the session expired in the core', async () => {
    operator.session = { username: 'wang', role: 'dispatcher' };
    const expired = { kind: 'session_expired', message: 'wang did nothing at the desk for 30 minutes', minutes: 30 };
    invoke.mockRejectedValue(expired);
    await expect(board()).rejects.toEqual(expired);
    expect(operator.session).toBeNull();
    expect(operator.idleSignedOut).toBe('wang');
    expect(operator.idleMinutes).toBe(30);
  });

  it('tells the core of keys and clicks at most once a minute, only while signed in', () => {
    const t0 = 1_000_000;
    operator.touch(t0, false);
    operator.touch(t0 + STILL_HERE_EVERY_MS); // nobody signed in: nothing to tell
    expect(invoke).not.toHaveBeenCalled();
    operator.session = { username: 'wang', role: 'dispatcher' };
    operator.touch(t0 + STILL_HERE_EVERY_MS + 1, false); // a sign-in has just told the core
    invoke.mockResolvedValue(null);
    operator.touch(t0 + STILL_HERE_EVERY_MS + 1000);
    expect(invoke).not.toHaveBeenCalled();
    operator.touch(t0 + 2 * STILL_HERE_EVERY_MS + 1);
    operator.touch(t0 + 2 * STILL_HERE_EVERY_MS + 2);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('still_here', undefined);
  });

  it('after a reload, shows who the core signed out for being idle', async () => {
    invoke.mockResolvedValue({ needs_first_administrator: false, session: null, idle_signed_out: 'wang', idle_minutes: 20 });
    await operator.load();
    expect(operator.session).toBeNull();
    expect(operator.idleSignedOut).toBe('wang');
    expect(operator.idleMinutes).toBe(20);
    operator.idleMinutes = IDLE_MINUTES;
  });
});

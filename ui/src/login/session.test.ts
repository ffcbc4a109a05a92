import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { IDLE_MINUTES, operator } from './session.svelte';

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
});

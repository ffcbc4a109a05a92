// The supervisor's review of sign-ins against a mocked core: refusals worded by reason,
// the lock-out with its end, sessions with how they ended, newest first, the period asked.
import { render, screen, waitFor, fireEvent } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import DeskAccess from './DeskAccess.svelte';
import { i18n } from '../i18n/index.svelte';

const NOW = 1_782_871_200; // 2026-07-01 10:00 in Shanghai
const asked: { cmd: string; fromUtc: number; toUtc: number }[] = [];

beforeEach(() => {
  i18n.lang = 'en';
  asked.length = 0;
  invoke.mockImplementation(async (cmd: string, args: { fromUtc: number; toUtc: number }) => {
    asked.push({ cmd, ...args });
    if (cmd === 'refused_sign_ins')
      return [
        { at_utc: NOW - 600, username: 'ghost', reason: 'unknown_account', locked_until_utc: null },
        { at_utc: NOW - 300, username: 'wang', reason: 'wrong_password', locked_until_utc: null },
        { at_utc: NOW - 299, username: 'wang', reason: 'locked', locked_until_utc: NOW - 179 },
      ];
    if (cmd === 'desk_sessions')
      return [
        { username: 'wang', role: 'dispatcher', signed_in_utc: NOW - 7200, signed_out_utc: NOW - 3600, ended: 'idle' },
        { username: 'zhao', role: 'supervisor', signed_in_utc: NOW - 60, signed_out_utc: null, ended: null },
      ];
    throw { kind: 'ipc', message: `unexpected ${cmd}` };
  });
});

describe('sign-ins at the desk', () => {
  it('words refusals and the lock-out, newest first, and asks for the chosen days', async () => {
    render(DeskAccess, { timeZone: 'Asia/Shanghai', now: () => NOW });
    await waitFor(() => expect(screen.getAllByTestId('access-refusal')).toHaveLength(3));
    const rows = screen.getAllByTestId('access-refusal').map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('locked after repeated failures until 07-01 09:57:01');
    expect(rows[1]).toContain('wrong password');
    expect(rows[2]).toContain('ghost');
    expect(rows[2]).toContain('no such user');
    const sessions = screen.getAllByTestId('access-session').map((r) => r.textContent ?? '');
    expect(sessions[0]).toContain('zhao');
    expect(sessions[0]).toContain('still on');
    expect(sessions[1]).toContain('idle timeout');
    expect(asked.find((a) => a.cmd === 'refused_sign_ins')?.fromUtc).toBe(NOW + 60 - 7 * 86_400);
    await fireEvent.change(screen.getByTestId('access-days'), { target: { value: '30' } });
    await waitFor(() => expect(asked.some((a) => a.fromUtc === NOW + 60 - 30 * 86_400)).toBe(true));
  });
});

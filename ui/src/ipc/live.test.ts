import { describe, expect, it, vi } from 'vitest';

// The shell's events, captured so the test can send them as the shell would.
const handlers = new Map<string, (e: { payload: unknown }) => void>();
vi.mock('@tauri-apps/api/event', () => ({
  listen: async (name: string, f: (e: { payload: unknown }) => void) => {
    handlers.set(name, f);
    return () => handlers.delete(name);
  },
}));

import { onFixesChanged, onJournalChanged, serviceLink, serviceLost, startLive } from './live.svelte';

describe("a seat's live events", () => {
  it('passes on new seqs, pushed fixes and the link, and stops when asked', async () => {
    await startLive();
    const seqs: number[] = [];
    let fixes = 0;
    const stopSeqs = onJournalChanged((s) => seqs.push(s));
    const stopFixes = onFixesChanged(() => fixes++);
    handlers.get('journal-changed')?.({ payload: { seq: 42 } });
    handlers.get('fixes-changed')?.({ payload: null });
    handlers.get('fixes-changed')?.({ payload: null });
    expect([seqs, fixes]).toEqual([[42], 2]);
    stopFixes();
    handlers.get('fixes-changed')?.({ payload: null });
    expect(fixes).toBe(2);
    stopSeqs();
    handlers.get('service-status')?.({ payload: { connected: false, since: 1, message: 'gone', tampered: false } });
    expect(serviceLost()).toBe(true);
    expect(serviceLink.status?.message).toBe('gone');
  });
});

import { describe, expect, it, vi } from 'vitest';

// The shell's events, captured so the test can send them as the shell would.
const handlers = new Map<string, (e: { payload: unknown }) => void>();
vi.mock('@tauri-apps/api/event', () => ({
  listen: async (name: string, f: (e: { payload: unknown }) => void) => {
    handlers.set(name, f);
    return () => handlers.delete(name);
  },
}));

import { followRegion, onFixesChanged, onJournalChanged, serviceLink, serviceLost, startLive } from './live.svelte';

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

  it("re-reads the open map's region when a region edit is pushed, the last edit drawn last", async () => {
    await startLive();
    let version = 1;
    const reads: number[] = [];
    const shown: string[] = [];
    let release: () => void = () => {};
    const read = () => {
      reads.push(version);
      const v = `region v${version}`;
      // The first read is slow: a second push arrives while it is under way.
      return reads.length === 1 ? new Promise<string>((r) => (release = () => r(v))) : Promise.resolve(v);
    };
    const stop = followRegion(read, (v) => shown.push(v));
    handlers.get('region-changed')?.({ payload: { version: 1 } });
    version = 2;
    handlers.get('region-changed')?.({ payload: { version: 2 } });
    expect(reads).toEqual([1]);
    release();
    await vi.waitFor(() => expect(shown).toEqual(['region v1', 'region v2']));
    expect(reads).toEqual([1, 2]);
    stop();
    handlers.get('region-changed')?.({ payload: { version: 3 } });
    await Promise.resolve();
    expect(reads).toEqual([1, 2]);
  });

  it('keeps the region it has when the re-read fails', async () => {
    await startLive();
    const shown: string[] = [];
    const stop = followRegion(() => Promise.reject(new Error('offline')), (v: string) => shown.push(v));
    handlers.get('region-changed')?.({ payload: { version: 4 } });
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([]);
    stop();
  });
});

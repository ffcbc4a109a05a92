// A seat on the command-centre service (the desk started with TIDEWATCH_SERVICE): the
// shell's live thread tells the window every new journal seq (`journal-changed`: the
// board is fetched at once instead of at its next poll) and when the link to the service
// is lost or back (`service-status`: the banner), and that crews' phones reported
// (`fixes-changed`, at most once a second: the map re-reads the fixes). A desk on its own
// journal sends none of them.
import { listen } from '@tauri-apps/api/event';

export const JOURNAL_CHANGED = 'journal-changed';
export const SERVICE_STATUS = 'service-status';
export const FIXES_CHANGED = 'fixes-changed';

/** The link as the shell reports it; `since` is unix seconds. */
export interface ServiceStatus {
  connected: boolean;
  since: number;
  message: string | null;
  /** The service's journal no longer extends what this desk saw: not trusted any more. */
  tampered: boolean;
}

export const serviceLink: { status: ServiceStatus | null } = $state({ status: null });

const changed = new Set<(seq: number) => void>();

/** Calls `f` on every new seq; returns the way to stop. */
export function onJournalChanged(f: (seq: number) => void): () => void {
  changed.add(f);
  return () => changed.delete(f);
}

const fixesChanged = new Set<() => void>();

/** Calls `f` whenever crews' phones reported; returns the way to stop. */
export function onFixesChanged(f: () => void): () => void {
  fixesChanged.add(f);
  return () => fixesChanged.delete(f);
}

/** Whether the desk cannot reach its service now (actions are refused meanwhile). */
export function serviceLost(): boolean {
  return serviceLink.status !== null && !serviceLink.status.connected;
}

let started = false;

/** Listens to the shell's events (once; outside Tauri, e.g. in unit tests, does nothing). */
export async function startLive(): Promise<void> {
  if (started) return;
  started = true;
  try {
    await listen<{ seq: number }>(JOURNAL_CHANGED, (e) => changed.forEach((f) => f(e.payload.seq)));
    await listen<ServiceStatus>(SERVICE_STATUS, (e) => (serviceLink.status = e.payload));
    await listen(FIXES_CHANGED, () => fixesChanged.forEach((f) => f()));
  } catch {
    started = false;
  }
}

// A seat on the command-centre service (the desk started with TIDEWATCH_SERVICE): the
// shell's live thread tells the window every new journal seq (`journal-changed`: the
// board is fetched at once instead of at its next poll) and when the link to the service
// is lost or back (`service-status`: the banner), and that crews' phones reported
// (`fixes-changed`, at most once a second: the map re-reads the fixes), and that an
// administrator saved a region edit (`region-changed`: the map re-reads the region). A desk
// on its own journal sends none of them.
import { listen } from '@tauri-apps/api/event';

export const JOURNAL_CHANGED = 'journal-changed';
export const SERVICE_STATUS = 'service-status';
export const FIXES_CHANGED = 'fixes-changed';
export const REGION_CHANGED = 'region-changed';

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

const regionChanged = new Set<(version: number) => void>();

/** Calls `f` with the service's region version whenever a region edit was saved (on any
 *  seat); returns the way to stop. */
export function onRegionChanged(f: (version: number) => void): () => void {
  regionChanged.add(f);
  return () => regionChanged.delete(f);
}

/**
 * Keeps the open map on the service's region: on every `region-changed` it reads the map
 * again with `read` (the shell lays the new edits over the seat's pack first) and hands the
 * view to `show`. A push arriving while a read is under way is read again after it, so the
 * last edit is the one drawn. Returns the way to stop.
 */
export function followRegion<V>(read: () => Promise<V>, show: (view: V) => void): () => void {
  let reading = false;
  let again = false;
  const reread = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        try {
          show(await read());
        } catch {
          // Offline or signed out: the map keeps the region it has; the next push reads again.
        }
      } while (again);
    } finally {
      reading = false;
    }
  };
  return onRegionChanged(() => void reread());
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
    await listen<{ version: number }>(REGION_CHANGED, (e) => regionChanged.forEach((f) => f(e.payload.version)));
  } catch {
    started = false;
  }
}

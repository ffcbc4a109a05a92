// The desk's clock: live, or set to another time to ask "what if the call came then?".
// While it is set, the dispatcher's intake asks the core for a preview
// (`preview_recommendation`): that hour's sailings and rosters, nothing journaled. Live
// incidents always carry the real time, so a set clock never writes to the journal.
import { zonedParts } from '../dispatch/words';

/** How far either side of now the core accepts (PREVIEW_RANGE_DAYS in the core). */
export const PREVIEW_RANGE_DAYS = 30;

class DeskClockSetting {
  /** Seconds since the epoch the clock is set to, or null: live. */
  at = $state<number | null>(null);

  set(at: number): void {
    this.at = at;
  }

  live(): void {
    this.at = null;
  }
}

export const deskClock = new DeskClockSetting();

/** `utcSeconds` as a `datetime-local` input value (YYYY-MM-DDTHH:mm) in `timeZone`. */
export function toZonedInput(utcSeconds: number, timeZone: string): string {
  const p = zonedParts(utcSeconds, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** A `datetime-local` value read as wall-clock time in `timeZone` (not the machine's
 * zone: the desk may run anywhere, the region's clock is what the dispatcher means), as
 * seconds since the epoch; null when it is not a date and time. */
export function fromZonedInput(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi) / 1000;
  // The zone's offset at that moment: guess with the wall time as UTC, then correct once
  // more for a guess on the other side of a daylight-saving change.
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(at, timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
    at += wall - seen;
  }
  return at;
}

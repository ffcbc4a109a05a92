// The board-thresholds form: the core's seconds as minutes in text inputs and back, the
// few checks the form makes before asking the core (a number in each box), and where the
// core's refusal belongs (its `field`, e.g. `received.p1` or
// `route_modes.boat.en_route_red_pct`). The core checks everything else.
import type { Key } from '../i18n/dict';
import type { BoardMode, BoardThresholds, CoreError, Limits } from '../ipc/types';

export const PRIORITIES = [1, 2, 3, 4] as const;
export const STATES = ['received', 'dispatched', 'on_scene'] as const;
export type TimedState = (typeof STATES)[number];
export const MODES: BoardMode[] = ['road', 'bridge', 'ferry', 'boat'];

export interface LimitsForm {
  amber: string;
  red: string;
}
export interface ModeForm {
  turnout: LimitsForm;
  red_pct: string;
}
export interface ThresholdsForm {
  received: LimitsForm[];
  dispatched: LimitsForm[];
  on_scene: LimitsForm[];
  modes: Record<BoardMode, ModeForm>;
}

/** Seconds as minutes, to two decimals at most ("1.5", "2", "0.25"). */
export function minutes(seconds: number): string {
  return String(Math.round((seconds / 60) * 100) / 100);
}

const limitsForm = (l: Limits): LimitsForm => ({ amber: minutes(l.amber_s), red: minutes(l.red_s) });

export function toForm(t: BoardThresholds): ThresholdsForm {
  const modes = {} as Record<BoardMode, ModeForm>;
  for (const m of MODES) {
    const r = t.route_modes[m];
    modes[m] = { turnout: limitsForm(r.turnout), red_pct: String(r.en_route_red_pct) };
  }
  return {
    received: t.received.map(limitsForm),
    dispatched: t.dispatched.map(limitsForm),
    on_scene: t.on_scene.map(limitsForm),
    modes,
  };
}

/** Field path (the core's) → what is wrong with it, as a dictionary key or the core's words. */
export type Problems = Record<string, { key?: Key; message: string }>;

/** A box's minutes as whole seconds; undefined when it is not a number. */
export function seconds(text: string): number | undefined {
  const s = text.trim().replace(',', '.');
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(s)) return undefined;
  return Math.round(Number(s) * 60);
}

function pct(text: string): number | undefined {
  const s = text.trim();
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** The form as the core's table, or the boxes that are not numbers (by field). */
export function fromForm(f: ThresholdsForm): { thresholds?: BoardThresholds; problems: Problems } {
  const problems: Problems = {};
  const notNumber = (field: string) => (problems[field] = { key: 'thr.err.number', message: 'not a number' });
  const limits = (field: string, l: LimitsForm): Limits => {
    const amber = seconds(l.amber);
    const red = seconds(l.red);
    if (amber === undefined || red === undefined) notNumber(field);
    return { amber_s: amber ?? 0, red_s: red ?? 0 };
  };
  const table = (state: TimedState) => f[state].map((l, i) => limits(`${state}.p${i + 1}`, l)) as BoardThresholds['received'];
  const received = table('received');
  const dispatched = table('dispatched');
  const on_scene = table('on_scene');
  const route_modes = {} as BoardThresholds['route_modes'];
  for (const m of MODES) {
    const turnout = limits(`route_modes.${m}.turnout`, f.modes[m].turnout);
    const red = pct(f.modes[m].red_pct);
    if (red === undefined) notNumber(`route_modes.${m}.en_route_red_pct`);
    route_modes[m] = { turnout, en_route_red_pct: red ?? 0 };
  }
  if (Object.keys(problems).length > 0) return { problems };
  return { thresholds: { received, dispatched, on_scene, route_modes }, problems };
}

/** The core's refusal placed at its field (from `field`, or the `field: message` it says). */
export function problemsFrom(e: CoreError): Problems {
  if (e.kind !== 'invalid_input') return {};
  const colon = e.message.indexOf(': ');
  const field = e.field ?? (colon > 0 ? e.message.slice(0, colon) : '');
  if (!field) return {};
  const message = colon > 0 && e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
  return { [field]: { key: knownProblem(message), message } };
}

/** The core's English words for a bad table, in the UI's dictionary when known. */
function knownProblem(message: string): Key | undefined {
  if (message.includes('amber must be under red')) return 'thr.err.order';
  if (message.includes('amber must be over 0')) return 'thr.err.zero';
  if (message.includes('red must be at most')) return 'thr.err.max';
  if (message.includes('% of the ETA')) return 'thr.err.pct';
  return undefined;
}

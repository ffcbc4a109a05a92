// The core's warnings and journal events in the UI's language (unit-tested in words.test.ts).
// Warnings are worded from their `kind` and `params`; when a kind or a parameter is not
// known here, the core's English message is shown rather than a half-filled sentence.
import type { Key, Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { ClosedBy, JournalEvent, PlannedTask, Warning } from '../ipc/types';
import { mmss } from './format';

/** Id → display name (islands, units, incident types); unknown ids come back as they are. */
export type Namer = (id: string) => string;

export interface WarningNames {
  island: Namer;
}

export function warningText(lang: Lang, w: Warning, names: WarningNames): string {
  const p = w.params ?? {};
  const t = (key: Key, params: Record<string, string | number | undefined>): string => {
    if (Object.values(params).some((v) => v === undefined)) return w.message;
    return translate(lang, key, params as Record<string, string | number>);
  };
  const island = p.island !== undefined ? names.island(p.island) : undefined;
  switch (w.kind) {
    case 'over_target':
      return t('warn.over_target', {
        eta: p.eta_min,
        target: p.target_min,
        priority: p.priority,
        mode: p.route_mode ? translate(lang, `mode.${p.route_mode}`) : undefined,
      });
    case 'last_unit_on_island':
      return t('warn.last_unit_on_island', { unit: p.call_sign, island });
    case 'at_sea':
      return t('warn.at_sea', { distance: p.distance_m, island });
    case 'off_network':
      return t('warn.off_network', { distance: p.distance_m });
    case 'no_unit_reaches':
      return island === undefined ? translate(lang, 'warn.no_unit_reaches.sea') : t('warn.no_unit_reaches', { island });
    case 'no_return_before_last_sailing':
      return p.back_at === undefined
        ? t('warn.no_return.never', { unit: p.call_sign, cleared: p.cleared_at })
        : t('warn.no_return', { unit: p.call_sign, cleared: p.cleared_at, back: p.back_at });
    case 'carried_return': {
      const base = { boat: p.carrier, unit: p.call_sign, cleared: p.cleared_at, free: p.back_at };
      if (p.sailing_at === undefined) return t('warn.carried_return.no_sailing', base);
      return t(p.own_way ? 'warn.carried_return.own_way' : 'warn.carried_return', { ...base, sailing: p.sailing_at });
    }
    default:
      return w.message;
  }
}

/** A what-if report's model in the UI's language; the core's English for a model not known here. */
export function simModelText(lang: Lang, r: { model: string; model_kind?: string }): string {
  switch (r.model_kind) {
    case 'fastest_free_from_base':
      return translate(lang, 'sim.model.fastest_free_from_base');
    default:
      return r.model;
  }
}

/** A broken roster rule's name (the core's `rule` id) in the UI's language; the id when not known here. */
export function rosterRuleText(lang: Lang, rule: string): string {
  const key = `roster.rule.${rule}`;
  const text = translate(lang, key);
  return text === key ? rule : text;
}

/** Why a bridge is closed or a crossing suspended, in words. */
export function closedByText(lang: Lang, r: ClosedBy): string {
  switch (r.by) {
    case 'hand':
      return translate(lang, 'cond.reason.hand');
    case 'wind':
      return translate(lang, 'cond.reason.wind', { force: r.force, limit: r.limit });
    case 'visibility':
      return translate(lang, 'cond.reason.visibility', { v: r.visibility_m, limit: r.limit_m });
    case 'pack':
      return translate(lang, 'cond.reason.pack');
  }
}

/** "HH:MM:SS" (and "MM-DD " before it when `withDate`) of a UTC second in the time zone. */
/** The wall-clock parts of `utcSeconds` in `timeZone` (year, month, day, hour, minute, second). */
export function zonedParts(utcSeconds: number, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcSeconds * 1000));
  return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

const two = (n: number) => String(n).padStart(2, '0');

export function zonedTime(utcSeconds: number, timeZone: string, withDate = false): string {
  const p = zonedParts(utcSeconds, timeZone);
  const time = `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
  return withDate ? `${two(p.month)}-${two(p.day)} ${time}` : time;
}

/** Where the published patrol plan wants a unit now (issue #18), in the UI's language:
 *  "checkpoint at 定海客运码头 19:00–21:00", "patrol stop 3 of 8". */
export function plannedText(lang: Lang, task: PlannedTask, timeZone: string): string {
  const hm = (t: number) => zonedTime(t, timeZone).slice(0, 5);
  const place = lang === 'en' ? task.name_en || task.place : task.name_zh || task.place;
  return translate(lang, `planned.${task.kind}`, {
    place,
    from: hm(task.from_utc),
    to: hm(task.to_utc),
    n: task.stop ?? 0,
    of: task.stops ?? 0,
  });
}

export interface EventNames {
  unit: Namer;
  incidentType: Namer;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** One journal event of an incident in words (its time and operator are shown beside it). */
export function eventText(lang: Lang, e: JournalEvent, names: EventNames): string {
  const b = e.body;
  const unit = names.unit(str(b.unit));
  switch (b.kind) {
    case 'received': {
      const text = str(b.text).trim();
      return translate(lang, 'ev.received', {
        type: names.incidentType(str(b.incident_type)),
        priority: str(b.priority),
        text: text ? ` · “${text}”` : '',
      });
    }
    case 'dispatched': {
      const plan = (b.plan ?? {}) as { eta_s?: number | null; recommended_unit?: string | null };
      const eta =
        plan.eta_s != null
          ? translate(lang, 'ev.dispatched.eta', {
              eta: mmss(plan.eta_s),
              rec: plan.recommended_unit ? names.unit(plan.recommended_unit) : '—',
            })
          : '';
      const carried = b.carrier ? translate(lang, 'ev.dispatched.carried', { boat: names.unit(str(b.carrier)) }) : '';
      const base = translate(lang, 'ev.dispatched', { unit, eta }) + carried;
      return b.override_reason ? `${base} · ${translate(lang, 'ev.override', { reason: str(b.override_reason) })}` : base;
    }
    case 'en_route':
    case 'on_scene':
      return translate(lang, `ev.${b.kind}`, { unit });
    case 'cleared':
      return translate(lang, 'ev.cleared', { outcome: str(b.outcome) });
    case 'cancelled':
      return translate(lang, 'ev.cancelled', { reason: str(b.reason) });
    case 'unit_withdrawn':
      return translate(lang, 'ev.unit_withdrawn', { unit, reason: str(b.reason) });
    case 'note':
      return translate(lang, 'ev.note', { text: str(b.text) });
    case 'responder_called':
      return translate(lang, 'ev.responder_called', { name: str(b.name), phone: str(b.phone) });
    case 'crew_action': {
      // The phone's own clock beside the journal's time (an action queued offline is later).
      const phone = typeof b.phone_utc === 'number' ? ` · ${new Date(b.phone_utc * 1000).toTimeString().slice(0, 8)}` : '';
      return translate(lang, 'ev.crew_action', { unit, action: str(b.action), phone });
    }
    case 'board_thresholds_set':
      return translate(lang, 'ev.board_thresholds_set');
    case 'correction':
      return translate(lang, 'ev.correction', {
        seq: str(b.corrects_seq),
        field: str(b.field),
        value: str(b.value),
        reason: str(b.reason),
      });
    default:
      return translate(lang, 'ev.other', { kind: b.kind });
  }
}

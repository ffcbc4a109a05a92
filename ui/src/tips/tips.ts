// The tips queue's logic, apart from the panel so it can be tested: groups (a tip and its
// repeats are handled together), their order (new first), ages, and the intake a tip
// prefills when the dispatcher makes it an incident.
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { IncidentType, QueuedTip, TipIncident } from '../ipc/types';

/** The tips a citizen can send (the public page's categories). */
export const CATEGORIES = ['hazard', 'traffic_jam', 'accident', 'public_order', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A tip and its repeats: one row in the queue, one step for all. */
export interface TipGroup {
  /** The first tip (the group's id); the steps are asked on it. */
  lead: QueuedTip;
  /** Every tip of the group, oldest first (the lead among them). */
  tips: QueuedTip[];
  /** The newest tip's time (unix seconds): a repeat brings the group up. */
  latest_utc: number;
  /** `received` (new), `handling` or `closed`: the lead's. */
  state: string;
}

const STATE_ORDER: Record<string, number> = { received: 0, handling: 1, closed: 2 };

/** The queue as groups: new ones first, then those being handled, then closed; the most
 *  recent first within each. */
export function tipGroups(queue: QueuedTip[]): TipGroup[] {
  const byGroup = new Map<number, QueuedTip[]>();
  for (const t of queue) {
    const list = byGroup.get(t.group_id);
    if (list) list.push(t);
    else byGroup.set(t.group_id, [t]);
  }
  const groups: TipGroup[] = [];
  for (const [id, tips] of byGroup) {
    tips.sort((a, b) => a.received_utc - b.received_utc || a.id - b.id);
    const lead = tips.find((t) => t.id === id) ?? tips[0];
    groups.push({ lead, tips, latest_utc: Math.max(...tips.map((t) => t.received_utc)), state: lead.state });
  }
  return groups.sort(
    (a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3) || b.latest_utc - a.latest_utc || b.lead.id - a.lead.id,
  );
}

/** How many groups wait for a first look (the button's count). */
export function newCount(groups: TipGroup[]): number {
  return groups.filter((g) => g.state === 'received').length;
}

/** "刚刚", "5 分钟", "2 小时", "3 天": how long ago, short. */
export function ageText(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return translate(lang, 'tips.age.now');
  if (s < 3600) return translate(lang, 'tips.age.min', { n: Math.floor(s / 60) });
  if (s < 86_400) return translate(lang, 'tips.age.hour', { n: Math.floor(s / 3600) });
  return translate(lang, 'tips.age.day', { n: Math.floor(s / 86_400) });
}

/** The incident types a category suggests, best first (the region may lack some). */
const SUGGESTED: Record<string, string[]> = {
  hazard: ['hazard'],
  traffic_jam: ['congestion', 'traffic_accident'],
  accident: ['traffic_accident', 'injury_crash'],
  public_order: ['dispute', 'fight'],
  other: ['citizen_tip'],
};

/** The region's incident type a tip's category stands for: the first suggested one the
 *  region has, else its citizens' tip type, else its first type. */
export function incidentTypeFor(category: string, types: IncidentType[]): IncidentType | undefined {
  const has = (id: string) => types.find((t) => t.id === id);
  for (const id of [...(SUGGESTED[category] ?? []), 'citizen_tip']) {
    const t = has(id);
    if (t) return t;
  }
  return types[0];
}

/** The intake a tip prefills: its category's type at that type's priority, its place (the
 *  map's click when it has none), its text. The dispatcher can change any of it. */
export function prefill(tip: QueuedTip, types: IncidentType[], picked?: [number, number]): TipIncident {
  const type = incidentTypeFor(tip.category, types);
  const at: [number, number] | undefined = tip.lon !== null && tip.lat !== null ? [tip.lon, tip.lat] : picked;
  return {
    incident_type: type?.id ?? '',
    priority: type?.default_priority ?? null,
    lon: at ? at[0] : null,
    lat: at ? at[1] : null,
    text: tip.text,
  };
}

/** What the ask lacks before it can be sent: a type, a place. */
export function missing(ask: TipIncident): 'type' | 'place' | null {
  if (!ask.incident_type) return 'type';
  if (ask.lon === null || ask.lat === null) return 'place';
  return null;
}

/** The public reply's limit (the service's MAX_REPLY). */
export const MAX_REPLY = 200;

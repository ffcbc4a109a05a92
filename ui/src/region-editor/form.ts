// The region editor's form logic, kept out of the components so it is easy to test.
import { getContext } from 'svelte';
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { EditProblem, EditorPlace, RegionEdit } from '../ipc/types';

/** The problems the core placed on one form field (and one departure of a timetable). */
export function problemsFor(problems: EditProblem[], field: string | string[], index?: number): EditProblem[] {
  const fields = Array.isArray(field) ? field : [field];
  return problems.filter((p) => p.field !== null && fields.includes(p.field) && (index === undefined || p.index === index));
}

/** Problems about the pack as a whole (no field of the form to put them next to). */
export function generalProblems(problems: EditProblem[]): EditProblem[] {
  return problems.filter((p) => p.field === null);
}

/** What a place form's draft changes, as the core's edits (move first, then rename). */
export function placeEdits(
  original: EditorPlace,
  draft: { lon: number; lat: number; name_zh: string; name_en: string },
): RegionEdit[] {
  const edits: RegionEdit[] = [];
  if (draft.lon !== original.lon || draft.lat !== original.lat) {
    edits.push({ kind: 'move_place', place: original.id, lon: draft.lon, lat: draft.lat });
  }
  if (draft.name_zh.trim() !== original.name_zh || draft.name_en.trim() !== original.name_en) {
    edits.push({ kind: 'rename_place', place: original.id, name_zh: draft.name_zh, name_en: draft.name_en });
  }
  return edits;
}

/** Rounds a map click to the pack's precision (about 1 m). */
export function roundCoordinate(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

/** Items whose id or either name contains the query (case-insensitive). */
export function matches(item: { id: string; name_zh: string; name_en: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [item.id, item.name_zh, item.name_en].some((s) => s.toLowerCase().includes(q));
}

/** Island and place ids → names in the current language. */
export interface RegionNames {
  island: (id: string) => string;
  place: (id: string) => string;
}

/** The context key under which the editor hands its `RegionNames` to the forms. */
export const REGION_NAMES = Symbol('region names');

/** The editor's names, for a form or its problems (ids where there is no editor around). */
export function regionNames(): RegionNames {
  const same = (id: string) => id;
  return getContext<RegionNames | undefined>(REGION_NAMES) ?? { island: same, place: same };
}

/**
 * A problem the core classified (`kind`, `params`) in the operator's language; `undefined`
 * for a kind not known here or a parameter missing, and the core's English message stands.
 */
export function problemText(lang: Lang, p: EditProblem, names: RegionNames): string | undefined {
  const q = p.params ?? {};
  const worded = (params: Record<string, string | number | undefined>): string | undefined => {
    if (Object.values(params).some((v) => v === undefined)) return undefined;
    return translate(lang, `region.problem.${p.kind}`, params as Record<string, string | number>);
  };
  switch (p.kind) {
    case 'not_a_number':
    case 'name_empty':
    case 'reason_missing':
      return worded({});
    case 'outside_bounds':
    case 'not_hhmm':
    case 'listed_twice':
      return worded({ value: q.value });
    case 'off_island':
      return worded({
        island: q.island === undefined ? undefined : names.island(q.island),
        distance: q.distance_m,
        tolerance: q.tolerance_m,
      });
    case 'roads_disconnected':
      return worded({
        island: q.island === undefined ? undefined : names.island(q.island),
        place: q.place === undefined ? undefined : names.place(q.place),
        places: q.places?.map(names.place).join(lang === 'zh-CN' ? '、' : ', '),
      });
    default:
      return undefined;
  }
}

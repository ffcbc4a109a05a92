// Crews' positions on the desk's map (a seat on the command-centre service): each unit is
// drawn at its latest fix instead of where the journal last put it, with the fix's age
// beside it; a stale fix (past its source's freshness limit) is dimmed, as the ETA no
// longer trusts it. A desk on its own journal has no fixes and draws as before.
import L from 'leaflet';
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { BoardUnit, MapFix } from '../ipc/types';

/** How often the map asks for fixes besides the pushes (a lost push is made good; ms). */
export const FIX_POLL_MS = 15_000;

/** The board's units moved to their fixes (the same objects when there is none). */
export function withFixes(units: BoardUnit[], fixes: MapFix[] | undefined): BoardUnit[] {
  if (!fixes?.length) return units;
  const at = new Map(fixes.map((f) => [f.unit, f]));
  return units.map((u) => {
    const f = at.get(u.unit);
    return f ? { ...u, lon: f.lon, lat: f.lat } : u;
  });
}

/** The units whose fix is stale (drawn dimmed). */
export function staleUnits(fixes: MapFix[] | undefined): Set<string> {
  return new Set((fixes ?? []).filter((f) => f.stale).map((f) => f.unit));
}

/** "GPS 40 秒前" / "GPS 3 分钟前" / "GPS 1 小时前". */
export function fixAgeText(lang: Lang, age_s: number): string {
  const s = Math.max(0, Math.floor(age_s));
  if (s < 60) return translate(lang, 'map.fix.s', { n: s });
  if (s < 3600) return translate(lang, 'map.fix.min', { n: Math.floor(s / 60) });
  return translate(lang, 'map.fix.hour', { n: Math.floor(s / 3600) });
}

/** A small label under each unit with a fix: its age; stale ones greyed. */
export function fixLabels(fixes: MapFix[] | undefined, lang: Lang): L.LayerGroup {
  const group = L.layerGroup();
  for (const f of fixes ?? []) {
    const age = fixAgeText(lang, f.age_s);
    const title = f.stale ? translate(lang, 'map.fix.stale', { age }) : age;
    L.marker([f.lat, f.lon], {
      icon: L.divIcon({
        className: `fix-label${f.stale ? ' fix-stale' : ''}`,
        html: `<span data-testid="map-fix" data-unit="${f.unit.replace(/[^\w-]/g, '')}" data-stale="${f.stale}" data-age="${f.age_s}" title="${title}">${age}</span>`,
        iconSize: [72, 14],
        iconAnchor: [36, -12],
      }),
      keyboard: false,
      interactive: false,
    }).addTo(group);
  }
  return group;
}

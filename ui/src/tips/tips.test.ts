import { describe, expect, it } from 'vitest';
import type { IncidentType } from '../ipc/types';
import { tip } from '../fixtures/tips';
import { ageText, incidentTypeFor, missing, newCount, prefill, tipGroups } from './tips';

const type = (id: string, p = 3): IncidentType => ({ id, name_zh: id, name_en: id, unit_kinds: [], default_priority: p, boat_fallback: 'never' });
const TYPES = [type('traffic_accident', 2), type('congestion', 3), type('dispute'), type('hazard'), type('citizen_tip', 4)];

describe('the tips queue', () => {
  it('groups repeats under their first tip and puts new groups first, the latest on top', () => {
    const queue = [
      tip({ id: 1, received_utc: 100 }),
      tip({ id: 2, received_utc: 500, state: 'handling', incident_id: 9 }),
      tip({ id: 3, received_utc: 300 }),
      tip({ id: 4, received_utc: 700, group_id: 1, group_size: 2 }),
      tip({ id: 5, received_utc: 900, state: 'closed', reply: 'ok' }),
    ];
    const groups = tipGroups(queue);
    expect(groups.map((g) => g.lead.id)).toEqual([1, 3, 2, 5]);
    expect(groups[0].tips.map((t) => t.id)).toEqual([1, 4]);
    expect(groups[0].latest_utc).toBe(700);
    expect(newCount(groups)).toBe(2);
    expect(tipGroups([])).toEqual([]);
  });

  it('words the age short', () => {
    expect(ageText('zh-CN', 12)).toBe('刚刚');
    expect(ageText('zh-CN', 5 * 60 + 10)).toBe('5 分钟前');
    expect(ageText('en', 2 * 3600)).toBe('2 h ago');
    expect(ageText('en', 3 * 86_400)).toBe('3 d ago');
    expect(ageText('en', -40)).toBe('just now');
  });

  it('turns a category into the region’s incident type, falling back when the region lacks it', () => {
    expect(incidentTypeFor('traffic_jam', TYPES)?.id).toBe('congestion');
    expect(incidentTypeFor('accident', TYPES)?.id).toBe('traffic_accident');
    expect(incidentTypeFor('public_order', TYPES)?.id).toBe('dispute');
    expect(incidentTypeFor('public_order', [type('theft'), type('citizen_tip')])?.id).toBe('citizen_tip');
    expect(incidentTypeFor('other', [type('theft')])?.id).toBe('theft');
    expect(incidentTypeFor('hazard', [])).toBeUndefined();
  });

  it('prefills the intake from the tip: type, its priority, place and text; the map’s click when it has no place', () => {
    expect(prefill(tip({ category: 'accident', lon: 122.2, lat: 30.1, text: '两车相撞' }), TYPES)).toEqual({
      incident_type: 'traffic_accident',
      priority: 2,
      lon: 122.2,
      lat: 30.1,
      text: '两车相撞',
    });
    const noPlace = tip({ lon: null, lat: null, position_from: 'island' });
    expect(missing(prefill(noPlace, TYPES))).toBe('place');
    const picked = prefill(noPlace, TYPES, [122.3, 30.2]);
    expect([picked.lon, picked.lat, missing(picked)]).toEqual([122.3, 30.2, null]);
    expect(missing(prefill(tip({}), []))).toBe('type');
  });
});

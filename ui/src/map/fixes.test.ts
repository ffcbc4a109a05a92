import L from 'leaflet';
import { describe, expect, it } from 'vitest';
import type { BoardUnit, MapFix } from '../ipc/types';
import { fixAgeText, fixLabels, staleUnits, withFixes } from './fixes';
import { LiveUnits } from './live';
import { UnitGlyph } from './unitGlyph';

const unit = (id: string, lon: number, lat: number): BoardUnit => ({
  unit: id,
  call_sign: id.toUpperCase(),
  kind: 'traffic',
  status: 'available',
  island: 'big',
  position: `p_${id}`,
  lon,
  lat,
  incident: null,
  since_s: null,
});
const fix = (id: string, lon: number, lat: number, age_s: number, stale: boolean): MapFix => ({
  unit: id,
  lon,
  lat,
  fix_utc: 1000 - age_s,
  age_s,
  source: 'osmand',
  stale,
  afloat: false,
});

const units = [unit('u1', 122.1, 30.0), unit('u2', 122.2, 30.1), unit('u3', 122.3, 30.2)];
const fixes = [fix('u1', 122.15, 30.05, 40, false), fix('u2', 122.25, 30.15, 300, true)];

describe('crews’ fixes on the map', () => {
  it('moves each unit with a fix to it and leaves the others where the journal put them', () => {
    const moved = withFixes(units, fixes);
    expect(moved.map((u) => [u.unit, u.lon, u.lat])).toEqual([
      ['u1', 122.15, 30.05],
      ['u2', 122.25, 30.15],
      ['u3', 122.3, 30.2],
    ]);
    expect(withFixes(units, undefined)).toBe(units);
    expect(withFixes(units, [])).toBe(units);
    expect([...staleUnits(fixes)]).toEqual(['u2']);
  });

  it('words the fix’s age', () => {
    expect(fixAgeText('zh-CN', 40)).toBe('GPS 40 秒前');
    expect(fixAgeText('zh-CN', 300)).toBe('GPS 5 分钟前');
    expect(fixAgeText('en', 7300)).toBe('GPS 2 h ago');
  });

  it('labels each fix with its age, the stale ones marked', () => {
    const labels = fixLabels(fixes, 'zh-CN').getLayers() as L.Marker[];
    expect(labels).toHaveLength(2);
    const html = labels.map((m) => String((m.options.icon as L.DivIcon).options.html));
    expect(html[0]).toContain('data-stale="false"');
    expect(html[0]).toContain('GPS 40 秒前');
    expect(html[1]).toContain('data-stale="true"');
    expect((labels[1].options.icon as L.DivIcon).options.className).toContain('fix-stale');
    expect(labels[0].getLatLng()).toEqual(L.latLng(30.05, 122.15));
  });

  it('dims a unit while its fix is stale and brings it back when a fresh one comes', () => {
    const live = new LiveUnits();
    const opacity = (id: string) => {
      const m = live.layer.getLayers().find((l) => (l as L.Marker).options.title === id.toUpperCase()) as L.Marker;
      return m.options.opacity;
    };
    live.update(withFixes(units, fixes), 'zh-CN', staleUnits(fixes));
    expect([opacity('u1'), opacity('u2'), opacity('u3')]).toEqual([1, 0.4, 1]);
    const fresh = [fix('u2', 122.26, 30.16, 5, false)];
    live.update(withFixes(units, fresh), 'zh-CN', staleUnits(fresh));
    expect(opacity('u2')).toBe(1);
    const moved = live.layer.getLayers().find((l) => (l as L.Marker).options.title === 'U2') as L.Marker;
    expect(moved.getLatLng()).toEqual(L.latLng(30.16, 122.26));
  });

  it('dims a canvas unit too', () => {
    const live = new LiveUnits(1, 1);
    live.update(withFixes(units, fixes), 'zh-CN', staleUnits(fixes));
    const glyphs = live.layer.getLayers() as UnitGlyph[];
    expect(live.renderer).toBe('canvas');
    expect(glyphs.map((g) => g.dim)).toEqual([false, true, false]);
  });
});

import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import fixture from '../fixtures/map_view.json';
import { i18n } from '../i18n/index.svelte';
import type { MapView } from '../ipc/types';
import AboutDialog from './AboutDialog.svelte';

/** The Dinghai pack's attribution (region.toml; `tests/region_pack.rs` checks the pack says this). */
const DINGHAI =
  "Coastlines © OpenStreetMap contributors (ODbL 1.0); land polygons by osmdata.openstreetmap.de, via roaring-landmask. Places, bridges and ferries: public sources named in each row's source column; most coordinates, all roads, timetables, units and officers are estimates or synthetic.";

function viewWith(attribution: string): MapView {
  const view = structuredClone(fixture) as unknown as MapView;
  view.region.attribution = attribution;
  return view;
}

describe('AboutDialog', () => {
  afterEach(() => i18n.set('zh-CN'));

  it("shows the shipped pack's OpenStreetMap coastline attribution and where the ODbL is", () => {
    const attribution = DINGHAI;
    render(AboutDialog, { view: viewWith(attribution), onClose: () => {} });
    expect(screen.getByTestId('about-attribution').textContent).toBe(attribution);
    expect(screen.getByTestId('about-odbl').textContent).toContain('openstreetmap.org/copyright');
    i18n.set('en');
    flushSync();
    expect(screen.getByTestId('about-odbl').textContent).toContain('Open Database Licence (ODbL 1.0)');
  });

  it('says nothing of the ODbL for a pack without OpenStreetMap data', () => {
    render(AboutDialog, { view: viewWith('Survey of the district, 2025.'), onClose: () => {} });
    expect(screen.getByTestId('about-attribution').textContent).toBe('Survey of the district, 2025.');
    expect(screen.queryByTestId('about-odbl')).toBeNull();
  });
});

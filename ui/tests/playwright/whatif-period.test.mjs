// The what-if's reach over the replayed period in Chromium, with mocked IPC answering with
// what the core computed for the Dinghai pack (fixtures/sim-typhoon-compare.json, from
// `tidewatch sim --region assets/regions/dinghai --generate --from 2026-10-08 --days 14
// --compare tests/data/journal-v1/published_roster.json --scenario typhoon --json`: every
// unit on duty as A, the two-day roster repeated as B): the table lists every island of the
// block, the map colours each by B's share within target and rings those whose band B
// changes, and zooms onto an island clicked in the table. TW_PERIOD_SHOT=/path.png saves a
// screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dinghaiMapView } from './fixtures/dinghai.mjs';
import { deskSession } from './harness.mjs';

const sim = JSON.parse(readFileSync(new URL('./fixtures/sim-typhoon-compare.json', import.meta.url), 'utf8'));
const whatIf = {
  scenario: sim.a.scenario,
  replay_from: '2026-10-08',
  replay_to: '2026-10-22',
  a: { roster: null, label: null, report: sim.a },
  b: { roster: null, label: null, report: sim.b },
  islands: sim.islands,
};

const open = deskSession();

test('what-if period map: share within target per island, B against A', async () => {
  const view = dinghaiMapView();
  const drawn = new Set(view.islands.features.map((f) => f.properties.id));
  const onMap = sim.islands.filter((r) => drawn.has(r.island));
  const changed = onMap.filter((r) => r.band_changed);
  assert.ok(changed.length > 0, 'the fixture has islands whose band B changes');
  const { page, context, errors } = await open({
    view,
    types: [],
    signedIn: true,
    role: 'patrol_leader',
    fixed: { plan_status: { status: null, latest: null, error: null }, session_rosters: [], what_if: whatIf },
  });
  try {
    await page.getByTestId('leader-tab-whatif').click();
    await page.getByTestId('whatif-run').click();
    await page.getByTestId('period').waitFor();
    const rows = await page.getByTestId('period-row').evaluateAll((rs) => rs.map((r) => r.dataset.island));
    assert.deepEqual(rows, sim.islands.map((r) => r.island));
    const marks = await page.getByTestId('period-mark').evaluateAll((ms) => ms.map((m) => [m.dataset.island, m.dataset.band, m.dataset.changed ?? null]));
    assert.deepEqual(
      marks,
      onMap.map((r) => [r.island, r.b.band, r.band_changed ? 'worse' : null]),
      'B (a two-day roster in a typhoon) only ever loses bands against every unit on duty',
    );
    const box = await page.getByTestId('period-svg').boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, JSON.stringify(box));
    // An island clicked in the table: the map zooms onto it and tells its figures.
    const island = changed[0];
    await page.locator(`[data-testid=period-row][data-island=${island.island}] [data-testid=period-row-show]`).click();
    assert.equal(await page.getByTestId('period-zoom').textContent(), '×4.0');
    const detail = await page.getByTestId('period-detail').textContent();
    assert.ok(detail.includes(`${island.b.calls} 起`), detail);
    assert.ok(await page.getByTestId('period-was').isVisible());
    if (process.env.TW_PERIOD_SHOT) await page.screenshot({ path: process.env.TW_PERIOD_SHOT, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

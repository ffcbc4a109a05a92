// The leader's reach map in Chromium with mocked IPC answering with what the core computed
// for the Dinghai pack (fixtures/reach-*.json, from `tidewatch reach --json`; the comparison
// made from them as `reach_compare` makes it): the islands are drawn, each reach island
// filled by its band and marked by its mode, a hover tells the island's unit and ETA, and
// the island a moved boat changes is outlined (定海警艇01 at 沥港: 大猫岛 late). TW_REACH_SHOT=/path.png saves a screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dinghaiMapView } from './fixtures/dinghai.mjs';
import { deskSession } from './harness.mjs';

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const baseline = fixture('reach-0200.json');
const scenario = fixture('reach-0200-moved.json');
const ORDER = ['within', 'twice', 'beyond', 'unreachable'];
const changed = baseline
  .map((b) => [b, scenario.find((s) => s.island === b.island)])
  .filter(([b, s]) => b.band !== s.band)
  .map(([b, s]) => ({ island: b.island, before: b.band, after: s.band, before_eta_s: b.eta_s, after_eta_s: s.eta_s, better: ORDER.indexOf(s.band) < ORDER.indexOf(b.band) }));

const open = deskSession();

test('reach map: bands, marks, legend, hover, and the island a moved boat changes', async () => {
  assert.ok(changed.length > 0, 'the fixtures differ in some island');
  const { page, context, errors } = await open({
    view: dinghaiMapView(),
    types: [],
    signedIn: true,
    role: 'patrol_leader',
    fixed: {
      plan_status: { status: null, latest: null, error: null },
      session_rosters: [],
      reach: baseline,
      reach_compare: { baseline, scenario, changed },
    },
  });
  try {
    await page.getByTestId('leader-tab-reach').click();
    await page.getByTestId('reach-move-unit').selectOption('boat_01');
    await page.getByTestId('reach-move-place').selectOption('pier_ligang');
    await page.getByTestId('reach-run').click();
    await page.getByTestId('reach-map').waitFor();
    const marks = page.getByTestId('reach-mark');
    assert.equal(await marks.count(), scenario.length, 'a mark for every inhabited island');
    const bands = await marks.evaluateAll((ms) => ms.map((m) => m.dataset.band));
    assert.deepEqual(bands, scenario.map((r) => r.band));
    const outlined = await page.locator('[data-testid=reach-mark][data-changed]').evaluateAll((ms) => ms.map((m) => m.dataset.island));
    assert.deepEqual(outlined, changed.map((c) => c.island));
    // Every shape drawn has a size on the page (the SVG is laid out, not empty).
    const box = await page.locator('[data-testid=reach-map] svg[role=img]').boundingBox();
    assert.ok(box && box.width > 300 && box.height > 200, JSON.stringify(box));
    const first = changed[0];
    await page.locator(`[data-testid=reach-mark][data-island=${first.island}]`).hover();
    const detail = await page.getByTestId('reach-detail').textContent();
    const row = scenario.find((r) => r.island === first.island);
    assert.ok(detail.includes(row.name_zh), detail);
    assert.ok(await page.getByTestId('reach-was').isVisible());
    if (process.env.TW_REACH_SHOT) await page.screenshot({ path: process.env.TW_REACH_SHOT, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

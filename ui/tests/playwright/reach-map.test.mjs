// The leader's reach map in Chromium with mocked IPC answering with what the core computed
// for the Dinghai pack (fixtures/reach-*.json, from `tidewatch reach --json`; the comparison
// made from them as `reach_compare` makes it): the islands are drawn, each reach island
// filled by its band and marked by its mode, a hover tells the island's unit and ETA, and
// the island a moved boat changes is outlined (定海警艇01 at 沥港: 大猫岛 late); the wheel
// zooms about that island, a drag pans, the view survives the side switched, 0 resets, and
// an island clicked in the table is centred. TW_REACH_SHOT=/path.png and
// TW_REACH_ZOOM_SHOT=/path.png save screenshots (whole, zoomed).
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

    // Zoom: the wheel over the changed island zooms about it (it stays under the pointer),
    // its outline grows, its mark keeps its size on screen.
    const svg = page.getByTestId('reach-svg');
    const mark = page.locator(`[data-testid=reach-mark][data-island=${first.island}]`);
    const shape = page.locator(`[data-testid=reach-shape][data-island=${first.island}]`);
    const [mark0, shape0] = [await mark.boundingBox(), await shape.boundingBox()];
    const centre = (b) => [b.x + b.width / 2, b.y + b.height / 2];
    const [mx, my] = centre(mark0);
    await page.mouse.move(mx, my);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -100);
    await page.waitForFunction(() => document.querySelector('[data-testid=reach-zoom]').textContent !== '×1.0');
    const zoom = Number((await page.getByTestId('reach-zoom').textContent()).slice(1));
    assert.ok(zoom > 3, `zoomed ×${zoom}`);
    const [mark1, shape1] = [await mark.boundingBox(), await shape.boundingBox()];
    assert.ok(Math.abs(mark1.width - mark0.width) < 2, `mark ${mark0.width} → ${mark1.width}`);
    assert.ok(shape1.width > 3 * shape0.width, `shape ${shape0.width} → ${shape1.width}`);
    const [mx1, my1] = centre(mark1);
    assert.ok(Math.hypot(mx1 - mx, my1 - my) < 6, `the island stays under the pointer: ${[mx, my]} → ${[mx1, my1]}`);
    if (process.env.TW_REACH_ZOOM_SHOT) await page.screenshot({ path: process.env.TW_REACH_ZOOM_SHOT, fullPage: true });
    // A drag pans; the view survives the map's side switched (new data, same islands).
    const view0 = await svg.getAttribute('viewBox');
    const svgBox = await svg.boundingBox();
    await page.mouse.move(svgBox.x + 40, svgBox.y + 40);
    await page.mouse.down();
    await page.mouse.move(svgBox.x + 120, svgBox.y + 100, { steps: 5 });
    await page.mouse.up();
    const view1 = await svg.getAttribute('viewBox');
    assert.notEqual(view1, view0, 'the drag panned');
    await page.getByTestId('reach-map-side').selectOption('a');
    assert.equal(await svg.getAttribute('viewBox'), view1, 'the view stays over side A');
    // The keys: 0 shows the whole map again.
    await svg.focus();
    await page.keyboard.press('0');
    assert.equal(await page.getByTestId('reach-zoom').textContent(), '×1.0');
    // An island clicked in the table: the map centres on it, zoomed in.
    const far = scenario.find((r) => r.island !== first.island && r.island !== 'zhoushan') ?? first;
    await page.locator(`[data-testid=reach-row][data-island=${far.island}] [data-testid=reach-row-show]`).click();
    assert.equal(await page.getByTestId('reach-zoom').textContent(), '×4.0');
    const [cx, cy] = centre(await page.locator(`[data-testid=reach-mark][data-island=${far.island}]`).boundingBox());
    const b = await svg.boundingBox();
    assert.ok(cx > b.x && cx < b.x + b.width && cy > b.y && cy < b.y + b.height, 'the island is on the map');
    assert.ok((await page.getByTestId('reach-detail').textContent()).includes(far.name_zh));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

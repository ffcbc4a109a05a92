// The region editor in Chromium with mocked IPC: the selected place's pin is dragged with
// the mouse to a new spot, the coordinate fields follow, saving sends that position, and
// the core's refusal (a spot in the sea) is worded in the operator's language at the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dinghaiMapView } from './fixtures/dinghai.mjs';
import { deskSession } from './harness.mjs';

const view = dinghaiMapView();
const regionEditor = {
  pack_dir: '/packs/dinghai',
  edited_copy: false,
  places: view.places.map(({ estimated, ...p }) => ({ ...p, source: 'mock' })),
  bridges: [],
  ferry_routes: [],
};
const seaProblem = {
  field: 'lon',
  index: null,
  message: "place 'chengdong' lies 1234 m off its island 'zhoushan' (in the sea; tolerance 500 m)",
  at: 'places.csv:4',
  kind: 'off_island',
  params: { place: 'chengdong', island: 'zhoushan', distance_m: 1234, tolerance_m: 500 },
};

const open = deskSession();

test('region editor: drag the pin to move a place; a spot in the sea is refused at the coordinates', async () => {
  const { page, context, errors } = await open({
    view,
    types: [],
    signedIn: true,
    role: 'administrator',
    regionEditor,
    editAnswers: [{ outcome: 'refused', problems: [seaProblem] }],
  });
  try {
    await page.getByTestId('tab-region').click();
    await page.getByTestId('region-search').fill('城东');
    await page.getByTestId('region-item-chengdong').click();
    const lon = page.getByTestId('field-lon');
    const lat = page.getByTestId('field-lat');
    assert.equal(Number(await lon.inputValue()), 122.125);
    await page.locator('[data-testid="region-map"] [data-testid="map"][data-ready="true"]').waitFor();

    // Drag the pin 80 px right and 50 px down, in steps as a hand would.
    const pin = page.getByTestId('drag-pin');
    await pin.waitFor();
    const box = await pin.boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y + 25, { steps: 5 });
    await page.mouse.move(x + 80, y + 50, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="field-lon"]').value) > 122.125);
    const moved = [Number(await lon.inputValue()), Number(await lat.inputValue())];
    assert.ok(moved[1] < 30.018, `dragging down did not lower the latitude: ${moved}`);
    // The pin stays where it was dropped (it follows the fields).
    const after = await pin.boundingBox();
    assert.ok(Math.abs(after.x + after.width / 2 - (x + 80)) <= 2 && Math.abs(after.y + after.height / 2 - (y + 50)) <= 2);

    // Saving sends the dragged position; the refusal is shown at the coordinates, in zh-CN,
    // with the loader's message underneath.
    await page.getByTestId('save').click();
    const problem = page.getByTestId('problem-position');
    await problem.waitFor();
    const edit = await page.evaluate(() => window.__ipcCalls.find((c) => c.cmd === 'edit_region').args.edit);
    assert.deepEqual(edit, { kind: 'move_place', place: 'chengdong', lon: moved[0], lat: moved[1] });
    const text = await problem.textContent();
    assert.match(text, /该位置在海上：距所属岛屿舟山岛（定海部分） 1234 米/);
    assert.match(text, /off its island 'zhoushan'/);
    assert.match(text, /places\.csv:4/);

    // A click on the map still moves the pending position (and the pin with it).
    await page.getByTestId('region-map').click({ position: { x: 200, y: 200 } });
    await page.waitForFunction((was) => Number(document.querySelector('[data-testid="field-lon"]').value) !== was, moved[0]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

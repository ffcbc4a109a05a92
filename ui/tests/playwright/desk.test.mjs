// The desk in Debian's Chromium against mocked IPC answers of the real shapes: sign-in,
// the map with the Dinghai islands and fleet, intake → recommendation → assign by key,
// and the language switch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliRecommendation, dinghaiIncidentTypes, dinghaiMapView, fleet } from './fixtures/dinghai.mjs';
import { deskSession } from './harness.mjs';

const view = dinghaiMapView();
const types = dinghaiIncidentTypes();
const recommendation = cliRecommendation();

const open = deskSession();

const cfg = { view, types, recommendation };

describe('desk in Chromium with mocked IPC', () => {
  test('sign-in screen → a signed-in dispatcher sees the map with islands and units', async () => {
    const { page, context, errors } = await open(cfg);
    try {
      await page.getByTestId('login-form').waitFor();
      await page.getByTestId('login-username').fill('dispatcher1');
      await page.getByTestId('login-password').fill('wrong');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      await page.getByTestId('login-password').fill('correct horse');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('operator-name').waitFor();
      assert.equal(await page.getByTestId('operator-name').textContent(), 'dispatcher1');
      const map = page.locator('[data-testid="map"][data-ready="true"]');
      await map.waitFor();
      assert.equal(Number(await map.getAttribute('data-islands')), view.islands.features.length);
      assert.equal(Number(await map.getAttribute('data-places')), view.places.length);
      // Islands are drawn on the canvas: some pixels are the land colour, not the sea.
      const land = await page.evaluate(() => {
        const c = document.querySelector('.leaflet-overlay-pane canvas');
        const ctx = c.getContext('2d');
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4 * 16) if (data[i] > 0) painted++;
        return painted;
      });
      assert.ok(land > 1000, `island canvas is nearly empty (${land} painted samples)`);
      // Units from the board, one marker each, where the board says.
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-unit"]').length === n, view.units.length);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('intake → recommendation list → assign by key', async () => {
    const { page, context, errors } = await open({ ...cfg, signedIn: true });
    try {
      await page.getByTestId('place-search').waitFor();
      await page.getByTestId('intake-type').selectOption('traffic_accident');
      await page.getByTestId('place-search').fill('changguo');
      await page.getByTestId('place-hit').first().waitFor();
      await page.getByTestId('place-hit').first().click();
      await page.getByTestId('intake-submit').click();
      const rows = page.getByTestId('candidate');
      await rows.first().waitFor();
      assert.equal(await rows.count(), recommendation.candidates.length);
      assert.match(await rows.first().textContent(), new RegExp(recommendation.candidates[0].call_sign));
      // The recommended unit's route is drawn.
      await page.waitForSelector('[data-testid="map"]:not([data-route-legs="0"])');
      const calls = await page.evaluate(() => window.__ipcCalls.map((c) => c.cmd));
      assert.ok(calls.includes('receive_incident') && calls.includes('recommend'));
      // Key 1 assigns the first candidate (focus is off the fields after the list opens).
      await page.keyboard.press('1');
      await page.waitForFunction(() => window.__ipcCalls.some((c) => c.cmd === 'assign'));
      const assign = await page.evaluate(() => window.__ipcCalls.find((c) => c.cmd === 'assign').args);
      assert.equal(assign.unit, recommendation.candidates[0].unit);
      assert.equal(assign.overrideReason, null);
      await page.getByTestId('recommendation').waitFor({ state: 'detached' });
      await page.locator('[data-testid="board-incident"]').first().waitFor();
      await page.waitForSelector(`[data-testid="map-unit"][data-unit="${recommendation.candidates[0].unit}"][data-status="dispatched"]`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a big board is drawn on the canvas: a unit shows its name and status on hover; a click on it is no pick', async () => {
    const units = fleet(view, 400);
    const { page, context, errors } = await open({ ...cfg, view: { ...view, units }, signedIn: true, still: true });
    try {
      await page.locator('[data-testid="map"][data-live-units="400"][data-unit-renderer="canvas"]').waitFor();
      assert.equal(await page.locator('[data-testid="map-unit"]').count(), 0);
      // A pixel of a joint team's fill (#862e9c: no island, link or place has it), where the
      // canvas is what the pointer would hit (not the legend over it).
      const at = await page.waitForFunction(() => {
        const c = document.querySelector('.leaflet-overlay-pane canvas');
        const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        const box = c.getBoundingClientRect();
        for (let y = 0; y < height; y += 2) {
          for (let x = 0; x < width; x += 2) {
            const i = 4 * (y * width + x);
            if (data[i] !== 0x86 || data[i + 1] !== 0x2e || data[i + 2] !== 0x9c) continue;
            const px = box.left + (x * box.width) / width;
            const py = box.top + (y * box.height) / height;
            if (document.elementFromPoint(px, py) === c) return { x: px, y: py };
          }
        }
        return null;
      });
      const { x, y } = await at.jsonValue();
      await page.mouse.move(x, y);
      const tip = page.locator('.leaflet-tooltip-pane .leaflet-tooltip');
      await tip.waitFor();
      assert.match(await tip.textContent(), /负载\d{4}(空闲|在途)/);
      const picked = await page.getByTestId('picked').count();
      await page.mouse.click(x, y);
      await page.waitForTimeout(300);
      assert.equal(await page.getByTestId('picked').count(), picked, 'a click on a unit picked the map');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('the language switch turns the desk English and back', async () => {
    const { page, context, errors } = await open({ ...cfg, signedIn: true });
    try {
      await page.getByTestId('intake-submit').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      const zh = await page.getByTestId('intake-submit').textContent();
      assert.match(await page.getByTestId('region-name').textContent(), /定海/);
      await page.getByTestId('lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      const en = await page.getByTestId('intake-submit').textContent();
      assert.notEqual(en, zh);
      assert.match(en, /^[\x20-\x7e]+$/, `English button has non-ASCII text: ${en}`);
      assert.match(await page.getByTestId('region-name').textContent(), /Dinghai/);
      // The choice survives a reload (kept in localStorage).
      await page.reload();
      await page.getByTestId('intake-submit').waitFor();
      assert.equal(await page.getByTestId('intake-submit').textContent(), en);
      await page.getByTestId('lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      assert.equal(await page.getByTestId('intake-submit').textContent(), zh);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

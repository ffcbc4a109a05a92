// End-to-end test of the real desk: tauri-driver (which drives Debian's WebKitWebDriver)
// starts the built binary; WebdriverIO talks classic WebDriver to it. Run under Xvfb:
//   xvfb-run -a node tests/e2e/run.mjs
// Env: TIDEWATCH_DESK_BIN (the built binary; default $CARGO_TARGET_DIR/release/tidewatch-desk),
//      TAURI_DRIVER (default ~/.cargo/bin/tauri-driver, else PATH), TAURI_DRIVER_PORT (4444).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accounts } from './accounts.mjs';
import { dispatcherChecks } from './dispatcher.mjs';
import { assert, checks, freshHome, startDesk, targetDir } from './driver.mjs';
import { leaderChecks, seedLeaderJournal } from './leader.mjs';
import { regionChecks } from './region.mjs';
import { seedDemoHistory, supervisor } from './supervisor.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.TAURI_DRIVER_PORT || 4444);
const screenshotDir = path.join(here, 'screenshots');
// Every screen's module runs in one session (a roster plan among them): minutes, not seconds.
const OVERALL_TIMEOUT_MS = 900_000;

const { check, fail, finish } = checks();

async function main() {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('warning: no DISPLAY; run under xvfb-run -a');
  }
  const env = freshHome();
  // A year of demo history for the supervisor, then the last weeks for the leader's demand.
  await check('a year of SYNTHETIC demo history is seeded into the fresh journal (CLI demo seed)', async () => seedDemoHistory(env, targetDir));
  seedLeaderJournal(env);

  let desk;
  const watchdog = setTimeout(() => {
    fail('the e2e run', `exceeded ${OVERALL_TIMEOUT_MS / 1000} s`);
    desk?.stop();
    finish();
  }, OVERALL_TIMEOUT_MS);

  await check('tauri-driver starts and opens the desk', async () => {
    desk = await startDesk(env, port);
  });
  if (!desk) {
    clearTimeout(watchdog);
    finish();
  }
  const { browser } = desk;

  const map = () => browser.$('[data-testid="map"]');
  // Extra screenshots for people reviewing a run; map.png is the one the last check verifies.
  const shot = async (name) => {
    mkdirSync(screenshotDir, { recursive: true });
    await browser.saveScreenshot(path.join(screenshotDir, name));
  };
  const attr = async (name) => Number(await (await map()).getAttribute(name));

  await accounts({ browser, check, shot });

  await check('the map loads from the core (map_view command)', async () => {
    await browser.waitUntil(
      async () => {
        const err = await browser.$('[data-testid="load-error"]');
        if (await err.isExisting()) throw new Error(`the UI reports: ${await err.getText()}`);
        const m = await map();
        return (await m.isExisting()) && (await m.getAttribute('data-ready')) === 'true';
      },
      { timeout: 30_000, interval: 250, timeoutMsg: 'map never became ready' },
    );
  });

  await check('the islands are drawn (≥ 10 island features, on a canvas)', async () => {
    const islands = await attr('data-islands');
    assert(islands >= 10, `data-islands = ${islands}`);
    const canvases = await browser.$$('.leaflet-overlay-pane canvas');
    assert(canvases.length >= 1, 'no canvas in the overlay pane');
    const size = await canvases[0].getSize();
    assert(size.width > 200 && size.height > 200, `canvas is ${size.width}×${size.height}`);
  });

  await check('the units are on the map (≥ 20 unit markers)', async () => {
    const markers = await browser.$$('.leaflet-marker-pane .unit-marker');
    const declared = await attr('data-units');
    assert(markers.length >= 20, `${markers.length} unit markers`);
    assert(markers.length === declared, `${markers.length} markers but data-units = ${declared}`);
    const kinds = new Set();
    for (const m of markers) {
      const cls = await m.getAttribute('class');
      const k = /unit-kind-(\w+)/.exec(cls)?.[1];
      if (k) kinds.add(k);
    }
    assert(kinds.size >= 3, `only unit kinds ${[...kinds].join(',')}`);
  });

  await check('hovering a unit shows its call sign in a tooltip', async () => {
    const marker = await browser.$('.leaflet-marker-pane .unit-marker');
    const title = await marker.getAttribute('title');
    await marker.moveTo();
    const tip = await browser.$('.leaflet-tooltip-pane .leaflet-tooltip');
    await tip.waitForExist({ timeout: 5_000, timeoutMsg: 'no tooltip appeared' });
    const text = await tip.getText();
    assert(title && text.includes(title), `tooltip "${text}" lacks "${title}"`);
    await browser.action('pointer').move({ x: 5, y: 300, origin: 'viewport' }).perform();
  });

  await check('places, bridges and ferry lines are present', async () => {
    const places = await attr('data-places');
    const bridges = await attr('data-bridges');
    const ferries = await attr('data-ferries');
    assert(places >= 10, `data-places = ${places}`);
    assert(bridges >= 1, `data-bridges = ${bridges}`);
    assert(ferries >= 1, `data-ferries = ${ferries}`);
  });

  await check('the desk starts in zh-CN', async () => {
    const lang = await browser.execute(() => document.documentElement.lang);
    assert(lang === 'zh-CN', `html lang = ${lang}`);
    const about = await (await browser.$('[data-testid="about-open"]')).getText();
    assert(about === '关于', `about button reads "${about}"`);
    const legend = await (await browser.$('[data-testid="legend"]')).getText();
    assert(legend.includes('警艇'), 'legend has no 警艇');
  });

  await check('the language switch turns the UI to English and back', async () => {
    const zhRegion = await (await browser.$('[data-testid="region-name"]')).getText();
    await (await browser.$('[data-testid="lang-switch"]')).click();
    await browser.waitUntil(
      async () => (await (await browser.$('[data-testid="about-open"]')).getText()) === 'About',
      { timeout: 5_000, timeoutMsg: 'about button did not turn to "About"' },
    );
    const legend = await (await browser.$('[data-testid="legend"]')).getText();
    assert(legend.includes('Police boat'), 'legend not in English');
    const enRegion = await (await browser.$('[data-testid="region-name"]')).getText();
    assert(enRegion !== zhRegion && /[A-Za-z]/.test(enRegion), `region name "${enRegion}"`);
    const glyph = await (await browser.$('.leaflet-marker-pane .unit-marker .unit-glyph')).getText();
    assert(/^[A-Z]$/.test(glyph), `unit glyph "${glyph}" not switched`);
    await shot('map-en.png');
    await (await browser.$('[data-testid="lang-switch"]')).click();
    await browser.waitUntil(
      async () => (await (await browser.$('[data-testid="about-open"]')).getText()) === '关于',
      { timeout: 5_000, timeoutMsg: 'did not switch back to zh-CN' },
    );
  });

  await check('the About dialog shows the ODbL attribution and the estimate count', async () => {
    await (await browser.$('[data-testid="about-open"]')).click();
    const dialog = await browser.$('[data-testid="about-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5_000 });
    const attribution = await (await browser.$('[data-testid="about-attribution"]')).getText();
    assert(/OpenStreetMap/.test(attribution) && /ODbL/.test(attribution), `attribution "${attribution}"`);
    const est = await (await browser.$('[data-testid="about-estimated"]')).getText();
    assert(/^\d+$/.test(est.trim()), `estimate count "${est}"`);
    await browser.pause(300); // let WebKit paint the dialog before the snapshot
    await shot('about.png');
    await (await browser.$('[data-testid="about-close"]')).click();
    await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  });

  await check('"show estimates" highlights estimated data', async () => {
    assert((await attr('data-highlighted')) === 0, 'highlighted before the toggle');
    await (await browser.$('[data-testid="toggle-estimates"]')).click();
    await browser.waitUntil(async () => (await attr('data-highlighted')) > 0, {
      timeout: 5_000,
      timeoutMsg: 'nothing highlighted after the toggle',
    });
    await shot('estimates.png');
    await (await browser.$('[data-testid="toggle-estimates"]')).click();
    await browser.waitUntil(async () => (await attr('data-highlighted')) === 0, { timeout: 5_000 });
  });

  await check('the desk created its data directory for the journal', async () => {
    const dir = path.join(env.XDG_DATA_HOME, 'org.tidewatch.desk');
    assert(existsSync(dir) && statSync(dir).isDirectory(), `${dir} does not exist`);
  });

  // ---- The dispatcher's core flow on the real desk and its journal. ----
  const boardRow = () => browser.$('[data-testid="board-incident"]');
  const waitState = async (state) => {
    await browser.waitUntil(
      async () => {
        const err = await browser.$('[data-testid="dispatch-error"]');
        if (await err.isExisting()) throw new Error(`the desk reports: ${await err.getText()}`);
        const row = await boardRow();
        return (await row.isExisting()) && (await row.getAttribute('data-state')) === state;
      },
      { timeout: 10_000, interval: 200, timeoutMsg: `the board never showed "${state}"` },
    );
  };

  await check('intake: the gazetteer finds 长白警务站 and a traffic accident is received', async () => {
    const input = await browser.$('[data-testid="place-search"]');
    await input.waitForDisplayed({ timeout: 5_000 });
    await input.setValue('长白警务站');
    const hit = await browser.$('[data-testid="place-hit"]');
    await hit.waitForExist({ timeout: 5_000, timeoutMsg: 'no gazetteer hit' });
    const hitText = await hit.getText();
    assert(hitText.includes('长白警务站'), `first hit "${hitText}"`);
    await hit.click();
    // Choose the type as a person does (the option), then check the form took it.
    await browser.execute(() => {
      const sel = document.querySelector('[data-testid="intake-type"]');
      sel.value = 'traffic_accident';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const chosen = await browser.execute(() => document.querySelector('[data-testid="intake-type"]').value);
    assert(chosen === 'traffic_accident', `type select is "${chosen}"`);
    await (await browser.$('[data-testid="intake-submit"]')).click();
  });

  await check('recommendation: the Changbai post comes first, with an ETA and legs; its route is drawn', async () => {
    await browser.waitUntil(
      async () => {
        const err = await browser.$('[data-testid="dispatch-error"]');
        if (await err.isExisting()) throw new Error(`the desk reports: ${await err.getText()}`);
        return (await browser.$$('[data-testid="candidate"]')).length > 0;
      },
      { timeout: 10_000, interval: 200, timeoutMsg: 'no candidates' },
    );
    const cands = await browser.$$('[data-testid="candidate"]');
    const first = cands[0];
    const unit = await first.getAttribute('data-unit');
    const text = await first.getText();
    assert(unit === 'changbai_post' || text.includes('长白警务站'), `first candidate ${unit}: "${text}"`);
    assert(/\d{2}:\d{2}/.test(text), `no mm:ss ETA in "${text}"`);
    // The post may already stand at the place (no legs): hover the first candidate that travels.
    let traveller;
    for (const c of cands) {
      if ((await c.$$('.legs li')).length > 0) {
        traveller = c;
        break;
      }
    }
    assert(traveller, 'no candidate has legs');
    await traveller.moveTo();
    await browser.waitUntil(async () => (await attr('data-route-legs')) > 0, {
      timeout: 5_000,
      timeoutMsg: 'no route drawn for the hovered candidate',
    });
    await browser.pause(300);
    await shot('recommend.png');
  });

  await check('assign with Enter: the board shows the incident dispatched to the post', async () => {
    await browser.action('pointer').move({ x: 5, y: 300, origin: 'viewport' }).perform();
    await browser.keys('Enter');
    await waitState('dispatched');
    const rowText = await (await boardRow()).getText();
    assert(rowText.includes('已派遣'), `board row "${rowText}"`);
    const cands = await browser.$$('[data-testid="candidate"]');
    assert(cands.length === 0, 'the recommendation list stayed open after assigning');
  });

  await check('advance: en route → on scene → cleared, shown on the board', async () => {
    const advance = async (step, state) => {
      const btn = await browser.$(`[data-testid="board-incident"] [data-testid="advance"][data-step="${step}"]`);
      await btn.waitForExist({ timeout: 5_000, timeoutMsg: `no "${step}" button` });
      await btn.click();
      await waitState(state);
    };
    await advance('en_route', 'en_route');
    // The keyboard: select the row, N takes the next step.
    await (await browser.$('[data-testid="board-incident"] td')).click();
    await browser.keys('n');
    await waitState('on_scene');
    const since = await (await browser.$('[data-testid="board-incident"] [data-level]')).getAttribute('data-level');
    assert(['ok', 'amber', 'red'].includes(since), `timer level "${since}"`);
    await browser.pause(300);
    await shot('board.png');
    await (await browser.$('[data-testid="board-incident"] [data-testid="advance"][data-step="clear"]')).click();
    await browser.waitUntil(async () => !(await (await boardRow()).isExisting()), {
      timeout: 10_000,
      timeoutMsg: 'the cleared incident is still on the board',
    });
    const err = await browser.$('[data-testid="dispatch-error"]');
    assert(!(await err.isExisting()), `the desk reports: ${await err.isExisting() && (await err.getText())}`);
  });

  await check('override: key 2 asks for a reason, then the second unit is sent; cancel asks for a reason', async () => {
    const input = await browser.$('[data-testid="place-search"]');
    await input.setValue('cbjwz');
    const hit = await browser.$('[data-testid="place-hit"]');
    await hit.waitForExist({ timeout: 5_000, timeoutMsg: 'no gazetteer hit for the initials "cbjwz"' });
    await hit.click();
    await (await browser.$('[data-testid="intake-submit"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="candidate"]')).length > 1, {
      timeout: 10_000,
      timeoutMsg: 'fewer than two candidates',
    });
    const second = await (await browser.$$('[data-testid="candidate"]'))[1].getAttribute('data-unit');
    await browser.keys('2');
    const dialog = await browser.$('[data-testid="override-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no override dialog for rank 2' });
    await (await browser.$('[data-testid="override-reason"]')).setValue('e2e: 首选警力正在处置其他警情');
    await (await dialog.$('button[type="submit"]')).click();
    await waitState('dispatched');
    const row = await boardRow();
    const rowText = await row.getText();
    assert(await dialog.isExisting() === false, 'the override dialog stayed open');
    assert(!rowText.includes('长白警务站'), `board row "${rowText}" shows the top unit, not ${second}`);
    await (await row.$('[data-testid="cancel"]')).click();
    const cancel = await browser.$('[data-testid="cancel-dialog"]');
    await cancel.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no cancel dialog' });
    await (await browser.$('[data-testid="cancel-reason"]')).setValue('e2e: 重复报警');
    await (await cancel.$('button[type="submit"]')).click();
    await browser.waitUntil(async () => !(await (await boardRow()).isExisting()), {
      timeout: 10_000,
      timeoutMsg: 'the cancelled incident is still on the board',
    });
    const err = await browser.$('[data-testid="dispatch-error"]');
    assert(!(await err.isExisting()), `the desk reports: ${await err.isExisting() && (await err.getText())}`);
  });

  await dispatcherChecks({ browser, check, assert, shot });
  await leaderChecks({ browser, check, assert, shot });
  await regionChecks({ browser, check, assert, shot });

  await check('a screenshot is saved to tests/e2e/screenshots/map.png', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, 'map.png');
    await browser.saveScreenshot(file);
    assert(statSync(file).size > 10_000, 'screenshot is suspiciously small');
  });

  await supervisor({ browser, check, shot, env });

  try {
    await browser.deleteSession();
  } catch {
    /* the app may already be gone */
  }
  desk.stop();
  clearTimeout(watchdog);
  finish();
}

main().catch((e) => {
  fail('e2e harness', e?.stack ?? e);
  finish();
});

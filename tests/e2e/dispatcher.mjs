// The dispatcher's screen on the real desk: conditions and what they close on the map,
// open incidents and busy units on the map, an incident's timeline, reassignment of a
// busy unit with a reason, cancellation, the help overlay. Called by run.mjs.

import { signIn, USERS } from './accounts.mjs';
import { deskHands } from './desk-hands.mjs';

const DISPATCHER = USERS.dispatcher;

export async function dispatcherChecks({ browser, check, assert, shot }) {
  const { $, mapAttr, noDeskError, setSelect, attrsOf, boardIds, timelineKinds, intake, takeAndAssign } = deskHands(browser);

  await check('dispatcher: signed in as a dispatcher', async () => {
    await signIn(browser, DISPATCHER.username, DISPATCHER.password);
    await browser.waitUntil(async () => (await $('[data-testid="cond-wind"]')).isEnabled(), {
      timeout: 15_000,
      timeoutMsg: 'the conditions bar never became usable (not signed in?)',
    });
  });

  await check('dispatcher: the clock shows the region time to the second and runs', async () => {
    const clock = await $('[data-testid="desk-clock"]');
    assert((await clock.getAttribute('data-time-zone')) === 'Asia/Shanghai', 'clock not on Asia/Shanghai');
    const t1 = await (await $('[data-testid="desk-clock-time"]')).getText();
    assert(/^\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t1), `clock reads "${t1}"`);
    // The machine's UTC hour + 8 is the region's hour.
    const hour = Number(t1.slice(6, 8));
    assert(hour === (new Date().getUTCHours() + 8) % 24, `clock hour ${hour} is not UTC+8`);
    await browser.pause(1_300);
    const t2 = await (await $('[data-testid="desk-clock-time"]')).getText();
    assert(t1 !== t2, `the clock did not move (${t1})`);
  });

  await check('dispatcher: the clock set to 03:00 tomorrow previews 大猫岛 (waits for the first sailing), at 10:00 by typed coordinates; nothing journaled; back to live', async () => {
    // Tomorrow's date in the region (UTC+8), as the datetime-local input wants it.
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const setClock = async (hhmm) => {
      await browser.execute(() => document.activeElement?.blur());
      await browser.keys('t');
      const input = await $('[data-testid="clock-input"]');
      await input.waitForExist({ timeout: 5_000, timeoutMsg: 'T did not open the clock setter' });
      await browser.execute(
        (v) => {
          const el = document.querySelector('[data-testid="clock-input"]');
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        },
        `${tomorrow}T${hhmm}`,
      );
      await (await $('[data-testid="clock-apply"]')).click();
      await browser.waitUntil(async () => (await (await $('[data-testid="desk-clock-time"]')).getText()).endsWith(`${hhmm}:00`), {
        timeout: 5_000,
        timeoutMsg: `the clock does not show ${hhmm}`,
      });
    };
    // By the gazetteer, or by coordinates typed as a phone shows them (lat, lon).
    const preview = async (where) => {
      if (where === 'gazetteer') await intake('大猫岛村落', 'traffic_accident');
      else {
        await (await $('[data-testid="place-search"]')).setValue('29.94794, 122.04865');
        const typed = await $('[data-testid="typed-coordinates"]');
        await typed.waitForExist({ timeout: 5_000, timeoutMsg: 'typed coordinates not recognised' });
        const text = await typed.getText();
        assert(text.includes('122.04865') && text.includes('29.94794'), `typed coordinates read as "${text}"`);
        await setSelect('intake-type', 'traffic_accident');
        await (await $('[data-testid="intake-submit"]')).click();
      }
      await browser.waitUntil(
        async () => {
          await noDeskError();
          return (await browser.$$('[data-testid="preview-candidate"]')).length > 0;
        },
        { timeout: 10_000, interval: 200, timeoutMsg: 'no preview candidates' },
      );
      // The first land unit going alone: a police boat, or a crew it carries (issue #16),
      // waits for no sailing.
      const rows = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="preview-candidate"]')].map((e) => [e.dataset.eta, e.dataset.kind, e.dataset.carrier]),
      );
      const alone = rows.find(([, kind, carrier]) => kind !== 'boat' && !carrier);
      assert(alone, `no land unit going alone among ${JSON.stringify(rows)}`);
      return Number(alone[0]);
    };
    try {
      const boardBefore = await boardIds();
      await setClock('03:00');
      assert((await (await $('[data-testid="desk-clock"]')).getAttribute('data-set')) !== '', 'the clock is not marked set');
      const night = await preview('gazetteer');
      assert((await browser.$$('[data-testid="assign"]')).length === 0, 'a preview offers Assign buttons');
      await shot('dispatcher-preview.png');
      await setClock('10:00');
      const morning = await preview('coordinates');
      assert(night > morning, `ETA at 03:00 (${night} s) not longer than at 10:00 (${morning} s)`);
      assert(JSON.stringify(await boardIds()) === JSON.stringify(boardBefore), 'a preview reached the board');
      // Back to live: the preview goes, the clock runs again.
      await (await $('[data-testid="desk-clock"]')).click();
      await (await $('[data-testid="clock-live"]')).click();
      await browser.waitUntil(async () => (await browser.$$('[data-testid="recommendation-preview"]')).length === 0, {
        timeout: 5_000,
        timeoutMsg: 'the preview stayed after going back to live',
      });
      assert((await (await $('[data-testid="desk-clock"]')).getAttribute('data-set')) === '', 'the clock is still set');
    } finally {
      // Whatever failed above, later checks must find the clock live.
      if ((await (await $('[data-testid="desk-clock"]')).getAttribute('data-set')) !== '') {
        await browser.execute(() => document.activeElement?.blur());
        await browser.keys('t');
        await (await $('[data-testid="clock-live"]')).click();
      }
      await (await $('[data-testid="place-search"]')).clearValue();
    }
  });

  await check('dispatcher: W goes to the wind; wind 9 draws the suspended crossings on the map', async () => {
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys('w');
    const focused = await browser.execute(() => document.activeElement?.getAttribute('data-testid'));
    assert(focused === 'cond-wind', `W focused "${focused}"`);
    await browser.execute(() => document.activeElement?.blur());
    assert((await mapAttr('data-suspended-ferries')) === 0, 'crossings suspended before any wind');
    await setSelect('cond-wind', '9');
    await browser.waitUntil(async () => (await mapAttr('data-suspended-ferries')) > 0, {
      timeout: 10_000,
      timeoutMsg: 'no crossing drawn suspended at wind 9',
    });
    await noDeskError();
    const suspended = await mapAttr('data-suspended-ferries');
    const marks = await browser.$$('[data-testid="closed-link"][data-kind="ferry"]');
    assert(marks.length === suspended, `${marks.length} ✕ markers for ${suspended} suspended crossings`);
    for (const m of marks) assert((await m.getAttribute('data-by')) === 'wind', 'a crossing closed for another reason');
    // Every bridge's limit in the pack is 10 or more: none closed at 9.
    assert((await mapAttr('data-closed-bridges')) === 0, 'a bridge closed at wind 9');
    const setBy = await (await $('[data-testid="cond-set-by"]')).getText();
    assert(setBy.includes(DISPATCHER.username), `conditions bar says "${setBy}"`);
    const summary = await (await $('[data-testid="cond-summary"]')).getText();
    assert(summary.includes(String(suspended)), `summary "${summary}"`);
    await browser.pause(300);
    await shot('dispatcher-wind9.png');
  });

  let a;
  let b;
  let busyUnit;
  await check('dispatcher: an assigned incident appears on the map, its unit shown busy', async () => {
    a = await takeAndAssign('长白警务站', 'traffic_accident');
    await browser.waitUntil(async () => (await $(`[data-testid="map-incident"][data-id="${a}"]`)).isExisting(), {
      timeout: 10_000,
      timeoutMsg: `incident ${a} is not on the map`,
    });
    const marker = await $(`[data-testid="map-incident"][data-id="${a}"]`);
    assert((await marker.getAttribute('data-state')) === 'dispatched', 'map marker state');
    assert((await mapAttr('data-busy-units')) >= 1, 'no busy unit on the map');
    assert((await browser.$$('[data-testid="map-unit"][data-status="dispatched"]')).length >= 1, 'no dispatched unit marker');
    // A second call elsewhere keeps another unit busy (to be taken off it below).
    b = await takeAndAssign('定海', 'traffic_accident');
    const row = await $(`[data-testid="board-incident"][data-id="${b}"]`);
    busyUnit = await browser.execute((id) => {
      const r = document.querySelector(`[data-testid="board-incident"][data-id="${id}"]`);
      return r?.textContent ?? '';
    }, b);
    assert(await row.isExisting(), `incident ${b} not on the board`);
    assert((await mapAttr('data-incidents')) >= 2, 'both incidents are not on the map');
  });

  await check('dispatcher: clicking the incident on the map opens its whole timeline', async () => {
    await (await $(`[data-testid="map-incident"][data-id="${a}"]`)).click();
    const detail = await $('[data-testid="incident-detail"]');
    await detail.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no incident detail' });
    assert(Number(await detail.getAttribute('data-id')) === a, 'detail of another incident');
    await browser.waitUntil(async () => (await browser.$$('[data-testid="timeline-event"]')).length >= 2, {
      timeout: 5_000,
      timeoutMsg: 'timeline has fewer than 2 events',
    });
    const kinds = await timelineKinds();
    assert(kinds[0] === 'received' && kinds.includes('dispatched'), `timeline kinds ${kinds}`);
    const text = await (await $('[data-testid="timeline"]')).getText();
    const operators = await attrsOf('[data-testid="timeline-event"] [data-testid="timeline-operator"]', 'title');
    assert(operators.length === kinds.length && operators.every((o) => o === DISPATCHER.username), `operators ${operators}`);
    assert(text.includes('接警') && text.includes('派遣'), `timeline not in words: ${text}`);
  });

  await check('dispatcher: R lists busy units with their incident; reassigning one needs a reason', async () => {
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys('r');
    await browser.waitUntil(async () => (await browser.$$('[data-testid="reassign-option"]')).length > 0, {
      timeout: 10_000,
      timeoutMsg: 'no reassign options',
    });
    const options = await browser.$$('[data-testid="reassign-option"]');
    let busy;
    for (const o of options) {
      if ((await o.getAttribute('data-status')) !== 'available' && (await o.getText()).includes(`#${b}`)) {
        busy = o;
        break;
      }
    }
    assert(busy, `the unit busy on #${b} is not offered (board row: ${busyUnit})`);
    const unit = await busy.getAttribute('data-unit');
    await busy.click();
    const confirm = await $('[data-testid="reassign-confirm"]');
    await confirm.waitForDisplayed({ timeout: 5_000 });
    assert(!(await confirm.isEnabled()), 'reassign possible without a reason');
    await (await $('[data-testid="reassign-reason"]')).setValue('e2e: 离现场更近');
    await browser.pause(200);
    await shot('dispatcher-reassign.png');
    await confirm.click();
    await browser.waitUntil(
      async () => {
        await noDeskError();
        const kinds = await timelineKinds();
        return kinds.includes('unit_withdrawn') && kinds.filter((k) => k === 'dispatched').length === 2;
      },
      { timeout: 10_000, interval: 250, timeoutMsg: 'the timeline does not show the reassignment' },
    );
    const text = await (await $('[data-testid="timeline"]')).getText();
    assert(text.includes('e2e: 离现场更近'), 'the reason is not on the timeline');
    // The unit was taken off incident b, which waits for a unit again.
    await browser.waitUntil(
      async () => (await (await $(`[data-testid="board-incident"][data-id="${b}"]`)).getAttribute('data-state')) === 'received',
      { timeout: 10_000, timeoutMsg: `incident ${b} still has ${unit}` },
    );
    await browser.pause(300);
    await shot('dispatcher-detail.png');
  });

  await check('dispatcher: X in the detail cancels with a reason; the incident leaves board and map', async () => {
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys('x');
    const reason = await $('[data-testid="detail-cancel-reason"]');
    await reason.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no cancel reason field' });
    await reason.setValue('e2e: 重复报警');
    await (await $('[data-testid="detail-cancel-confirm"]')).click();
    await browser.waitUntil(
      async () =>
        !(await (await $(`[data-testid="board-incident"][data-id="${a}"]`)).isExisting()) &&
        !(await (await $(`[data-testid="map-incident"][data-id="${a}"]`)).isExisting()),
      { timeout: 10_000, timeoutMsg: `incident ${a} is still on the board or map` },
    );
    await noDeskError();
    await browser.keys('Escape');
    await (await $('[data-testid="incident-detail"]')).waitForExist({ reverse: true, timeout: 5_000 });
  });

  await check('dispatcher: ? shows every shortcut; Esc hides it', async () => {
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys('?');
    const help = await $('[data-testid="help-overlay"]');
    await help.waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no help overlay' });
    const n = (await browser.$$('[data-testid="shortcut"]')).length;
    assert(n >= 15, `only ${n} shortcuts listed`);
    await browser.pause(200);
    await shot('dispatcher-help.png');
    await browser.keys('Escape');
    await help.waitForExist({ reverse: true, timeout: 5_000 });
  });

  await check('dispatcher: calm again, nothing is drawn closed', async () => {
    // Leave the desk as found: cancel b, clear the wind.
    await browser.executeAsync((id, done) => {
      window.__TAURI_INTERNALS__.invoke('cancel_incident', { id, reason: 'e2e: cleanup' }).then(done, done);
    }, b);
    await setSelect('cond-wind', '0');
    await browser.waitUntil(async () => (await mapAttr('data-suspended-ferries')) === 0, {
      timeout: 10_000,
      timeoutMsg: 'crossings still drawn suspended at wind 0',
    });
    assert((await browser.$$('[data-testid="closed-link"]')).length === 0, '✕ markers left on the map');
  });
}

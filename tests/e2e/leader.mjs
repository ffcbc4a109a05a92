// e2e: the patrol leader's shift planning on the real desk. run.mjs calls
// `seedLeaderJournal(env)` before the desk starts (so the fresh journal has a call history
// to learn demand from) and `leaderChecks(ctx)` once the desk is up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn, USERS } from './accounts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DAY_MS = 86_400_000;
const isoDate = (t) => new Date(t).toISOString().slice(0, 10);

/** The desk's journal in the e2e's fresh app-data dir, filled with the CLI demo seed. */
export function seedLeaderJournal(env) {
  const targetDir = env.CARGO_TARGET_DIR || path.join(root, 'target');
  const cli = path.join(targetDir, 'release', 'tidewatch');
  const dir = path.join(env.XDG_DATA_HOME, 'org.tidewatch.desk');
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  execFileSync(
    cli,
    ['demo', 'seed', '--db', path.join(dir, 'tidewatch.db'), '--region', path.join(root, 'assets/regions/dinghai'),
      '--from', isoDate(now - 63 * DAY_MS), '--to', isoDate(now), '--seed', '11'],
    { stdio: ['ignore', 'ignore', 'inherit'], env },
  );
}

export async function leaderChecks({ browser, check, assert, shot }) {
  const $ = (id) => browser.$(`[data-testid="${id}"]`);
  const noError = async () => {
    const err = await $('leader-error');
    if (await err.isExisting()) throw new Error(`the leader screen reports: ${await err.getText()}`);
  };

  await check('leader: signed in as patrol leader, the demand curve of the seeded journal is drawn', async () => {
    await signIn(browser, USERS.patrol_leader.username, USERS.patrol_leader.password);
    await (await $('tab-leader')).click();
    await (await $('leader-screen')).waitForExist({ timeout: 10_000 });
    await browser.waitUntil(
      async () => {
        await noError();
        const c = await $('demand-chart');
        return (await c.isExisting()) && (await c.getAttribute('data-ready')) === 'true';
      },
      { timeout: 20_000, interval: 250, timeoutMsg: 'the demand chart never became ready' },
    );
    assert(Number(await (await $('demand-chart')).getAttribute('data-hours')) === 7 * 24, 'not 7 days of hours');
    const notes = await (await $('demand-notes')).getText();
    const used = Number(/(\d+)\s*起警情/.exec(notes)?.[1] ?? 0);
    assert(used > 500, `the demand learned from ${used} calls: "${notes.slice(0, 120)}"`);
    assert((await browser.$$('[data-testid="demand-chart"] svg path')).length > 10, 'the chart has no drawn paths');
    // Another island's curve.
    const islands = await browser.$$('[data-testid="demand-island"]');
    assert(islands.length >= 3, `${islands.length} islands with demand`);
    await islands[1].click();
    await browser.pause(400);
    await shot('leader-demand.png');
    await islands[0].click();
  });

  let progressSeen = 0;
  await check('leader: a 2-day plan runs in the background with a progress bar', async () => {
    const days = await $('plan-days');
    await days.clearValue();
    await days.setValue('2');
    const limit = await $('plan-time-limit');
    await limit.clearValue();
    await limit.setValue('20');
    await browser.pause(300);
    await (await $('plan-start')).click();
    const bar = await $('plan-progress');
    await bar.waitForExist({ timeout: 10_000, timeoutMsg: 'no progress bar' });
    const fractions = new Set();
    await browser.waitUntil(
      async () => {
        await noError();
        const f = await bar.getAttribute('data-fraction');
        if ((await bar.getAttribute('data-running')) === 'true') fractions.add(f);
        return fractions.size >= 3 && Number(f) > 0.2;
      },
      { timeout: 30_000, interval: 300, timeoutMsg: 'the progress bar did not move' },
    );
    progressSeen = fractions.size;
    const text = await (await $('plan-status-text')).getText();
    assert(/\d+ \/ 20/.test(text), `status text "${text}"`);
    await shot('leader-progress.png');
  });

  await check('leader: the roster appears as a timeline with its report; every rule holds', async () => {
    const timeline = await $('roster-timeline');
    await timeline.waitForExist({ timeout: 60_000, timeoutMsg: 'no roster timeline after the plan' });
    await noError();
    const bars = await browser.$$('[data-testid="shift-bar"]');
    assert(bars.length > 20, `${bars.length} shift bars`);
    const islands = Number(await timeline.getAttribute('data-islands'));
    assert(islands >= 3, `${islands} islands on the timeline`);
    const check = await (await $('report-check')).getText();
    assert(check.includes('全部满足'), `rule check "${check}"`);
    const coverage = await (await $('report-coverage')).getText();
    assert(/\d+\.\d%/.test(coverage), `coverage "${coverage}"`);
    assert((await browser.$$('[data-testid="roster-item"]')).length === 1, 'the roster is not listed');
    assert(progressSeen >= 3, 'progress not seen');
    await browser.pause(300);
    await shot('leader-roster.png');
  });

  await check('leader: export writes the XLSX and the calendars and shows where', async () => {
    await (await $('roster-export')).click();
    const out = await $('export-result');
    await out.waitForExist({ timeout: 15_000, timeoutMsg: 'no export result' });
    await noError();
    const paths = await browser.$$('[data-testid="export-result"] code');
    const xlsx = await paths[0].getText();
    const ics = await paths[1].getText();
    assert(xlsx.endsWith('roster.xlsx') && existsSync(xlsx) && statSync(xlsx).size > 5_000, `xlsx ${xlsx}`);
    assert(existsSync(ics) && statSync(ics).isDirectory(), `calendars ${ics}`);
    // Print: the roster table exists for the print stylesheet (window.print is not driven).
    const rows = await browser.execute(() => document.querySelectorAll('[data-testid="print-roster"] tbody tr').length);
    assert(rows > 20, `${rows} rows in the printable table`);
  });

  await check('leader: publish asks first, then the roster is marked published', async () => {
    await (await $('roster-publish')).click();
    await (await $('publish-confirm')).waitForDisplayed({ timeout: 5_000, timeoutMsg: 'no confirmation' });
    await (await $('publish-confirm-yes')).click();
    await (await $('published-badge')).waitForExist({ timeout: 10_000, timeoutMsg: 'the roster is not marked published' });
    await noError();
    assert(!(await (await $('roster-publish')).isEnabled()), 'publish still enabled after publishing');
  });

  await check('leader: what-if — the roster against every unit on duty in a typhoon, side by side', async () => {
    await (await $('leader-tab-whatif')).click();
    await (await $('whatif')).waitForExist({ timeout: 5_000 });
    await browser.execute(() => {
      const sel = document.querySelector('[data-testid="whatif-scenario"]');
      sel.value = 'typhoon';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await (await $('whatif-run')).click();
    await browser.waitUntil(
      async () => {
        const err = await $('whatif-error');
        if (await err.isExisting()) throw new Error(`what-if reports: ${await err.getText()}`);
        return (await $('whatif-table')).isExisting();
      },
      { timeout: 20_000, interval: 250, timeoutMsg: 'no what-if result' },
    );
    const a = await (await $('whatif-label-a')).getText();
    const b = await (await $('whatif-label-b')).getText();
    assert(a.includes('#1') && b.includes('全部警力在岗'), `sides "${a}" / "${b}"`);
    const overall = await (await $('whatif-overall')).getText();
    assert((overall.match(/\d+\.\d/g) ?? []).length >= 4, `overall row "${overall}"`);
    const note = await (await $('whatif-note')).getText();
    assert(note.includes('台风'), `note "${note}"`);
    await browser.pause(300);
    await shot('leader-whatif.png');
  });

  // Leave the desk on the dispatch screen for the checks after these.
  await (await $('tab-dispatch')).click();
}

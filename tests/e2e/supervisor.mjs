// The supervisor's screen on the real desk over a journal pre-seeded with a year of
// SYNTHETIC demo history (the CLI's `demo seed`, before the desk starts) plus whatever the
// earlier checks dispatched: charts drawn, figures non-zero and narrowed by a filter, the
// override review with the e2e's own override, exports written, the audit result shown.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USERS, signIn } from './accounts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Where the desk keeps its journal under the run's fresh XDG_DATA_HOME. */
const journalPath = (env) => path.join(env.XDG_DATA_HOME, 'org.tidewatch.desk', 'tidewatch.db');

/**
 * Before the desk starts (it caches the journal's tail): a year of demo history written by
 * the CLI into the fresh journal. Every unit ends the history back at its base, free, and no
 * incident is left open, so the dispatcher's checks start from the same board.
 */
export function seedDemoHistory(env, targetDir) {
  const cli = path.join(targetDir, 'release', 'tidewatch');
  if (!existsSync(cli)) throw new Error(`the CLI is missing: ${cli} (cargo build --release --bin tidewatch)`);
  const out = execFileSync(
    cli,
    ['demo', 'seed', '--db', journalPath(env), '--region', path.join(root, 'assets/regions/dinghai'), '--from', '2025-06-01', '--to', '2026-06-01'],
    { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  console.log(`     ${out.trim()}`);
}

const byTestId = (browser, id) => browser.$(`[data-testid="${id}"]`);
const kpi = async (browser, id) => Number(await (await byTestId(browser, `kpi-${id}`)).getAttribute('data-value'));

/** Sets a <select> or <input> as a person would and fires its change event. */
async function setField(browser, testid, value) {
  await browser.execute(
    (id, v) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    testid,
    value,
  );
}

async function waitLoaded(browser) {
  await browser.waitUntil(
    async () => {
      const err = await byTestId(browser, 'sup-error');
      if (await err.isExisting()) throw new Error(`the screen reports: ${await err.getText()}`);
      const s = await byTestId(browser, 'supervisor');
      return (await s.getAttribute('data-loading')) === 'false' && (await (await byTestId(browser, 'kpi-tiles')).isExisting());
    },
    { timeout: 15_000, interval: 200, timeoutMsg: 'the dashboard never loaded' },
  );
}

export async function supervisor({ browser, check, shot, env }) {
  const sup = USERS.supervisor;
  let total = 0;

  await check('supervisor: signs in and opens the dashboard; synthetic data is flagged', async () => {
    await signIn(browser, sup.username, sup.password);
    await (await byTestId(browser, 'tab-supervisor')).click();
    const t0 = Date.now();
    await waitLoaded(browser);
    const ipc = await (await byTestId(browser, 'supervisor')).getAttribute('data-ipc-ms');
    console.log(`     dashboard shown ${Date.now() - t0} ms after the tab click (core + IPC ${ipc} ms)`);
    const banner = await byTestId(browser, 'synthetic-banner');
    assert(await banner.isDisplayed(), 'no synthetic-data banner');
    assert((await banner.getText()).includes('演示数据'), `banner "${await banner.getText()}"`);
  });

  await check('supervisor: the charts are drawn on canvases and the figures are not zero', async () => {
    for (const id of ['chart-histogram', 'chart-target', 'chart-island', 'chart-mode', 'chart-heatmap', 'chart-trend']) {
      const canvas = await browser.$(`[data-testid="${id}"] canvas`);
      assert(await canvas.isExisting(), `${id} has no canvas`);
      const size = await canvas.getSize();
      assert(size.width > 200 && size.height > 150, `${id} canvas is ${size.width}×${size.height}`);
    }
    total = await kpi(browser, 'incidents');
    assert(total > 1000, `incidents = ${total}`);
    const p90 = await kpi(browser, 'p90');
    const p50 = await kpi(browser, 'p50');
    assert(p50 > 0 && p90 >= p50, `P50 ${p50} s, P90 ${p90} s`);
    const within = await kpi(browser, 'within-target');
    assert(within > 0 && within <= 1, `within target ${within}`);
    assert((await kpi(browser, 'vehicles')) > 0, 'no vehicles checked');
    await browser.pause(600); // the charts animate in
    await shot('supervisor.png');
  });

  await check('supervisor: the override review lists the e2e override with its reason and operator', async () => {
    await (await byTestId(browser, 'chart-heatmap')).scrollIntoView();
    await browser.pause(300);
    await shot('supervisor-charts.png');
    await (await byTestId(browser, 'override-review')).scrollIntoView();
    await browser.pause(300);
    await shot('supervisor-overrides.png');
    await (await byTestId(browser, 'sup-filters')).scrollIntoView();
    const rows = await browser.$$('[data-testid="override-row"]');
    assert(rows.length > 0, 'no override rows');
    // Newest first: the dispatcher's override from the earlier checks is among the first rows.
    const texts = [];
    for (const r of rows.slice(0, 10)) texts.push(await r.getText());
    const mine = texts.find((t) => t.includes('首选警力正在处置其他警情'));
    assert(mine, `no row with the e2e override reason among:\n${texts.join('\n')}`);
    assert(mine.includes(USERS.dispatcher.username), `the e2e override row "${mine}" does not name the dispatcher`);
  });

  await check('supervisor: an island filter narrows every figure', async () => {
    const islands = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="filter-island"] option')].map((o) => o.value).filter(Boolean),
    );
    assert(islands.includes('jintang'), `islands in the filter: ${islands.join(',')}`);
    await setField(browser, 'filter-island', 'jintang');
    await browser.waitUntil(async () => (await kpi(browser, 'incidents')) !== total, { timeout: 10_000, timeoutMsg: 'the figures did not change' });
    await waitLoaded(browser);
    const one = await kpi(browser, 'incidents');
    assert(one > 0 && one < total, `jintang ${one} of ${total}`);
    const zero = await (await byTestId(browser, 'kpi-zero-islands')).getText();
    assert(zero.includes('1'), `zero-incident tile "${zero}" is not about one island`);
    await setField(browser, 'filter-island', '');
    await browser.waitUntil(async () => (await kpi(browser, 'incidents')) === total, { timeout: 10_000, timeoutMsg: 'clearing the filter did not restore the total' });
  });

  await check('supervisor: the period filter changes the figures', async () => {
    await setField(browser, 'filter-from', '2026-01-01');
    await setField(browser, 'filter-to', '2026-01-31');
    await browser.waitUntil(async () => (await kpi(browser, 'incidents')) < total, { timeout: 10_000, timeoutMsg: 'January did not narrow the figures' });
    await waitLoaded(browser);
    const jan = await kpi(browser, 'incidents');
    assert(jan > 300 && jan < total, `January: ${jan}`);
  });

  const exported = [];
  await check('supervisor: CSV export writes the filtered report and says where', async () => {
    await (await byTestId(browser, 'export-csv')).click();
    const done = await byTestId(browser, 'export-done');
    await done.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no export confirmation' });
    const file = await done.getAttribute('data-path');
    exported.push(file);
    assert(existsSync(file), `${file} does not exist`);
    const csv = readFileSync(file, 'utf8');
    assert(csv.startsWith('# SYNTHETIC DEMO DATA'), `CSV starts "${csv.slice(0, 40)}"`);
    assert(csv.split('\n')[1].startsWith('island,incidents'), `CSV header "${csv.split('\n')[1]}"`);
    const where = await (await byTestId(browser, 'export-bar')).getText();
    assert(where.includes(path.dirname(file)), `the bar does not say where: "${where}"`);
  });

  await check('supervisor: journal export (JSONL) writes every event', async () => {
    const before = await (await byTestId(browser, 'export-done')).getAttribute('data-path');
    await (await byTestId(browser, 'export-journal')).click();
    await browser.waitUntil(async () => (await (await byTestId(browser, 'export-done')).getAttribute('data-path')) !== before, {
      timeout: 15_000,
      timeoutMsg: 'no journal export confirmation',
    });
    const file = await (await byTestId(browser, 'export-done')).getAttribute('data-path');
    exported.push(file);
    assert(file.endsWith('.jsonl') && statSync(file).size > 1_000_000, `${file}`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert(lines.length > 50_000, `${lines.length} events`);
    assert(JSON.parse(lines[0]).seq === 1, 'the first line is not event 1');
    // The accounts checks' wrong password is there, under nobody, and no password is.
    const failed = lines.filter((l) => l.includes('"sign_in_failed"')).map((l) => JSON.parse(l));
    assert(failed.some((e) => e.operator === '(not signed in)' && e.body.reason === 'wrong_password'), `refused sign-ins: ${JSON.stringify(failed)}`);
    assert(!lines.some((l) => l.includes('not-the-password')), 'a password is in the journal');
  });

  await check('supervisor: the audit shows the chain intact, with a re-check', async () => {
    const ok = await byTestId(browser, 'audit-ok');
    await ok.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no audit result' });
    const n1 = Number(/(\d+)/.exec((await ok.getText()).replace(/,/g, ''))?.[1]);
    await (await byTestId(browser, 'audit-recheck')).click();
    // The exports were journaled meanwhile: the re-check counts them.
    await browser.waitUntil(async () => Number(/(\d+)/.exec((await (await byTestId(browser, 'audit-ok')).getText()).replace(/,/g, ''))?.[1]) > n1, {
      timeout: 10_000,
      timeoutMsg: 'the re-check did not count the journaled exports',
    });
    await browser.pause(300);
    await shot('supervisor-filtered.png');
  });

  await check('supervisor: sets a board timer threshold; a bad one is refused at its field', async () => {
    const section = await byTestId(browser, 'board-thresholds');
    await section.scrollIntoView();
    const p4 = await byTestId(browser, 'thr-received-p4-amber');
    await p4.waitForExist({ timeout: 10_000, timeoutMsg: 'no thresholds table' });
    assert((await p4.getValue()) === '10', `P4 received amber shows "${await p4.getValue()}" (default 10 min)`);
    // Amber 5 min with red at 2: the core refuses it and names the field.
    await setField(browser, 'thr-received-p1-amber', '5');
    await (await byTestId(browser, 'thr-save')).click();
    const problem = await byTestId(browser, 'thr-problem');
    await problem.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no problem shown for amber over red' });
    assert((await problem.getAttribute('data-field')) === 'received.p1', `problem at ${await problem.getAttribute('data-field')}`);
    assert((await problem.getText()).includes('黄色阈值须小于红色阈值'), `problem "${await problem.getText()}"`);
    assert((await byTestId(browser, 'thr-set-by').then((e) => e.getText())).includes('尚未设定'), 'a refused table was saved');
    // Back to 1 min, and P4's amber to 9 min: saved, journaled under the supervisor.
    await setField(browser, 'thr-received-p1-amber', '1');
    await setField(browser, 'thr-received-p4-amber', '9');
    await (await byTestId(browser, 'thr-save')).click();
    await (await byTestId(browser, 'thr-saved')).waitForDisplayed({ timeout: 10_000, timeoutMsg: 'the thresholds were not saved' });
    const who = await (await byTestId(browser, 'thr-set-by')).getText();
    assert(who.includes(sup.username), `set by "${who}"`);
    assert(!(await (await byTestId(browser, 'thr-problem')).isExisting()), 'a problem is still shown');
    await browser.pause(200);
    await shot('supervisor-thresholds.png');
  });

  await check('supervisor: the desk sign-ins show who was on and the refused sign-in, worded', async () => {
    const refusal = await byTestId(browser, 'access-refusal');
    await refusal.waitForExist({ timeout: 10_000, timeoutMsg: 'no refused sign-in listed (the e2e typed a wrong password)' });
    await refusal.scrollIntoView();
    const reasons = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="access-refusal"]')].map((r) => r.getAttribute('data-reason')),
    );
    assert(reasons.includes('wrong_password'), `refusals listed: ${reasons}`);
    assert((await refusal.getText()).length > 0, 'an empty refusal row');
    const sessions = await browser.$$('[data-testid="access-session"]');
    assert(sessions.length >= 3, `${sessions.length} desk sessions listed`);
    assert((await sessions[0].getText()).includes(sup.username), `newest session: ${await sessions[0].getText()}`);
    await shot('supervisor-access.png');
  });

  // Exports outside the run's own temporary home (a real Downloads folder) are removed.
  for (const f of exported) if (f && !f.startsWith(path.dirname(env.XDG_DATA_HOME))) rmSync(f, { force: true });
}

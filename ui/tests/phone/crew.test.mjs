// The crew's page in a real browser (Debian's Chromium through playwright-core, a phone's
// viewport) against a running `tidewatch serve` on a throwaway PostgreSQL database
// (TIDEWATCH_PG_URL, from `scripts/postgres.sh --test`; `make test-phone`):
//
// - a crew member signs in for a unit; a desk (a dispatcher over the HTTP API) sends the
//   unit to a call and the page shows it without a reload (pushed over the live socket);
// - acknowledge and en route → the desk's API shows each within 1 s;
// - offline (context.setOffline): on scene, a note, a photo and clear queue on the phone
//   with their times; back online they arrive in that order, phone times beside the
//   service's;
// - an action that became impossible while the phone was offline (the desk cancelled the
//   call) is refused by the service and the page shows why;
// - a screenshot of the page in the phone's viewport (tests/phone/out/, look at it);
// - a boat carrying a land crew (issue #16): the boat's phone shows its job (whom, from
//   which pier to which, the crew's status) and reports the boat's steps, which the desk's
//   board shows; screenshot crew-carrier.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUT = fileURLToPath(new URL('./out', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TARGET = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? '/root', '.cache/tidewatch/target');
const BIN = process.env.TIDEWATCH_BIN ?? join(TARGET, 'release/tidewatch');
const PG = process.env.TIDEWATCH_PG_URL;
const PASSWORD = 'correct horse 1';
const UNIT = 'dh_traffic_01';
/** Dinghai town, on the main island. */
const TOWN = [122.103, 30.018];

let serve, base, desk, browser, context, page;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
  const port = s.address().port;
  await new Promise((ok) => s.close(ok));
  return port;
}

async function api(method, path, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: r.status, json };
}

async function ok(method, path, token, body) {
  const r = await api(method, path, token, body);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Polls `probe` every 20 ms until it returns something truthy; how long it took (ms). */
async function within(ms, what, probe) {
  const start = Date.now();
  for (;;) {
    const got = await probe();
    if (got) return Date.now() - start;
    if (Date.now() - start > ms) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

async function call(kind = 'traffic_accident') {
  const { incident_id } = await ok('POST', '/api/incidents', desk, { incident_type: kind, lon: TOWN[0], lat: TOWN[1], source: 'phone', text: '两车追尾，无人受伤' });
  await ok('POST', `/api/incidents/${incident_id}/dispatch`, desk, { unit: UNIT, override_reason: 'the crew page test' });
  return incident_id;
}

const timeline = async (id) => (await ok('GET', `/api/incidents/${id}/timeline`, desk)).filter((e) => e.operator === 'lin');
const boardState = async (id) => (await ok('GET', '/api/board', desk)).incidents.find((i) => i.id === id)?.state;
const queued = async () => Number(await page.getAttribute('#net', 'data-queued'));

before(async () => {
  assert.ok(PG, 'TIDEWATCH_PG_URL is unset: run `make test-phone` (it makes a throwaway database)');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  serve = spawn(BIN, ['serve', '--pg', PG, '--region', join(ROOT, 'assets/regions/dinghai'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  await within(60_000, 'tidewatch serve answering', async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok);
  const admin = await ok('POST', '/api/first-administrator', null, { username: 'root', password: PASSWORD });
  await ok('POST', '/api/accounts', admin.token, { username: 'ann', password: PASSWORD, role: 'dispatcher' });
  await ok('POST', '/api/accounts', admin.token, { username: 'lin', password: PASSWORD, role: 'crew' });
  await ok('POST', '/api/accounts', admin.token, { username: 'zhou', password: PASSWORD, role: 'crew' });
  desk = (await ok('POST', '/api/sign-in', null, { username: 'ann', password: PASSWORD })).token;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      // (a fresh user-data-dir: playwright makes one for every launch, and refuses the flag)
      '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
});

after(async () => {
  await browser?.close();
  serve?.kill('SIGINT');
});

test('a crew signs in, gets the assignment pushed, acts on it, and its offline actions arrive in order', async () => {
  await page.goto(`${base}/crew/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.fill('#user', 'lin');
  await page.fill('#password', PASSWORD);
  await page.fill('#unit', '定海交巡01');
  await page.click('#sign-in');
  await page.waitForSelector('#idle');
  assert.match(await page.textContent('#who'), /定海交巡01 · lin/);

  // Pushed: the desk dispatches, the page (no reload, no click) shows the assignment.
  const id = await call();
  const shown = await within(3000, 'the assignment on the phone', () => page.$(`#assignment[data-incident="${id}"]`));
  console.log(`assignment shown ${shown} ms after the dispatch`);
  assert.match(await page.textContent('#assignment'), /交通事故/);
  assert.match(await page.textContent('#route'), /分钟/);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'crew-assignment.png'), fullPage: true });

  // Acknowledge and en route: each on the desk's side within 1 s.
  await page.click('#act-acknowledge');
  const acked = await within(1000, 'the acknowledgement on the desk', async () => (await timeline(id)).some((e) => e.body.action === 'acknowledged'));
  await page.click('#act-en_route');
  const enRoute = await within(1000, 'en route on the desk\'s board', async () => (await boardState(id)) === 'en_route');
  console.log(`desk saw: acknowledged after ${acked} ms, en route after ${enRoute} ms`);

  // Offline: four actions queue on the phone.
  await context.setOffline(true);
  await page.click('#act-on_scene');
  await page.click('#act-note');
  await page.fill('#panel-text', '现场两车，已拍照');
  await page.click('#panel-send');
  await page.setInputFiles('#photo-file', {
    name: 'scene.png', mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
  });
  await within(3000, 'the photo queued', async () => (await queued()) === 3);
  await page.click('#act-clear');
  await page.click('#panel .chip');
  await page.click('#panel-send');
  await within(2000, 'four queued', async () => (await queued()) === 4);
  assert.match(await page.textContent('#net'), /离线/);
  await page.screenshot({ path: join(OUT, 'crew-offline.png'), fullPage: true });
  await sleep(300);
  assert.equal(await boardState(id), 'en_route', 'nothing reached the service while offline');

  // Back online: they arrive in order, each with the phone's time.
  await context.setOffline(false);
  await within(10_000, 'the queue sent', async () => (await queued()) === 0);
  const events = await timeline(id);
  const order = events.map((e) => (e.body.kind === 'crew_action' ? `crew:${e.body.action}` : e.body.kind));
  assert.deepEqual(order, ['crew:acknowledged', 'en_route', 'crew:en_route', 'on_scene', 'crew:on_scene', 'note', 'crew:note', 'crew:photo', 'cleared', 'crew:cleared']);
  const stamps = events.filter((e) => e.body.kind === 'crew_action').map((e) => [e.body.phone_utc, e.at_utc]);
  for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i][0] >= stamps[i - 1][0], `phone times in order: ${JSON.stringify(stamps)}`);
  for (const [phone, at] of stamps) assert.ok(phone <= at + 2, `phone time ${phone} beside the service's ${at}`);
  const photo = events.find((e) => e.body.action === 'photo').body.photo;
  assert.equal(photo.media_type, 'image/jpeg');
  assert.equal((await fetch(`${base}/api/photos/${photo.sha256}`, { headers: { authorization: `Bearer ${desk}` } })).status, 200);
  await page.waitForSelector('#idle');
});

test('an action that became impossible while offline is refused, and the page says why', async () => {
  const id = await call();
  await page.waitForSelector(`#assignment[data-incident="${id}"]`, { timeout: 3000 });
  await context.setOffline(true);
  await page.click('#act-en_route');
  await within(2000, 'queued', async () => (await queued()) === 1);
  // Meanwhile the desk cancels the call.
  await ok('POST', `/api/incidents/${id}/cancel`, desk, { reason: '报警人称已自行解决' });
  await context.setOffline(false);
  await within(10_000, 'the queue sent', async () => (await queued()) === 0);
  const refused = await page.waitForSelector('#refused', { timeout: 3000 });
  assert.match(await refused.textContent(), /cancelled/);
  assert.ok(!(await timeline(id)).some((e) => e.body.kind === 'crew_action'), 'nothing journaled for the refused action');
  // English on the switch.
  await page.click('#lang');
  assert.match(await page.textContent('#idle'), /No assignment/);
  await page.screenshot({ path: join(OUT, 'crew-refused.png'), fullPage: true });
});

/** A fight on 大猫岛. */
const DAMAO = [122.039, 29.951];
const CREW = 'huannan_patrol_01';
const BOAT = 'boat_01';

test('a boat carrying a crew shows its job and reports its steps to the desk', async () => {
  const { incident_id: id } = await ok('POST', '/api/incidents', desk, { incident_type: 'fight', lon: DAMAO[0], lat: DAMAO[1], source: 'phone', text: '大猫岛码头附近有人打架' });
  await ok('POST', `/api/incidents/${id}/dispatch-carried`, desk, { unit: CREW, carrier: BOAT, override_reason: '陆上警力处置' });
  const boat = await context.newPage();
  boat.on('pageerror', (e) => { throw e; });
  await boat.goto(`${base}/crew/`);
  await boat.evaluate(() => localStorage.clear());
  await boat.reload();
  await boat.fill('#user', 'zhou');
  await boat.fill('#password', PASSWORD);
  await boat.fill('#unit', BOAT);
  await boat.click('#sign-in');
  await boat.waitForSelector(`#carrier[data-incident="${id}"]`, { timeout: 5000 });
  const job = await boat.textContent('#carrier-job');
  assert.match(job, /^运送 .+ 到 /, job);
  assert.match(await boat.textContent('#carrier'), /接人码头/);
  assert.match(await boat.textContent('#carried-status'), /已派/);
  const boardStep = async () => (await ok('GET', '/api/desk/board', desk)).incidents.find((i) => i.id === id)?.carrier_step;
  await boat.click('#step-to_pickup');
  await within(2000, 'to the pickup pier on the desk', async () => (await boardStep()) === 'to_pickup');
  await boat.click('#step-crew_aboard');
  await within(2000, 'crew aboard on the desk', async () => (await boardStep()) === 'crew_aboard');
  await boat.waitForSelector('#carrier[data-step="crew_aboard"]', { timeout: 3000 });
  assert.equal(await boat.$('#step-to_pickup'), null, 'a step taken is not offered again');
  assert.ok(await boat.$('#step-crew_landed'), 'the next step is');
  mkdirSync(OUT, { recursive: true });
  await boat.screenshot({ path: join(OUT, 'crew-carrier.png'), fullPage: true });
  const steps = (await ok('GET', `/api/incidents/${id}/timeline`, desk)).filter((e) => e.operator === 'zhou').map((e) => `${e.body.unit}:${e.body.action}`);
  assert.deepEqual(steps, [`${BOAT}:to_pickup`, `${BOAT}:crew_aboard`]);
  await ok('POST', `/api/incidents/${id}/cancel`, desk, { reason: 'the carrier test is over' });
  await boat.close();
});

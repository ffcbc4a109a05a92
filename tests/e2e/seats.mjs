// Two seats on one command centre (issue #13), end to end: the real desk (A, through
// tauri-driver) on one `tidewatch serve` process and a scripted client (B, over HTTP and the
// live WebSocket) on a second process, both on one PostgreSQL database made for this run.
// A assigns → B's board shows it within 1 s; B's attempt on the same unit is refused naming
// A; B assigns → A's board shows it within 1 s; a citizen's tip (issue #15) reaches A's tips
// queue within 1 s and is made an incident, assigned and closed on the desk, the tipper reading
// the reply; a crew's phone reports to process two and A's map draws the fix (pushed, #14);
// the leader's screen and the region editor work on the seat (an edit saved on A reaches
// process two's tips page); A's service killed → A's banner, B acts, the service restarted → A catches up. Run under Xvfb, after `make test-pg`'s PostgreSQL:
//   xvfb-run -a node --experimental-websocket tests/e2e/seats.mjs
// Env: CARGO_TARGET_DIR (the built `tidewatch` and `tidewatch-desk`), TAURI_DRIVER_PORT (4454).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { signIn } from './accounts.mjs';
import { deskHands } from './desk-hands.mjs';
import { assert, checks, freshHome, root, startDesk, targetDir, waitForPort } from './driver.mjs';

const driverPort = Number(process.env.TAURI_DRIVER_PORT || 4454);
const screenshotDir = path.join(root, 'tests', 'e2e', 'screenshots');
const OVERALL_TIMEOUT_MS = 300_000;
/** The bound for a colleague's change to reach a screen. */
const LIVE_MS = 1_000;

const ADMIN = { username: 'admin', password: 'e2e-admin-pass' };
const A = { username: 'wang.dispatch', password: 'e2e-dispatch-a', role: 'dispatcher' };
const B = { username: 'chen.dispatch', password: 'e2e-dispatch-b', role: 'dispatcher' };
const LEADER = { username: 'li.leader', password: 'e2e-leader-pass', role: 'patrol_leader' };

const { check, fail, finish } = checks();

/** A free loopback port (the OS picks; released before the service binds it). */
function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One `tidewatch serve` process on `port`; `start()` again after a kill reuses the port. */
function service(pgUrl, port) {
  let child;
  const start = async () => {
    const bin = path.join(targetDir, 'release', 'tidewatch');
    const args = ['serve', '--pg', pgUrl, '--region', path.join(root, 'assets/regions/dinghai'), '--listen', `127.0.0.1:${port}`];
    child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    process.on('exit', () => child.kill('SIGKILL'));
    await waitForPort(port, 30_000, `tidewatch serve on ${port}`);
  };
  const kill = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  return { url: `http://127.0.0.1:${port}`, start, kill };
}

/** A scripted seat over HTTP: `call(method, path, body)` → `{status, body}`. */
function client(base) {
  let token;
  const call = async (method, p, body) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const ok = async (method, p, body) => {
    const res = await call(method, p, body);
    assert(res.status < 300, `${method} ${p} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const signInAs = async (user, seat = 'centre') => {
    token = (await ok('POST', '/api/sign-in', { username: user.username, password: user.password, seat })).token;
  };
  return { call, ok, signInAs, setToken: (t) => (token = t), token: () => token };
}

/**
 * The scripted seat's live feed: every pushed `{seq}` makes it re-read its board;
 * `until(pred, ms)` resolves with the board once `pred(board)` holds, or rejects.
 */
function liveBoard(base, b) {
  let board = null;
  const waiters = new Set();
  const refresh = async () => {
    board = await b.ok('GET', '/api/desk/board');
    for (const w of waiters) if (w.pred(board)) w.resolve(board);
  };
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/live?after=0`, { headers: { authorization: `Bearer ${b.token()}` } });
  const opened = new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('the live WebSocket did not open'));
  });
  ws.onmessage = () => refresh().catch(() => {});
  const until = (pred, ms, what) =>
    new Promise((resolve, reject) => {
      const w = { pred, resolve: (v) => (clearTimeout(w.timer), waiters.delete(w), resolve(v)) };
      w.timer = setTimeout(() => (waiters.delete(w), reject(new Error(`${what}: not within ${ms} ms`))), ms);
      waiters.add(w);
      if (board && pred(board)) w.resolve(board);
    });
  return { opened, until, refresh, close: () => ws.close() };
}

const incidentOf = (board, id) => board.incidents.find((i) => i.id === id);

async function main() {
  const pgUrl = execFileSync(path.join(root, 'scripts/postgres.sh'), ['--test'], { encoding: 'utf8' }).trim();
  const one = service(pgUrl, await freePort());
  const two = service(pgUrl, await freePort());
  const b = client(two.url);
  let desk;
  const watchdog = setTimeout(() => {
    fail('the seats run', `exceeded ${OVERALL_TIMEOUT_MS / 1000} s`);
    desk?.stop();
    finish();
  }, OVERALL_TIMEOUT_MS);

  let adminToken;
  const ready = await check('two service processes on one database; the administrator makes two dispatchers', async () => {
    await Promise.all([one.start(), two.start()]);
    const admin = await b.ok('POST', '/api/first-administrator', ADMIN);
    adminToken = admin.token;
    b.setToken(admin.token);
    for (const u of [A, B, LEADER]) await b.ok('POST', '/api/accounts', u);
    await b.signInAs(B);
  });
  if (!ready) finish();

  const live = liveBoard(two.url, b);
  await check("B's live WebSocket opens on process two", async () => live.opened);

  await check('desk A opens as a seat on process one and signs in', async () => {
    desk = await startDesk(freshHome({ TIDEWATCH_SERVICE: one.url, TIDEWATCH_SEAT: 'centre' }), driverPort);
    const where = await desk.browser.$('[data-testid="login-service"]');
    await where.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'the sign-in screen does not say which service' });
    assert((await where.getText()).includes(one.url), `the sign-in screen says "${await where.getText()}"`);
    await signIn(desk.browser, A.username, A.password);
    const chip = await desk.browser.$('[data-testid="seat-chip"]');
    assert((await chip.getAttribute('data-seat')) === 'centre', 'the header does not show the centre seat');
  });
  if (!desk) finish();
  const { browser } = desk;
  const hands = deskHands(browser);
  const boardState = (id) =>
    browser.execute((i) => document.querySelector(`[data-testid="board-incident"][data-id="${i}"]`)?.getAttribute('data-state') ?? null, id);

  let aIncident;
  let aUnit;
  await check(`A assigns on the desk → B's board (pushed) shows it within ${LIVE_MS} ms`, async () => {
    await live.refresh();
    const t0 = Date.now();
    aIncident = await hands.takeAndAssign('长白警务站', 'traffic_accident');
    const seen = await live.until((bd) => incidentOf(bd, aIncident)?.state === 'dispatched', LIVE_MS, "A's dispatch on B's board");
    aUnit = incidentOf(seen, aIncident).unit;
    console.log(`     B saw #${aIncident} dispatched (${aUnit}) ${Date.now() - t0} ms after A's Enter (the desk's own round trip included)`);
  });

  let bIncident;
  await check("B sends A's unit to its own incident → refused, naming A; B's fresh recommendation leaves it out", async () => {
    assert(aUnit, "A's unit is unknown (the previous check failed)");
    bIncident = (await b.ok('POST', '/api/incidents', { incident_type: 'fight', lon: 122.2, lat: 30.24, source: 'phone' })).incident_id;
    const res = await b.call('POST', `/api/incidents/${bIncident}/dispatch`, { unit: aUnit });
    assert(res.status === 409, `status ${res.status}: ${JSON.stringify(res.body)}`);
    assert(res.body.message.includes(A.username), `the refusal does not name ${A.username}: ${res.body.message}`);
    const rec = await b.ok('GET', `/api/incidents/${bIncident}/recommendation`);
    const top = rec.candidates?.[0]?.unit;
    assert(top && top !== aUnit, `the fresh recommendation still puts ${aUnit} first`);
  });

  await check(`B assigns its incident → A's board shows it within ${LIVE_MS} ms (pushed across processes)`, async () => {
    const rec = await b.ok('GET', `/api/incidents/${bIncident}/recommendation`);
    const t0 = Date.now();
    await b.ok('POST', `/api/incidents/${bIncident}/dispatch`, { unit: rec.candidates[0].unit });
    await browser.waitUntil(async () => (await boardState(bIncident)) === 'dispatched', {
      timeout: LIVE_MS,
      interval: 50,
      timeoutMsg: `#${bIncident} not dispatched on A's board`,
    });
    console.log(`     A's board showed #${bIncident} ${Date.now() - t0} ms after B's dispatch returned`);
  });

  await check(`a citizen's tip with a photo → A's tips queue within ${LIVE_MS} ms → an incident, assigned → closed → the tipper reads the reply`, async () => {
    await (await browser.$('[data-testid="tips-toggle"]')).click();
    await (await browser.$('[data-testid="tips-panel"]')).waitForDisplayed({ timeout: 5_000 });
    const jpeg = execFileSync('convert', ['-size', '640x480', 'gradient:#3a7bd5-#f0f0f0', 'jpeg:-']);
    const form = new FormData();
    form.append('category', 'accident');
    form.append('lon', '122.203');
    form.append('lat', '29.988');
    form.append('text', '临城路口两车相撞 <b>not bold</b>');
    form.append('photo', new Blob([jpeg], { type: 'image/jpeg' }), 'IMG_0001.jpg');
    const sent = await fetch(`${two.url}/api/tips`, { method: 'POST', body: form });
    const receipt = await sent.json();
    assert(sent.status === 201, `the tip: ${sent.status} ${JSON.stringify(receipt)}`);
    const t0 = Date.now();
    const row = await browser.$('[data-testid="tip-row"]');
    await row.waitForExist({ timeout: 10_000, interval: 50 }).catch(async () => {
      mkdirSync(screenshotDir, { recursive: true });
      await browser.saveScreenshot(path.join(screenshotDir, 'seat-tip-missing.png'));
      const panel = await browser.execute(() => document.querySelector('[data-testid="tips-panel"]')?.textContent ?? '(no panel)');
      throw new Error(`the tip never reached A's queue; the panel reads: ${panel}`);
    });
    const took = Date.now() - t0;
    console.log(`     the tip reached A's queue ${took} ms after the form was answered`);
    assert(took <= LIVE_MS, `the tip reached A's queue after ${took} ms, not within ${LIVE_MS} ms`);
    await row.click();
    const photo = await browser.$('[data-testid="tip-photo"]');
    await photo.waitForExist({ timeout: 5_000, timeoutMsg: 'the tip shows no photo' });
    assert((await photo.getAttribute('src')).startsWith('data:image/jpeg;base64,'), 'the photo is not the stored JPEG');
    assert((await (await browser.$('[data-testid="tip-text"]')).getText()).includes('<b>not bold</b>'), "the tipper's words are not shown as text");
    await (await browser.$('[data-testid="tip-make"]')).click();
    await hands.setSelect('tip-type', 'traffic_accident');
    const before = new Set(await hands.boardIds());
    await (await browser.$('[data-testid="tip-make-submit"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="candidate"]')).length > 0, {
      timeout: 10_000,
      timeoutMsg: 'no recommendation for the incident made from the tip',
    });
    await browser.action('pointer').move({ x: 5, y: 400, origin: 'viewport' }).perform();
    await browser.keys('Enter');
    let made;
    await browser.waitUntil(
      async () => {
        await hands.noDeskError();
        made = (await hands.boardIds()).find((x) => !before.has(x));
        return made !== undefined && (await boardState(made)) === 'dispatched';
      },
      { timeout: 10_000, interval: 200, timeoutMsg: "the tip's incident never reached the board assigned" },
    );
    await (await browser.$('[data-testid="tip-row"]')).click();
    await (await browser.$('[data-testid="tip-close"]')).click();
    await (await browser.$('[data-testid="tip-reply"]')).setValue('已派民警到场处置，谢谢您');
    await (await browser.$('[data-testid="tip-close-submit"]')).click();
    await (await browser.$('[data-testid="tips-done"]')).waitForDisplayed({ timeout: 5_000, timeoutMsg: 'closing the tip was not confirmed' });
    mkdirSync(screenshotDir, { recursive: true });
    await browser.saveScreenshot(path.join(screenshotDir, 'seat-tip.png'));
    const status = await (await fetch(`${two.url}/api/tips/status/${receipt.receipt}`)).json();
    assert(status.state === 'closed' && status.reply === '已派民警到场处置，谢谢您', `the tipper reads ${JSON.stringify(status)}`);
    const timeline = await b.ok('GET', `/api/incidents/${made}/timeline`);
    assert(timeline[0]?.body?.source === 'citizen_tip', `#${made} was not taken as a citizen's tip: ${JSON.stringify(timeline[0])}`);
  });

  await check("a crew's phone reports to process two → A's map draws the unit at its fix (pushed, not the 15 s poll)", async () => {
    const mapFixes = () => browser.execute(() => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-fixes') ?? -1));
    assert((await mapFixes()) === 0, `the map has fixes before any phone reported: ${await mapFixes()}`);
    const admin = client(two.url);
    admin.setToken(adminToken);
    const { secret } = await admin.ok('POST', '/api/devices', { unit: 'lincheng_patrol_01', name: 'e2e phone' });
    await new Promise((r) => setTimeout(r, 1_500)); // the device's own journal event has been read by now
    const t0 = Date.now();
    const q = new URLSearchParams({ id: secret, lat: '29.988', lon: '122.203', timestamp: String(Math.floor(Date.now() / 1000)), accuracy: '8' });
    const sent = await (await fetch(`${two.url}/api/positions/osmand?${q}`)).json();
    assert(sent.accepted === 1, `the fix: ${JSON.stringify(sent)}`);
    await browser.waitUntil(async () => (await mapFixes()) === 1, { timeout: 3_000, interval: 50, timeoutMsg: "the unit's fix never reached A's map within 3 s" });
    console.log(`     A's map drew the fix ${Date.now() - t0} ms after the phone's report`);
  });

  const $ = (id) => browser.$(`[data-testid="${id}"]`);
  await check("a patrol leader on seat A: the leader's screen reads the service's history; the reach map draws the islands", async () => {
    await signIn(browser, LEADER.username, LEADER.password);
    await (await $('tab-leader')).click();
    await (await $('leader-screen')).waitForExist({ timeout: 10_000, timeoutMsg: 'no leader screen on the seat' });
    const noError = async () => {
      const err = await $('leader-error');
      if (await err.isExisting()) throw new Error(`the leader screen reports: ${await err.getText()}`);
    };
    await browser.waitUntil(
      async () => {
        await noError();
        const c = await $('demand-chart');
        return (await c.isExisting()) && (await c.getAttribute('data-ready')) === 'true';
      },
      { timeout: 30_000, interval: 250, timeoutMsg: 'the demand chart never became ready on the seat' },
    );
    await (await $('leader-tab-reach')).click();
    await (await $('reach-run')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="reach-shape"]')).length >= 10, {
      timeout: 30_000,
      interval: 250,
      timeoutMsg: 'the reach map drew fewer than 10 islands',
    });
    const err = await $('reach-error');
    if (await err.isExisting()) throw new Error(`the reach view reports: ${await err.getText()}`);
    mkdirSync(screenshotDir, { recursive: true });
    await browser.saveScreenshot(path.join(screenshotDir, 'seat-reach.png'));
  });

  await check("the administrator on seat A renames a place in the region editor → process two's tips page lists the new name", async () => {
    await signIn(browser, ADMIN.username, ADMIN.password);
    await (await $('tab-region')).click();
    await (await $('region-editor')).waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no region editor on the seat' });
    await (await $('region-search')).setValue('城东');
    const item = await $('region-item-chengdong');
    await item.waitForDisplayed({ timeout: 10_000, timeoutMsg: '城东街道 not listed' });
    await item.click();
    const name = await $('field-name_zh');
    await name.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'no place form' });
    await name.clearValue();
    await name.setValue('城东新街道');
    await (await $('save')).click();
    await (await $('region-saved')).waitForDisplayed({ timeout: 15_000, timeoutMsg: 'no "saved" notice' });
    const t0 = Date.now();
    const listed = async () => {
      const page = await (await fetch(`${two.url}/api/tips/places`)).json();
      return page.islands.flatMap((i) => i.places).find((p) => p.id === 'chengdong')?.name_zh;
    };
    let seen;
    while (Date.now() - t0 < 10_000 && (seen = await listed()) !== '城东新街道') await new Promise((r) => setTimeout(r, 100));
    assert(seen === '城东新街道', `process two's tips page lists "${seen}" 10 s after the save`);
    console.log(`     process two's tips page listed the new name ${Date.now() - t0} ms after the save`);
    await signIn(browser, A.username, A.password);
  });

  await check("A's service killed → A's banner says it is lost; A's action refused, nothing pretended", async () => {
    await one.kill();
    const banner = await browser.$('[data-testid="service-banner"]');
    await banner.waitForDisplayed({ timeout: 20_000, timeoutMsg: 'no banner after the service went away' });
    await (await browser.$(`[data-testid="board-incident"][data-id="${aIncident}"] [data-testid="advance"]`)).click();
    const err = await browser.$('[data-testid="dispatch-error"]');
    await err.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'the action met no refusal' });
    mkdirSync(screenshotDir, { recursive: true });
    await browser.saveScreenshot(path.join(screenshotDir, 'seat-lost.png'));
    assert((await boardState(aIncident)) === 'dispatched', "A's board moved although nothing was acknowledged");
  });

  await check("B acts meanwhile; A's service back → A reconnects and catches up", async () => {
    await b.ok('POST', `/api/incidents/${bIncident}/en-route`);
    await one.start();
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="service-banner"]')).isExisting()), {
      timeout: 20_000,
      timeoutMsg: 'the banner stayed after the service came back',
    });
    await browser.waitUntil(async () => (await boardState(bIncident)) === 'en_route', {
      timeout: 5_000,
      timeoutMsg: `A's board never caught up with #${bIncident} en route`,
    });
    await browser.saveScreenshot(path.join(screenshotDir, 'seat-back.png'));
  });

  live.close();
  try {
    await browser.deleteSession();
  } catch {
    /* the app may already be gone */
  }
  desk.stop();
  await Promise.allSettled([one.kill(), two.kill()]);
  clearTimeout(watchdog);
  finish();
}

main().catch((e) => {
  fail('seats harness', e?.stack ?? e);
  finish();
});

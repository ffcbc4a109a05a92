// The installed desk package as a seat on the installed service package (make test-packages,
// scripts/test-packages.sh): both run inside the throwaway Debian root; this script runs on
// the host and reaches them over the loopback, which the root shares. tauri-driver runs in
// the root (started there by the shell script, with TIDEWATCH_SERVICE in its environment)
// and opens /usr/bin/tidewatch-desk, so what is driven is the packaged desk with the
// root's own WebKitGTK, not the build tree's.
//
// The desk opens on the service's sign-in screen naming it, the dispatcher signs in at the
// centre seat, an incident a scripted client reports reaches the desk's board (pushed), the
// service's own report lists the desk's session, and the sign-out ends it.
//
// Env: PKGSEAT_DRIVER_PORT (tauri-driver in the root), PKGSEAT_SERVICE (the service's URL),
// PKGSEAT_USER / PKGSEAT_PASSWORD (a dispatcher, the desk's), PKGSEAT_SUPERVISOR /
// PKGSEAT_SUPERVISOR_PASSWORD (the scripted client: reports an incident, reads the report),
// PKGSEAT_SHOT (where the screenshot goes), PKGSEAT_APP (the desk's path in the root).
// The service's self-signed certificate is trusted through NODE_EXTRA_CA_CERTS.
import { remote } from 'webdriverio';
import { signIn, signOut } from './accounts.mjs';
import { assert, checks, waitForPort } from './driver.mjs';

const OVERALL_TIMEOUT_MS = 240_000;
/** The bound for a change on the service to reach the board (the e2e-seats bound is 1 s on a
 * warm desk; the root's desk has just started, so a few seconds). */
const LIVE_MS = 5_000;

function env(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`package-seat.mjs: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const port = Number(env('PKGSEAT_DRIVER_PORT'));
const service = env('PKGSEAT_SERVICE');
const user = { username: env('PKGSEAT_USER'), password: env('PKGSEAT_PASSWORD') };
const supervisor = { username: env('PKGSEAT_SUPERVISOR'), password: env('PKGSEAT_SUPERVISOR_PASSWORD') };
const shot = env('PKGSEAT_SHOT');
const app = process.env.PKGSEAT_APP || '/usr/bin/tidewatch-desk';

const { check, fail, finish } = checks();

let token;

/** One call to the service as the supervisor: the parsed body, or throws naming the status. */
async function api(method, p, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(service + p, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert(res.status < 300, `${method} ${p} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The supervisor's view of `username`'s desk sessions since `since` (UTC seconds). */
async function sessionsOf(username, since) {
  const all = await api('GET', `/api/reports/desk-sessions?from_utc=${since}&to_utc=${since + 86_400}`);
  return all.filter((s) => s.username === username);
}

async function main() {
  let browser;
  const watchdog = setTimeout(() => {
    fail('the packaged seat run', `exceeded ${OVERALL_TIMEOUT_MS / 1000} s`);
    finish();
  }, OVERALL_TIMEOUT_MS);
  const since = Math.floor(Date.now() / 1000) - 60;
  token = (await api('POST', '/api/sign-in', supervisor)).token;

  const opened = await check('the packaged desk opens on the service’s sign-in screen, naming it', async () => {
    await waitForPort(port, 30_000, 'tauri-driver in the root');
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'warn',
      connectionRetryCount: 1,
      connectionRetryTimeout: 90_000,
      capabilities: { 'tauri:options': { application: app }, 'wdio:enforceWebDriverClassic': true },
    });
    const where = await browser.$('[data-testid="login-service"]');
    await where.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'the sign-in screen does not say which service' });
    assert((await where.getText()).includes(service), `the sign-in screen says "${await where.getText()}"`);
  });
  if (!opened) finish();

  await check(`${user.username} signs in on the desk at the centre seat`, async () => {
    await signIn(browser, user.username, user.password);
    const chip = await browser.$('[data-testid="seat-chip"]');
    await chip.waitForDisplayed({ timeout: 10_000, timeoutMsg: 'the header shows no seat' });
    assert((await chip.getAttribute('data-seat')) === 'centre', `the header shows seat ${await chip.getAttribute('data-seat')}`);
  });

  await check('the service lists the desk’s session, still open', async () => {
    const open = (await sessionsOf(user.username, since)).filter((s) => s.signed_out_utc === null);
    assert(open.length === 1, `open sessions of ${user.username}: ${JSON.stringify(open)}`);
  });

  await check(`an incident reported to the service reaches the desk’s board within ${LIVE_MS} ms`, async () => {
    const t0 = Date.now();
    const { incident_id: id } = await api('POST', '/api/incidents', { incident_type: 'fight', lon: 122.2, lat: 30.24, source: 'phone' });
    await browser.waitUntil(async () => (await browser.$(`[data-testid="board-incident"][data-id="${id}"]`)).isExisting(), {
      timeout: LIVE_MS,
      interval: 100,
      timeoutMsg: `#${id} is not on the desk's board`,
    });
    console.log(`     #${id} on the packaged desk's board ${Date.now() - t0} ms after the report was sent`);
    await browser.saveScreenshot(shot);
  });

  await check('the sign-out on the desk ends its session on the service', async () => {
    await signOut(browser);
    const mine = await sessionsOf(user.username, since);
    assert(mine.length === 1 && mine[0].signed_out_utc !== null, `sessions of ${user.username}: ${JSON.stringify(mine)}`);
  });

  clearTimeout(watchdog);
  await browser?.deleteSession().catch(() => {});
  finish();
}

main().catch((e) => {
  console.log(`FAIL - the packaged seat run: ${e?.stack ?? e}`);
  process.exit(1);
});

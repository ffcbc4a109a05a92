// The citizens' tips page in a real browser (Debian's Chromium driven by playwright-core,
// a phone's viewport) against a running `tidewatch serve` on a throwaway database:
// a tip with a photo is sent → it is in the dispatcher's queue within 1 s (the WebSocket
// hears the commit, the queue has it) → made an incident → closed → the tipper's status
// page shows the reply. Also: a text with markup stays text, what is typed survives a
// reload, and a tip sent offline is sent when the network is back.
//
// Run by `make test-tips` (TIDEWATCH_PG_URL from scripts/postgres.sh --test, TIDEWATCH_BIN
// the built binary); screenshots go to $TIPS_SHOTS (default target dir's tips-shots/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';

const require = createRequire(new URL('../../ui/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = process.env.TIDEWATCH_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/tidewatch/target'), 'release/tidewatch');
const PG = process.env.TIDEWATCH_PG_URL;
const SHOTS = process.env.TIPS_SHOTS ?? join(ROOT, 'target', 'tips-shots');
const PASSWORD = 'correct horse 1';
const LINCHENG = { longitude: 122.203, latitude: 29.988 };

let serve, base, browser, token;

async function api(method, path, body, auth = token) {
  const headers = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${auth}`;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: json ?? text };
}

/** The service's WebSocket (`/api/live`), with the session header: each commit's seq, with the time it came. */
function live(after) {
  return new Promise((resolve, reject) => {
    const url = new URL(`${base}/api/live?after=${after}`);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: {
      connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
      'sec-websocket-key': Buffer.from('tidewatch-tips-t').toString('base64'), authorization: `Bearer ${token}` } });
    req.on('upgrade', (_res, socket) => {
      const heard = [];
      let buf = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        // Server frames are unmasked; text frames of a few bytes (length < 126).
        while (buf.length >= 2 && buf.length >= 2 + (buf[1] & 0x7f)) {
          const len = buf[1] & 0x7f, op = buf[0] & 0x0f;
          if (op === 1) heard.push({ at: Date.now(), seq: JSON.parse(buf.subarray(2, 2 + len).toString()).seq });
          buf = buf.subarray(2 + len);
        }
      });
      resolve({ heard, close: () => socket.destroy() });
    });
    req.on('response', (r) => reject(new Error(`no WebSocket: ${r.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  assert.ok(PG, 'TIDEWATCH_PG_URL: run through `make test-tips`');
  mkdirSync(SHOTS, { recursive: true });
  serve = spawn(BIN, ['serve', '--pg', PG, '--region', join(ROOT, 'assets/regions/dinghai'), '--listen', '127.0.0.1:0',
    '--tips-per-device', '50', '--tips-per-address', '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.:]+)/); if (m) resolve(m[1]); });
    serve.on('exit', (code) => reject(new Error(`tidewatch serve exited ${code}`)));
    setTimeout(() => reject(new Error('tidewatch serve did not start in 30 s')), 30000);
  });
  const first = await api('POST', '/api/first-administrator', { username: 'root', password: PASSWORD }, null);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const made = await api('POST', '/api/accounts', { username: 'ann', password: PASSWORD, role: 'dispatcher' }, first.body.token);
  assert.equal(made.status, 204, JSON.stringify(made.body));
  token = (await api('POST', '/api/sign-in', { username: 'ann', password: PASSWORD }, null)).body.token;
  // A fresh profile: playwright launches each browser on a new temporary one of its own.
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  serve?.kill('SIGINT');
});

async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', geolocation: LINCHENG, permissions: ['geolocation'] });
  return { context, page: await context.newPage() };
}

/** A camera-like JPEG made by the browser itself (a canvas), as bytes. */
async function photo(page, width = 1600, height = 1200) {
  const b64 = await page.evaluate(async ([w, h]) => {
    const c = document.createElement('canvas'); c.width = w; c.height = h;
    const g = c.getContext('2d');
    for (let i = 0; i < 400; i++) { g.fillStyle = `hsl(${i * 37 % 360} 60% ${30 + i % 40}%)`; g.fillRect((i * 97) % w, (i * 53) % h, 80 + i % 120, 60 + i % 90); }
    const blob = await new Promise((ok) => c.toBlob(ok, 'image/jpeg', 0.92));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = ''; for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }, [width, height]);
  return Buffer.from(b64, 'base64');
}

test('a tip with a photo goes round the loop, and the tipper sees the reply', async () => {
  const { context, page } = await phone();
  await page.goto(`${base}/tips/?island=zhoushan`);
  assert.equal(await page.inputValue('#island'), 'zhoushan', '?island= preselects the island');
  await page.getByText('安全隐患').click();
  await page.setInputFiles('#gallery', { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
  await page.waitForSelector('#preview:not([hidden])');
  await page.click('#locate');
  await page.waitForSelector('#located:has-text("已定位")');
  const text = '桥头路面塌陷 <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  await page.fill('#text', text);
  await page.fill('#phone', '138 0000 1234');
  await page.screenshot({ path: join(SHOTS, 'tips-form.png'), fullPage: true });

  // Typed text survives a reload (localStorage), the photo too (IndexedDB).
  await page.reload();
  assert.equal(await page.inputValue('#text'), text);
  await page.waitForSelector('#preview:not([hidden])');

  const head = (await api('GET', '/api/head')).body;
  const socket = await live(head ? head.seq : 0);
  const sent = Date.now();
  await page.click('#send');
  await page.waitForSelector('#done:not([hidden])');
  const code = (await page.textContent('#receipt')).trim();
  assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  // The dispatcher hears the commit and finds the tip in the queue within 1 s of sending.
  let queued = null;
  while (!queued && Date.now() - sent < 5000) {
    if (socket.heard.length) queued = (await api('GET', '/api/tips/queue')).body.find((t) => t.receipt === code);
    if (!queued) await new Promise((ok) => setTimeout(ok, 20));
  }
  const inQueue = Date.now() - sent;
  socket.close();
  assert.ok(queued, 'the tip is in the queue');
  assert.ok(socket.heard.length > 0, 'the WebSocket heard the commit');
  assert.ok(inQueue < 1000, `in the queue ${inQueue} ms after sending`);
  console.log(`# in the dispatcher's queue ${inQueue} ms after the tipper pressed send (WebSocket ${socket.heard[0].at - sent} ms)`);
  assert.equal(queued.text, text);
  assert.equal(queued.position_from, 'phone');
  assert.equal(queued.island, 'zhoushan');
  const jpeg = await fetch(base + queued.photo_url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');

  const made = await api('POST', `/api/tips/${queued.id}/incident`, { incident_type: 'traffic_accident' });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const rec = await api('GET', `/api/incidents/${made.body.incident_id}/recommendation`);
  assert.equal(rec.status, 200);
  assert.ok(rec.body.candidates.length > 0, 'the recommendation as usual');
  const closed = await api('POST', `/api/tips/${queued.id}/close`, { reply: '已派民警到场处置，谢谢您的报料！' });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));

  await page.click('#show-status');
  await page.waitForSelector('#r-reply-box:not([hidden])');
  assert.equal(await page.textContent('#r-state'), '已办结');
  assert.equal(await page.textContent('#r-reply'), '已派民警到场处置，谢谢您的报料！');
  assert.equal(await page.textContent('#r-text'), text, 'the text is shown as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no markup from a tip ever ran');
  await page.screenshot({ path: join(SHOTS, 'tips-status.png'), fullPage: true });
  await context.close();
});

test('a tip sent offline is kept and sent when the network is back', async () => {
  const { context, page } = await phone();
  await page.goto(`${base}/tips/?island=jintang&place=pier_dinghai`);
  assert.equal(await page.inputValue('#place'), '', 'a place not on the island is not chosen');
  await page.goto(`${base}/tips/?island=jintang&place=pier_ligang`);
  assert.deepEqual([await page.inputValue('#island'), await page.inputValue('#place')], ['jintang', 'pier_ligang'], "a pier's poster chooses the pier");
  await page.getByText('交通拥堵').click();
  await page.selectOption('#place', 'ligang');
  await page.fill('#text', '沥港码头排队很长');
  await context.setOffline(true);
  await page.click('#send');
  await page.waitForSelector('#net:not([hidden])');
  assert.match(await page.textContent('#net'), /网络不好/);
  await page.screenshot({ path: join(SHOTS, 'tips-offline.png'), fullPage: true });
  await context.setOffline(false);
  await page.waitForSelector('#done:not([hidden])', { timeout: 15000 });
  const code = (await page.textContent('#receipt')).trim();
  const status = await api('GET', `/api/tips/status/${code}`, undefined, null);
  assert.equal(status.status, 200);
  assert.equal(status.body.text, '沥港码头排队很长');
  await context.close();
});

test('a refusal is shown at its field, in words', async () => {
  const { context, page } = await phone();
  await page.goto(`${base}/tips/`);
  await page.click('#send');
  assert.match(await page.textContent('.error[data-for="category"]'), /请选择类别/);
  await page.getByText('其他').click();
  await page.selectOption('#island', 'jintang');
  await page.setInputFiles('#gallery', { name: 'not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('PK\u0003\u0004 this is a zip, not a photo') });
  await page.click('#send');
  await page.waitForSelector('.error[data-for="photo"]:not(:empty)');
  assert.match(await page.textContent('.error[data-for="photo"]'), /照片有误/);
  await page.screenshot({ path: join(SHOTS, 'tips-refused.png'), fullPage: true });
  await context.close();
});

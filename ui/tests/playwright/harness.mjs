// The browser-test harness: the built UI (ui/dist) served on a free port, Debian's
// Chromium driven by playwright-core (no browser download), and the Tauri IPC answered
// in the page by a mock installed before the app's first script runs.
import { after, before } from 'node:test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };

/** A static server for ui/dist on a free port (0: the OS picks). */
export async function serveDist() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('ui/dist is missing: run `npm run build` first');
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/**
 * Runs in the page before the app: `window.__TAURI_INTERNALS__` answering the desk's
 * commands from `cfg` (the shapes the core sends). Every call is recorded in
 * `window.__ipcCalls`; the time each board answer is handed over in `window.__boardAnswers`.
 */
function installMockIpc(cfg) {
  const calls = (window.__ipcCalls = []);
  window.__boardAnswers = [];
  const role = cfg.role ?? 'dispatcher';
  let session = cfg.signedIn ? { username: cfg.username, role } : null;
  const incidents = [];
  let tick = 0;
  const units = cfg.view.units.map((u) => ({ ...u }));
  // Every board read moves every unit a little around its base, as patrols do (unless
  // `cfg.still`: a test that points at a unit on the canvas needs it to stay put).
  function board() {
    if (!cfg.still) tick++;
    const rows = units.map((u, i) => {
      const a = (tick + i) * 0.7;
      const taken = incidents.find((inc) => inc.unit === u.id);
      return {
        unit: u.id, call_sign: u.call_sign, kind: u.kind,
        status: taken ? 'dispatched' : i % 7 === 3 ? 'en_route' : 'available',
        position: u.base, island: 'zhoushan',
        lon: u.lon + 0.004 * Math.cos(a), lat: u.lat + 0.003 * Math.sin(a),
        incident: taken ? taken.id : null, since_s: taken ? 5 : null,
      };
    });
    return { at: Math.floor(Date.now() / 1000), incidents: incidents.map((i) => ({ ...i })), units: rows };
  }
  const reject = (message, kind = 'invalid') => Promise.reject({ kind, message });
  const answers = {
    sign_in_state: () => ({ needs_first_administrator: false, session }),
    login: ({ username, password }) => {
      if (password !== cfg.password) return reject('wrong user name or password', 'unauthorized');
      return (session = { username, role });
    },
    logout: () => ((session = null), null),
    still_here: () => null,
    map_view: () => cfg.view,
    incident_types: () => cfg.types,
    startup_painted: () => null,
    conditions: () => ({ closed_links: [], boats_in_port: false, set_by: null, set_at: null, wind_force: 3, visibility_m: null, closed: [] }),
    search_places: ({ query, limit }) => {
      const q = query.toLowerCase();
      return cfg.view.places
        .filter((p) => p.name_zh.includes(query) || p.name_en.toLowerCase().includes(q) || p.pinyin.includes(q))
        .slice(0, limit)
        .map(({ estimated, ...p }) => ({ ...p, source: 'mock' }));
    },
    receive_incident: ({ intake }) => {
      const id = 100 + incidents.length + 1;
      incidents.push({ id, state: 'received', incident_type: intake.incident_type, priority: intake.priority ?? 2, island: 'zhoushan', lon: intake.lon, lat: intake.lat, unit: null, since_s: 0, level: 'ok', route_mode: null, eta_s: null });
      return id;
    },
    recommend: () => cfg.recommendation,
    assign: ({ id, unit }) => {
      const inc = incidents.find((i) => i.id === id);
      if (!inc) return reject(`no incident ${id}`);
      Object.assign(inc, { state: 'dispatched', unit, route_mode: 'road', eta_s: 600 });
      return { seq: calls.length };
    },
    board: () => {
      const b = board();
      queueMicrotask(() => window.__boardAnswers.push(performance.now()));
      return b;
    },
    timeline: () => [],
    reassign_options: () => [],
    // The administrator's screens: accounts, and the region editor, whose saves are
    // answered from `cfg.editAnswers` in order.
    list_accounts: () => [],
    region_editor: () => cfg.regionEditor ?? reject('no region editor in this test'),
    edit_region: () => (cfg.editAnswers ?? []).shift() ?? reject('no answer left for edit_region'),
    // Any other command answered with a fixed value (`cfg.fixed`: command → answer).
    ...Object.fromEntries(Object.entries(cfg.fixed ?? {}).map(([cmd, value]) => [cmd, () => value])),
  };
  window.__TAURI_INTERNALS__ = {
    invoke: async (cmd, args = {}) => {
      calls.push({ cmd, args });
      const answer = answers[cmd];
      if (!answer) return reject(`mock has no answer for ${cmd}`, 'ipc');
      return answer(args);
    },
    transformCallback: (cb) => {
      const id = Math.floor(Math.random() * 2 ** 31);
      window[`_${id}`] = cb;
      return id;
    },
    unregisterCallback: (id) => delete window[`_${id}`],
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  };
}

/** A page of the desk with the mocked IPC, loaded and waiting for the first screen. */
export async function openDesk(browser, url, cfg, lang = 'zh-CN') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(installMockIpc, { username: 'dispatcher1', password: 'correct horse', signedIn: false, ...cfg });
  await page.goto(url);
  return { page, context, errors };
}

/** One served UI and one browser for a test file, closed after it; returns
 * `open(cfg, lang)` = `openDesk` on them. */
export function deskSession() {
  let server;
  let browser;
  before(async () => {
    server = await serveDist();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return (cfg, lang) => openDesk(browser, server.url, cfg, lang);
}

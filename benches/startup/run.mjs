// Start-up benchmark of the real desk against a blank Tauri window built the same way
// (benches/startup/blank): time from spawning the binary to its first painted screen, and
// resident memory at that moment (the app process alone, and with its WebKit processes).
// The desk starts on the Dinghai pack with a year of (synthetic) journal in a fresh home.
//   make bench-startup            (builds, then: xvfb-run -a node benches/startup/run.mjs)
// Env: CARGO_TARGET_DIR; RUNS (default 7); TIDEWATCH_COMPOSITING=on|off forces WebKit's
// accelerated compositing on or off in both (default: off where there is no GPU render
// node, as the desk decides in src-tauri/src/rendering.rs).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = (name) => path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'release', name);
const runs = Number(process.env.RUNS || 7);

for (const b of ['tidewatch-desk', 'tidewatch-blank', 'tidewatch']) {
  if (!existsSync(bin(b))) {
    console.error(`missing ${bin(b)}: cargo build --release -p tidewatch-desk -p tidewatch-blank -p tidewatch`);
    process.exit(2);
  }
}

const home = mkdtempSync(path.join(os.tmpdir(), 'tidewatch-startup-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const env = {
  ...process.env,
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_CACHE_HOME: path.join(home, 'cache'),
  TIDEWATCH_STARTUP_PROBE: '1',
};

// A year of journal where the desk keeps it.
const dbDir = path.join(env.XDG_DATA_HOME, 'org.tidewatch.desk');
mkdirSync(dbDir, { recursive: true });
const t = Date.now();
execFileSync(bin('tidewatch'), [
  'demo', 'seed', '--db', path.join(dbDir, 'tidewatch.db'), '--region', path.join(root, 'assets/regions/dinghai'),
  '--from', '2025-11-01', '--to', '2026-11-01',
], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`seeded a year of journal in ${((Date.now() - t) / 1000).toFixed(1)} s`);

/** Resident kB of `pid` (RSS), and the proportional set size (PSS: shared pages split
 * between their users, so the sum is real memory) of it with all its descendants
 * (WebKit's web and network processes). */
function rss(pid) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const kb = (file, field, p) => {
    try {
      const m = readFileSync(`/proc/${p}/${file}`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  };
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [c, p] of parent) if (p === tree[i]) tree.push(c);
  return { own: kb('status', 'VmRSS', pid), tree: tree.reduce((s, p) => s + kb('smaps_rollup', 'Pss', p), 0), processes: tree.length };
}

function measure(binary) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, [], { env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`${binary} did not paint within 60 s`));
    }, 60_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('painted')) {
        const ms = performance.now() - started;
        const mem = rss(child.pid);
        const setup = Number((out.match(/setup ([\d.]+)/) || [])[1] ?? NaN);
        const compositing = (out.match(/compositing (\w+)/) || [])[1] ?? '?';
        const marks = Object.fromEntries([...out.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
        clearTimeout(timer);
        process.kill(-child.pid, 'SIGTERM');
        child.on('exit', () => resolve({ ms, setup, compositing, ...mem, marks }));
        setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 3000);
      }
    });
    child.on('error', reject);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { blank: [], desk: [] };
// One warm-up each (page cache, fontconfig), then alternate so noise hits both alike.
await measure(bin('tidewatch-blank'));
await measure(bin('tidewatch-desk'));
for (let i = 0; i < runs; i++) {
  results.blank.push(await measure(bin('tidewatch-blank')));
  results.desk.push(await measure(bin('tidewatch-desk')));
}
const row = (name, rs) => {
  const ms = median(rs.map((r) => r.ms));
  const own = median(rs.map((r) => r.own)) / 1024;
  const tree = median(rs.map((r) => r.tree)) / 1024;
  console.log(`${name.padEnd(34)} start p50 ${ms.toFixed(0).padStart(5)} ms   RSS app ${own.toFixed(0).padStart(4)} MB   PSS app + WebKit ${tree.toFixed(0).padStart(4)} MB (${rs[0].processes} processes), compositing ${rs[0].compositing}`);
  return { ms, own, tree };
};
console.log(`\n${runs} runs each, first paint after spawn (p50):`);
const b = row('blank Tauri window', results.blank);
const d = row('desk (Dinghai, a year of journal)', results.desk);
const mark = (k) => median(results.desk.map((r) => r.marks[k]).filter((x) => x !== undefined));
if (results.desk[0].marks.painted !== undefined)
  console.log(`desk page (ms since its navigation began, p50): ${Object.keys(results.desk[0].marks).map((k) => `${k} ${mark(k)}`).join(', ')}`);
const blankPainted = median(results.blank.map((r) => r.marks.painted).filter((x) => x !== undefined));
if (!Number.isNaN(blankPainted)) console.log(`blank page painted ${blankPainted} ms after its navigation began (p50)`);
const setups = results.desk.map((r) => r.setup).filter((x) => !Number.isNaN(x));
if (setups.length) console.log(`desk pack loaded and journal open (a thread beside the window) after: p50 ${median(setups).toFixed(0)} ms`);
console.log(`\ndesk / blank start: ${(d.ms / b.ms).toFixed(2)}× (target ≤ 1.5×); desk RSS ${d.own.toFixed(0)} MB (target ≤ 250 MB; blank ${b.own.toFixed(0)} MB), PSS with its WebKit processes ${d.tree.toFixed(0)} MB (blank ${b.tree.toFixed(0)} MB)`);

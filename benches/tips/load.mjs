// The tips' load figure (a bench, not a timed test): RATE tips a minute for MINUTES minutes,
// each with a ~2 MB photo (random JPEG-like noise that the service must decode and
// re-encode), against a running `tidewatch serve` (started with generous
// --tips-per-device/--tips-per-address). Meanwhile a dispatcher's session polls the queue
// and the desk's board once a second and records how long each answer took ("the desk
// stays responsive"). At the end: every receipt is looked up (none lost) and the figures
// printed.
//
//   BASE=http://127.0.0.1:8640 TOKEN=<a dispatcher's token> PHOTO=photo.jpg \
//     RATE=100 MINUTES=10 node benches/tips/load.mjs
import { readFileSync } from 'node:fs';

const BASE = process.env.BASE ?? 'http://127.0.0.1:8640';
const TOKEN = process.env.TOKEN;
const RATE = Number(process.env.RATE ?? 100), MINUTES = Number(process.env.MINUTES ?? 10);
const photo = readFileSync(process.env.PHOTO ?? 'photo.jpg');
const categories = ['hazard', 'traffic_jam', 'accident', 'public_order', 'other'];

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };

async function one(i) {
  const form = new FormData();
  form.append('category', categories[i % categories.length]);
  // Spread over the main island so few are grouped.
  form.append('lon', String(122.05 + (i % 97) * 0.0015));
  form.append('lat', String(29.98 + (i % 89) * 0.0004));
  form.append('text', `负载测试 ${i}`);
  form.append('photo', new Blob([photo], { type: 'image/jpeg' }), 'p.jpg');
  const t = performance.now();
  const r = await fetch(`${BASE}/api/tips`, { method: 'POST', body: form, headers: { 'x-tip-device': `load-${i % 50}` } });
  const body = await r.json().catch(() => null);
  return { status: r.status, ms: performance.now() - t, receipt: body && body.receipt };
}

const sent = [], desk = [];
let polling = true;
async function poll() {
  while (polling) {
    for (const path of ['/api/tips/queue', '/api/desk/board']) {
      const t = performance.now();
      const r = await fetch(BASE + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      await r.arrayBuffer();
      desk.push({ path, status: r.status, ms: performance.now() - t });
    }
    await new Promise((ok) => setTimeout(ok, 1000));
  }
}

const total = RATE * MINUTES, gap = 60000 / RATE, start = performance.now();
const poller = TOKEN ? poll() : Promise.resolve();
const pending = [];
for (let i = 0; i < total; i++) {
  const due = start + i * gap;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
  pending.push(one(i).then((r) => sent.push(r), (e) => sent.push({ status: 0, ms: NaN, error: String(e) })));
}
await Promise.all(pending);
polling = false;
await poller;
const elapsed = (performance.now() - start) / 1000;
const ok = sent.filter((r) => r.status === 201);
let found = 0;
for (const r of ok) if ((await fetch(`${BASE}/api/tips/status/${r.receipt}`)).status === 200) found++;
const byStatus = {};
for (const r of sent) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
console.log(JSON.stringify({
  tips: total, seconds: Math.round(elapsed), photo_bytes: photo.length, answers: byStatus, accepted: ok.length, found_by_receipt: found,
  post_ms: { p50: Math.round(pct(ok.map((r) => r.ms), 0.5)), p90: Math.round(pct(ok.map((r) => r.ms), 0.9)), max: Math.round(Math.max(...ok.map((r) => r.ms))) },
  desk_ms: { n: desk.length, p50: Math.round(pct(desk.map((d) => d.ms), 0.5)), p90: Math.round(pct(desk.map((d) => d.ms), 0.9)), max: Math.round(Math.max(0, ...desk.map((d) => d.ms))) },
}, null, 1));

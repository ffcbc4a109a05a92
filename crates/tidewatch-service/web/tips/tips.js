// 随手拍: the public tips page. Plain script, no framework. Everything a person or the
// service sends is shown with textContent (never as markup). What is typed is kept in
// localStorage and the photo in IndexedDB, so a reload or a lost connection loses nothing;
// a tip that could not be sent is retried until the service answers.
'use strict';

const DRAFT = 'tw-tip-draft', RECEIPTS = 'tw-tip-receipts', DEVICE = 'tw-tip-device';
const CATEGORY = { hazard: '安全隐患', traffic_jam: '交通拥堵', accident: '交通事故', public_order: '治安问题', other: '其他' };
const STATE = { received: '已收到，等待处理', handling: '正在处理', closed: '已办结' };
const FIELD = { category: '类别', photo: '照片', text: '说明', phone: '电话', place: '位置', island: '位置', lon: '位置', lat: '位置', body: '提交' };
const $ = (id) => document.getElementById(id);

let photo = null;        // the chosen photo (a File or Blob)
let position = null;     // {lon, lat, accuracy} from the phone
let places = null;       // the gazetteer from the service
let retryTimer = null, retryDelay = 5000, sending = false;

function store(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: kept in memory only */ } }
function load(key, fallback) { try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; } }

function device() {
  let id = load(DEVICE, null);
  if (typeof id !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
    const raw = new Uint8Array(16);
    crypto.getRandomValues(raw);
    id = Array.from(raw, (b) => b.toString(16).padStart(2, '0')).join('');
    store(DEVICE, id);
  }
  return id;
}

// ---- the photo, kept in IndexedDB between visits
function photoDb() {
  return new Promise((resolve, reject) => {
    if (!window.indexedDB) { reject(new Error('no IndexedDB')); return; }
    const open = indexedDB.open('tw-tips', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('photo');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
async function keepPhoto(blob) {
  try {
    const db = await photoDb();
    const tx = db.transaction('photo', 'readwrite');
    if (blob) tx.objectStore('photo').put(blob, 'draft'); else tx.objectStore('photo').delete('draft');
  } catch (e) { /* kept in memory only */ }
}
async function keptPhoto() {
  try {
    const db = await photoDb();
    return await new Promise((resolve) => {
      const get = db.transaction('photo').objectStore('photo').get('draft');
      get.onsuccess = () => resolve(get.result || null);
      get.onerror = () => resolve(null);
    });
  } catch (e) { return null; }
}

// ---- the draft
function draft() {
  const checked = document.querySelector('input[name=category]:checked');
  return {
    category: checked ? checked.value : '', text: $('text').value, phone: $('phone').value,
    island: $('island').value, place: $('place').value, photo_position: $('photo-position').checked, position,
  };
}
function saveDraft() { store(DRAFT, draft()); $('count').textContent = String($('text').value.length); }
function restoreDraft(preselected, preselectedPlace) {
  const d = load(DRAFT, {}) || {};
  if (d.category) { const r = document.querySelector(`input[name=category][value="${CSS.escape(d.category)}"]`); if (r) r.checked = true; }
  $('text').value = typeof d.text === 'string' ? d.text : '';
  $('phone').value = typeof d.phone === 'string' ? d.phone : '';
  $('photo-position').checked = !!d.photo_position;
  if (d.position && Number.isFinite(d.position.lon) && Number.isFinite(d.position.lat)) setPosition(d.position);
  const island = preselected || d.island || '';
  setIsland(island);
  if (!preselected || preselected === d.island) $('place').value = d.place || '';
  // A poster's code for a pier names the pier too (when it is on that island).
  if (preselectedPlace && [...$('place').options].some((o) => o.value === preselectedPlace)) $('place').value = preselectedPlace;
  $('count').textContent = String($('text').value.length);
}

// ---- places
function option(value, label) { const o = document.createElement('option'); o.value = value; o.textContent = label; return o; }
function fillIslands() {
  const select = $('island');
  for (const i of places.islands) select.appendChild(option(i.id, i.name_zh + (i.name_en ? ` (${i.name_en})` : '')));
}
function setIsland(id) {
  const select = $('island');
  if (places && places.islands.some((i) => i.id === id)) select.value = id; else select.value = '';
  const place = $('place');
  while (place.options.length > 1) place.remove(1);
  const island = places && places.islands.find((i) => i.id === select.value);
  if (island) for (const p of island.places) place.appendChild(option(p.id, p.name_zh));
}
async function loadPlaces() {
  try {
    const r = await fetch('/api/tips/places');
    if (r.ok) { places = await r.json(); store('tw-tip-places', places); }
  } catch (e) { /* offline: the copy from the last visit */ }
  if (!places) places = load('tw-tip-places', null);
  if (places) fillIslands();
}

// ---- position
function setPosition(p) {
  position = p;
  const el = $('located');
  el.hidden = !p;
  if (p) el.textContent = `已定位：北纬 ${p.lat.toFixed(5)}，东经 ${p.lon.toFixed(5)}` + (p.accuracy ? `（误差约 ${Math.round(p.accuracy)} 米）` : '');
}
function locate() {
  const el = $('located');
  if (!navigator.geolocation) { el.hidden = false; el.textContent = '此浏览器无法定位，请选择岛屿和地点。'; return; }
  el.hidden = false; el.textContent = '正在定位…';
  navigator.geolocation.getCurrentPosition(
    (g) => { setPosition({ lon: g.coords.longitude, lat: g.coords.latitude, accuracy: g.coords.accuracy }); saveDraft(); },
    () => { setPosition(null); el.hidden = false; el.textContent = '未能定位（未允许或信号弱），请选择岛屿和地点。'; },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

// ---- photo
function showPhoto(blob) {
  photo = blob;
  const fig = $('preview'), img = $('preview-img');
  if (img.src) URL.revokeObjectURL(img.src);
  if (blob) { img.src = URL.createObjectURL(blob); fig.hidden = false; } else { img.removeAttribute('src'); fig.hidden = true; }
}
function choosePhoto(input) {
  const file = input.files && input.files[0];
  input.value = '';
  if (!file) return;
  showError('photo', file.size > 10 * 1024 * 1024 ? '照片超过 10 MB，请换一张或降低相机分辨率。' : '');
  showPhoto(file);
  keepPhoto(file);
}

// ---- messages
function showError(field, message) {
  for (const el of document.querySelectorAll('.error[data-for]')) if (el.dataset.for === field) el.textContent = message;
}
function clearErrors() { for (const el of document.querySelectorAll('.error[data-for]')) el.textContent = ''; }
function net(message) { const el = $('net'); el.hidden = !message; el.textContent = message || ''; }

// What the service's refusal means, in words (its own message after).
function refusal(status, body) {
  const field = (body && body.field) || 'body';
  const detail = (body && body.message) || '';
  if (status === 429) return ['body', `提交太频繁，请 ${body && body.minutes ? body.minutes : 10} 分钟后再试。`];
  if (status === 413) return [field === 'body' ? 'photo' : field, '照片太大（最大 10 MB），请换一张。'];
  const where = { island: 'place', lon: 'place', lat: 'place' }[field] || field;
  const shown = document.querySelector(`.error[data-for="${CSS.escape(where)}"]`) ? where : 'body';
  return [shown, `${FIELD[field] || '提交'}有误：${detail}`];
}

// ---- sending
function formData(d) {
  const form = new FormData();
  form.append('category', d.category);
  form.append('text', d.text);
  if (d.phone) form.append('phone', d.phone);
  if (d.position) { form.append('lon', String(d.position.lon)); form.append('lat', String(d.position.lat)); }
  if (d.island) form.append('island', d.island);
  if (d.place) form.append('place', d.place);
  if (d.photo_position) form.append('photo_position', '1');
  if (photo) form.append('photo', photo, 'photo');
  return form;
}

function check(d) {
  clearErrors();
  let ok = true;
  if (!d.category) { showError('category', '请选择类别。'); ok = false; }
  if (!photo && !d.text.trim()) { showError('text', '请拍一张照片或写几句说明。'); ok = false; }
  if (!d.position && !d.island && !(photo && d.photo_position)) { showError('place', '请使用手机定位，或选择岛屿和地点。'); ok = false; }
  return ok;
}

async function send(event) {
  if (event) event.preventDefault();
  const d = draft();
  if (!check(d) || sending) return;
  sending = true;
  $('send').disabled = true;
  $('send').textContent = '正在提交…';
  try {
    const r = await fetch('/api/tips', { method: 'POST', body: formData(d), headers: { 'X-Tip-Device': device() } });
    const body = await r.json().catch(() => null);
    if (r.status === 201 && body) { done(body); return; }
    if (r.status === 408 || r.status >= 500) { later('服务暂时不可用，内容已保存，稍后自动重试。'); return; }
    const [field, message] = refusal(r.status, body);
    showError(field, message);
    net('');
  } catch (e) {
    later('网络不好，内容已保存，恢复后会自动重试。');
  } finally {
    sending = false;
    $('send').disabled = false;
    $('send').textContent = '提交';
  }
}

function later(message) {
  net(message);
  store('tw-tip-pending', true);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => send(), retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60000);
}

function done(receipt) {
  clearTimeout(retryTimer);
  retryDelay = 5000;
  net('');
  store('tw-tip-pending', false);
  const mine = load(RECEIPTS, []);
  if (Array.isArray(mine) && !mine.includes(receipt.receipt)) { mine.unshift(receipt.receipt); store(RECEIPTS, mine.slice(0, 20)); }
  store(DRAFT, { island: $('island').value });
  keepPhoto(null);
  showPhoto(null);
  for (const r of document.querySelectorAll('input[name=category]')) r.checked = false;
  $('text').value = ''; $('phone').value = ''; setPosition(null);
  $('receipt').textContent = receipt.receipt;
  $('grouped').hidden = !receipt.grouped;
  $('show-status').dataset.code = receipt.receipt;
  view('done');
}

// ---- status
let statusTimer = null;
async function lookup(code) {
  code = (code || '').trim().toUpperCase();
  $('code').value = code;
  $('status-error').textContent = '';
  clearTimeout(statusTimer);
  if (!code) return;
  try {
    const r = await fetch(`/api/tips/status/${encodeURIComponent(code)}`);
    if (r.status === 404) { $('result').hidden = true; $('status-error').textContent = '没有这个回执码，请核对。'; return; }
    if (!r.ok) throw new Error(String(r.status));
    const s = await r.json();
    $('r-code').textContent = s.receipt;
    $('r-category').textContent = CATEGORY[s.category] || s.category;
    $('r-state').textContent = STATE[s.state] || s.state;
    $('r-state').className = `state-${s.state}`;
    const when = (t) => (t ? new Date(t * 1000).toLocaleString('zh-CN', { hour12: false }) : '');
    $('r-times').textContent = `提交于 ${when(s.received_utc)}` + (s.closed_utc ? `，办结于 ${when(s.closed_utc)}` : '');
    $('r-reply-box').hidden = !s.reply;
    $('r-reply').textContent = s.reply || '';
    $('r-text').textContent = s.text || '（无）';
    $('result').hidden = false;
    if (s.state !== 'closed') statusTimer = setTimeout(() => lookup(code), 30000);
  } catch (e) {
    $('status-error').textContent = '网络不好，稍后再试。';
    statusTimer = setTimeout(() => lookup(code), 15000);
  }
}
function listMine() {
  const box = $('mine');
  box.textContent = '';
  const mine = load(RECEIPTS, []);
  if (!Array.isArray(mine) || !mine.length) return;
  const p = document.createElement('p'); p.className = 'hint'; p.textContent = '我提交过的：'; box.appendChild(p);
  for (const code of mine) {
    if (typeof code !== 'string') continue;
    const b = document.createElement('button'); b.type = 'button'; b.className = 'button secondary'; b.textContent = code;
    b.addEventListener('click', () => lookup(code));
    box.appendChild(b);
  }
}

function view(name) {
  $('tip').hidden = name !== 'form';
  $('done').hidden = name !== 'done';
  $('status').hidden = name !== 'status';
  $('to-form').setAttribute('aria-pressed', String(name !== 'status'));
  $('to-status').setAttribute('aria-pressed', String(name === 'status'));
  if (name === 'status') listMine();
}

async function start() {
  const query = new URLSearchParams(location.search);
  await loadPlaces();
  restoreDraft(query.get('island') || '', query.get('place') || '');
  const kept = await keptPhoto();
  if (kept) showPhoto(kept);
  document.getElementById('tip').addEventListener('input', saveDraft);
  document.getElementById('tip').addEventListener('change', saveDraft);
  $('island').addEventListener('change', () => { setIsland($('island').value); saveDraft(); });
  $('camera').addEventListener('change', () => choosePhoto($('camera')));
  $('gallery').addEventListener('change', () => choosePhoto($('gallery')));
  $('photo-remove').addEventListener('click', () => { showPhoto(null); keepPhoto(null); });
  $('locate').addEventListener('click', locate);
  $('tip').addEventListener('submit', send);
  $('to-form').addEventListener('click', () => view('form'));
  $('to-status').addEventListener('click', () => view('status'));
  $('another').addEventListener('click', () => view('form'));
  $('show-status').addEventListener('click', () => { view('status'); lookup($('show-status').dataset.code); });
  $('lookup').addEventListener('submit', (e) => { e.preventDefault(); lookup($('code').value); });
  window.addEventListener('online', () => { if (load('tw-tip-pending', false)) { retryDelay = 5000; send(); } });
  if (query.get('receipt')) { view('status'); lookup(query.get('receipt')); } else view('form');
  if (load('tw-tip-pending', false)) later('上次的报料尚未送达，正在重试…');
  if ('serviceWorker' in navigator && window.isSecureContext) navigator.serviceWorker.register('/tips/sw.js', { scope: '/tips/' }).catch(() => {});
}

document.addEventListener('DOMContentLoaded', start);

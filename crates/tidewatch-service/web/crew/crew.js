// The crew's page: sign in for a unit, see the assignment (pushed: the live socket's
// every seq, and every reconnect, fetch it again), act on it. Actions queue in
// localStorage with the phone's time and are sent one at a time, in order, whenever the
// network is there; the service re-checks each, and a refused one is shown with its
// reason. Plain DOM, no framework: it has to run on a cheap phone's browser.
(function () {
  'use strict';

  var KEY = { auth: 'tw.crew.auth', lang: 'tw.crew.lang', queue: 'tw.crew.queue', refused: 'tw.crew.refused', view: 'tw.crew.view', seq: 'tw.crew.seq' };
  var WORDS = {
    zh: {
      title: '勤务终端', signIn: '登录', user: '用户名', password: '密码', unit: '单位（编号或呼号）', signOut: '退出',
      online: '在线', offline: '离线', queued: '待发送', sending: '发送中…', noTask: '暂无任务', status: '单位状态',
      available: '可接警', off_duty: '下班', returning: '返回途中', acknowledge: '确认收到', en_route: '出发', on_scene: '到达现场',
      clear: '处置完毕', unable: '无法执行', note: '备注', photo: '拍照', send: '发送', cancel: '取消', outcome: '处置结果',
      reason: '原因', text: '内容', place: '地点', route: '路线', eta: '预计', min: '分钟', catchSailing: '赶', sailingFrom: '班次，从',
      drive: '驾车', wait: '候船', ferry: '渡轮', boat: '警艇', via: '经', call: '警情', notes: '备注', acked: '已确认',
      refused: '被拒绝', dismiss: '知道了', state_dispatched: '已派', state_en_route: '途中', state_on_scene: '在现场',
      state_received: '待派', state_cleared: '已结束', state_cancelled: '已撤销', phoneTime: '手机时间', noRoute: '暂无路线',
      quickOutcomes: ['已处置', '警告教育', '移交处理', '无需处理'], quickReasons: ['车辆故障', '正在处置其他警情', '无法到达'],
      badPhoto: '无法读取照片', signedOutMsg: '登录已失效，请重新登录（未发送的操作会保留）', at: '位置',
      carry: '运送', carryTo: '到', pickup: '接人码头', landing: '登岸码头', departs: '计划开船', crewStatus: '被运送单位',
      lastStep: '本艇进度', noPier: '码头未定', step_to_pickup: '前往接人码头', step_crew_aboard: '人员已登艇',
      step_crew_landed: '人员已登岸', step_returning: '返航', step_at_base: '已回基地',
    },
    en: {
      title: 'Crew', signIn: 'Sign in', user: 'User name', password: 'Password', unit: 'Unit (id or call sign)', signOut: 'Sign out',
      online: 'online', offline: 'offline', queued: 'to send', sending: 'sending…', noTask: 'No assignment', status: 'Unit status',
      available: 'Available', off_duty: 'Off duty', returning: 'Returning', acknowledge: 'Acknowledge', en_route: 'En route', on_scene: 'On scene',
      clear: 'Cleared', unable: 'Unable', note: 'Note', photo: 'Photo', send: 'Send', cancel: 'Cancel', outcome: 'Outcome',
      reason: 'Reason', text: 'Text', place: 'Place', route: 'Route', eta: 'ETA', min: 'min', catchSailing: 'Catch the', sailingFrom: 'sailing from',
      drive: 'Drive', wait: 'Wait', ferry: 'Ferry', boat: 'Police boat', via: 'via', call: 'Call', notes: 'Notes', acked: 'acknowledged',
      refused: 'Refused', dismiss: 'OK', state_dispatched: 'dispatched', state_en_route: 'en route', state_on_scene: 'on scene',
      state_received: 'waiting', state_cleared: 'cleared', state_cancelled: 'cancelled', phoneTime: 'phone time', noRoute: 'no route now',
      quickOutcomes: ['Handled', 'Warned', 'Handed over', 'No action needed'], quickReasons: ['Vehicle fault', 'Busy on another call', 'Cannot get there'],
      badPhoto: 'Cannot read the photo', signedOutMsg: 'Signed out: sign in again (unsent actions are kept)', at: 'At',
      carry: 'Carry', carryTo: 'to', pickup: 'Pickup pier', landing: 'Landing pier', departs: 'Planned departure', crewStatus: 'Carried unit',
      lastStep: 'Boat', noPier: 'pier not known', step_to_pickup: 'To pickup pier', step_crew_aboard: 'Crew aboard',
      step_crew_landed: 'Crew landed', step_returning: 'Returning', step_at_base: 'Back at base',
    },
  };

  function load(key, fallback) {
    try { var v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full: the queue stays in memory */ }
  }

  var S = {
    lang: load(KEY.lang, 'zh'),
    auth: load(KEY.auth, null),
    queue: load(KEY.queue, []),
    refused: load(KEY.refused, []),
    view: load(KEY.view, null),
    seq: load(KEY.seq, 0),
    online: navigator.onLine !== false,
    panel: null, // 'clear' | 'unable' | 'note'
    message: '',
    flushing: false,
  };
  function t(k) { return WORDS[S.lang][k] || WORDS.zh[k] || k; }
  function name(n) { return n ? (S.lang === 'en' ? (n.en || n.zh || n.id) : (n.zh || n.en || n.id)) : ''; }
  function now() { return Math.floor(Date.now() / 1000); }
  function clock(utc) { var d = new Date(utc * 1000); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  // h('div', {class: 'x', onclick: f}, child, 'text', ...)
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(typeof x === 'string' ? document.createTextNode(x) : x); });
      else el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }

  // ---- the service
  function request(method, path, body, type) {
    var headers = {};
    if (S.auth) headers.Authorization = 'Bearer ' + S.auth.token;
    if (body !== undefined) headers['Content-Type'] = type || 'application/json';
    var payload = body === undefined ? undefined : (type ? body : JSON.stringify(body));
    return fetch(path, { method: method, headers: headers, body: payload, cache: 'no-store' }).then(function (r) {
      return r.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        return { status: r.status, json: json };
      });
    });
  }

  function setOnline(on) {
    if (S.online !== on) { S.online = on; renderBar(); }
  }

  var fetching = false, fetchAgain = false;
  function fetchView() {
    if (!S.auth) return;
    if (fetching) { fetchAgain = true; return; }
    fetching = true;
    request('GET', '/api/crew/assignment').then(function (r) {
      setOnline(true);
      if (r.status === 200) { S.view = r.json; save(KEY.view, S.view); render(); }
      else if (r.status === 401) signedOut();
    }, function () { setOnline(false); }).then(function () {
      fetching = false;
      if (fetchAgain) { fetchAgain = false; fetchView(); }
    });
  }

  // ---- live: the service's seqs; each one (and each reconnect) fetches the assignment
  var socket = null, backoff = 500, liveTimer = null;
  function connectLive() {
    if (!S.auth || socket) return;
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/crew/live?after=' + (S.seq || 0);
    var ws;
    try { ws = new WebSocket(url, ['tidewatch', 'bearer.' + S.auth.token]); } catch (e) { return retryLive(); }
    socket = ws;
    ws.onopen = function () { backoff = 500; setOnline(true); fetchView(); flush(); };
    ws.onmessage = function (m) {
      try { var seq = JSON.parse(m.data).seq; if (seq > S.seq) { S.seq = seq; save(KEY.seq, seq); } } catch (e) { /* not ours */ }
      fetchView();
    };
    ws.onclose = function () { if (socket === ws) { socket = null; retryLive(); } };
  }
  function retryLive() {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(connectLive, backoff);
    backoff = Math.min(backoff * 2, 8000);
  }
  function dropLive() {
    if (socket) { var s = socket; socket = null; s.close(); }
    clearTimeout(liveTimer);
  }

  // ---- the queue: sent in order, one at a time
  function enqueue(item) {
    item.id = String(Date.now()) + Math.random().toString(16).slice(2, 6);
    item.phone_utc = now();
    if (item.body) item.body.phone_utc = item.phone_utc;
    S.queue.push(item);
    save(KEY.queue, S.queue);
    foresee(item);
    S.panel = null;
    render();
    flush();
  }

  // What the queued action will do, shown at once (the service's answer replaces it).
  function foresee(item) {
    var a = S.view && S.view.assignment;
    if (!a || !item.body) return;
    var next = { en_route: 'en_route', on_scene: 'on_scene' }[item.body.action];
    if (next) a.state = next;
    if (item.body.action === 'acknowledge') a.acknowledged = true;
    if (item.body.action === 'clear' || item.body.action === 'unable') S.view.assignment = null;
    if (item.body.step && S.view.carrying) S.view.carrying.step = item.body.step;
  }

  function send(item) {
    if (item.photo) {
      var parts = item.photo.split(',');
      var type = (parts[0].match(/data:([^;]+)/) || [])[1] || 'application/octet-stream';
      var raw = atob(parts[1] || ''), bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      var q = '?incident=' + item.incident + '&phone_utc=' + item.phone_utc;
      return request('POST', '/api/crew/photo' + q, new Blob([bytes], { type: type }), type);
    }
    return request('POST', item.path, item.body);
  }

  function flush() {
    if (S.flushing || !S.auth || !S.queue.length) return;
    S.flushing = true;
    renderBar();
    var step = function () {
      var item = S.queue[0];
      if (!item) return done();
      send(item).then(function (r) {
        setOnline(true);
        if (r.status === 401) { done(); return signedOut(); }
        if (r.status === 503 || r.status === 0) return done(); // the service is back soon: keep it
        S.queue.shift();
        save(KEY.queue, S.queue);
        if (r.status >= 300) {
          var why = (r.json && r.json.message) || ('HTTP ' + r.status);
          S.refused.push({ label: item.label, phone_utc: item.phone_utc, reason: why });
          save(KEY.refused, S.refused);
        }
        renderQueue();
        step();
      }, function () { setOnline(false); done(); });
    };
    var done = function () { S.flushing = false; renderBar(); renderQueue(); fetchView(); };
    step();
  }

  function signedOut() {
    dropLive();
    S.auth = null;
    save(KEY.auth, null);
    S.message = t('signedOutMsg');
    render();
  }

  // ---- screens
  function render() {
    renderBar();
    var app = document.getElementById('app');
    app.textContent = '';
    if (!S.auth) { app.appendChild(signInForm()); app.appendChild(queueCard()); return; }
    app.appendChild(queueCard());
    var a = S.view && S.view.assignment, c = S.view && S.view.carrying;
    app.appendChild(a && c ? carrierCard(a, c) : a ? assignmentCard(a) : idleCard());
  }

  function renderBar() {
    document.getElementById('who').textContent = S.auth ? (S.auth.call_sign + ' · ' + S.auth.username) : ('Tidewatch ' + t('title'));
    var net = document.getElementById('net');
    var pending = S.queue.length ? ' · ' + S.queue.length + ' ' + (S.flushing ? t('sending') : t('queued')) : '';
    net.textContent = (S.online ? t('online') : t('offline')) + pending;
    net.className = 'net ' + (S.online ? 'on' : 'off');
    net.setAttribute('data-queued', String(S.queue.length));
    document.getElementById('lang').textContent = S.lang === 'zh' ? 'EN' : '中文';
    document.documentElement.lang = S.lang === 'zh' ? 'zh-CN' : 'en';
  }

  function renderQueue() {
    var old = document.getElementById('queue');
    if (old) old.parentNode.replaceChild(queueCard(), old);
  }

  function queueCard() {
    var box = h('div', { id: 'queue' });
    if (S.queue.length) {
      box.appendChild(h('div', { class: 'card queue' }, h('strong', { text: t('queued') + ' (' + S.queue.length + ')' }),
        h('ol', {}, S.queue.map(function (q) { return h('li', { text: q.label + ' · ' + clock(q.phone_utc) }); }))));
    }
    if (S.refused.length) {
      box.appendChild(h('div', { class: 'card refused', id: 'refused' }, h('strong', { text: t('refused') }),
        h('ul', {}, S.refused.map(function (r) { return h('li', { text: r.label + ' (' + clock(r.phone_utc) + '): ' + r.reason }); })),
        h('button', { class: 'small', type: 'button', onclick: function () { S.refused = []; save(KEY.refused, []); render(); } }, t('dismiss'))));
    }
    return box;
  }

  function signInForm() {
    var last = load('tw.crew.last', {});
    var user = h('input', { id: 'user', autocomplete: 'username', value: last.username || '' });
    var pass = h('input', { id: 'password', type: 'password', autocomplete: 'current-password' });
    var unit = h('input', { id: 'unit', value: last.unit || '', autocapitalize: 'off' });
    var err = h('p', { class: 'error', id: 'error', text: S.message });
    var form = h('form', { class: 'card', onsubmit: function (e) {
      e.preventDefault();
      var body = { username: user.value.trim(), password: pass.value, unit: unit.value.trim() };
      request('POST', '/api/crew/sign-in', body).then(function (r) {
        if (r.status !== 200) { err.textContent = (r.json && r.json.message) || ('HTTP ' + r.status); return; }
        S.auth = r.json; S.message = '';
        save(KEY.auth, S.auth);
        save('tw.crew.last', { username: body.username, unit: body.unit });
        if (S.view && S.view.unit !== S.auth.unit) { S.view = null; S.seq = 0; }
        render(); connectLive(); fetchView(); flush();
      }, function () { setOnline(false); err.textContent = t('offline'); });
    } },
    h('h1', { text: t('title') }),
    h('label', { for: 'user', text: t('user') }), user,
    h('label', { for: 'password', text: t('password') }), pass,
    h('label', { for: 'unit', text: t('unit') }), unit,
    h('button', { class: 'big', type: 'submit', id: 'sign-in' }, t('signIn')), err);
    return form;
  }

  function idleCard() {
    var v = S.view;
    var status = v ? (v.status === 'available' || v.status === 'off_duty' ? t(v.status) : t('state_' + v.status)) : '';
    var card = h('div', { class: 'card', id: 'idle' },
      h('h1', { text: t('noTask') }),
      v ? h('p', { class: 'muted' }, t('status') + ': ', h('strong', { id: 'unit-status', text: status }), v.position ? ' · ' + t('at') + ' ' + name(v.position) : '') : null,
      statusButton('available', 'go'), statusButton('returning', ''), statusButton('off_duty', 'quiet'),
      h('button', { class: 'big quiet', type: 'button', id: 'sign-out', onclick: signOut }, t('signOut')));
    return card;
  }

  function statusButton(status, tone) {
    return h('button', { class: 'big ' + tone, type: 'button', 'data-status': status, onclick: function () {
      enqueue({ path: '/api/crew/status', body: { status: status }, label: t(status) });
    } }, t(status));
  }

  function act(action, text) {
    return function () {
      var a = S.view.assignment, body = { incident: a.incident_id, action: action };
      if (text !== undefined) body.text = text;
      enqueue({ path: '/api/crew/act', body: body, label: t(action === 'clear' ? 'clear' : action) + ' #' + a.incident_id });
    };
  }

  function assignmentCard(a) {
    var card = h('div', { class: 'card', id: 'assignment', 'data-incident': String(a.incident_id), 'data-state': a.state },
      h('span', { class: 'state', text: t('state_' + a.state) + (a.acknowledged ? ' · ' + t('acked') : '') }),
      h('h1', {}, h('span', { class: 'prio p' + a.priority, text: 'P' + a.priority }), name(a.incident_type), ' #' + a.incident_id),
      h('p', {}, h('strong', { text: t('place') + ': ' }), name(a.place) || (a.lon.toFixed(4) + ', ' + a.lat.toFixed(4)), a.island ? ' · ' + name(a.island) : ''),
      a.text ? h('p', {}, h('strong', { text: t('call') + ': ' }), a.text) : null,
      a.notes.length ? h('div', {}, h('h2', { text: t('notes') }), a.notes.map(function (n) {
        return h('div', { class: 'note' }, h('span', { class: 'muted', text: clock(n.at_utc) + ' ' + n.operator + ': ' }), n.text);
      })) : null,
      routeBlock(a.route));
    card.appendChild(actions(a));
    return card;
  }

  // A boat carrying a land crew (issue #16): whom it takes from which pier to which, the
  // crew's status, and the boat's own steps, the next one first.
  var STEPS = ['to_pickup', 'crew_aboard', 'crew_landed', 'returning', 'at_base'];
  function carrierCard(a, c) {
    var next = STEPS.slice(STEPS.indexOf(c.step) + 1);
    var crewStatus = c.crew_status === 'available' || c.crew_status === 'off_duty' ? t(c.crew_status) : t('state_' + c.crew_status);
    var pier = function (p) { return p ? name(p) : t('noPier'); };
    return h('div', { class: 'card', id: 'carrier', 'data-incident': String(a.incident_id), 'data-step': c.step || '' },
      h('span', { class: 'state', text: t('lastStep') + ': ' + (c.step ? t('step_' + c.step) : '—') }),
      h('h1', { id: 'carrier-job' }, t('carry') + ' ' + c.crew_call_sign + ' ' + t('carryTo') + ' ' + pier(c.landing)),
      h('p', {}, h('span', { class: 'prio p' + a.priority, text: 'P' + a.priority }), ' ', name(a.incident_type), ' #' + a.incident_id, a.island ? ' · ' + name(a.island) : ''),
      h('p', {}, h('strong', { text: t('pickup') + ': ' }), pier(c.pickup), c.departs ? ' · ' + t('departs') + ' ' + c.departs : ''),
      h('p', {}, h('strong', { text: t('landing') + ': ' }), pier(c.landing)),
      h('p', {}, h('strong', { text: t('crewStatus') + ': ' }), c.crew_call_sign + ' · ', h('span', { id: 'carried-status', text: crewStatus })),
      h('div', { id: 'actions' }, next.map(function (step, i) {
        return h('button', { class: 'big ' + (i === 0 ? 'go' : 'quiet'), type: 'button', id: 'step-' + step, onclick: function () {
          enqueue({ path: '/api/crew/carrier', body: { incident: a.incident_id, step: step }, label: t('step_' + step) + ' #' + a.incident_id });
        } }, t('step_' + step));
      })));
  }

  function routeBlock(r) {
    if (!r) return h('p', { class: 'muted', text: t('route') + ': ' + t('noRoute') });
    var mins = function (s) { return Math.max(1, Math.round(s / 60)) + ' ' + t('min'); };
    return h('div', { id: 'route' },
      h('h2', {}, t('route') + ' · ' + t('eta') + ' ' + mins(r.eta_s)),
      r.sailing ? h('div', { class: 'sailing', id: 'sailing' }, t('catchSailing') + ' ' + r.sailing.departs + ' ' + name(r.sailing.route) + ' ' + t('sailingFrom') + ' ' + name(r.sailing.from)) : null,
      h('ol', { class: 'legs' }, r.legs.map(function (l) {
        var what = t(l.mode) + ' ' + (l.mode === 'wait' ? (l.start + ' ' + name(l.route)) : (name(l.from) + ' → ' + name(l.to)));
        var via = l.bridges && l.bridges.length ? ' (' + t('via') + ' ' + l.bridges.map(name).join('、') + ')' : '';
        return h('li', { text: what + via + ' · ' + mins(l.seconds) });
      })));
  }

  function actions(a) {
    var box = h('div', { id: 'actions' });
    if (S.panel) { box.appendChild(textPanel(S.panel)); return box; }
    if (a.state === 'dispatched' && !a.acknowledged) box.appendChild(h('button', { class: 'big', id: 'act-acknowledge', type: 'button', onclick: act('acknowledge') }, t('acknowledge')));
    if (a.state === 'dispatched') box.appendChild(h('button', { class: 'big go', id: 'act-en_route', type: 'button', onclick: act('en_route') }, t('en_route')));
    if (a.state === 'en_route') box.appendChild(h('button', { class: 'big go', id: 'act-on_scene', type: 'button', onclick: act('on_scene') }, t('on_scene')));
    if (a.state === 'on_scene') box.appendChild(h('button', { class: 'big go', id: 'act-clear', type: 'button', onclick: open('clear') }, t('clear')));
    var photo = h('input', { type: 'file', accept: 'image/*', capture: 'environment', class: 'hidden', id: 'photo-file', onchange: function (e) { takePhoto(a, e.target.files[0]); e.target.value = ''; } });
    box.appendChild(h('div', { class: 'row' },
      h('button', { class: 'big quiet', id: 'act-note', type: 'button', onclick: open('note') }, t('note')),
      h('button', { class: 'big quiet', id: 'act-photo', type: 'button', onclick: function () { photo.click(); } }, t('photo'))));
    box.appendChild(photo);
    if (a.state === 'dispatched' || a.state === 'en_route') box.appendChild(h('button', { class: 'big warn', id: 'act-unable', type: 'button', onclick: open('unable') }, t('unable')));
    return box;
  }

  function open(panel) { return function () { S.panel = panel; render(); }; }

  function textPanel(panel) {
    var field = h('textarea', { id: 'panel-text', maxlength: panel === 'note' ? 2000 : 500 });
    var quick = panel === 'clear' ? t('quickOutcomes') : panel === 'unable' ? t('quickReasons') : [];
    var label = { clear: 'outcome', unable: 'reason', note: 'text' }[panel];
    return h('div', { id: 'panel' },
      h('label', { for: 'panel-text', text: t(panel) + ' · ' + t(label) }),
      quick.length ? h('div', { class: 'chips' }, quick.map(function (q) {
        return h('button', { class: 'chip', type: 'button', onclick: function () { field.value = q; } }, q);
      })) : null,
      field,
      h('div', { class: 'row' },
        h('button', { class: 'big quiet', type: 'button', onclick: function () { S.panel = null; render(); } }, t('cancel')),
        h('button', { class: 'big ' + (panel === 'unable' ? 'warn' : 'go'), id: 'panel-send', type: 'button', onclick: function () {
          if (!field.value.trim()) { field.focus(); return; }
          act(panel, field.value.trim())();
        } }, t('send'))));
  }

  // A camera's photo scaled to at most 1280 px as JPEG (about 200 KB); a file the browser
  // cannot read as an image is sent as it is, so the service says why it refuses it.
  function takePhoto(a, file) {
    if (!file) return;
    var queue = function (dataUrl) {
      enqueue({ photo: dataUrl, incident: a.incident_id, label: t('photo') + ' #' + a.incident_id });
    };
    var asIs = function () {
      var r = new FileReader();
      r.onload = function () { queue(r.result); };
      r.readAsDataURL(file);
    };
    var url = URL.createObjectURL(file), img = new Image();
    img.onload = function () {
      var k = Math.min(1, 1280 / Math.max(img.width, img.height));
      var c = document.createElement('canvas');
      c.width = Math.round(img.width * k); c.height = Math.round(img.height * k);
      c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(url);
      queue(c.toDataURL('image/jpeg', 0.7));
    };
    img.onerror = function () { URL.revokeObjectURL(url); asIs(); };
    img.src = url;
  }

  function signOut() {
    var auth = S.auth;
    request('POST', '/api/sign-out', {}).then(function () {}, function () {});
    if (auth) signedOut();
    S.message = '';
    render();
  }

  // ---- start
  document.getElementById('lang').addEventListener('click', function () {
    S.lang = S.lang === 'zh' ? 'en' : 'zh';
    save(KEY.lang, S.lang);
    render();
  });
  window.addEventListener('online', function () { setOnline(true); flush(); fetchView(); connectLive(); });
  window.addEventListener('offline', function () { setOnline(false); });
  // Retry what is queued now and then, whatever the browser thinks of the network.
  setInterval(function () { if (S.queue.length) flush(); }, 5000);
  render();
  if (S.auth) { connectLive(); fetchView(); flush(); }
})();

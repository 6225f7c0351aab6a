// Eventuali admin UI: plain JavaScript, no dependencies. Every call carries the API key or OIDC access token the
// user logged in with; everything shown comes from the API, and data is only ever put in the page as text (never as HTML).
'use strict';

const $ = (id) => document.getElementById(id);
const state = { key: sessionStorage.getItem('eventuali-key'), events: [], buckets: new Array(60).fill(0), seen: 0, live: null };

// An OIDC access token (a JWT: three base64url parts, the header starting "eyJ") travels as a bearer token; anything
// else is an API key.
function credentials() {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(state.key || '') ? { Authorization: `Bearer ${state.key}` } : { 'X-Api-Key': state.key };
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...credentials(), ...(options.headers || {}) } });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch { /* not a problem document */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response.status === 202 || response.status === 204 ? null : response.json();
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function login(key) {
  state.key = key;
  try {
    const me = await api('/me');
    sessionStorage.setItem('eventuali-key', key);
    $('who').textContent = `${me.actor} · ${me.role}${me.scope ? ' · scope ' + me.scope : ''}`;
    document.dispatchEvent(new CustomEvent('eventuali:login', { detail: me }));
    $('login-panel').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    $('login-error').textContent = '';
    await searchStreams('');
    await loadProjections();
    startLive();
  } catch (error) {
    state.key = null;
    sessionStorage.removeItem('eventuali-key');
    $('login-error').textContent = `Login failed (${error.message}).`;
  }
}

async function searchStreams(prefix) {
  const list = $('streams');
  const result = await api(`/streams?limit=200${prefix ? '&prefix=' + encodeURIComponent(prefix) : ''}`);
  list.replaceChildren(...result.streams.map((id) => {
    const item = el('li', id);
    item.dataset.stream = id;
    item.addEventListener('click', () => openStream(id));
    return item;
  }));
}

async function openStream(id) {
  document.querySelectorAll('#streams li').forEach((li) => li.classList.toggle('active', li.dataset.stream === id));
  $('stream-title').textContent = id;
  const page = await api(`/streams/${encodeURIComponent(id)}?limit=1000`);
  state.events = page.events;
  const body = $('events').tBodies[0];
  body.replaceChildren(...page.events.map((e, index) => {
    const row = el('tr');
    row.dataset.version = e.version;
    [e.version, e.position, e.type, new Date(e.timestamp).toLocaleTimeString()].forEach((v) => row.append(el('td', String(v))));
    row.addEventListener('click', () => { showEvent(e); step(index + 1); });
    return row;
  }));
  $('debugger').hidden = page.events.length === 0;
  $('step').max = String(Math.max(1, page.events.length));
  step(page.events.length);
}

function step(count) {
  const n = Math.min(Math.max(1, count), state.events.length);
  $('step').value = String(n);
  const folded = {};
  for (const e of state.events.slice(0, n)) {
    if (e.data && typeof e.data === 'object' && !Array.isArray(e.data)) Object.assign(folded, e.data);
  }
  $('step-version').textContent = state.events.length ? String(state.events[n - 1].version) : '0';
  $('state').textContent = JSON.stringify(folded, null, 2);
  document.querySelectorAll('#events tbody tr').forEach((row, i) => row.classList.toggle('active', i === n - 1));
}

function showEvent(e) {
  $('event-view').hidden = false;
  $('event-title').textContent = `${e.streamId} @ ${e.version}`;
  const fields = $('event-fields');
  fields.replaceChildren();
  const add = (name, value, onClick) => {
    fields.append(el('dt', name));
    const dd = el('dd');
    if (onClick) { const a = el('a', value, 'link'); a.addEventListener('click', onClick); dd.append(a); } else dd.textContent = value;
    fields.append(dd);
  };
  add('id', e.id);
  add('type', e.type);
  add('position', String(e.position));
  add('time', e.timestamp);
  add('content type', e.contentType);
  const m = e.metadata || {};
  if (m.correlationId) add('correlation', m.correlationId);
  if (m.causationId) {
    const cause = state.events.find((x) => x.id === m.causationId);
    add('caused by', m.causationId, cause ? () => showEvent(cause) : undefined);
  }
  const effects = state.events.filter((x) => x.metadata && x.metadata.causationId === e.id);
  effects.forEach((x) => add('caused', `${x.type} @ ${x.version}`, () => showEvent(x)));
  $('event-data').textContent = e.data !== undefined ? JSON.stringify(e.data, null, 2) : `(base64) ${e.dataBase64}`;
  $('event-metadata').textContent = JSON.stringify(m, null, 2);
}

async function loadProjections() {
  const body = $('projections').tBodies[0];
  try {
    const projections = await api('/projections');
    body.replaceChildren(...projections.map((p) => {
      const row = el('tr');
      [p.name, p.state, p.position, p.lag, p.deadLetters].forEach((v) => row.append(el('td', String(v))));
      const cell = el('td');
      const button = el('button', 'Rebuild');
      button.type = 'button';
      button.addEventListener('click', async () => {
        try { await api(`/projections/${encodeURIComponent(p.name)}/rebuild`, { method: 'POST' }); $('projections-note').textContent = `Rebuild of ${p.name} requested.`; }
        catch (error) { $('projections-note').textContent = `Rebuild refused (${error.message}).`; }
        await loadProjections();
      });
      cell.append(button);
      row.append(cell);
      return row;
    }));
    $('projections-note').textContent ||= projections.length ? '' : 'No projections are registered in this store.';
  } catch (error) {
    $('projections-note').textContent = `Projections unavailable (${error.message}).`;
  }
}

// The live feed: a fetch-streamed server-sent event subscription (EventSource cannot send the key header).
async function startLive() {
  if (state.live) state.live.abort();
  const controller = new AbortController();
  state.live = controller;
  let last = null;
  while (!controller.signal.aborted) {
    try {
      const headers = credentials();
      if (last) headers['Last-Event-ID'] = last;
      const response = await fetch('/subscribe/all?from=end', { headers, signal: controller.signal });
      if (!response.ok) throw new Error(String(response.status));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const id = block.split('\n').find((line) => line.startsWith('id: '));
          if (id) { last = id.slice(4); state.buckets[state.buckets.length - 1]++; state.seen++; }
          if (id) document.dispatchEvent(new CustomEvent('eventuali:event', { detail: block }));
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// One bar per second on a canvas, scaled to the highest value (at least floor); label(max) is drawn top left.
function drawBars(canvasId, values, floor, color, label) {
  const canvas = $(canvasId);
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  g.clearRect(0, 0, w, h);
  const max = Math.max(floor, ...values);
  const bar = w / values.length;
  g.fillStyle = color;
  values.forEach((v, i) => {
    const height = (v / max) * (h - 20);
    g.fillRect(i * bar + 1, h - height, bar - 2, height);
  });
  g.fillStyle = '#5b6875';
  g.font = '12px sans-serif';
  g.fillText(label(max), 4, 14);
}

function drawChart() {
  drawBars('chart', state.buckets, 10, '#0b69c7', (max) => `max ${max}/s`);
}

setInterval(() => {
  const done = state.buckets[state.buckets.length - 1];
  $('rate').textContent = `${done} events/s`;
  $('seen').textContent = String(state.seen);
  state.buckets.shift();
  state.buckets.push(0);
  drawChart();
}, 1000);

$('login-form').addEventListener('submit', (event) => { event.preventDefault(); login($('key').value.trim()); });
$('logout').addEventListener('click', () => { sessionStorage.removeItem('eventuali-key'); location.reload(); });
$('search').addEventListener('input', (event) => searchStreams(event.target.value).catch(() => {}));
$('step').addEventListener('input', (event) => step(Number(event.target.value)));
$('step-back').addEventListener('click', () => step(Number($('step').value) - 1));
$('step-next').addEventListener('click', () => step(Number($('step').value) + 1));
$('refresh-projections').addEventListener('click', loadProjections);
if (state.key) login(state.key);
drawChart();

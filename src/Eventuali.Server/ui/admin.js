// Eventuali admin UI, second part: the latency chart and the admin views (dead letters, snapshots, tenants and usage,
// keys, audit). Uses $, el, api and drawBars from app.js; data goes into the page only as text.
'use strict';

const admin = { latency: new Array(60).fill(0), current: [], auditFrom: 1, auditNext: null };
const timestampPattern = /"timestamp":"([^"]+)"/;

// Latency: when the page receives an event on the live feed minus its commit timestamp (the server's clock).
document.addEventListener('eventuali:event', (event) => {
  const match = timestampPattern.exec(event.detail);
  if (match) admin.current.push(Math.max(0, Date.now() - Date.parse(match[1])));
});

function drawLatency() {
  drawBars('latency-chart', admin.latency, 50, '#8a4baf', (max) => `max ${Math.round(max)} ms`);
}

setInterval(() => {
  const second = admin.current.sort((a, b) => a - b);
  admin.current = [];
  admin.latency.shift();
  admin.latency.push(second.length ? second[second.length - 1] : 0);
  if (second.length) $('latency').textContent = `median ${second[Math.floor(second.length / 2)]} ms, max ${second[second.length - 1]} ms`;
  drawLatency();
}, 1000);

function cells(row, values) { values.forEach((v) => row.append(el('td', v === null || v === undefined ? '-' : String(v)))); }

function button(text, onClick) {
  const b = el('button', text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

async function note(id, work) {
  try { await work(); } catch (error) { $(id).textContent = `Refused (${error.message}).`; }
}

// Dead letters of every projection that has some, each with a Retry button.
async function loadDeadLetters() {
  await note('dead-letters-note', async () => {
    const projections = await api('/projections');
    const rows = [];
    for (const p of projections.filter((x) => x.deadLetters > 0)) {
      for (const d of await api(`/projections/${encodeURIComponent(p.name)}/dead-letters`)) {
        const row = el('tr');
        cells(row, [d.projection, d.id, d.position, d.streamId, d.eventType, d.attempts, d.error]);
        const cell = el('td');
        cell.append(button(d.retryRequested ? 'Retry pending' : 'Retry', async () => {
          await note('dead-letters-note', async () => {
            await api(`/projections/${encodeURIComponent(d.projection)}/dead-letters/${d.id}/retry`, { method: 'POST' });
            $('dead-letters-note').textContent = `Retry of dead letter ${d.id} (${d.projection}) requested.`;
          });
          await loadDeadLetters();
        }));
        row.append(cell);
        rows.push(row);
      }
    }
    $('dead-letters').tBodies[0].replaceChildren(...rows);
    if (!rows.length) $('dead-letters-note').textContent ||= 'No dead letters.';
  });
}

async function retryAllDeadLetters() {
  await note('dead-letters-note', async () => {
    let marked = 0;
    for (const p of (await api('/projections')).filter((x) => x.deadLetters > 0)) {
      marked += (await api(`/projections/${encodeURIComponent(p.name)}/dead-letters/retry`, { method: 'POST' })).marked;
    }
    $('dead-letters-note').textContent = `Retry of ${marked} dead letter(s) requested.`;
  });
  await loadDeadLetters();
}

async function loadSnapshots() {
  const id = $('snapshot-stream').value.trim();
  if (!id) return;
  await note('snapshots-note', async () => {
    const list = await api(`/streams/${encodeURIComponent(id)}/snapshots`);
    $('snapshots').tBodies[0].replaceChildren(...list.snapshots.map((s) => {
      const row = el('tr');
      cells(row, [s.version, s.position, s.aggregateType, s.schemaVersion, s.codec, s.storedBytes, s.createdAt]);
      return row;
    }));
    $('snapshots-note').textContent = list.snapshots.length ? `Newest first; a load uses version ${list.snapshots[0].version}.` : 'No snapshots for this stream.';
  });
}

async function deleteSnapshots() {
  const id = $('snapshot-stream').value.trim();
  if (!id) return;
  await note('snapshots-note', async () => {
    const result = await api(`/streams/${encodeURIComponent(id)}/snapshots`, { method: 'DELETE' });
    await loadSnapshots();
    $('snapshots-note').textContent = `Deleted ${result.deleted} snapshot(s); the events stay.`;
  });
}

async function loadTenants() {
  $('tenants-note').textContent = '';
  await note('tenants-note', async () => {
    const tenants = await api('/tenants');
    $('tenants').tBodies[0].replaceChildren(...tenants.map((t) => {
      const row = el('tr');
      cells(row, [t.tenant, t.suspended ? 'yes' : 'no', t.createdAt]);
      const cell = el('td');
      cell.append(button('Usage', () => loadUsage(t.tenant)));
      row.append(cell);
      return row;
    }));
    if (!tenants.length) $('tenants-note').textContent = 'No tenants are registered.';
  });
}

async function loadUsage(tenant) {
  await note('tenants-note', async () => {
    const usage = await api(`/tenants/${encodeURIComponent(tenant)}/usage`);
    $('usage-title').textContent = `Usage of ${usage.tenant}, ${usage.from} to ${usage.to} (storage now: ${usage.storageBytes} bytes)`;
    $('usage').tBodies[0].replaceChildren(...usage.days.slice().reverse().map((d) => {
      const row = el('tr');
      cells(row, [d.day, d.events, d.bytes, d.streams, d.reads]);
      return row;
    }));
  });
}

async function loadKeys() {
  await note('keys-note', async () => {
    const keys = await api('/keys');
    $('keys').tBodies[0].replaceChildren(...keys.map((k) => {
      const row = el('tr');
      row.dataset.key = k.id;
      const status = k.revokedAt ? 'revoked' : k.active ? 'active' : 'expired';
      cells(row, [k.id, k.role, k.scope || '(all)', k.tenant, k.expiresAt || 'never', k.lastUsedAt || 'never', status]);
      const cell = el('td');
      if (!k.revokedAt) {
        cell.append(button('Revoke', async () => {
          await note('keys-note', async () => {
            await api(`/keys/${k.id}`, { method: 'DELETE' });
            $('keys-note').textContent = `Key ${k.id} revoked.`;
          });
          await loadKeys();
        }));
      }
      row.append(cell);
      return row;
    }));
  });
}

async function createKey(event) {
  event.preventDefault();
  await note('keys-note', async () => {
    const body = { role: $('new-key-role').value };
    if ($('new-key-scope').value.trim()) body.scope = $('new-key-scope').value.trim();
    const created = await api('/keys', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    $('new-key').textContent = `New ${created.info.role} key (shown once, copy it now): ${created.key}`;
    $('keys-note').textContent = '';
    await loadKeys();
  });
}

async function loadAudit(from) {
  await note('audit-note', async () => {
    const query = new URLSearchParams({ from: String(from), limit: '100' });
    if ($('audit-actor').value.trim()) query.set('actor', $('audit-actor').value.trim());
    if ($('audit-outcome').value) query.set('outcome', $('audit-outcome').value);
    const page = await api(`/audit?${query}`);
    $('audit').tBodies[0].replaceChildren(...page.entries.map((e) => {
      const row = el('tr');
      cells(row, [e.position, e.time, e.actor, e.operation, e.streamId, e.outcome, e.errorType]);
      return row;
    }));
    admin.auditNext = page.next ?? null;
    $('audit-next').disabled = admin.auditNext === null;
    $('audit-note').textContent = page.entries.length ? '' : 'No matching entries on this page.';
  });
}

document.addEventListener('eventuali:login', (event) => {
  const isAdmin = event.detail.role === 'admin';
  $('admin-views').hidden = !isAdmin;
  if (!isAdmin) return;
  loadDeadLetters();
  loadTenants();
  loadKeys();
  loadAudit(1);
});

$('refresh-dead-letters').addEventListener('click', loadDeadLetters);
$('retry-all-dead-letters').addEventListener('click', retryAllDeadLetters);
$('snapshots-form').addEventListener('submit', (event) => { event.preventDefault(); loadSnapshots(); });
$('delete-snapshots').addEventListener('click', deleteSnapshots);
$('refresh-tenants').addEventListener('click', loadTenants);
$('refresh-keys').addEventListener('click', loadKeys);
$('key-form').addEventListener('submit', createKey);
$('audit-form').addEventListener('submit', (event) => { event.preventDefault(); loadAudit(1); });
$('audit-next').addEventListener('click', () => { if (admin.auditNext !== null) loadAudit(admin.auditNext); });
drawLatency();

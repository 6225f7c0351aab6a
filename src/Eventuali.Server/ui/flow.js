// Event-flow diagram: GET /diagram (the JSON of `eventuali diagram --format json`, only streams the caller may read)
// drawn as SVG in the page. Columns follow the flow (a node sits right of every node that leads to it, cycles
// aside); edges carry their counts; the slowest edges are drawn red and thick. Names go into the page as text only.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 190, H = 44, GAPX = 90, GAPY = 26, PAD = 20;
  const fills = { command: '#fff4d6', event: '#ddeeff', saga: '#e8f7e4', projection: '#f1e7fb' };
  const byId = (id) => document.getElementById(id);

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Longest-path depth from the sources; an edge that closes a cycle is ignored for placement.
  function columns(graph) {
    const depth = new Map(graph.nodes.map((n) => [n.id, 0]));
    for (let round = 0; round < graph.nodes.length; round++) {
      let moved = false;
      for (const e of graph.edges) {
        if (e.from === e.to) continue;
        const next = depth.get(e.from) + 1;
        if (next > depth.get(e.to) && next < graph.nodes.length) { depth.set(e.to, next); moved = true; }
      }
      if (!moved) break;
    }
    return depth;
  }

  function layout(graph) {
    const depth = columns(graph);
    const rows = new Map();
    const at = new Map();
    for (const n of graph.nodes) {
      const column = depth.get(n.id);
      const row = rows.get(column) || 0;
      rows.set(column, row + 1);
      at.set(n.id, { x: PAD + column * (W + GAPX), y: PAD + row * (H + GAPY) });
    }
    const width = PAD * 2 + (Math.max(0, ...depth.values()) + 1) * (W + GAPX) - GAPX;
    const height = PAD * 2 + Math.max(1, ...rows.values()) * (H + GAPY) - GAPY;
    return { at, width, height };
  }

  function latency(e) {
    return e.maxLatencyMs === undefined ? '' : ` · avg ${e.avgLatencyMs} ms · max ${e.maxLatencyMs} ms`;
  }

  function draw(graph) {
    const picture = byId('flow');
    const { at, width, height } = layout(graph);
    picture.setAttribute('viewBox', `0 0 ${width} ${height}`);
    picture.setAttribute('width', String(width));
    picture.setAttribute('height', String(height));
    const slow = new Set(graph.slowestEdges.map((e) => `${e.from}\u0000${e.to}`));
    const defs = svg('defs');
    for (const [id, colour] of [['flow-arrow', '#5b6875'], ['flow-arrow-slow', '#b42318']]) {
      const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10, orient: 'auto-start-reverse' });
      marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }));
      defs.append(marker);
    }
    const parts = [defs];
    for (const e of graph.edges) {
      const a = at.get(e.from), b = at.get(e.to);
      if (!a || !b) continue;
      const isSlow = slow.has(`${e.from}\u0000${e.to}`);
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      const bend = e.from === e.to || x2 <= x1 ? `C${x1 + 60},${y1 - 70} ${x2 - 60},${y2 - 70} ${x2},${y2}` : `C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
      const group = svg('g', { class: isSlow ? 'edge slow' : 'edge', 'data-from': e.from, 'data-to': e.to });
      group.append(svg('path', { d: `M${x1},${y1} ${bend}`, fill: 'none', stroke: isSlow ? '#b42318' : '#8a96a3', 'stroke-width': isSlow ? 3 : 1.5, 'marker-end': `url(#${isSlow ? 'flow-arrow-slow' : 'flow-arrow'})` }));
      group.append(svg('title', {}, `${e.from} → ${e.to}: ${e.count}${latency(e)}`));
      group.append(svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 5, 'text-anchor': 'middle', 'font-size': 11, fill: isSlow ? '#b42318' : '#1d2733' }, String(e.count)));
      parts.push(group);
    }
    for (const n of graph.nodes) {
      const p = at.get(n.id);
      const group = svg('g', { class: `node ${n.kind}`, 'data-id': n.id, transform: `translate(${p.x},${p.y})` });
      group.append(svg('rect', { width: W, height: H, rx: n.kind === 'event' ? 4 : 16, fill: fills[n.kind] || '#fff', stroke: '#5b6875' }));
      const label = n.kind === 'event' || n.kind === 'command' ? n.name : `${n.kind} ${n.name}`;
      group.append(svg('text', { x: W / 2, y: 18, 'text-anchor': 'middle', 'font-size': 12 }, label.length > 28 ? label.slice(0, 27) + '…' : label));
      group.append(svg('text', { x: W / 2, y: 35, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6875' }, `${n.kind} · ${n.count}`));
      group.append(svg('title', {}, `${n.id} (${n.count})`));
      parts.push(group);
    }
    picture.replaceChildren(...parts);
    const slowest = graph.slowestEdges.map((e) => `${e.from} → ${e.to} (max ${e.maxLatencyMs} ms)`).join('; ');
    byId('flow-note').textContent = `${graph.nodes.length} nodes, ${graph.edges.length} edges from ${graph.eventsRead} events.`
      + (slowest ? ` Slowest: ${slowest}.` : ' No timed hops (no causation ids).');
  }

  async function load() {
    const category = byId('flow-category').value.trim();
    byId('flow-note').textContent = 'Reading the log…';
    try {
      // api() (app.js) sends the logged-in key and turns Problem Details into errors.
      draw(await api(`/diagram${category ? '?category=' + encodeURIComponent(category) : ''}`));
    } catch (error) {
      byId('flow').replaceChildren();
      byId('flow-note').textContent = `Could not draw the diagram (${error.message}).`;
    }
  }

  byId('flow-form').addEventListener('submit', (event) => { event.preventDefault(); load(); });
})();

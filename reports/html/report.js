// litelint HTML report: draws the run embedded in #litelint-data. No network, no libraries.
// Data layout (reports/html_report.cc): the JSON report's documents (one per model) plus
// `graph` (a bounded sketch: graphs[{function, total, nodes: [[name, op, index, calls?]],
// edges: [[from, to, control]]}]) and `rules` (code -> {name, summary}).
'use strict';

(function () {
  const data = JSON.parse(document.getElementById('litelint-data').textContent);
  const SEVERITIES = ['error', 'warning', 'note'];
  const SEV_RANK = { error: 3, warning: 2, note: 1 };
  const VERDICT_TITLES = {
    'converts-with-builtins': 'Converts with TFLite builtins',
    'needs-select-tf-ops': 'Needs Select TF ops (Flex)',
    'needs-custom-ops': 'Needs custom ops',
    'fails': 'Conversion fails',
  };
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const NODE_W = 156;
  const NODE_H = 38;
  const GAP_X = 26;
  const GAP_Y = 46;
  const MAX_ROW = 24;  // nodes per drawn row

  // ---- small DOM helpers (textContent only: model strings never become markup) ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }
  function sevChip(sev) { return el('span', { class: 'sev sev-' + sev, text: sev }); }
  function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }
  function formatBytes(n) {
    if (!n) return '0 B';
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; ++i; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }
  // The graph a finding node lives in: its innermost function, "" for the main graph.
  function graphOf(node) {
    const p = node.path || [];
    return p.length >= 2 ? p[p.length - 2] : '';
  }

  const models = data.models || [];
  const runInfo = document.getElementById('run-info');
  runInfo.textContent = 'v' + ((data.tool && data.tool.version) || '?') + ' · target ' +
      (data.target || '?') + (data.allow_custom_ops ? ' + custom ops' : '') +
      ' · ' + models.length + (models.length === 1 ? ' model' : ' models');

  // ---- batch: a model picker and a summary table ----
  const picker = document.getElementById('model-picker');
  const select = document.getElementById('model-select');
  if (models.length > 1) {
    picker.hidden = false;
    models.forEach((m, i) => select.append(el('option', { value: i, text: m.model.path })));
    select.addEventListener('change', () => showModel(Number(select.value)));
    renderBatchSummary();
  }

  function renderBatchSummary() {
    const host = document.getElementById('batch-summary');
    host.hidden = false;
    const body = el('tbody');
    models.forEach((m, i) => {
      const c = m.summary || {};
      const row = el('tr', { 'data-model': i, onclick: () => { select.value = i; showModel(i); } },
          el('td', { class: 'mono', text: m.model.path }),
          el('td', { text: m.error ? 'unreadable' : m.verdict }),
          el('td', { class: 'num', text: m.error ? '' : c.errors }),
          el('td', { class: 'num', text: m.error ? '' : c.warnings }),
          el('td', { class: 'num', text: m.error ? '' : c.notes }),
          el('td', { class: 'oplist', text: m.plan ? m.plan.flex_ops.join(', ') : '' }));
      body.append(row);
    });
    host.append(el('div', { class: 'batch-table table-wrap' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'Model' }), el('th', { text: 'Verdict' }),
            el('th', { class: 'num', text: 'Errors' }), el('th', { class: 'num', text: 'Warnings' }),
            el('th', { class: 'num', text: 'Notes' }), el('th', { text: 'Flex ops' }))),
        body)));
  }

  // ---- one model ----
  let view = null;  // state of the shown model: findings, filters, graph

  function showModel(index) {
    const app = document.getElementById('app');
    app.replaceChildren();
    const m = models[index];
    if (!m) { app.append(el('p', { text: 'This report has no models.' })); return; }
    view = { model: m, selectedFinding: -1, graph: null };
    app.append(renderBanner(m));
    if (m.error) {
      app.append(el('section', { class: 'card' }, el('h2', { text: 'Could not read the model' }),
          el('div', { class: 'error-text', id: 'model-error', text: m.error })));
      return;
    }
    app.append(renderPlan(m));
    app.append(renderFindings(m));
    app.append(renderGraphSection(m));
    app.append(renderOps(m));
    applyFilters();
  }

  function renderBanner(m) {
    const verdict = m.error ? 'unreadable' : m.verdict;
    const c = m.summary || {};
    const banner = el('div', { class: 'banner verdict-' + verdict, id: 'banner', 'data-verdict': verdict },
        el('span', { class: 'verdict', text: m.error ? 'Unreadable model' : (VERDICT_TITLES[verdict] || verdict) }),
        el('span', { class: 'model-path', text: m.model.path }),
        m.error ? null : el('span', { class: 'counts',
            text: [plural(c.errors, 'error'), plural(c.warnings, 'warning'), plural(c.notes, 'note')].join(' · ') }));
    const facts = el('div', { class: 'facts' });
    if (m.model.format) facts.append(el('span', { text: 'format ' + m.model.format }));
    facts.append(el('span', { text: formatBytes(m.model.size) }));
    if (!m.error) {
      facts.append(el('span', { text: 'target ' + m.target + (m.allow_custom_ops ? ' + allow_custom_ops' : '') }));
      facts.append(el('span', { text: (m.converts ? 'converts' : 'does not convert') + ' under this target' }));
      facts.append(el('span', { text: `${c.nodes_checked} nodes, ${c.functions_checked} functions checked` }));
      if (c.baseline_suppressed) facts.append(el('span', { text: `${c.baseline_suppressed} baseline findings hidden` }));
    }
    if (m.model.sha256) facts.append(el('span', { class: 'mono', title: 'sha256', text: m.model.sha256.slice(0, 16) + '…' }));
    return el('div', {}, banner, facts);
  }

  function renderPlan(m) {
    const p = m.plan;
    const card = el('section', { class: 'card', id: 'plan' }, el('h2', { text: 'Fallback plan' }));
    const needsNothing = !p.flex_ops.length && !p.custom_ops.length && !p.converter_snippet;
    if (needsNothing) {
      card.append(el('div', { class: 'note-box good', text: 'No fallback needed: the default converter settings work.' }));
      return card;
    }
    const grid = el('div', { class: 'plan-grid' });
    const opList = (label, ops) => el('div', {}, el('div', { class: 'label', text: label }),
        el('div', { class: 'oplist' }, ...(ops.length ? ops.map((o) => el('code', { text: o })) : [el('span', { class: 'muted', text: 'none' })])));
    grid.append(opList('Select TF (Flex) ops', p.flex_ops));
    grid.append(opList('Custom ops', p.custom_ops));
    if (p.selective_build_ops.length) grid.append(opList('Selective Flex build', p.selective_build_ops));
    card.append(grid);
    for (const c of p.custom_op_details || []) {
      card.append(el('div', { class: 'suggestion' }, el('code', { text: c.name }), ': ' + c.reason));
    }
    if (p.converter_snippet) {
      card.append(el('h3', { text: 'Converter settings' }), el('pre', { class: 'snippet', id: 'converter-snippet', text: p.converter_snippet }));
    }
    if (p.custom_op_registration) {
      card.append(el('h3', { text: 'Custom op registration' }), el('pre', { class: 'snippet', text: p.custom_op_registration }));
    }
    if (p.binary_size_note || p.binary_size_mb) {
      const note = p.binary_size_note || `Adds about ${p.binary_size_mb} MB to the app.`;
      card.append(el('div', { class: 'note-box', id: 'size-note', text: note.charAt(0).toUpperCase() + note.slice(1) }));
    }
    card.append(el('div', { class: 'note-box' + (p.runs_in_play_services ? ' good' : ''), id: 'play-note',
        text: p.runs_in_play_services
          ? 'Runs with LiteRT in Google Play services.'
          : 'Does not run with LiteRT in Google Play services: it has no Flex delegate; bundle the LiteRT runtime with Select TF ops instead.' }));
    return card;
  }

  // ---- findings with filters ----
  function renderFindings(m) {
    const card = el('section', { class: 'card', id: 'findings' }, el('h2', { text: 'Findings' }));
    const findings = m.findings;
    if (!findings.length) {
      card.append(el('p', { class: 'muted', id: 'no-findings', text: 'No findings.' }));
      return card;
    }
    const filters = el('div', { class: 'filters' });
    for (const sev of SEVERITIES) {
      const n = findings.filter((f) => f.severity === sev).length;
      const box = el('input', { type: 'checkbox', class: 'sev-filter', value: sev, checked: true,
          disabled: n === 0, onchange: applyFilters });
      filters.append(el('label', { 'data-severity': sev }, box, ' ', sevChip(sev), ` ${n}`));
    }
    const codes = [...new Set(findings.map((f) => f.code))].sort();
    const codeSelect = el('select', { id: 'code-filter', onchange: applyFilters },
        el('option', { value: '', text: `all codes (${codes.length})` }),
        ...codes.map((code) => {
          const n = findings.filter((f) => f.code === code).length;
          const rule = (data.rules || {})[code];
          return el('option', { value: code, text: `${code}${rule ? ' ' + rule.name : ''} (${n})` });
        }));
    filters.append(el('label', {}, 'Code ', codeSelect));
    filters.append(el('span', { class: 'filter-count', id: 'finding-count' }));
    card.append(filters);

    const body = el('tbody', { id: 'finding-rows' });
    findings.forEach((f, i) => {
      const where = f.nodes.find((n) => n.source);
      const rule = (data.rules || {})[f.code];
      body.append(el('tr', { class: 'finding-row', 'data-index': i, 'data-severity': f.severity, 'data-code': f.code,
              title: rule ? rule.summary : '', onclick: () => selectFinding(i) },
          el('td', {}, sevChip(f.severity)),
          el('td', { class: 'mono', text: f.code }),
          el('td', {}, el('div', { text: f.message }), f.suggestion ? el('div', { class: 'suggestion', text: '→ ' + f.suggestion }) : null),
          el('td', { class: 'mono', text: f.op }),
          el('td', { class: 'num', text: f.nodes.length }),
          el('td', { class: 'mono', text: where ? `${where.source.file}:${where.source.line}` : '' })));
    });
    card.append(el('div', { class: 'table-wrap' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'Severity' }), el('th', { text: 'Code' }),
            el('th', { text: 'Message' }), el('th', { text: 'Op' }), el('th', { class: 'num', text: 'Nodes' }),
            el('th', { text: 'Source' }))),
        body)));
    return card;
  }

  function applyFilters() {
    const rows = document.querySelectorAll('tr.finding-row');
    if (!rows.length) return;
    const wanted = new Set([...document.querySelectorAll('input.sev-filter')]
        .filter((b) => b.checked).map((b) => b.value));
    const code = document.getElementById('code-filter').value;
    let shown = 0;
    rows.forEach((row) => {
      const visible = wanted.has(row.dataset.severity) && (!code || row.dataset.code === code);
      row.hidden = !visible;
      if (visible) ++shown;
    });
    document.getElementById('finding-count').textContent = `showing ${shown} of ${rows.length}`;
  }

  function selectFinding(index) {
    const f = view.model.findings[index];
    view.selectedFinding = index;
    document.querySelectorAll('tr.finding-row').forEach((r) =>
      r.classList.toggle('selected', Number(r.dataset.index) === index));
    const fn = f.nodes.length ? graphOf(f.nodes[0]) : '';
    const gi = view.graphs.findIndex((g) => g.function === fn);
    if (gi < 0) {
      setSide(el('p', { class: 'muted', text: 'This finding\'s graph is not part of the drawing (the report keeps large models bounded).' }));
      return;
    }
    if (view.graph !== gi) showGraph(gi);
    const names = new Set(f.nodes.filter((n) => graphOf(n) === fn).map((n) => n.name));
    highlight(names);
    const hit = view.drawn.nodes.filter((n) => names.has(n.name));
    if (hit.length) focusOn(hit);
    setSide(el('div', {}, el('div', {}, sevChip(f.severity), ' ', el('b', { text: f.code })),
        el('p', { text: f.message }), f.suggestion ? el('p', { class: 'suggestion', text: '→ ' + f.suggestion }) : null,
        el('p', { class: 'muted', text: `${hit.length} of ${f.nodes.length} nodes highlighted in ${fn || 'the main graph'}` })));
    document.getElementById('graph').scrollIntoView({ block: 'nearest' });
  }

  // ---- graph view ----
  function renderGraphSection(m) {
    const card = el('section', { class: 'card', id: 'graph' }, el('h2', { text: 'Graph' }));
    const sketch = m.graph || { graphs: [] };
    view.graphs = sketch.graphs;
    // Per graph: the worst severity of each node, from every finding.
    view.nodeSeverity = sketch.graphs.map(() => new Map());
    view.nodeFindings = sketch.graphs.map(() => new Map());
    const indexOf = new Map(sketch.graphs.map((g, i) => [g.function, i]));
    m.findings.forEach((f, fi) => {
      for (const n of f.nodes) {
        const gi = indexOf.get(graphOf(n));
        if (gi === undefined) continue;
        const sev = view.nodeSeverity[gi];
        const prev = sev.get(n.name);
        if (!prev || SEV_RANK[f.severity] > SEV_RANK[prev]) sev.set(n.name, f.severity);
        const list = view.nodeFindings[gi].get(n.name) || [];
        list.push(fi);
        view.nodeFindings[gi].set(n.name, list);
      }
    });
    if (!sketch.graphs.length) {
      card.append(el('p', { class: 'muted', text: 'No graph to draw.' }));
      return card;
    }
    const graphSelect = el('select', { id: 'graph-select', onchange: (e) => showGraph(Number(e.target.value)) },
        ...sketch.graphs.map((g, i) => {
          const bad = view.nodeSeverity[i].size;
          const label = (g.function || 'main graph') + ` — ${g.total} nodes` +
              (g.nodes.length < g.total ? ` (${g.nodes.length} drawn)` : '') + (bad ? ` — ${bad} flagged` : '');
          return el('option', { value: i, text: label });
        }));
    const legend = el('span', { class: 'legend' },
        ...SEVERITIES.map((s) => el('span', {}, el('i', { style: `background: var(--${s})` }), s)),
        el('span', {}, el('i', { style: 'border: 2px solid #6f42c1' }), 'selected finding'));
    card.append(el('div', { class: 'graph-head' }, el('label', {}, 'Graph ', graphSelect),
        el('button', { type: 'button', id: 'graph-fit', onclick: () => fit() }, 'Fit'),
        el('button', { type: 'button', onclick: () => { highlight(new Set()); } }, 'Clear highlight'), legend));
    if (sketch.omitted_graphs) {
      card.append(el('p', { class: 'muted', text: `${sketch.omitted_graphs} more function bodies are not drawn (size limit).` }));
    }
    const canvas = el('div', { class: 'graph-canvas', id: 'graph-canvas' });
    const side = el('div', { class: 'graph-side', id: 'graph-side' },
        el('p', { class: 'muted', text: 'Click a finding to highlight its nodes, or a node to see its findings. Drag to pan, wheel to zoom.' }));
    card.append(el('div', { class: 'graph-layout' }, canvas, side));
    // The first graph with findings is the interesting one (TF2 main graphs are just a call).
    const first = view.nodeSeverity.findIndex((s) => s.size > 0);
    queueMicrotask(() => { graphSelect.value = String(Math.max(first, 0)); showGraph(Math.max(first, 0)); });
    return card;
  }

  function setSide(content) {
    const side = document.getElementById('graph-side');
    if (side) side.replaceChildren(content);
  }

  // Longest-path layering (cycles from TF1 loops are broken at the first back edge found by
  // Kahn's algorithm), then a few barycentre sweeps to reduce crossings.
  function layout(g) {
    const n = g.nodes.length;
    const preds = Array.from({ length: n }, () => []);
    const succs = Array.from({ length: n }, () => []);
    for (const [a, b] of g.edges) {
      if (a === b || a >= n || b >= n) continue;
      preds[b].push(a);
      succs[a].push(b);
    }
    const indeg = preds.map((p) => p.length);
    const done = new Uint8Array(n);
    const layer = new Int32Array(n);
    const queue = [];
    for (let i = 0; i < n; ++i) if (indeg[i] === 0) queue.push(i);
    let processed = 0;
    let scan = 0;
    while (processed < n) {
      if (!queue.length) {
        // A cycle: release the earliest unprocessed node as if its open inputs were back edges.
        while (done[scan]) ++scan;
        indeg[scan] = 0;
        queue.push(scan);
      }
      const v = queue.shift();
      if (done[v]) continue;
      done[v] = 1;
      ++processed;
      let l = 0;
      for (const p of preds[v]) if (done[p]) l = Math.max(l, layer[p] + 1);
      layer[v] = l;
      for (const s of succs[v]) if (!done[s] && --indeg[s] === 0) queue.push(s);
    }
    // Sources (constants, variables, placeholders) sit just above their first consumer
    // instead of all crowding the top layer.
    for (let i = 0; i < n; ++i) {
      if (preds[i].length || !succs[i].length) continue;
      let l = Infinity;
      for (const s of succs[i]) l = Math.min(l, layer[s]);
      layer[i] = Math.max(0, l - 1);
    }
    const layers = [];
    for (let i = 0; i < n; ++i) (layers[layer[i]] = layers[layer[i]] || []).push(i);
    for (let i = 0; i < layers.length; ++i) layers[i] = layers[i] || [];
    const pos = new Float64Array(n);
    const reindex = (row) => row.forEach((v, i) => { pos[v] = i; });
    layers.forEach(reindex);
    const sweep = (row, neighbours) => {
      const key = new Map();
      for (const v of row) {
        const ns = neighbours[v];
        key.set(v, ns.length ? ns.reduce((s, u) => s + pos[u], 0) / ns.length : pos[v]);
      }
      row.sort((a, b) => key.get(a) - key.get(b) || a - b);
      reindex(row);
    };
    for (let iter = 0; iter < 4; ++iter) {
      for (let i = 1; i < layers.length; ++i) sweep(layers[i], preds);
      for (let i = layers.length - 2; i >= 0; --i) sweep(layers[i], succs);
    }
    // A very wide layer (hundreds of Assign ops of a training graph) wraps into several rows.
    const xy = new Array(n);
    let y = 0;
    for (const row of layers) {
      for (let start = 0; start < row.length; start += MAX_ROW) {
        const part = row.slice(start, start + MAX_ROW);
        part.forEach((v, i) => {
          xy[v] = { x: (i - (part.length - 1) / 2) * (NODE_W + GAP_X), y };
        });
        y += NODE_H + (start + MAX_ROW < row.length ? GAP_Y / 3 : GAP_Y);
      }
    }
    return { xy, height: y };
  }

  function shortName(name) {
    const tail = name.split('/').pop();
    return tail.length > 24 ? tail.slice(0, 23) + '…' : tail;
  }

  function showGraph(gi) {
    view.graph = gi;
    const g = view.graphs[gi];
    const select = document.getElementById('graph-select');
    if (select) select.value = String(gi);
    const canvas = document.getElementById('graph-canvas');
    const nodes = g.nodes.map(([name, op, index, calls]) => ({ name, op, index, calls: calls || [] }));
    const { xy } = layout({ nodes, edges: g.edges });
    const root = svg('svg', { id: 'graph-svg', 'data-graph': g.function || 'main' });
    const scene = svg('g', { class: 'scene' });
    const edgeLayer = svg('g', { class: 'edges' });
    const nodeLayer = svg('g', { class: 'nodes' });
    const drawnEdges = [];
    for (const [a, b, control] of g.edges) {
      if (!xy[a] || !xy[b]) continue;
      const x1 = xy[a].x + NODE_W / 2;
      const y1 = xy[a].y + NODE_H;
      const x2 = xy[b].x + NODE_W / 2;
      const y2 = xy[b].y;
      const dy = Math.max(20, (y2 - y1) / 2);
      const path = svg('path', { class: 'edge' + (control ? ' control' : ''),
          d: `M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2}` });
      edgeLayer.append(path);
      drawnEdges.push({ a, b, path });
    }
    const sev = view.nodeSeverity[gi];
    nodes.forEach((n, i) => {
      const s = sev.get(n.name);
      const group = svg('g', { class: 'node' + (s ? ' sev-' + s : '') + (n.calls.length ? ' calls' : ''),
          transform: `translate(${xy[i].x},${xy[i].y})`, 'data-name': n.name });
      group.append(svg('rect', { width: NODE_W, height: NODE_H }));
      const op = svg('text', { x: 8, y: 15 });
      op.textContent = n.op.length > 22 ? n.op.slice(0, 21) + '…' : n.op;
      const name = svg('text', { x: 8, y: 30, class: 'name' });
      name.textContent = shortName(n.name);
      const title = svg('title');
      title.textContent = `${n.name} (${n.op})`;
      group.append(op, name, title);
      group.addEventListener('click', (e) => { e.stopPropagation(); selectNode(i); });
      group.addEventListener('dblclick', (e) => {
        e.stopPropagation();
        if (n.calls.length) showGraph(n.calls[0]);
      });
      n.el = group;
      nodeLayer.append(group);
    });
    scene.append(edgeLayer, nodeLayer);
    root.append(scene);
    canvas.replaceChildren(root);
    view.drawn = { nodes, xy, edges: drawnEdges, svg: root, scene, zoom: { x: 0, y: 0, k: 1 } };
    attachPanZoom(canvas);
    fit();
  }

  function selectNode(i) {
    const d = view.drawn;
    const n = d.nodes[i];
    d.nodes.forEach((m, j) => m.el.classList.toggle('selected', j === i));
    d.edges.forEach((e) => e.path.classList.toggle('lit', e.a === i || e.b === i));
    const found = (view.nodeFindings[view.graph].get(n.name) || []).map((fi) => view.model.findings[fi]);
    const side = el('div', {}, el('div', { class: 'mono', text: n.name }),
        el('p', {}, 'op ', el('b', { text: n.op })));
    if (n.calls.length) {
      side.append(el('p', {}, 'calls ', ...n.calls.map((gi) => el('button', { type: 'button',
          onclick: () => showGraph(gi), text: view.graphs[gi].function }))));
    }
    if (!found.length) side.append(el('p', { class: 'muted', text: 'No findings on this node.' }));
    for (const f of found) {
      side.append(el('p', {}, sevChip(f.severity), ' ', el('b', { text: f.code }), ' ' + f.cause));
    }
    setSide(side);
  }

  function highlight(names) {
    const d = view.drawn;
    if (!d) return;
    let count = 0;
    for (const n of d.nodes) {
      const on = names.has(n.name);
      n.el.classList.toggle('highlight', on);
      if (on) ++count;
    }
    d.svg.classList.toggle('dimmed', count > 0);
    d.svg.setAttribute('data-highlighted', String(count));
  }

  // ---- pan and zoom: one transform on the scene group ----
  function applyZoom() {
    const z = view.drawn.zoom;
    view.drawn.scene.setAttribute('transform', `translate(${z.x},${z.y}) scale(${z.k})`);
  }
  function fitBox(box) {
    const canvas = document.getElementById('graph-canvas');
    const w = canvas.clientWidth || 800;
    const h = canvas.clientHeight || 560;
    const k = Math.min(1.5, Math.max(0.02, Math.min(w / (box.w + 40), h / (box.h + 40))));
    const z = view.drawn.zoom;
    z.k = k;
    z.x = w / 2 - (box.x + box.w / 2) * k;
    z.y = h / 2 - (box.y + box.h / 2) * k;
    applyZoom();
  }
  function boxOf(nodes) {
    const xy = view.drawn.xy;
    let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
    for (const n of nodes) {
      const i = view.drawn.nodes.indexOf(n);
      x0 = Math.min(x0, xy[i].x); y0 = Math.min(y0, xy[i].y);
      x1 = Math.max(x1, xy[i].x + NODE_W); y1 = Math.max(y1, xy[i].y + NODE_H);
    }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  function fit() {
    if (!view.drawn || !view.drawn.nodes.length) return;
    fitBox(boxOf(view.drawn.nodes));
  }
  function focusOn(nodes) {
    const box = boxOf(nodes);
    // Keep some context around a single node instead of zooming onto it alone.
    const pad = 3 * (NODE_W + GAP_X);
    fitBox({ x: box.x - pad, y: box.y - pad / 2, w: box.w + 2 * pad, h: box.h + pad });
  }
  function attachPanZoom(canvas) {
    if (canvas.dataset.panzoom) return;
    canvas.dataset.panzoom = '1';
    let drag = null;
    canvas.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, y: e.clientY, zx: view.drawn.zoom.x, zy: view.drawn.zoom.y };
      canvas.classList.add('dragging');
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      view.drawn.zoom.x = drag.zx + e.clientX - drag.x;
      view.drawn.zoom.y = drag.zy + e.clientY - drag.y;
      applyZoom();
    });
    window.addEventListener('mouseup', () => { drag = null; canvas.classList.remove('dragging'); });
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const z = view.drawn.zoom;
      const r = canvas.getBoundingClientRect();
      const mx = e.clientX - r.left;
      const my = e.clientY - r.top;
      const k = Math.min(4, Math.max(0.02, z.k * Math.exp(-e.deltaY * 0.0015)));
      z.x = mx - (mx - z.x) * (k / z.k);
      z.y = my - (my - z.y) * (k / z.k);
      z.k = k;
      applyZoom();
    }, { passive: false });
  }

  // ---- op table ----
  function renderOps(m) {
    const card = el('section', { class: 'card', id: 'ops' }, el('h2', { text: `Ops (${m.op_stats.length} types)` }));
    const body = el('tbody');
    for (const op of m.op_stats) {
      body.append(el('tr', { class: 'op-row' },
          el('td', { class: 'mono', text: op.op }),
          el('td', { class: 'num', text: op.count }),
          el('td', { class: 'status-' + op.status, text: op.status }),
          el('td', { class: 'mono', text: op.builtins.join(', ') }),
          el('td', { text: op.flex_allowlisted ? 'yes' : '' })));
    }
    card.append(el('div', { class: 'table-wrap' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'Op' }), el('th', { class: 'num', text: 'Count' }),
            el('th', { text: 'TFLite status' }), el('th', { text: 'Builtins' }), el('th', { text: 'Flex allowlist' }))),
        body)));
    return card;
  }

  // Batch reports open on the first model with findings, single reports on their model.
  let start = models.findIndex((m) => !m.error && m.findings && m.findings.length);
  if (start < 0) start = 0;
  if (models.length > 1) select.value = String(start);
  showModel(start);
})();

// litelint HTML report: draws the run embedded in #litelint-data. No network, no libraries;
// the graph view is LitelintGraph (graph.js, inlined before this file).
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
          el('td', { class: 'num', text: m.footprint ? formatCount(m.footprint.macs) : '' }),
          el('td', { class: 'num', text: m.footprint ? formatBytes(m.footprint.weight_bytes) : '' }),
          el('td', { class: 'num', text: m.footprint ? formatBytes(m.footprint.peak_activation_bytes) : '' }),
          el('td', { class: 'oplist', text: m.plan ? m.plan.flex_ops.join(', ') : '' }));
      body.append(row);
    });
    host.append(el('div', { class: 'batch-table table-wrap' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'Model' }), el('th', { text: 'Verdict' }),
            el('th', { class: 'num', text: 'Errors' }), el('th', { class: 'num', text: 'Warnings' }),
            el('th', { class: 'num', text: 'Notes' }), el('th', { class: 'num', text: 'MACs' }),
            el('th', { class: 'num', text: 'Weights' }), el('th', { class: 'num', text: 'Peak activations' }),
            el('th', { text: 'Flex ops' }))),
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
    if (m.footprint) app.append(renderFootprint(m.footprint));
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

  // ---- footprint: sizes and costs ----
  function formatCount(n) {
    const units = ['', ' k', ' M', ' G', ' T'];
    let v = n, u = 0;
    while (v >= 1000 && u + 1 < units.length) { v /= 1000; u++; }
    return u === 0 ? String(n) : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0) + units[u];
  }

  function renderFootprint(fp) {
    const card = el('section', { class: 'card', id: 'footprint' }, el('h2', { text: 'Footprint' }));
    const unknown = fp.macs_unknown_dim_ops ? ` (unknown dims counted as 1 in ${fp.macs_unknown_dim_ops} ops)` : '';
    const facts = el('div', { class: 'facts' },
        el('span', { text: formatCount(fp.parameters) + ' parameters' }),
        el('span', { text: formatBytes(fp.weight_bytes) + ' of weights' }),
        el('span', { text: '.tflite about ' + formatBytes(fp.tflite_bytes_estimate) }),
        el('span', { id: 'footprint-macs', text: formatCount(fp.macs) + ' MACs' + unknown }),
        el('span', { text: 'peak activations ' + formatBytes(fp.peak_activation_bytes) +
            (fp.peak_at ? ' at ' + fp.peak_at : '') }));
    card.append(facts);
    const table = (title, head, rows) => el('div', { class: 'table-wrap' }, el('h3', { text: title }),
        el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { class: i >= 3 ? 'num' : '', text: h })))),
            el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((v, i) => el('td', { class: i === 0 ? 'mono' : i >= 3 ? 'num' : '', text: v })))))));
    card.append(table('Top ops by MACs', ['Node', 'Op', 'Shape', 'MACs'],
        fp.top_ops.map((t) => [t.node, t.op, t.shape, formatCount(t.macs)])));
    card.append(table('Largest tensors', ['Tensor', 'Op', 'Shape', 'Bytes'],
        fp.largest_tensors.map((t) => [t.tensor, t.op, t.shape, formatBytes(t.bytes)])));
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
      const source = where ? `${where.source.file}:${where.source.line}` : '';
      const rule = (data.rules || {})[f.code];
      body.append(el('tr', { class: 'finding-row', 'data-index': i, 'data-severity': f.severity, 'data-code': f.code,
              title: rule ? rule.summary : '', onclick: () => selectFinding(i) },
          el('td', {}, sevChip(f.severity)),
          el('td', { class: 'mono', text: f.code }),
          el('td', {}, el('div', { text: f.message }), f.suggestion ? el('div', { class: 'suggestion', text: '→ ' + f.suggestion }) : null),
          el('td', { class: 'mono clip', title: f.op, text: f.op }),
          el('td', { class: 'num', text: f.nodes.length }),
          el('td', { class: 'mono clip', title: source || null, text: source })));
    });
    // Fixed columns: a long node name wraps inside the message instead of widening the table.
    card.append(el('div', { class: 'table-wrap' }, el('table', { class: 'findings' },
        el('colgroup', {}, ...['sev', 'code', 'message', 'op', 'count', 'source'].map((c) => el('col', { class: 'c-' + c }))),
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
    if (!view.graph) return;
    const units = f.nodes.map((n) => view.graph.find(graphOf(n), n.name)).filter((u) => u);
    if (!units.length) {
      view.graph.clearHighlight();
      setSide(el('p', { class: 'muted', text: 'This finding\'s nodes are not part of the drawing (the report keeps large models bounded).' }));
      return;
    }
    view.graph.show(units);
    const side = el('div', {}, el('div', {}, sevChip(f.severity), ' ', el('b', { text: f.code })),
        el('p', { text: f.message }), f.suggestion ? el('p', { class: 'suggestion', text: '→ ' + f.suggestion }) : null,
        el('p', { class: 'muted', text: `${units.length} of ${f.nodes.length} nodes highlighted:` }));
    side.append(nodeList(units));
    setSide(side);
    document.getElementById('graph').scrollIntoView({ block: 'nearest' });
  }

  // Buttons that centre one node each (the drawing may not hold all of them legibly).
  function nodeList(units) {
    return el('ul', { class: 'node-list' }, ...units.map((u) => el('li', {},
        el('button', { type: 'button', class: 'link mono', title: u.name,
            onclick: () => { view.graph.show([u]); view.graph.select(u); } }, u.name))));
  }

  // ---- graph view ----
  function renderGraphSection(m) {
    const card = el('section', { class: 'card', id: 'graph' }, el('h2', { text: 'Graph' }));
    const sketch = m.graph || { graphs: [] };
    const graphs = sketch.graphs;
    // Per graph: the worst severity of each node, from every finding.
    const nodeSeverity = graphs.map(() => new Map());
    view.nodeFindings = graphs.map(() => new Map());
    const indexOf = new Map();
    graphs.forEach((g, i) => { if (!indexOf.has(g.function)) indexOf.set(g.function, i); });
    m.findings.forEach((f, fi) => {
      for (const n of f.nodes) {
        const gi = indexOf.get(graphOf(n));
        if (gi === undefined) continue;
        const sev = nodeSeverity[gi];
        const prev = sev.get(n.name);
        if (!prev || SEV_RANK[f.severity] > SEV_RANK[prev]) sev.set(n.name, f.severity);
        const list = view.nodeFindings[gi].get(n.name) || [];
        list.push(fi);
        view.nodeFindings[gi].set(n.name, list);
      }
    });
    if (!graphs.length) {
      card.append(el('p', { class: 'muted', text: 'No graph to draw.' }));
      return card;
    }
    const graphSelect = el('select', { id: 'graph-select', title: 'Open a function body',
        onchange: (e) => { if (e.target.value !== '') view.graph.showGraph(Number(e.target.value)); e.target.value = ''; } },
        el('option', { value: '', text: `Go to a graph (${graphs.length})` }),
        ...graphs.map((g, i) => {
          const bad = nodeSeverity[i].size;
          const label = (g.function || 'main graph') + ` — ${g.total} nodes` +
              (g.nodes.length < g.total ? ` (${g.nodes.length} drawn)` : '') + (bad ? ` — ${bad} flagged` : '');
          return el('option', { value: i, text: label });
        }));
    const search = el('input', { type: 'search', id: 'graph-search', placeholder: 'Find node by name or op…',
        autocomplete: 'off', spellcheck: 'false' });
    const searchCount = el('span', { class: 'muted', id: 'graph-search-count' });
    let hits = [];
    let hitAt = -1;
    const runSearch = () => {
      hits = view.graph.search(search.value);
      hitAt = -1;
      searchCount.textContent = search.value.trim() ? `${hits.length} ${hits.length === 1 ? 'match' : 'matches'}` : '';
      if (!search.value.trim()) return;
      const side = el('div', {}, el('p', {}, el('b', { text: plural(hits.length, 'node') }), ` named like “${search.value.trim()}” (or of that op)` +
          (hits.length > 50 ? ' (first 50)' : '') + '. Enter steps through them.'));
      side.append(nodeList(hits.slice(0, 50)));
      setSide(side);
    };
    search.addEventListener('input', runSearch);
    search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (!hits.length) return;
      hitAt = (hitAt + 1) % hits.length;
      view.graph.show([hits[hitAt]]);
      view.graph.select(hits[hitAt]);
      searchCount.textContent = `${hitAt + 1} of ${hits.length}`;
    });
    const button = (id, label, title, onclick) => el('button', { type: 'button', id, title, onclick }, label);
    const legend = el('span', { class: 'legend' },
        ...SEVERITIES.map((s) => el('span', {}, el('i', { style: `background: var(--${s})` }), s)),
        el('span', {}, el('i', { style: 'border: 2px solid #6f42c1' }), 'highlighted'),
        el('span', {}, el('i', { class: 'stack' }), 'group (click to open)'));
    card.append(el('div', { class: 'graph-head' }, search, searchCount,
        button('graph-flagged', 'Flagged', 'Centre the flagged nodes', () => view.graph.focusFlagged()),
        button('graph-fit', 'Fit', 'Show the whole drawing', () => view.graph.fitAll()),
        button('graph-zoom-in', '+', 'Zoom in', () => view.graph.zoomBy(1.25)),
        button('graph-zoom-out', '−', 'Zoom out', () => view.graph.zoomBy(0.8)),
        button('graph-collapse', 'Collapse all', 'Close every group', () => view.graph.collapseAll()),
        button('graph-clear', 'Clear highlight', '', () => view.graph.clearHighlight()),
        graphSelect));
    card.append(el('div', { class: 'graph-head' }, legend));
    if (sketch.omitted_graphs) {
      card.append(el('p', { class: 'muted', text: `${sketch.omitted_graphs} more function bodies are not drawn (size limit).` }));
    }
    const canvas = el('div', { class: 'graph-canvas', id: 'graph-canvas' });
    const side = el('div', { class: 'graph-side', id: 'graph-side' },
        el('p', { class: 'muted', text: 'Click a finding to show its nodes, a group to open or close it, a node to see its findings. Drag to pan, wheel to zoom.' }));
    card.append(el('div', { class: 'graph-layout' }, canvas, side));
    // Drawn once the card is in the page, so the canvas has its size.
    queueMicrotask(() => {
      view.graph = LitelintGraph.create(canvas, {
        graphs,
        severityOf: (gi, name) => nodeSeverity[gi].get(name) || null,
        onSelect: selectNode,
      });
    });
    return card;
  }

  function setSide(content) {
    const side = document.getElementById('graph-side');
    if (side) side.replaceChildren(content);
  }

  function selectNode(u) {
    const found = (view.nodeFindings[u.gi].get(u.name) || []).map((fi) => view.model.findings[fi]);
    const side = el('div', {}, el('div', { class: 'mono', text: u.name }),
        el('p', {}, 'op ', el('b', { text: u.op }), el('span', { class: 'muted', text: ` · node ${u.index} of ${view.model.graph.graphs[u.gi].function || 'the main graph'}` })));
    const callees = view.graph.calleesOf(u);
    const calls = (view.model.graph.graphs[u.gi].nodes[u.ni][3] || []);
    if (calls.length) {
      side.append(el('p', {}, 'calls ', ...calls.map((gi) => el('button', { type: 'button', class: 'link mono',
          onclick: () => view.graph.showGraph(gi), text: view.model.graph.graphs[gi].function }))));
      if (callees.length && !view.graph.isOpen(u)) {
        side.append(el('button', { type: 'button', onclick: () => view.graph.expand(u) }, 'Open the body here'));
      }
    }
    const near = view.graph.neighbours(u);
    if (near.length) {
      side.append(el('p', {}, el('button', { type: 'button', id: 'graph-neighbours',
          onclick: () => view.graph.openNeighbours(u) }, `Show its ${plural(near.length, 'neighbour')}`),
          el('span', { class: 'muted', text: ' (opens the groups they are in)' })));
    }
    if (!found.length) side.append(el('p', { class: 'muted', text: 'No findings on this node.' }));
    for (const f of found) {
      side.append(el('p', {}, sevChip(f.severity), ' ', el('b', { text: f.code }), ' ' + f.cause));
    }
    setSide(side);
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

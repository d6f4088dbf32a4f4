// litelint HTML report, graph view: the model's sketched graphs as one tree of expandable
// groups (name scopes, and function bodies under the node that calls them), laid out one
// expanded group at a time, drawn as SVG with pan, zoom and search. No libraries.
//
// Why groups: a real model has hundreds of nodes per function; drawn flat they make a sliver
// nobody can read. Collapsed groups keep the drawing to what the reader opened, and only an
// expanded group's children are ever laid out (cached until something inside it changes).
'use strict';

const LitelintGraph = (function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const LEAF_W = 170;
  const LEAF_H = 40;
  const GROUP_W = 196;
  const GROUP_H = 46;
  const GAP_X = 24;
  const GAP_Y = 40;
  const PAD = 14;
  const HEADER = 24;
  const MAX_ROW_W = 1500;  // a wider layer wraps into several rows
  const LEGIBLE = 0.75;  // smallest zoom at which a focused node's labels stay readable
  const MAX_ZOOM = 1.25;
  const MAX_CHILDREN = 150;  // a group with more direct children is split into parts
  const PART = 80;
  const OPEN_BUDGET = 140;  // visible units the first view may open to show context
  const SEV_RANK = { error: 3, warning: 2, note: 1 };

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }
  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '…' : text; }
  function worse(a, b) { return !a ? b : !b ? a : (SEV_RANK[b] > SEV_RANK[a] ? b : a); }

  // ---- the tree: root > scopes / call nodes > ... > leaves ----
  // unit: { id, kind: 'root'|'scope'|'fn'|'leaf'|'call', label, title, parent, children,
  //         gi, ni, op, name, expanded, depth, count, flagged, sev, edges, cache }
  function buildTree(graphs, severityOf) {
    let nextId = 0;
    const unit = (kind, parent, props) => {
      const u = Object.assign({ id: 'u' + (nextId++), kind, parent, children: [], expanded: false,
          count: 0, flagged: 0, sev: null, edges: [], cache: null }, props);
      if (parent) parent.children.push(u);
      return u;
    };
    const root = unit('root', null, { label: '', expanded: true });
    const leafOf = graphs.map((g) => new Array(g.nodes.length));
    // Each function body hangs under its first caller; graphs come in the order lint walked
    // them (callers before callees), so only a call to a later graph can host it: no cycles.
    const host = graphs.map(() => null);
    const hosted = new Map();  // "gi:ni" -> callee graph indices
    graphs.forEach((g, gi) => g.nodes.forEach((n, ni) => {
      for (const callee of n[3] || []) {
        if (callee > gi && callee < graphs.length && !host[callee]) {
          host[callee] = [gi, ni];
          const key = gi + ':' + ni;
          hosted.set(key, (hosted.get(key) || []).concat([callee]));
        }
      }
    }));
    const containers = graphs.map(() => null);
    graphs.forEach((g, gi) => {
      let into = root;
      if (gi > 0 || g.function) {
        if (host[gi]) {
          const call = leafOf[host[gi][0]][host[gi][1]];
          call.kind = 'call';
          const callees = hosted.get(host[gi].join(':'));
          into = callees.length > 1 ? unit('fn', call, { label: 'ƒ ' + g.function, title: g.function }) : call;
        } else {
          into = unit('fn', root, { label: 'ƒ ' + g.function, title: g.function });
        }
      }
      into.gi = gi;
      containers[gi] = into;
      addScopes(g, gi, into);
    });

    // Name scopes as a trie; a scope with a single node becomes that node, and a chain of
    // scopes with nothing else in them becomes one group ("model/encoder/layer_0").
    function addScopes(g, gi, into) {
      const trie = { kids: new Map(), leaves: [], total: 0, first: 0 };
      g.nodes.forEach((n, ni) => {
        const parts = n[0].split('/');
        parts.pop();
        let t = trie;
        t.total++;
        for (const p of parts) {
          let k = t.kids.get(p);
          if (!k) { k = { seg: p, kids: new Map(), leaves: [], total: 0, first: ni }; t.kids.set(p, k); }
          t = k;
          t.total++;
        }
        t.leaves.push(ni);
      });
      const makeLeaf = (ni, parent) => {
        const [name, op, index] = g.nodes[ni];
        const u = unit('leaf', parent, { label: name.split('/').pop(), title: name, name, op, index, gi, ni });
        leafOf[gi][ni] = u;
        return u;
      };
      const place = (item, parent, prefix) => {
        if (item.k === undefined) { makeLeaf(item.ni, parent); return; }
        let k = item.k;
        let label = k.seg;
        if (k.total === 1) {
          while (!k.leaves.length) k = [...k.kids.values()][0];
          makeLeaf(k.leaves[0], parent);
          return;
        }
        while (!k.leaves.length && k.kids.size === 1) {
          k = [...k.kids.values()][0];
          label += '/' + k.seg;
        }
        const scope = unit('scope', parent, { label, title: prefix + label, gi });
        fill(k, scope, prefix + label + '/');
      };
      const fill = (t, parent, prefix) => {
        const items = [...t.kids.values()].map((k) => ({ first: k.first, k }))
            .concat(t.leaves.map((ni) => ({ first: ni, ni })));
        items.sort((a, b) => a.first - b.first);
        if (items.length <= MAX_CHILDREN) {
          for (const item of items) place(item, parent, prefix);
          return;
        }
        // A flat scope (a TF1 graph without name scopes) is cut into runs of graph order,
        // which is close to topological order, so no layout ever sees thousands of nodes.
        for (let a = 0; a < items.length; a += PART) {
          const b = Math.min(items.length, a + PART);
          const part = unit('scope', parent, { label: `part ${a / PART + 1} of ${Math.ceil(items.length / PART)}`,
              title: `${prefix || 'top level'}: items ${a + 1}–${b} of ${items.length} in graph order`, gi });
          for (let i = a; i < b; ++i) place(items[i], part, prefix);
        }
      };
      fill(trie, into, '');
    }

    // Depths, subtree counts and the worst severity below each group.
    const all = [];
    (function walk(u, depth) {
      u.depth = depth;
      all.push(u);
      for (const c of u.children) walk(c, depth + 1);
    })(root, 0);
    for (let i = all.length - 1; i >= 0; --i) {
      const u = all[i];
      if (u.kind === 'leaf' || u.kind === 'call') {
        u.count += 1;
        u.ownSev = severityOf(u.gi, u.name);
        if (u.ownSev) { u.flagged += 1; u.sev = worse(u.sev, u.ownSev); }
      }
      if (u.parent) {
        u.parent.count += u.count;
        u.parent.flagged += u.flagged;
        u.parent.sev = worse(u.parent.sev, u.sev);
      }
    }

    // Every edge belongs to the innermost group holding both ends; that group's layout sees
    // it between the two children the ends sit in. Computed once: it never changes.
    const leafEdges = [];
    graphs.forEach((g, gi) => {
      for (const [a, b, control] of g.edges) {
        const ua = leafOf[gi][a];
        const ub = leafOf[gi][b];
        if (!ua || !ub || ua === ub) continue;
        leafEdges.push([ua, ub, control]);
        let x = ua;
        let y = ub;
        let cx = null;
        let cy = null;
        while (x.depth > y.depth) { cx = x; x = x.parent; }
        while (y.depth > x.depth) { cy = y; y = y.parent; }
        while (x !== y) { cx = x; cy = y; x = x.parent; y = y.parent; }
        if (cx && cy) x.edges.push([cx, cy]);
      }
    });
    for (const u of all) {
      if (!u.edges.length) continue;
      const index = new Map(u.children.map((c, i) => [c, i]));
      const seen = new Set();
      const out = [];
      for (const [cx, cy] of u.edges) {
        const key = index.get(cx) + '>' + index.get(cy);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([index.get(cx), index.get(cy)]);
      }
      u.edges = out;
    }
    return { root, all, leafOf, containers, leafEdges };
  }

  // ---- layout of one expanded group's children ----
  // Longest-path layering (cycles from TF1 loops are broken at the first back edge Kahn's
  // algorithm meets), sources moved next to their first consumer, a few barycentre sweeps
  // against crossings, then rows of the children's own sizes.
  function layoutBlock(sizes, edges) {
    const n = sizes.length;
    const preds = Array.from({ length: n }, () => []);
    const succs = Array.from({ length: n }, () => []);
    for (const [a, b] of edges) { preds[b].push(a); succs[a].push(b); }
    const indeg = preds.map((p) => p.length);
    const done = new Uint8Array(n);
    const layer = new Int32Array(n);
    const queue = [];
    for (let i = 0; i < n; ++i) if (indeg[i] === 0) queue.push(i);
    let processed = 0;
    let scan = 0;
    let head = 0;
    while (processed < n) {
      if (head === queue.length) {
        while (done[scan]) ++scan;
        indeg[scan] = 0;
        queue.push(scan);
      }
      const v = queue[head++];
      if (done[v]) continue;
      done[v] = 1;
      ++processed;
      let l = 0;
      for (const p of preds[v]) if (done[p]) l = Math.max(l, layer[p] + 1);
      layer[v] = l;
      for (const s of succs[v]) if (!done[s] && --indeg[s] === 0) queue.push(s);
    }
    for (let i = 0; i < n; ++i) {
      if (preds[i].length || !succs[i].length) continue;
      let l = Infinity;
      for (const s of succs[i]) l = Math.min(l, layer[s]);
      layer[i] = Math.max(0, l - 1);
    }
    const layers = [];
    for (let i = 0; i < n; ++i) (layers[layer[i]] = layers[layer[i]] || []).push(i);
    const rows0 = layers.filter((r) => r && r.length);
    const pos = new Float64Array(n);
    const reindex = (row) => row.forEach((v, i) => { pos[v] = i; });
    rows0.forEach(reindex);
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
      for (let i = 1; i < rows0.length; ++i) sweep(rows0[i], preds);
      for (let i = rows0.length - 2; i >= 0; --i) sweep(rows0[i], succs);
    }
    // Rows: a layer wider than MAX_ROW_W wraps; rows are centred on the widest one.
    const rows = [];
    for (const row of rows0) {
      let cur = [];
      let w = 0;
      for (const v of row) {
        const add = sizes[v].w + (cur.length ? GAP_X : 0);
        if (cur.length && w + add > MAX_ROW_W) { rows.push({ items: cur, w }); cur = []; w = 0; }
        w += sizes[v].w + (cur.length ? GAP_X : 0);
        cur.push(v);
      }
      if (cur.length) rows.push({ items: cur, w });
    }
    const width = rows.reduce((m, r) => Math.max(m, r.w), 0);
    const xy = new Array(n);
    let y = 0;
    for (const row of rows) {
      let x = (width - row.w) / 2;
      let h = 0;
      for (const v of row.items) {
        xy[v] = { x, y };
        x += sizes[v].w + GAP_X;
        h = Math.max(h, sizes[v].h);
      }
      y += h + GAP_Y;
    }
    return { xy, w: width, h: Math.max(0, y - GAP_Y) };
  }

  // The window's mouse listeners serve the graph drawn last (a batch report draws one per
  // model it shows), so switching models does not pile up listeners.
  let windowHandlers = null;
  function onWindow(handlers) {
    if (!windowHandlers) {
      window.addEventListener('mousemove', (e) => windowHandlers.move(e));
      window.addEventListener('mouseup', (e) => windowHandlers.up(e));
    }
    windowHandlers = handlers;
  }

  function create(host, opts) {
    const tree = buildTree(opts.graphs, opts.severityOf);
    const state = {
      zoom: { x: 0, y: 0, k: 1 },
      highlight: new Set(),  // leaf units
      selected: null,
      abs: new Map(),  // unit -> {x, y, w, h} of the last drawing
      svg: null,
      scene: null,
    };
    const canvas = host;

    function sizeOf(u) {
      if (u.kind === 'root' || (u.expanded && u.children.length)) {
        const l = layoutOf(u);
        return { w: l.w + 2 * PAD, h: l.h + 2 * PAD + HEADER };
      }
      return u.kind === 'leaf' ? { w: LEAF_W, h: LEAF_H } : { w: GROUP_W, h: GROUP_H };
    }
    function layoutOf(u) {
      if (!u.cache) u.cache = layoutBlock(u.children.map(sizeOf), u.edges);
      return u.cache;
    }
    function invalidate(u) { for (let x = u; x; x = x.parent) x.cache = null; }
    function isGroup(u) { return u.children.length > 0; }
    function setExpanded(u, on) {
      if (!isGroup(u) || u.expanded === on) return;
      u.expanded = on;
      invalidate(u);
    }
    // Expands every group above `u`, so `u` itself is drawn.
    function reveal(u) { for (let x = u.parent; x; x = x.parent) setExpanded(x, true); }
    function visible(u) {
      for (let x = u.parent; x; x = x.parent) if (!x.expanded) return false;
      return true;
    }
    // The drawn unit standing for `u`: itself, or its outermost collapsed ancestor.
    function shownAs(u) {
      let rep = u;
      for (let x = u.parent; x; x = x.parent) if (!x.expanded) rep = x;
      return rep;
    }
    function visibleCount() {
      let n = 0;
      (function walk(u) {
        for (const c of u.children) { ++n; if (c.expanded) walk(c); }
      })(tree.root);
      return n;
    }

    // ---- drawing ----
    function draw() {
      const root = svg('svg', { id: 'graph-svg', 'data-units': 0 });
      const defs = svg('defs');
      for (const [id, cls] of [['ll-arrow', 'arrow'], ['ll-arrow-lit', 'arrow lit']]) {
        const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
            markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' });
        m.append(svg('path', { d: 'M0,1 L9,5 L0,9 z', class: cls }));
        defs.append(m);
      }
      const scene = svg('g', { class: 'scene' });
      const groupLayer = svg('g', { class: 'groups' });
      const edgeLayer = svg('g', { class: 'edges' });
      const nodeLayer = svg('g', { class: 'nodes' });
      state.abs = new Map();
      let units = 0;
      const place = (u, x, y) => {
        const l = layoutOf(u);
        u.children.forEach((c, i) => {
          const s = sizeOf(c);
          const cx = x + PAD + l.xy[i].x;
          const cy = y + PAD + HEADER + l.xy[i].y;
          state.abs.set(c, { x: cx, y: cy, w: s.w, h: s.h });
          ++units;
          if (c.expanded && isGroup(c)) {
            groupLayer.append(drawExpanded(c, cx, cy, s));
            place(c, cx, cy);
          } else {
            nodeLayer.append(c.kind === 'leaf' ? drawLeaf(c, cx, cy) : drawCollapsed(c, cx, cy));
          }
        });
      };
      place(tree.root, 0, -HEADER);
      // Edges between drawn units; several edges between the same pair are drawn once.
      const seen = new Set();
      state.edges = [];
      for (const [ua, ub, control] of tree.leafEdges) {
        const a = shownAs(ua);
        const b = shownAs(ub);
        if (a === b) continue;
        const key = a.id + '>' + b.id;
        if (seen.has(key)) continue;
        seen.add(key);
        const pa = state.abs.get(a);
        const pb = state.abs.get(b);
        if (!pa || !pb) continue;
        const x1 = pa.x + pa.w / 2;
        const y1 = pa.y + pa.h;
        const x2 = pb.x + pb.w / 2;
        const y2 = pb.y;
        const dy = Math.max(24, Math.abs(y2 - y1) / 2);
        const path = svg('path', { class: 'edge' + (control ? ' control' : ''),
            d: `M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2 - 1}`,
            'marker-end': 'url(#ll-arrow)' });
        edgeLayer.append(path);
        state.edges.push({ a, b, path });
      }
      scene.append(groupLayer, edgeLayer, nodeLayer);
      root.append(defs, scene);
      root.setAttribute('data-units', String(units));
      canvas.replaceChildren(root);
      state.svg = root;
      state.scene = scene;
      applyHighlight();
      applySelection();
      applyZoom();
    }

    function sevClass(s) { return s ? ' sev-' + s : ''; }
    function tip(parent, text) {
      const t = svg('title');
      t.textContent = text;
      parent.append(t);
    }
    function text(parent, x, y, cls, content) {
      const t = svg('text', { x, y, class: cls });
      t.textContent = content;
      parent.append(t);
      return t;
    }
    function toggle(parent, u, x, y) {
      const g = svg('g', { class: 'toggle', transform: `translate(${x},${y})`, 'data-toggle': u.id });
      g.append(svg('rect', { width: 18, height: 18, rx: 4 }));
      text(g, 9, 13.5, 'sign', u.expanded ? '−' : '+');
      g.addEventListener('click', (e) => { e.stopPropagation(); toggleGroup(u); });
      parent.append(g);
    }
    function drawLeaf(u, x, y) {
      const g = svg('g', { class: 'node' + sevClass(u.ownSev), transform: `translate(${x},${y})`,
          'data-name': u.name, 'data-unit': u.id });
      g.append(svg('rect', { width: LEAF_W, height: LEAF_H }));
      text(g, 8, 16, 'op', clip(u.op, 24));
      text(g, 8, 32, 'name', clip(u.label, 28));
      tip(g, `${u.name} (${u.op})`);
      g.addEventListener('click', (e) => { e.stopPropagation(); select(u); });
      u.el = g;
      return g;
    }
    function drawCollapsed(u, x, y) {
      const isCall = u.kind === 'call';
      const g = svg('g', { class: (isCall ? 'node call' : 'group collapsed') + sevClass(isCall ? worse(u.ownSev, u.sev) : u.sev),
          transform: `translate(${x},${y})`, 'data-unit': u.id, 'data-name': u.name || u.title,
          'data-flagged': u.flagged - (u.ownSev ? 1 : 0) });
      if (!isCall) g.append(svg('rect', { class: 'stack', x: 4, y: 4, width: GROUP_W, height: GROUP_H }));
      g.append(svg('rect', { width: GROUP_W, height: GROUP_H }));
      if (isCall) {
        text(g, 8, 17, 'op', clip(u.op, 22));
        text(g, 8, 35, 'name', clip('ƒ ' + calleeNames(u), 30));
        tip(g, `${u.name} (${u.op}) calls ${calleeNames(u)}: ${u.count - 1} nodes` +
            (u.flagged ? `, ${u.flagged} flagged` : ''));
      } else {
        text(g, 8, 17, 'label', clip(u.label, 24));
        text(g, 8, 35, 'name', `${u.count} nodes` + (u.flagged ? ` · ${u.flagged} flagged` : ''));
        tip(g, `${u.title}: ${u.count} nodes` + (u.flagged ? `, ${u.flagged} flagged` : '') + ' (click to open)');
      }
      toggle(g, u, GROUP_W - 24, 6);
      g.addEventListener('click', (e) => { e.stopPropagation(); if (isCall) select(u); else toggleGroup(u); });
      u.el = g;
      return g;
    }
    function drawExpanded(u, x, y, s) {
      const g = svg('g', { class: 'group expanded depth-' + (u.depth % 4) + sevClass(u.sev),
          transform: `translate(${x},${y})`, 'data-unit': u.id, 'data-name': u.name || u.title });
      g.append(svg('rect', { width: s.w, height: s.h }));
      const label = u.kind === 'call' ? `${u.op} · ƒ ${calleeNames(u)}` : u.label;
      const head = text(g, 10, 17, 'label', clip(label, Math.max(8, Math.floor((s.w - 40) / 7))));
      head.addEventListener('click', (e) => { e.stopPropagation(); if (u.kind === 'call') select(u); else toggleGroup(u); });
      tip(g, (u.title || '') + (u.kind === 'call' ? ` calls ${calleeNames(u)}` : '') + ': ' + u.count + ' nodes');
      toggle(g, u, s.w - 24, 4);
      u.el = g;
      return g;
    }
    function calleeNames(u) {
      const names = [];
      tree.containers.forEach((c, gi) => {
        if (c === u || (c && c.parent === u && c.kind === 'fn')) names.push(opts.graphs[gi].function);
      });
      return names.join(', ');
    }

    // ---- state changes that keep the reader's place ----
    // Re-lays out after `change` and pans so `anchor` stays where it was on screen.
    function relayout(anchor, change) {
      const before = anchor && state.abs.get(anchor);
      change();
      draw();
      const after = anchor && state.abs.get(anchor);
      if (before && after) {
        state.zoom.x -= (after.x - before.x) * state.zoom.k;
        state.zoom.y -= (after.y - before.y) * state.zoom.k;
        applyZoom();
      }
    }
    function toggleGroup(u) {
      relayout(u, () => setExpanded(u, !u.expanded));
      if (opts.onChange) opts.onChange();
    }
    function select(u) {
      state.selected = u;
      applySelection();
      if (opts.onSelect) opts.onSelect(u);
    }
    function applySelection() {
      for (const e of state.edges || []) {
        const on = state.selected && (e.a === state.selected || e.b === state.selected);
        e.path.classList.toggle('lit', !!on);
        e.path.setAttribute('marker-end', on ? 'url(#ll-arrow-lit)' : 'url(#ll-arrow)');
      }
      if (!state.svg) return;
      state.svg.querySelectorAll('.selected').forEach((e) => e.classList.remove('selected'));
      if (state.selected && state.selected.el && state.svg.contains(state.selected.el)) {
        state.selected.el.classList.add('selected');
      }
    }
    function applyHighlight() {
      if (!state.svg) return;
      // A highlighted node inside a collapsed group lights up the group instead.
      const lit = new Set([...state.highlight].map(shownAs));
      state.svg.querySelectorAll('.highlight').forEach((e) => e.classList.remove('highlight'));
      for (const u of lit) if (u.el && state.svg.contains(u.el)) u.el.classList.add('highlight');
      state.svg.classList.toggle('dimmed', lit.size > 0);
      state.svg.setAttribute('data-highlighted', String(state.svg.querySelectorAll('.node.highlight').length));
    }

    // ---- pan and zoom: one transform on the scene group ----
    function applyZoom() {
      const z = state.zoom;
      if (state.scene) state.scene.setAttribute('transform', `translate(${z.x},${z.y}) scale(${z.k})`);
      if (state.svg) state.svg.setAttribute('data-zoom', z.k.toFixed(3));
    }
    function viewport() {
      return { w: canvas.clientWidth || 900, h: canvas.clientHeight || 600 };
    }
    function boxOf(units) {
      let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
      for (const u of units) {
        const p = state.abs.get(shownAs(u));
        if (!p) continue;
        x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
        x1 = Math.max(x1, p.x + p.w); y1 = Math.max(y1, p.y + p.h);
      }
      return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    }
    function centreOn(box, k) {
      const { w, h } = viewport();
      const z = state.zoom;
      z.k = k;
      z.x = w / 2 - (box.x + box.w / 2) * k;
      z.y = h / 2 - (box.y + box.h / 2) * k;
      applyZoom();
    }
    function fitScale(box, margin) {
      const { w, h } = viewport();
      return Math.min(w / (box.w + 2 * margin), h / (box.h + 2 * margin));
    }
    // Whole drawing, however small it gets.
    function fitAll() {
      const box = boxOf(tree.root.children);
      if (box) centreOn(box, Math.min(MAX_ZOOM, Math.max(0.02, fitScale(box, 20))));
    }
    // Centres `units` at a zoom where labels stay legible: all of them when they fit, else
    // the view-sized window around one of them that holds the most of the others.
    function focus(units) {
      const box = boxOf(units);
      if (!box) return;
      const k = fitScale(box, 60);
      if (k >= LEGIBLE) { centreOn(box, Math.min(MAX_ZOOM, k)); return; }
      const { w, h } = viewport();
      const maxW = w / LEGIBLE - 80;
      const maxH = h / LEGIBLE - 80;
      const boxes = units.map((u) => boxOf([u])).filter((b) => b);
      let best = null;
      for (const c of boxes.slice(0, 400)) {
        const cx = c.x + c.w / 2;
        const cy = c.y + c.h / 2;
        const inside = boxes.filter((b) => Math.abs(b.x + b.w / 2 - cx) <= (maxW - b.w) / 2 &&
            Math.abs(b.y + b.h / 2 - cy) <= (maxH - b.h) / 2);
        if (!best || inside.length > best.length) best = inside;
      }
      if (!best.length) {
        // One unit bigger than the view (an open group): its top, centred across.
        const b = boxes[0];
        const cw = Math.min(b.w, maxW);
        centreOn({ x: b.x + (b.w - cw) / 2, y: b.y, w: cw, h: Math.min(b.h, maxH) }, LEGIBLE);
        return;
      }
      let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
      for (const b of best) {
        x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
        x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h);
      }
      const span = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
      centreOn(span, Math.max(LEGIBLE, Math.min(MAX_ZOOM, fitScale(span, 60))));
    }
    function zoomBy(factor) {
      const { w, h } = viewport();
      const z = state.zoom;
      const k = Math.min(4, Math.max(0.02, z.k * factor));
      z.x = w / 2 - (w / 2 - z.x) * (k / z.k);
      z.y = h / 2 - (h / 2 - z.y) * (k / z.k);
      z.k = k;
      applyZoom();
    }
    // Dragging pans; a drag that ends on a group or node is not also a click on it.
    let drag = null;
    let dragged = false;
    canvas.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, y: e.clientY, zx: state.zoom.x, zy: state.zoom.y };
      dragged = false;
      canvas.classList.add('dragging');
    });
    canvas.addEventListener('click', (e) => {
      if (dragged) { e.stopPropagation(); dragged = false; }
    }, true);
    onWindow({
      move: (e) => {
        if (!drag) return;
        if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4) dragged = true;
        state.zoom.x = drag.zx + e.clientX - drag.x;
        state.zoom.y = drag.zy + e.clientY - drag.y;
        applyZoom();
      },
      up: () => { drag = null; canvas.classList.remove('dragging'); },
    });
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const z = state.zoom;
      const r = canvas.getBoundingClientRect();
      const mx = e.clientX - r.left;
      const my = e.clientY - r.top;
      const k = Math.min(4, Math.max(0.02, z.k * Math.exp(-e.deltaY * 0.0015)));
      z.x = mx - (mx - z.x) * (k / z.k);
      z.y = my - (my - z.y) * (k / z.k);
      z.k = k;
      applyZoom();
    }, { passive: false });

    // ---- opening views ----
    // Worst severity first, then graph order: the order the reader meets them in the table.
    const flaggedLeaves = tree.all.filter((u) => u.ownSev).map((u, i) => [u, i])
        .sort((a, b) => SEV_RANK[b[0].ownSev] - SEV_RANK[a[0].ownSev] || a[1] - b[1]).map((x) => x[0]);
    let opened = [];  // the flagged nodes the first view draws
    function closedAbove(u) {
      const closed = [];
      for (let x = u.parent; x; x = x.parent) if (!x.expanded) closed.push(x);
      return closed;
    }
    // Reveals each of `units` whose closed groups add at most what `budget` has left.
    function revealWithin(units, budget, atLeastOne) {
      const done = [];
      let n = visibleCount();
      for (const u of units) {
        const extra = closedAbove(u).reduce((s, x) => s + x.children.length, 0);
        if (n + extra > budget && (done.length || !atLeastOne)) continue;
        reveal(u);
        n += extra;
        done.push(u);
      }
      return done;
    }
    // Opens groups inside `top`, biggest first, while they add at most `budget` units.
    function openWithin(top, budget) {
      for (;;) {
        let best = null;
        (function walk(u) {
          for (const c of u.children) {
            if (!isGroup(c)) continue;
            if (c.expanded) walk(c);
            else if (c.children.length <= budget && (!best || c.count > best.count)) best = c;
          }
        })(top);
        if (!best) return;
        setExpanded(best, true);
        budget -= best.children.length;
      }
    }
    // With nothing flagged: follow the group that holds most of the model (in a TF2
    // SavedModel, the call into the function body), then open what fits inside it.
    function mainGroup() {
      let u = tree.root;
      for (;;) {
        const groups = u.children.filter(isGroup);
        const big = groups.reduce((m, c) => (!m || c.count > m.count ? c : m), null);
        if (!big || big.count * 2 < u.count) return u;
        setExpanded(big, true);
        u = big;
      }
    }
    // The first view: the flagged nodes with the scopes around them open and their neighbours
    // drawn as nodes, as far as the drawing stays small (the other flagged nodes stay in
    // groups marked with their count); with nothing flagged, an outline of the main group.
    function openInitial() {
      if (!flaggedLeaves.length) {
        const top = mainGroup();
        openWithin(top, 60);
        draw();
        if (top === tree.root) fitAll();
        else focusTop(top);
        return;
      }
      opened = revealWithin(flaggedLeaves, OPEN_BUDGET, true);
      const flagged = new Set(opened);
      const near = [];
      for (const [a, b] of tree.leafEdges) {
        if (flagged.has(a) && !flagged.has(b)) near.push(b);
        if (flagged.has(b) && !flagged.has(a)) near.push(a);
      }
      revealWithin(near.filter((u) => !visible(u)), OPEN_BUDGET + 40, false);
      draw();
      focusFlagged();
    }
    // The start (the inputs) of an open group, as wide as the view allows at a legible zoom.
    function focusTop(u) {
      const box = state.abs.get(u);
      const { w, h } = viewport();
      const k = Math.min(MAX_ZOOM, Math.max(LEGIBLE, w / (box.w + 40)));
      centreOn({ x: box.x, y: box.y - 10, w: box.w, h: Math.min(box.h, h / k - 20) }, k);
    }
    function focusFlagged() {
      if (flaggedLeaves.length) focus(opened.length ? opened : flaggedLeaves);
      else fitAll();
    }

    // ---- lookups for the page ----
    const byGraphName = new Map();  // function -> Map(name -> leaf)
    tree.leafOf.forEach((leaves, gi) => {
      const fn = opts.graphs[gi].function || '';
      const map = byGraphName.get(fn) || new Map();
      for (const u of leaves) if (u && !map.has(u.name)) map.set(u.name, u);
      byGraphName.set(fn, map);
    });
    function find(fn, name) {
      const map = byGraphName.get(fn || '');
      return (map && map.get(name)) || null;
    }
    // Expands what hides `units`, highlights and centres them.
    function show(units, { highlight = true } = {}) {
      if (!units.length) return;
      relayout(null, () => units.forEach(reveal));
      state.highlight = highlight ? new Set(units) : new Set();
      applyHighlight();
      focus(units);
    }
    // Nodes whose name holds `query` (exact names first, then names ending in it, then the
    // rest), then nodes of that op type; each group in graph order.
    function search(query) {
      const q = query.trim().toLowerCase();
      if (!q) return [];
      const hits = [];
      for (const u of tree.all) {
        if (u.kind !== 'leaf' && u.kind !== 'call') continue;
        const n = u.name.toLowerCase();
        const rank = n === q ? 0 : n.endsWith(q) ? 1 : n.includes(q) ? 2 : u.op.toLowerCase() === q ? 3 : -1;
        if (rank >= 0) hits.push([rank, hits.length, u]);
      }
      return hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
    }
    function collapseAll() {
      relayout(null, () => { for (const u of tree.all) if (u !== tree.root) setExpanded(u, false); });
      fitAll();
    }
    function showGraph(gi) {
      const c = tree.containers[gi];
      if (!c) return;
      if (c === tree.root) { fitAll(); return; }
      relayout(null, () => { reveal(c); setExpanded(c, true); });
      focusTop(c);
    }

    // Producers and consumers of a node, for "show its neighbours".
    function neighbours(u) {
      const out = new Set();
      for (const [a, b] of tree.leafEdges) {
        if (a === u) out.add(b);
        if (b === u) out.add(a);
      }
      return [...out];
    }
    function openNeighbours(u) {
      relayout(u, () => neighbours(u).forEach(reveal));
      select(u);
    }

    openInitial();
    return {
      neighbours, openNeighbours,
      find, show, search, select, collapseAll, showGraph, fitAll, focusFlagged, zoomBy,
      clearHighlight: () => { state.highlight = new Set(); applyHighlight(); },
      expand: (u) => { if (isGroup(u) && !u.expanded) toggleGroup(u); },
      graphOfUnit: (u) => u.gi,
      calleesOf: (u) => tree.containers.map((c, gi) => [c, gi])
          .filter(([c]) => c === u || (c && c.parent === u && c.kind === 'fn')).map(([, gi]) => gi),
      isOpen: (u) => u.expanded,
    };
  }

  return { create };
})();

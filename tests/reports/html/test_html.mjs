// Opens litelint's HTML report in headless Chromium and uses it as a person would: the page
// loads with no console or page errors, the verdict banner says the right thing, severity
// and code filters change the visible findings, and clicking a finding highlights its nodes
// in the graph. On larger models (the biggest corpus SavedModels, Keras applications from the
// oracle's zoo) the graph view must open on the flagged nodes at a legible zoom, find nodes by
// name, open and close groups, and keep the findings table from overflowing sideways.
// Screenshots go next to the JUnit XML.
//
// node test_html.mjs --litelint BIN --tools NODE_TOOLS_DIR --chromium PATH --out REPORT_DIR
//                    --corpus CORPUS_DIR [--zoo ZOO_DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const key of ['litelint', 'tools', 'chromium', 'out', 'corpus']) {
    if (!out[key]) throw new Error(`missing --${key}`);
  }
  return out;
}

const opts = args();
const require = createRequire(path.join(opts.tools, 'node_modules', 'noop.js'));
const { chromium } = require('playwright-core');
const work = mkdtempSync(path.join(tmpdir(), 'litelint-html-'));

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

// Runs `litelint check ... --format html -o FILE`; exit 0 or 1 (findings) are both reports.
function renderHtml(name, models, extra = []) {
  const file = path.join(work, `${name}.html`);
  const run = spawnSync(opts.litelint, ['check', ...models, ...extra, '--format', 'html', '-o', file],
      { encoding: 'utf8', env: { ...process.env, LITELINT_REPRODUCIBLE: '1' } });
  expect(run.status === 0 || run.status === 1,
      `litelint check exited ${run.status}: ${run.stderr}`);
  expect(existsSync(file), `litelint wrote no ${file}`);
  return file;
}

async function openPage(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // Self-contained means no request other than the file itself.
  page.on('request', (req) => { if (!req.url().startsWith('file:')) problems.push(`request: ${req.url()}`); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('#banner');
  await page.waitForTimeout(100);  // the graph is drawn in a microtask after the tables
  return { page, problems };
}

// A case that needs a fixture of the oracle's zoo is skipped when the zoo was not built.
class Skip extends Error {}
function zooModel(id) {
  const dir = opts.zoo ? path.join(opts.zoo, id, 'saved_model') : '';
  if (!dir || !existsSync(dir)) throw new Skip(`zoo fixture ${id} not built (tests/oracle/run builds the zoo)`);
  return dir;
}

// Screen boxes of the drawn nodes named `names`, and of the canvas.
async function nodeBoxes(page, names) {
  return page.evaluate((wanted) => {
    const canvas = document.getElementById('graph-canvas').getBoundingClientRect();
    const boxes = {};
    for (const g of document.querySelectorAll('#graph-svg g.node')) {
      if (!wanted.includes(g.dataset.name)) continue;
      const r = g.querySelector('rect').getBoundingClientRect();
      boxes[g.dataset.name] = { x: r.x, y: r.y, w: r.width, h: r.height };
    }
    return { canvas: { x: canvas.x, y: canvas.y, w: canvas.width, h: canvas.height }, boxes };
  }, names);
}
const inView = (b, c) => b.x >= c.x - 1 && b.y >= c.y - 1 && b.x + b.w <= c.x + c.w + 1 && b.y + b.h <= c.y + c.h + 1;

// The names of the nodes findings flag in the drawn model, from the page's own data.
async function flaggedNames(page) {
  return page.evaluate(() => {
    const data = JSON.parse(document.getElementById('litelint-data').textContent);
    const m = data.models[0];
    return [...new Set(m.findings.flatMap((f) => f.nodes.map((n) => n.name)))];
  });
}

// The graph view of a real model: opens on the flagged nodes, each drawn as its own node,
// at a zoom where a node is at least 120 px wide, most of them in view; edges carry
// arrowheads; search finds a node hidden in a closed group; groups open and close; a click
// on a finding centres its nodes; the findings table does not scroll sideways.
async function checkLargeGraph(page, name, { minInView }) {
  const flagged = await flaggedNames(page);
  expect(flagged.length > 0, 'model has no flagged nodes');
  const units = Number(await page.getAttribute('#graph-svg', 'data-units'));
  expect(units > 0 && units <= 400, `first view draws ${units} units; groups should keep it small`);
  const open = await nodeBoxes(page, flagged);
  const drawn = Object.keys(open.boxes);
  // Flagged nodes the first view leaves in closed groups are counted on those groups.
  const inGroups = await page.$$eval('#graph-svg [data-flagged]', (gs) => gs.reduce((s, g) => s + Number(g.dataset.flagged), 0));
  expect(drawn.length > 0 && drawn.length + inGroups === flagged.length,
      `first view draws ${drawn.length} of ${flagged.length} flagged nodes and marks ${inGroups} on closed groups`);
  const visible = drawn.filter((n) => inView(open.boxes[n], open.canvas));
  expect(visible.length >= Math.min(minInView, flagged.length),
      `only ${visible.length} of ${flagged.length} flagged nodes in view`);
  for (const n of visible) expect(open.boxes[n].w >= 120, `flagged node ${n} is ${open.boxes[n].w} px wide`);
  await page.locator('#graph-canvas').scrollIntoViewIfNeeded();
  await page.locator('#graph').screenshot({ path: path.join(opts.out, `html-${name}-graph-open.png`) });

  expect(await page.locator('#graph-svg marker#ll-arrow').count() === 1, 'no arrowhead marker');
  const arrows = await page.locator('#graph-svg path.edge[marker-end^="url(#ll-arrow"]').count();
  expect(arrows > 0 && arrows === await page.locator('#graph-svg path.edge').count(), `${arrows} edges with arrowheads`);

  // Zoom buttons change the scale; Flagged brings the first view back.
  const zoom = Number(await page.getAttribute('#graph-svg', 'data-zoom'));
  await page.click('#graph-zoom-out');
  expect(Number(await page.getAttribute('#graph-svg', 'data-zoom')) < zoom, 'zoom out did nothing');
  await page.click('#graph-flagged');
  expect(Number(await page.getAttribute('#graph-svg', 'data-zoom')) === zoom, 'Flagged did not restore the zoom');
  // Dragging pans, and a drag that ends on a group does not open it.
  const scene = await page.getAttribute('#graph-svg g.scene', 'transform');
  const c = await page.locator('#graph-canvas').boundingBox();
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  await page.mouse.down();
  await page.mouse.move(c.x + c.width / 2 + 150, c.y + c.height / 2 + 80, { steps: 5 });
  await page.mouse.up();
  expect(await page.getAttribute('#graph-svg g.scene', 'transform') !== scene, 'dragging did not pan');
  expect(Number(await page.getAttribute('#graph-svg', 'data-units')) === units, 'a drag opened or closed a group');
  await page.click('#graph-flagged');

  // A closed group in view opens on click and closes with its toggle.
  const id = await page.evaluate(() => {
    const c = document.getElementById('graph-canvas').getBoundingClientRect();
    for (const g of document.querySelectorAll('#graph-svg g.group.collapsed')) {
      const r = g.getBoundingClientRect();
      if (r.x >= c.x && r.y >= c.y && r.right <= c.right && r.bottom <= c.bottom) return g.dataset.unit;
    }
    return null;
  });
  if (id) {
    const group = page.locator(`#graph-svg g.group.collapsed[data-unit="${id}"]`);
    await group.click();
    const more = Number(await page.getAttribute('#graph-svg', 'data-units'));
    expect(more > units, `opening a group: ${units} -> ${more} units`);
    expect(await page.locator(`#graph-svg g.group.expanded[data-unit="${id}"]`).count() === 1, 'group not drawn open');
    await page.click(`#graph-svg [data-toggle="${id}"]`);
    expect(Number(await page.getAttribute('#graph-svg', 'data-units')) === units, 'closing the group did not restore the drawing');
  }

  // Search: a node the first view does not draw is opened, highlighted and centred.
  const hidden = await page.evaluate(() => {
    const data = JSON.parse(document.getElementById('litelint-data').textContent);
    const drawnNames = new Set([...document.querySelectorAll('#graph-svg g.node')].map((g) => g.dataset.name));
    for (const g of data.models[0].graph.graphs.slice().reverse()) {
      for (const n of g.nodes) if (!drawnNames.has(n[0]) && !n[3]) return n[0];
    }
    return null;
  });
  if (hidden) {
    await page.fill('#graph-search', hidden);
    await page.press('#graph-search', 'Enter');
    const found = await nodeBoxes(page, [hidden]);
    expect(found.boxes[hidden], `search for ${hidden} did not draw it`);
    expect(inView(found.boxes[hidden], found.canvas), `search for ${hidden} did not bring it into view`);
    expect(await page.locator('#graph-svg g.node.highlight').count() === 1, 'search highlighted not exactly one node');
    expect((await page.textContent('#graph-side')).includes(hidden), 'side panel does not name the found node');
    // Its neighbours can be drawn as nodes: every lit edge then ends on a node, not a group.
    if (await page.locator('#graph-neighbours').count()) {
      await page.click('#graph-neighbours');
      const ends = await page.evaluate(() => document.querySelectorAll('#graph-svg path.edge.lit').length);
      const want = Number((await page.textContent('#graph-neighbours')).match(/\d+/)[0]);
      expect(ends >= want, `showing ${want} neighbours lit ${ends} edges`);
    }
  }

  // Clicking each finding draws, highlights and centres its nodes.
  const rows = await page.locator('tr.finding-row').count();
  for (let i = 0; i < rows; ++i) {
    await page.locator('tr.finding-row').nth(i).click();
    const names = await page.evaluate((k) => {
      const data = JSON.parse(document.getElementById('litelint-data').textContent);
      return [...new Set(data.models[0].findings[k].nodes.map((n) => n.name))];
    }, i);
    const lit = await page.locator('#graph-svg g.node.highlight').count();
    expect(lit === names.length, `finding ${i}: ${lit} of ${names.length} nodes highlighted`);
    const after = await nodeBoxes(page, names);
    const seen = Object.values(after.boxes).filter((b) => inView(b, after.canvas));
    expect(seen.length > 0 && seen.every((b) => b.w >= 120), `finding ${i}: ${seen.length} nodes in view, widths ${seen.map((b) => b.w)}`);
    if (i === 0) await page.locator('#graph').screenshot({ path: path.join(opts.out, `html-${name}-graph-finding.png`) });
  }

  // "Go to a graph" opens a function body where it is called and shows its start.
  const options = await page.$$eval('#graph-select option', (os) => os.map((o) => o.value).filter((v) => v !== ''));
  const last = options[options.length - 1];
  const fn = await page.evaluate((k) => JSON.parse(document.getElementById('litelint-data').textContent)
      .models[0].graph.graphs[k].function, Number(last));
  if (fn) {
    await page.selectOption('#graph-select', last);
    const heads = await page.evaluate((name) => {
      const c = document.getElementById('graph-canvas').getBoundingClientRect();
      return [...document.querySelectorAll('#graph-svg g.group.expanded > text.label')]
          .filter((t) => t.textContent.includes(name.slice(0, 20)))
          .map((t) => { const r = t.getBoundingClientRect(); return r.y >= c.y && r.bottom <= c.bottom; });
    }, fn);
    expect(heads.includes(true), `going to ${fn} did not show its open body (${heads})`);
  }

  const overflow = await page.$eval('#findings .table-wrap', (e) => e.scrollWidth - e.clientWidth);
  expect(overflow <= 0, `findings table overflows sideways by ${overflow} px`);
}

const visibleRows = (page) => page.locator('tr.finding-row:visible').count();

async function checkFiltersAndGraph(page, { uncheck, code }) {
  const all = await visibleRows(page);
  expect(all > 0, 'no finding rows');
  const countText = await page.textContent('#finding-count');
  expect(countText === `showing ${all} of ${all}`, `count text before filtering: ${countText}`);
  await page.click(`label[data-severity="${uncheck}"] input`);
  const fewer = await visibleRows(page);
  expect(fewer < all, `unchecking ${uncheck} left ${fewer} of ${all} rows`);
  const after = await page.textContent('#finding-count');
  expect(after === `showing ${fewer} of ${all}`, `count text after filtering: ${after}`);
  await page.click(`label[data-severity="${uncheck}"] input`);
  expect(await visibleRows(page) === all, 're-checking the severity did not restore the rows');
  if (code) {
    await page.selectOption('#code-filter', code);
    const byCode = await visibleRows(page);
    const codes = await page.$$eval('tr.finding-row:not([hidden])', (rows) => rows.map((r) => r.dataset.code));
    expect(byCode > 0 && byCode < all && codes.every((c) => c === code),
        `code filter ${code}: ${byCode} rows with codes ${codes}`);
    await page.selectOption('#code-filter', '');
  }
  // Clicking a finding highlights its nodes in the SVG.
  expect(await page.locator('#graph-svg g.node.highlight').count() === 0, 'highlight before any click');
  await page.locator('tr.finding-row:visible').first().click();
  const lit = await page.locator('#graph-svg g.node.highlight').count();
  expect(lit > 0, 'clicking a finding highlighted no node');
  const attr = await page.getAttribute('#graph-svg', 'data-highlighted');
  expect(Number(attr) === lit, `data-highlighted ${attr} but ${lit} highlighted nodes`);
  const flagged = await page.locator('#graph-svg g.node.sev-error, #graph-svg g.node.sev-warning, #graph-svg g.node.sev-note').count();
  expect(flagged > 0, 'no node coloured by severity');
}

const cases = [
  {
    // One function of 469 nodes; 10 flagged nodes with long scoped names (issue 18).
    name: 'savedmodel_bert1_graph',
    models: () => [path.join(opts.corpus, 'savedmodel/tf_cc_bert1')],
    async check(page) { await checkLargeGraph(page, this.name, { minInView: 5 }); },
  },
  {
    // The corpus SavedModel with the most nodes; the Edge TPU profile flags two of them.
    name: 'savedmodel_lobe_edgetpu_graph',
    models: () => [path.join(opts.corpus, 'savedmodel/user_lobe_image_classifier')],
    args: ['--target', 'edgetpu'],
    async check(page) { await checkLargeGraph(page, this.name, { minInView: 1 }); },
  },
  {
    // A Keras application (random weights, 2131 nodes); the GPU profile flags dozens of nodes.
    name: 'keras_efficientnet_b0_gpu_graph',
    models: () => [zooModel('efficientnet_b0')],
    args: ['--target', 'gpu'],
    // Its flagged nodes sit in separate layers of a long chain: one at a time is legible.
    async check(page) { await checkLargeGraph(page, this.name, { minInView: 1 }); },
  },
  {
    // Nothing flagged: the view opens on an outline of groups, not on 1000 nodes.
    name: 'keras_mobilenet_v2_outline',
    models: () => [zooModel('mobilenet_v2')],
    async check(page) {
      // It opens inside the function body (the main graph only holds variables and a call),
      // on its first layers at a legible zoom.
      const units = Number(await page.getAttribute('#graph-svg', 'data-units'));
      expect(units > 3 && units <= 400, `outline draws ${units} units`);
      const zoom = Number(await page.getAttribute('#graph-svg', 'data-zoom'));
      expect(zoom >= 0.75, `outline opens at zoom ${zoom}`);
      const body = await page.$$eval('#graph-svg g.group.expanded', (gs) => gs.map((g) => g.textContent));
      expect(body.some((t) => t.includes('__inference___call__')), `no open function body: ${body}`);
      await page.locator('#graph').screenshot({ path: path.join(opts.out, `html-${this.name}-graph-open.png`) });
      await page.fill('#graph-search', 'Conv2D');
      expect((await page.textContent('#graph-search-count')).includes('matches'), 'no search matches for Conv2D');
      await page.press('#graph-search', 'Enter');
      expect(await page.locator('#graph-svg g.node.highlight').count() === 1, 'Enter did not show the first match');
    },
  },
  {
    name: 'graphdef_volvo_nlu_fails',
    models: () => [path.join(opts.corpus, 'graphdef/volvo_nlu_tflearn_graph_named_saved_model/saved_model.pb')],
    async check(page) {
      const banner = await page.textContent('#banner');
      expect(banner.includes('Conversion fails'), `banner: ${banner}`);
      expect(await page.getAttribute('#banner', 'data-verdict') === 'fails', 'verdict attribute');
      expect((await page.textContent('#plan')).includes('Select TF (Flex) ops'), 'plan section');
      await checkFiltersAndGraph(page, { uncheck: 'error', code: 'LL101' });
      const ops = await page.locator('tr.op-row').count();
      expect(ops > 10, `op table has ${ops} rows`);
    },
  },
  {
    name: 'savedmodel_half_plus_two_select',
    models: () => [path.join(opts.corpus, 'savedmodel/tf_cc_half_plus_two')],
    async check(page) {
      const banner = await page.textContent('#banner');
      expect(banner.includes('Needs Select TF ops'), `banner: ${banner}`);
      const snippet = await page.textContent('#converter-snippet');
      expect(snippet.includes('SELECT_TF_OPS'), `converter snippet: ${snippet}`);
      expect((await page.textContent('#play-note')).includes('Google Play services'), 'Play services note');
      await checkFiltersAndGraph(page, { uncheck: 'warning' });
    },
  },
  {
    name: 'savedmodel_x_plus_y_clean',
    models: () => [path.join(opts.corpus, 'savedmodel/tf_cc_x_plus_y_v2_debuginfo')],
    async check(page) {
      const banner = await page.textContent('#banner');
      expect(banner.includes('Converts with TFLite builtins'), `banner: ${banner}`);
      expect(await page.locator('#no-findings').count() === 1, 'no "No findings." line');
      expect(await page.locator('#graph-svg g.node').count() > 0, 'graph drew no nodes');
    },
  },
  {
    name: 'batch_two_models',
    models: () => [path.join(opts.corpus, 'savedmodel/tf_cc_x_plus_y_v2_debuginfo'),
                   path.join(opts.corpus, 'savedmodel/tf_cc_half_plus_two')],
    async check(page) {
      expect(await page.locator('#model-select option').count() === 2, 'model picker options');
      // The report opens on the first model with findings.
      expect((await page.textContent('#banner')).includes('Needs Select TF ops'), 'first banner');
      await page.selectOption('#model-select', '0');
      const banner = await page.textContent('#banner');
      expect(banner.includes('Converts with TFLite builtins'), `banner after switching: ${banner}`);
      expect(await page.locator('#batch-summary tr[data-model]').count() === 2, 'summary rows');
    },
  },
];

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const results = [];
const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  // Chromium's sandbox needs user namespaces, which containers and root CI runners lack.
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
try {
  for (const c of cases) {
    const started = Date.now();
    let failure = null;
    let skipped = null;
    let page = null;
    try {
      const file = renderHtml(c.name, c.models(), c.args);
      const opened = await openPage(browser, file);
      page = opened.page;
      await page.screenshot({ path: path.join(opts.out, `html-${c.name}.png`), fullPage: false });
      await c.check(page);
      await page.screenshot({ path: path.join(opts.out, `html-${c.name}-after.png`), fullPage: false });
      if (opened.problems.length) throw new Error(opened.problems.join('; '));
    } catch (err) {
      if (err instanceof Skip) skipped = err.message;
      else failure = err.message || String(err);
    } finally {
      if (page) await page.close();
    }
    results.push({ name: c.name, seconds: (Date.now() - started) / 1000, failure, skipped });
    const status = failure ? 'FAIL' : skipped ? 'skip' : 'ok  ';
    console.log(`${status} html ${c.name}${failure || skipped ? ': ' + (failure || skipped) : ''}`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

const failures = results.filter((r) => r.failure).length;
const skips = results.filter((r) => r.skipped).length;
const xml = ['<?xml version="1.0" encoding="UTF-8"?>',
  `<testsuite name="html-chromium" tests="${results.length}" failures="${failures}" skipped="${skips}">`,
  ...results.map((r) => `  <testcase classname="reports.html.chromium" name="${xmlEscape(r.name)}" time="${r.seconds}">` +
      (r.failure ? `<failure message="${xmlEscape(r.failure)}"/>` : '') +
      (r.skipped ? `<skipped message="${xmlEscape(r.skipped)}"/>` : '') + '</testcase>'),
  '</testsuite>', ''].join('\n');
writeFileSync(path.join(opts.out, 'html-chromium.xml'), xml);
process.exit(failures ? 1 : 0);

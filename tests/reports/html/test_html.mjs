// Opens litelint's HTML report in headless Chromium and uses it as a person would: the page
// loads with no console or page errors, the verdict banner says the right thing, severity
// and code filters change the visible findings, and clicking a finding highlights its nodes
// in the graph. Screenshots go next to the JUnit XML.
//
// node test_html.mjs --litelint BIN --tools NODE_TOOLS_DIR --chromium PATH --out REPORT_DIR
//                    --corpus CORPUS_DIR
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
function renderHtml(name, models) {
  const file = path.join(work, `${name}.html`);
  const run = spawnSync(opts.litelint, ['check', ...models, '--format', 'html', '-o', file],
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
    name: 'graphdef_volvo_nlu_fails',
    models: [path.join(opts.corpus, 'graphdef/volvo_nlu_tflearn_graph_named_saved_model/saved_model.pb')],
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
    models: [path.join(opts.corpus, 'savedmodel/tf_cc_half_plus_two')],
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
    models: [path.join(opts.corpus, 'savedmodel/tf_cc_x_plus_y_v2_debuginfo')],
    async check(page) {
      const banner = await page.textContent('#banner');
      expect(banner.includes('Converts with TFLite builtins'), `banner: ${banner}`);
      expect(await page.locator('#no-findings').count() === 1, 'no "No findings." line');
      expect(await page.locator('#graph-svg g.node').count() > 0, 'graph drew no nodes');
    },
  },
  {
    name: 'batch_two_models',
    models: [path.join(opts.corpus, 'savedmodel/tf_cc_x_plus_y_v2_debuginfo'),
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
    let page = null;
    try {
      const file = renderHtml(c.name, c.models);
      const opened = await openPage(browser, file);
      page = opened.page;
      await page.screenshot({ path: path.join(opts.out, `html-${c.name}.png`), fullPage: false });
      await c.check(page);
      await page.screenshot({ path: path.join(opts.out, `html-${c.name}-after.png`), fullPage: false });
      if (opened.problems.length) throw new Error(opened.problems.join('; '));
    } catch (err) {
      failure = err.message || String(err);
    } finally {
      if (page) await page.close();
    }
    results.push({ name: c.name, seconds: (Date.now() - started) / 1000, failure });
    console.log(`${failure ? 'FAIL' : 'ok  '} html ${c.name}${failure ? ': ' + failure : ''}`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

const failures = results.filter((r) => r.failure).length;
const xml = ['<?xml version="1.0" encoding="UTF-8"?>',
  `<testsuite name="html-chromium" tests="${results.length}" failures="${failures}" skipped="0">`,
  ...results.map((r) => `  <testcase classname="reports.html.chromium" name="${xmlEscape(r.name)}" time="${r.seconds}">` +
      (r.failure ? `<failure message="${xmlEscape(r.failure)}"/>` : '') + '</testcase>'),
  '</testsuite>', ''].join('\n');
writeFileSync(path.join(opts.out, 'html-chromium.xml'), xml);
process.exit(failures ? 1 : 0);

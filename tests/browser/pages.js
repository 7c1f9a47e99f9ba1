// Opens lockaudit's HTML pages in headless Chromium (puppeteer-core, pinned
// in package.json) and checks what a person would see. Fails on any console
// error, page error, or request for anything but the file itself.
//
//   node pages.js report PAGE.html EXPECTED_FINDINGS SHOT_DIR [--all-pages]
//   node pages.js audit PAGE.html EXPECTED_COMMITS EXPECTED_NEW SHOT_DIR
//
// CHROMIUM names the browser (default /usr/bin/chromium). Prints one line
// per check and "N passed, N failed" at the end; exit status 1 on a failure.
'use strict';
const path = require('path');
const fs = require('fs');
const puppeteer = require('puppeteer-core');

let passed = 0, failed = 0;
function check(ok, what, detail) {
  if (ok) { passed++; console.log('ok: ' + what); }
  else { failed++; console.log('FAIL: ' + what + (detail !== undefined ? ' (' + detail + ')' : '')); }
}

async function open(file) {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const problems = [];
  const url = 'file://' + path.resolve(file);
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push('console ' + m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    const u = r.url();
    if (u === url || u.startsWith(url + '#')) { r.continue(); return; }
    problems.push('request outside the file: ' + u.slice(0, 200));
    r.abort();
  });
  await page.setViewport({ width: 1500, height: 1000 });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  const loadMs = Date.now() - t0;
  return { browser, page, problems, loadMs };
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const count = (page, sel) => page.$$eval(sel, (es) => es.length);
const attr = (page, sel, a) => page.$eval(sel, (e, a) => e.getAttribute(a), a);
const data = (page, expr) => page.evaluate(expr);
const key = async (page, k) => { await page.keyboard.press(k); };

async function detailState(page) {
  return page.$eval('#finding-detail', (d) => ({
    finding: d.dataset.finding === undefined ? -1 : Number(d.dataset.finding),
    step: Number(d.dataset.step || 0),
    current: (d.querySelector('li.step.current') || { dataset: {} }).dataset.step,
    hl: (d.querySelector('li.step.current pre.src div.hl') || { dataset: {} }).dataset.line,
  }));
}

/* Every finding's file:line:col in the table, page by page. */
async function allLocations(page) {
  const seen = [];
  for (let guard = 0; guard < 1000; guard++) {
    seen.push(...await page.$$eval('#findings-table td.loc > span', (es) => es.map((e) => e.textContent)));
    const next = await page.$$('#f-pager button.next');
    if (!next.length || await next[0].evaluate((b) => b.disabled)) break;
    await next[0].click();
  }
  return seen;
}

async function report(file, expected, shots, allPages) {
  const { browser, page, problems, loadMs } = await open(file);
  await page.waitForSelector('#la-shown');
  const drawnMs = await data(page, () => LA.drawnMs);
  const bytes = fs.statSync(file).size;
  console.log(`page ${(bytes / 1024).toFixed(0)} KB: loaded in ${loadMs} ms, findings table drawn ${drawnMs.toFixed(0)} ms after navigation began`);
  const F = await data(page, () => LA.data.report.findings.map((f) => ({ check: f.check, file: f.file, line: f.line, col: f.col,
    steps: f.steps.map((s) => s.line) })));
  check(F.length === expected, 'the page carries every finding', `${F.length} != ${expected}`);
  check(Number(await attr(page, '#la-shown', 'data-shown')) === expected, 'the count shows every finding',
    await text(page, '#la-shown'));
  const rows = await count(page, '#findings-table tbody tr');
  check(rows === Math.min(expected, 100), 'the table has a row per finding (100 a page)', rows);
  const shot = (name) => page.screenshot({ path: path.join(shots, name), fullPage: false });

  /* every file:line:col rendered */
  if (allPages || expected <= 100) {
    const t1 = Date.now();
    const locs = await allLocations(page);
    const want = F.map((f) => `${f.file}:${f.line}:${f.col}`).sort();
    check(JSON.stringify(locs.slice().sort()) === JSON.stringify(want), 'every finding\'s file:line:col is in the table',
      `${locs.length} rendered, ${want.length} expected`);
    console.log(`paging through every finding: ${Date.now() - t1} ms`);
    for (;;) {   /* back to the first page (the pager draws new buttons each time) */
      const prev = await page.$('#f-pager button.prev');
      if (!prev || await prev.evaluate((b) => b.disabled)) break;
      await prev.click();
    }
  }

  /* the counts per check, and a filter that narrows */
  const byCheck = {};
  for (const f of F) byCheck[f.check] = (byCheck[f.check] || 0) + 1;
  const chips = await page.$$eval('#la-check-counts .la-chip', (bs) => bs.map((b) => [b.dataset.check, Number(b.querySelector('b').textContent)]));
  check(JSON.stringify(Object.fromEntries(chips)) === JSON.stringify(Object.fromEntries(Object.entries(byCheck).sort())),
    'a count per check', JSON.stringify(chips));
  const some = Object.keys(byCheck).sort((a, b) => byCheck[a] - byCheck[b])[0];
  await page.select('#f-check', some);
  const narrowed = Number(await attr(page, '#la-shown', 'data-shown'));
  const narrowedRows = await count(page, '#findings-table tbody tr');
  check(narrowed === byCheck[some] && narrowed < expected && narrowedRows === Math.min(narrowed, 100),
    `the check filter narrows the table to ${some}`, `${narrowed} shown, ${narrowedRows} rows`);
  const checksShown = await page.$$eval('#findings-table tbody tr td:nth-child(2)', (es) => [...new Set(es.map((e) => e.textContent))]);
  check(checksShown.length === 1 && checksShown[0] === some, 'only that check\'s rows remain', checksShown.join(','));
  await page.select('#f-check', '');
  const aFile = F[0].file, base = aFile.split('/').pop();
  await page.type('#f-file', base);
  const fileCount = F.filter((f) => f.file.toLowerCase().includes(base.toLowerCase())).length;
  check(Number(await attr(page, '#la-shown', 'data-shown')) === fileCount, `the file filter narrows to ${base}`,
    await text(page, '#la-shown'));
  await page.$eval('#f-file', (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
  check(Number(await attr(page, '#la-shown', 'data-shown')) === expected, 'clearing the filter shows every finding again');

  /* sorting: by check, descending on the second click */
  await page.click('th[data-key="check"]');
  let firstCheck = await text(page, '#findings-table tbody tr td:nth-child(2)');
  check(firstCheck === Object.keys(byCheck).sort()[0], 'sorted by check', firstCheck);
  await page.click('th[data-key="check"]');
  firstCheck = await text(page, '#findings-table tbody tr td:nth-child(2)');
  check(firstCheck === Object.keys(byCheck).sort().pop(), 'sorted by check, descending', firstCheck);
  await page.click('th[data-key="location"]');

  /* keys: right through the steps of the first finding, on to the second; left back */
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  const order = await page.$$eval('#findings-table tbody tr', (trs) => trs.map((t) => Number(t.dataset.idx)));
  await key(page, 'ArrowRight');
  let s = await detailState(page);
  const f0 = F[order[0]];
  check(s.finding === order[0] && s.step === 0, 'right arrow opens the first finding at step 1', JSON.stringify(s));
  if (f0.steps.length) {
    check(s.current === '0' && Number(s.hl) === f0.steps[0], 'step 1 is marked and its source line highlighted',
      JSON.stringify(s));
  }
  for (let i = 1; i < f0.steps.length; i++) await key(page, 'ArrowRight');
  s = await detailState(page);
  check(s.finding === order[0] && s.step === Math.max(0, f0.steps.length - 1), 'right arrow walks the steps',
    JSON.stringify(s));
  await shot('report-trace.png');
  await key(page, 'ArrowRight');
  s = await detailState(page);
  check(s.finding === order[1] && s.step === 0, 'past the last step, right arrow goes to the next finding', JSON.stringify(s));
  await key(page, 'ArrowLeft');
  s = await detailState(page);
  check(s.finding === order[0] && s.step === Math.max(0, f0.steps.length - 1), 'left arrow goes back to the previous finding\'s last step',
    JSON.stringify(s));
  const withSteps = F.findIndex((f) => f.steps.length > 1);
  if (withSteps >= 0) {
    await page.evaluate((i) => { location.hash = 'findings=' + i; }, withSteps);
    await page.waitForFunction((i) => document.querySelector('#finding-detail').dataset.finding === String(i), {}, withSteps);
    await key(page, 'ArrowRight');
    await key(page, 'ArrowLeft');
    s = await detailState(page);
    check(s.finding === withSteps && s.step === 0, 'a #findings=N link opens that finding; right then left is back at step 1',
      JSON.stringify(s));
  }

  /* guard map */
  await page.click('#tabbtn-guards');
  await page.waitForSelector('#gm-shown');
  const fields = await data(page, () => LA.data.guards.fields.length);
  const shownFields = Number(await attr(page, '#gm-shown', 'data-shown'));
  const drawn = await count(page, '#gm-list .gm-field');
  check(fields > 0 && drawn > 0 && drawn <= 50 && drawn === Math.min(shownFields, 50), 'the guard map draws its fields, 50 a page',
    `${drawn} drawn of ${shownFields} (${fields} fields)`);
  const bars = await count(page, '#gm-list .gm-bar');
  check(bars > 0, 'the guard map has bars', bars);
  await page.select('#gm-show', 'all');
  check(Number(await attr(page, '#gm-shown', 'data-shown')) === fields, 'every field can be shown');
  const oneField = await data(page, () => { const g = LA.data.guards.fields.find((x) => x.ung.length); return g ? g.s + '.' + g.f : null; });
  if (oneField) {
    await page.type('#gm-filter', oneField);
    const after = Number(await attr(page, '#gm-shown', 'data-shown'));
    check(after >= 1 && after < fields, `the guard-map filter narrows to ${oneField}`, after);
    await page.click('#gm-list .gm-field details summary');
    await page.waitForSelector('#gm-list .gm-field details li', { timeout: 5000 }).catch(() => {});
    const items = await count(page, '#gm-list .gm-field details li');
    check(items > 0, 'the unguarded accesses are listed when opened', items);
  }
  await shot('report-guards.png');

  /* lock-order graph */
  await page.click('#tabbtn-graph');
  const graph = await data(page, () => LA.data.graph);
  const nodes = await count(page, '#tab-graph svg.lockgraph .lg-node');
  check(nodes === graph.nodes.length, 'the graph draws a node per lock class', `${nodes} != ${graph.nodes.length}`);
  const edges = await count(page, '#tab-graph svg.lockgraph g.lg-e');
  check(edges === graph.edges.length, 'the graph draws an edge per pair', `${edges} != ${graph.edges.length}`);
  const red = await count(page, '#tab-graph svg.lockgraph .lg-edge.cyc');
  check((red > 0) === (graph.cycles.length > 0), 'cycles are highlighted', `${red} red edges, ${graph.cycles.length} cycles`);
  const tip = await page.$eval('#tab-graph svg.lockgraph g.lg-e title', (t) => t.textContent).catch(() => '');
  check(graph.edges.length === 0 || /witness: .+\(\) at .+:\d+/.test(tip), 'an edge\'s tooltip names its witness', tip);
  const box = await page.$eval('#tab-graph svg.lockgraph', (s) => { const r = s.getBoundingClientRect(); return r.width * r.height; }).catch(() => 0);
  check(graph.edges.length === 0 || box > 0, 'the graph is drawn with a size');
  await shot('report-graph.png');
  check(problems.length === 0, 'no console error, page error or outside request', problems.slice(0, 5).join(' | '));
  await browser.close();
}

async function audit(file, commits, added, shots) {
  const { browser, page, problems, loadMs } = await open(file);
  await page.waitForSelector('.au-commit');
  console.log(`load ${loadMs} ms`);
  const sections = await count(page, '.au-commit');
  check(sections === commits, 'a section per commit', `${sections} != ${commits}`);
  const news = await page.$$eval('.au-commit', (cs) => cs.map((c) => Number(c.dataset.new)));
  check(news.reduce((a, b) => a + b, 0) === added, 'the new findings of every commit', JSON.stringify(news));
  const rows = await count(page, '.au-commit .au-new-findings tbody tr');
  check(rows === added, 'a row per new finding', rows);
  const excerpts = await page.$$eval('.au-commit .au-new-source details', (ds) => ds.map((d) => {
    d.open = true;
    const hl = d.querySelector('pre.src div.hl');
    return hl ? hl.textContent : '';
  }));
  check(excerpts.length === added && excerpts.every((t) => t.length > 0),
    'each new finding opens on its line of the commit\'s source', JSON.stringify(excerpts));
  const opened = await page.$eval('.au-commit li.au-change details', (d) => {
    d.open = true;
    d.dispatchEvent(new Event('toggle'));
    return !!d.querySelector('pre.src div.hl');
  }).catch(() => false);
  check(opened, 'a protection change shows its source when opened');
  const changes = await count(page, '.au-commit li.au-change');
  const wantChanges = await data(page, () => LA.data.audit.commits.reduce((n, c) => n + c.protection_changes.length, 0));
  check(changes === wantChanges && changes > 0, 'every protection change is listed', `${changes} != ${wantChanges}`);
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await key(page, 'ArrowRight');
  const cur = await page.$$eval('.au-commit.current', (cs) => cs.map((c) => c.dataset.commit));
  check(cur.length === 1, 'right arrow marks a commit', JSON.stringify(cur));
  await page.screenshot({ path: path.join(shots, 'audit.png'), fullPage: true });
  check(problems.length === 0, 'no console error, page error or outside request', problems.slice(0, 5).join(' | '));
  await browser.close();
}

(async () => {
  const [what, file, ...rest] = process.argv.slice(2);
  try {
    if (what === 'report') {
      fs.mkdirSync(rest[1], { recursive: true });
      await report(file, Number(rest[0]), rest[1], rest.includes('--all-pages'));
    } else if (what === 'audit') {
      fs.mkdirSync(rest[2], { recursive: true });
      await audit(file, Number(rest[0]), Number(rest[1]), rest[2]);
    } else {
      console.log('usage: node pages.js report|audit PAGE ...');
      process.exit(2);
    }
  } catch (e) {
    failed++;
    console.log('FAIL: ' + (e && e.stack || e));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

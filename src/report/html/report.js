/* lockaudit report: the findings with their traces, the guard map and the
 * lock-order graph (data: src/report/html_data.c, html_guards.c,
 * html_lockgraph.c). Keys: left/right step through a trace and on to the
 * previous/next finding; "/" goes to the filter. */
(function () {
  const D = LA.data, F = D.report.findings, M = D.meta;
  const PAGE = 100, FIELD_PAGE = 50;
  F.forEach((f, i) => { f.idx = i; f.locks = f.lock ? f.lock.split(',').map(s => s.trim()).filter(Boolean) : []; });

  LA.header([['tree', M.tree], ['commit', M.commit], ['rules', M.rules], ['checks', M.selection],
    ['generated', M.generated]],
  'keys: \u2190 \u2192 through the steps and on to the previous or next finding, / to filter');

  const suppression = (s) => s.file + ':' + s.line + ': ignore[' + s.check + '] ' + s.reason;

  /* findings at a file:line, for the guard map's links */
  const atLine = new Map();
  for (const f of F) {
    const k = f.file + ':' + f.line;
    if (!atLine.has(k)) atLine.set(k, f.idx);
  }

  /* ---------------- findings ---------------- */
  const SEV = { error: 0, warning: 1, note: 2 };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const byLoc = (a, b) => cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.check, b.check);
  const SORTS = {
    severity: (a, b) => (SEV[a.severity] ?? 9) - (SEV[b.severity] ?? 9) || byLoc(a, b),
    check: (a, b) => cmp(a.check, b.check) || byLoc(a, b),
    location: byLoc,
    lock: (a, b) => cmp(a.lock || '\uffff', b.lock || '\uffff') || byLoc(a, b),
    message: (a, b) => cmp(a.message, b.message) || byLoc(a, b),
  };
  const st = { check: '', severity: '', file: '', lock: '', text: '', sort: 'location',
    dir: 1, list: F.slice(), sel: -1, step: 0 };
  const ui = {};

  function filtered() {
    const file = st.file.toLowerCase(), text = st.text.toLowerCase();
    const list = F.filter(f => (!st.check || f.check === st.check) && (!st.severity || f.severity === st.severity) &&
      (!file || (f.file || '').toLowerCase().includes(file)) && (!st.lock || f.locks.includes(st.lock)) &&
      (!text || (f.message + '\n' + (f.function || '') + '\n' + (f.subject || '')).toLowerCase().includes(text)));
    const sort = SORTS[st.sort];
    list.sort((a, b) => st.dir * sort(a, b));
    return list;
  }

  function select(idx, step, fromKeys) {
    st.sel = idx;
    st.step = step;
    const pos = st.list.findIndex(f => f.idx === idx);
    if (pos >= 0 && Math.floor(pos / PAGE) !== ui.pager.page) {
      ui.pager.set(st.list.length, Math.floor(pos / PAGE));
      drawRows();
    }
    for (const tr of ui.tbody.children)
      tr.classList.toggle('selected', Number(tr.dataset.idx) === idx);
    const row = ui.tbody.querySelector('tr.selected');
    if (row && fromKeys) row.scrollIntoView({ block: 'nearest' });
    drawDetail();
  }

  function drawRows() {
    ui.tbody.textContent = '';
    for (const f of ui.pager.slice(st.list)) {
      ui.tbody.append(h('tr', { class: 'la-row' + (f.idx === st.sel ? ' selected' : ''), 'data-idx': f.idx,
        onclick: () => select(f.idx, 0) },
        h('td', null, LA.sev(f.severity)),
        h('td', null, h('span', { class: 'tag', text: f.check })),
        h('td', { class: 'loc' }, LA.breakable(LA.loc(f.file, f.line, f.col)),
          h('div', { class: 'func', text: f.function ? f.function + '()' : '' })),
        h('td', { class: 'lock', text: (f.lock || '').replace(/,/g, ', ') }),
        h('td', { class: 'msg' }, f.message, f.ignored ? h('span', { class: 'tag', title: f.ignored, text: 'ignored' }) : null,
          f.suppressed ? h('span', { class: 'tag', title: suppression(f.suppressed), text: 'suppressed' }) : null)));
    }
  }

  function refresh() {
    st.list = filtered();
    ui.shown.textContent = st.list.length === F.length ? LA.plural(F.length, 'finding')
      : st.list.length + ' of ' + LA.plural(F.length, 'finding');
    ui.shown.dataset.shown = st.list.length;
    ui.pager.set(st.list.length, 0);
    for (const th of ui.thead.querySelectorAll('th.sortable'))
      th.setAttribute('aria-sort', th.dataset.key === st.sort ? (st.dir > 0 ? 'ascending' : 'descending') : 'none');
    for (const b of ui.chips.children)
      b.setAttribute('aria-pressed', b.dataset.check === st.check ? 'true' : 'false');
    ui.fcheck.value = st.check;
    drawRows();
  }

  function drawDetail() {
    const d = ui.detail;
    d.textContent = '';
    const f = F[st.sel];
    if (!f) {
      d.append(h('p', { class: 'muted', text: 'Select a finding (or press \u2192) to see its trace.' }));
      return;
    }
    d.dataset.finding = f.idx;
    d.dataset.step = st.step;
    /* the field a guard finding is about (other checks' subjects are lock classes or callees) */
    const field = /guard$/.test(f.check) && fieldSet.has(f.subject) ? f.subject : null;
    d.append(...[h('h2', { text: f.message }),
      h('div', { class: 'step-head' }, LA.sev(f.severity), h('span', { class: 'tag', text: f.check }),
        h('span', { class: 'mono', text: LA.loc(f.file, f.line, f.col) }), h('span', { class: 'mono', text: 'in ' + f.function + '()' })),
      h('div', { class: 'muted' }, f.lock ? 'lock: ' + f.lock + ' \u00b7 ' : '', 'fingerprint ', h('code', { text: f.fingerprint }),
        field ? [' \u00b7 ', h('a', { href: '#guards=' + field, text: 'guard map of ' + field })] : null),
      f.ignored ? h('p', { class: 'la-warn', text: 'ignored by the rules: ' + f.ignored }) : null,
      f.suppressed ? h('p', { class: 'la-warn', text: 'suppressed in the source: ' + suppression(f.suppressed) }) : null,
      LA.excerpt(f.file, f.line, D.context)].filter(Boolean));
    if (!f.steps.length) {
      d.append(h('p', { class: 'muted', text: 'No trace.' }));
      return;
    }
    const ol = h('ol', { class: 'steps' });
    f.steps.forEach((s, i) => {
      ol.append(h('li', { class: 'step' + (i === st.step ? ' current' : ''), 'data-step': i, onclick: () => select(f.idx, i) },
        h('div', { class: 'step-head' }, h('span', { class: 'step-no', text: (i + 1) + '.' }),
          h('span', { class: 'kind kind-' + s.kind, text: s.kind }),
          h('span', { class: 'mono', text: LA.loc(s.file, s.line, s.col) }),
          s.function ? h('span', { class: 'mono muted', text: s.function + '()' }) : null),
        h('div', { text: s.text }),
        LA.excerpt(s.file, s.line, D.context)));
    });
    d.append(h('h3', { text: 'Trace: ' + LA.plural(f.steps.length, 'step') + ' (\u2190 \u2192)' }), ol);
    const cur = ol.children[st.step];
    if (cur) cur.scrollIntoView({ block: 'nearest' });
  }

  /* right: next step, then the next finding; left: the reverse */
  function move(delta) {
    const list = st.list;
    if (!list.length) return;
    let pos = list.findIndex(f => f.idx === st.sel);
    if (pos < 0) { select(list[delta > 0 ? 0 : list.length - 1].idx, 0, true); return; }
    const n = F[st.sel].steps.length;
    if (delta > 0 && st.step + 1 < n) select(st.sel, st.step + 1, true);
    else if (delta < 0 && st.step > 0) select(st.sel, st.step - 1, true);
    else {
      pos += delta;
      if (pos < 0 || pos >= list.length) return;
      const g = list[pos];
      select(g.idx, delta > 0 ? 0 : Math.max(0, g.steps.length - 1), true);
    }
  }

  function option(value, label) { return h('option', { value, text: label }); }
  const uniq = (xs) => [...new Set(xs)].sort();

  function drawFindings(sec) {
    const counts = {};
    for (const f of F) counts[f.check] = (counts[f.check] || 0) + 1;
    const c = D.report.counts, marked = F.some(f => f.ignored || f.suppressed);
    const left = [];
    if (c.check_off) left.push(c.check_off + ' of checks that are off');
    if (c.ignored && !marked) left.push(c.ignored + ' ignored by the rules');
    if (c.suppressed && !marked) left.push(c.suppressed + ' suppressed inline');
    if (c.in_baseline) left.push(c.in_baseline + ' in the baseline');
    ui.shown = h('span', { id: 'la-shown' });
    ui.chips = h('div', { class: 'la-chips', id: 'la-check-counts' },
      Object.keys(counts).sort().map(id => h('button', { class: 'la-chip', 'data-check': id, 'aria-pressed': 'false',
        title: (D.checks.find(x => x.id === id) || {}).title || null,
        onclick: () => { st.check = st.check === id ? '' : id; refresh(); } }, id + ' ', h('b', { text: counts[id] }))));
    ui.fcheck = h('select', { id: 'f-check', onchange: (e) => { st.check = e.target.value; refresh(); } },
      option('', 'all'), uniq(F.map(f => f.check)).map(x => option(x, x)));
    const fsev = h('select', { id: 'f-severity', onchange: (e) => { st.severity = e.target.value; refresh(); } },
      option('', 'all'), uniq(F.map(f => f.severity)).map(x => option(x, x)));
    const ffile = h('input', { id: 'f-file', type: 'search', placeholder: 'path contains', size: 18,
      oninput: (e) => { st.file = e.target.value; refresh(); } });
    const flock = h('select', { id: 'f-lock', onchange: (e) => { st.lock = e.target.value; refresh(); } },
      option('', 'any'), uniq(F.flatMap(f => f.locks)).map(x => option(x, x)));
    ui.flock = flock;
    ui.ftext = h('input', { id: 'f-text', type: 'search', placeholder: 'message, function', size: 18,
      oninput: (e) => { st.text = e.target.value; refresh(); } });
    const cols = [['severity', 'Severity'], ['check', 'Check'], ['location', 'Location'], ['lock', 'Lock'],
      ['message', 'Message']];
    ui.thead = h('thead', null, h('tr', null, cols.map(([key, label]) => h('th', { class: 'sortable', 'data-key': key,
      'aria-sort': 'none', text: label,
      onclick: () => { st.dir = st.sort === key ? -st.dir : 1; st.sort = key; refresh(); } }))));
    ui.tbody = h('tbody');
    ui.pager = LA.pager(PAGE, () => drawRows(), 'f-pager');
    ui.detail = h('div', { class: 'la-detail', id: 'finding-detail' });
    sec.append(
      h('p', null, ui.shown, left.length ? h('span', { class: 'muted', text: ' (not shown: ' + left.join(', ') + ')' }) : null),
      ui.chips,
      h('div', { class: 'la-filters' }, h('label', null, 'check', ui.fcheck), h('label', null, 'severity', fsev),
        h('label', null, 'file', ffile), h('label', null, 'lock', flock), h('label', null, 'text', ui.ftext)),
      h('div', { class: 'la-split' },
        h('div', null, ui.pager.el, h('div', { class: 'la-scroll' }, h('table', { id: 'findings-table' }, ui.thead, ui.tbody))),
        ui.detail));
    refresh();
    drawDetail();
  }

  /* ---------------- guard map ---------------- */
  const G = D.guards || { fields: [], files: [], funcs: [] };
  const fieldSet = new Set(G.fields.map(g => g.s + '.' + g.f));
  const gs = { filter: '', show: 'locked', sort: 'name' };
  function fieldName(g) { return g.s + '.' + g.f; }
  function guardedShare(g) {
    const total = g.r + g.w;
    return total ? 1 - g.ung.length / total : 0;
  }
  function drawField(g) {
    const total = g.r + g.w;
    const el = h('div', { class: 'gm-field', 'data-field': fieldName(g) },
      h('span', { class: 'gm-name', text: fieldName(g) }), ' ',
      h('span', { class: 'muted', text: LA.plural(total, 'access', 'accesses') + ' (' + g.r + ' read, ' + g.w + ' write)' +
        (g.a ? ', ' + g.a + ' address-taken' : '') + (g.u ? ', ' + g.u + ' on no analysed path' : '') +
        (g.p ? ', ' + g.p + ' in lock primitives' : '') }));
    const bars = h('div', { class: 'gm-bars' });
    for (const [cls, r, w] of g.locks) {
      bars.append(h('span', { class: 'mono', text: cls }),
        LA.bar([[total ? r / total : 0, 'r'], [total ? w / total : 0, 'w']], 'reads ' + r + '/' + g.r + ', writes ' + w + '/' + g.w),
        h('span', { text: (r + w) + ' of ' + total + ' (' + LA.pct(r + w, total) + ')  reads ' + r + '/' + g.r + ', writes ' + w + '/' + g.w }));
    }
    if (g.ung.length)
      bars.append(h('span', { class: 'muted', text: 'under no lock' }),
        LA.bar([[total ? g.ung.length / total : 0, 'none']]),
        h('span', { text: g.ung.length + ' of ' + total + ' (' + LA.pct(g.ung.length, total) + ')' }));
    el.append(bars);
    if (g.ung.length) {
      const det = h('details', { class: 'gm-ung' }, h('summary', { text: 'accesses under no lock: ' + g.ung.length }));
      det.addEventListener('toggle', () => {   /* drawn when opened: thousands of rows otherwise */
        if (!det.open || det.dataset.drawn) return;
        det.dataset.drawn = '1';
        det.append(h('ul', null, g.ung.map(([fi, line, col, mode, fu, expr]) => {
          const file = G.files[fi], idx = atLine.get(file + ':' + line);
          const where = LA.loc(file, line, col);
          return h('li', null, idx === undefined ? h('span', { text: where })
            : h('a', { href: '#findings=' + idx, title: 'the finding at this line', text: where }),
          ' ' + (mode === 'w' ? 'write' : 'read') + ' in ' + G.funcs[fu] + ': ' + expr);
        })));
      });
      el.append(det);
    }
    return el;
  }
  function fieldsShown() {
    const q = gs.filter.toLowerCase();
    const list = G.fields.filter(g => (gs.show === 'all' || (gs.show === 'locked' ? g.locks.length : g.ung.length)) &&
      (!q || fieldName(g).toLowerCase().includes(q) || g.locks.some(l => l[0].toLowerCase() === q)));
    if (gs.sort === 'accesses') list.sort((a, b) => (b.r + b.w) - (a.r + a.w));
    else if (gs.sort === 'unguarded') list.sort((a, b) => b.ung.length - a.ung.length);
    else if (gs.sort === 'guarded') list.sort((a, b) => guardedShare(b) - guardedShare(a));
    return list;
  }
  function drawGuards(sec) {
    const list = h('div', { id: 'gm-list' }), count = h('span', { id: 'gm-shown' });
    let shown = [];
    const pager = LA.pager(FIELD_PAGE, () => draw(), 'gm-pager');
    const draw = () => { list.textContent = ''; list.append(...pager.slice(shown).map(drawField)); };
    const refreshFields = () => {
      shown = fieldsShown();
      count.textContent = shown.length + ' of ' + LA.plural(G.fields.length, 'field');
      count.dataset.shown = shown.length;
      pager.set(shown.length, 0);
      draw();
    };
    const filter = h('input', { id: 'gm-filter', type: 'search', placeholder: 'struct.field or lock class', size: 28,
      oninput: (e) => { gs.filter = e.target.value; refreshFields(); } });
    const show = h('select', { id: 'gm-show', onchange: (e) => { gs.show = e.target.value; refreshFields(); } },
      option('locked', 'fields with a lock at some access'), option('unguarded', 'fields with unguarded accesses'),
      option('all', 'every field'));
    const sort = h('select', { id: 'gm-sort', onchange: (e) => { gs.sort = e.target.value; refreshFields(); } },
      option('name', 'name'), option('accesses', 'most accesses'), option('unguarded', 'most unguarded'),
      option('guarded', 'best guarded'));
    sec.append(h('p', null, 'Per field: the share of its reads and writes with each lock class held on every path there, ',
      'and the accesses under none. ', h('span', { class: 'legend' }, h('span', null, h('i', { class: 'r' }), 'reads'),
        h('span', null, h('i', { class: 'w' }), 'writes'))),
      h('div', { class: 'la-filters' }, h('label', null, 'filter', filter), h('label', null, 'show', show),
        h('label', null, 'sort', sort), count),
      pager.el, list);
    ui.gmFilter = filter;
    ui.gmShow = show;
    ui.gmRefresh = refreshFields;
    refreshFields();
  }

  /* ---------------- lock-order graph ---------------- */
  function drawGraph(sec) {
    const g = D.graph || { nodes: [], edges: [], cycles: [] };
    const svg = document.querySelector('#la-svg svg');
    sec.append(h('p', null, LA.plural(g.nodes.length, 'lock class', 'lock classes') + ', ' +
      LA.plural(g.edges.length, 'edge') + ' "acquired while holding" (from the class held to the class taken). ',
      g.cycles.length ? h('span', { class: 'lost', text: LA.plural(g.cycles.length, 'cycle') + ' in red' })
        : 'No cycle.', ' Hover an edge for its witness; click a class to filter the findings by it.'));
    if (g.cycles.length)
      sec.append(h('ul', { id: 'lg-cycles' }, g.cycles.map(c => h('li', { class: 'mono', text: c.join(' \u2194 ') }))));
    if (svg) {
      sec.append(h('div', { class: 'lg-wrap' }, svg));
      for (const node of svg.querySelectorAll('.lg-node'))
        node.addEventListener('click', () => {
          const lock = node.dataset.lock;
          if ([...ui.flock.options].some(o => o.value === lock)) {
            location.hash = 'findings';
            st.lock = lock;
            ui.flock.value = lock;
            refresh();
          } else {
            for (const n of svg.querySelectorAll('.lg-node.sel')) n.classList.remove('sel');
            node.classList.add('sel');
          }
        });
    } else {
      sec.append(h('p', { class: 'muted', text: 'No lock-order edge was recorded.' }));
    }
    const edges = h('details', null, h('summary', { text: 'every edge with its witness (' + g.edges.length + ')' }));
    edges.addEventListener('toggle', () => {
      if (!edges.open || edges.dataset.drawn) return;
      edges.dataset.drawn = '1';
      edges.append(h('table', null, h('thead', null, h('tr', null, ['held', 'acquired', 'times', 'witness'].map(t => h('th', { text: t })))),
        h('tbody', null, g.edges.map(([a, b, n, fn, file, line]) => h('tr', null, h('td', { class: 'mono', text: g.nodes[a] }),
          h('td', { class: 'mono', text: g.nodes[b] }), h('td', { text: n }),
          h('td', { class: 'mono', text: fn + '() at ' + LA.loc(file, line) }))))));
    });
    sec.append(edges);
  }

  LA.tabs([
    { id: 'findings', label: 'Findings (' + F.length + ')', draw: drawFindings,
      route: (arg) => {
        const idx = Number(arg);
        if (!(idx >= 0 && idx < F.length)) return;
        if (!st.list.some(f => f.idx === idx)) {   /* filtered out: show everything again */
          Object.assign(st, { check: '', severity: '', file: '', lock: '', text: '' });
          for (const id of ['f-severity', 'f-file', 'f-lock', 'f-text']) document.getElementById(id).value = '';
          refresh();
        }
        select(idx, 0, true);
      } },
    { id: 'guards', label: 'Guard map (' + G.fields.length + ' fields)', draw: drawGuards,
      route: (arg) => { gs.filter = arg; gs.show = 'all'; ui.gmFilter.value = arg; ui.gmShow.value = 'all'; ui.gmRefresh(); } },
    { id: 'graph', label: 'Lock order', draw: drawGraph },
  ]);

  /* when the first view was drawn, in ms since the navigation began (bench/report.sh) */
  LA.drawnMs = performance.now();

  LA.onKey((key) => {
    if (key === '/') {
      const input = LA.current.id === 'guards' ? ui.gmFilter : ui.ftext;
      if (input) input.focus();
      return true;
    }
    if (LA.current.id !== 'findings') return false;
    if (key === 'ArrowRight') { move(1); return true; }
    if (key === 'ArrowLeft') { move(-1); return true; }
    return false;
  });
})();

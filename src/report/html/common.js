/* lockaudit's HTML pages: what the report and the audit page share (the
 * data, the header, tabs, pager, bars, source excerpts, keys). No library:
 * the page must work from file:// with nothing fetched. */
'use strict';

const LA = {};
LA.data = JSON.parse(document.getElementById('la-data').textContent);

/* h('td', {class: 'loc', text: 'a.c:3'}, child...) */
LA.h = function (tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
};
const h = LA.h;

LA.plural = (n, one, many) => n + ' ' + (n === 1 ? one : (many || one + 's'));
LA.loc = (file, line, col) => (file || '?') + ':' + line + (col ? ':' + col : '');
/* A path that may wrap after each '/' (the text stays the same). */
LA.breakable = function (path) {
  const span = h('span');
  path.split('/').forEach((part, i) => { if (i) span.append('/', h('wbr')); span.append(part); });
  return span;
};
LA.sev = (s) => h('span', { class: 'sev sev-' + s, text: s });
LA.pct = (n, total) => total ? Math.round(100 * n / total) + '%' : '-';

/* The run's metadata in the header: [label, value] pairs, empty values
 * left out; `keys` says in the footer what the keys do. */
LA.header = function (pairs, keys) {
  document.getElementById('la-keys').textContent = keys;
  const dl = document.getElementById('la-meta');
  for (const [label, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(h('dt', { text: label }), h('dd', { text: String(value) }));
  }
  document.getElementById('la-version').textContent = LA.data.meta.version || '';
};

/* Tabs, each drawn the first time it is shown; location.hash "#ID" or
 * "#ID=ARG" selects one (and hands ARG to its route function). */
LA.tabs = function (tabs) {
  const nav = document.getElementById('la-tabs'), main = document.getElementById('la-main');
  const byId = {};
  for (const t of tabs) {
    t.section = h('section', { id: 'tab-' + t.id, role: 'tabpanel', hidden: true });
    t.button = h('button', { role: 'tab', id: 'tabbtn-' + t.id, 'aria-selected': 'false', text: t.label,
      onclick: () => { location.hash = t.id; } });
    nav.append(t.button);
    main.append(t.section);
    byId[t.id] = t;
  }
  const show = (id, arg) => {
    const t = byId[id] || tabs[0];
    for (const o of tabs) {
      o.section.hidden = o !== t;
      o.button.setAttribute('aria-selected', o === t ? 'true' : 'false');
    }
    if (!t.drawn) { t.drawn = true; t.draw(t.section); }
    LA.current = t;
    if (arg !== undefined && t.route) t.route(arg);
  };
  const route = () => {
    const hash = decodeURIComponent(location.hash.slice(1));
    const eq = hash.indexOf('=');
    if (eq < 0) show(hash);
    else show(hash.slice(0, eq), hash.slice(eq + 1));
  };
  window.addEventListener('hashchange', route);
  route();
  return { show };
};

/* Numbered pages over `total` items; onPage(page) draws one. */
LA.pager = function (size, onPage, id) {
  const el = h('div', { class: 'la-pager', id: id || null });
  const p = { el, page: 0, total: 0, size };
  const draw = () => {
    el.textContent = '';
    const pages = Math.max(1, Math.ceil(p.total / size));
    if (pages <= 1) return;
    el.append(
      h('button', { class: 'prev', text: '\u2190 previous', disabled: p.page === 0 ? true : null, onclick: () => p.go(p.page - 1) }),
      h('span', { text: 'page ' + (p.page + 1) + ' of ' + pages + ' (' + size + ' a page)' }),
      h('button', { class: 'next', text: 'next \u2192', disabled: p.page + 1 >= pages ? true : null, onclick: () => p.go(p.page + 1) }));
  };
  p.set = (total, page) => {
    p.total = total;
    p.page = Math.max(0, Math.min(page || 0, Math.ceil(total / size) - 1));
    draw();
  };
  p.go = (page) => { p.set(p.total, page); onPage(p.page); };
  p.slice = (list) => list.slice(p.page * size, (p.page + 1) * size);
  return p;
};

/* A bar of parts [[fraction, class], ...] (fractions of the whole bar). */
LA.bar = function (parts, title) {
  const bar = h('div', { class: 'gm-bar', title: title || null });
  for (const [frac, cls] of parts) {
    const s = h('span', { class: cls });
    s.style.width = (100 * Math.max(0, Math.min(1, frac))).toFixed(2) + '%';
    bar.append(s);
  }
  return bar;
};

/* Lines around `line` of `file` from the excerpts the page carries:
 * sources[file] = [[first line, [text, ...]], ...] (the report's, or
 * those of one revision of an audit). */
LA.excerpt = function (file, line, context, sources) {
  const chunks = (sources || LA.data.sources || {})[file];
  const pre = h('pre', { class: 'src' });
  if (!chunks) return h('div', { class: 'muted', text: 'source not available' });
  for (const [first, lines] of chunks) {
    if (line < first || line >= first + lines.length) continue;
    const lo = Math.max(first, line - context), hi = Math.min(first + lines.length - 1, line + context);
    for (let n = lo; n <= hi; n++)
      pre.append(h('div', { class: n === line ? 'hl' : null, 'data-line': n },
        h('span', { class: 'ln', text: n }), lines[n - first]));
    return pre;
  }
  return h('div', { class: 'muted', text: 'source not available' });
};

/* A small table of findings (no sorting): severity, check, where, message. */
LA.findingTable = function (list) {
  return h('table', { class: 'la-small' },
    h('thead', null, h('tr', null, ['Severity', 'Check', 'Location', 'Function', 'Message'].map(t => h('th', { text: t })))),
    h('tbody', null, list.map(f => h('tr', null,
      h('td', null, LA.sev(f.severity)), h('td', null, h('span', { class: 'tag', text: f.check })),
      h('td', { class: 'loc', text: LA.loc(f.file, f.line, f.col) }), h('td', { class: 'mono', text: f.function || f.func || '' }),
      h('td', { text: f.message })))));
};

/* Keys for the page, not while typing in a filter (Escape leaves it);
 * handler(key) returns true when it used the key. */
LA.onKey = function (handler) {
  document.addEventListener('keydown', (ev) => {
    const tag = (ev.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea') {
      if (ev.key === 'Escape') ev.target.blur();
      return;
    }
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (handler(ev.key, ev)) ev.preventDefault();
  });
};

/* lockaudit audit --format html: per commit of a series, the findings it
 * adds and resolves, the guard shares and accesses whose protection
 * changed, and the lock-order edges (data: src/report/audit_json.c, with
 * each change's text from audit_text.c). Keys: left/right go from commit
 * to commit. */
(function () {
  const D = LA.data, A = D.audit, M = D.meta;
  const FIRST = 200;   /* protection changes drawn at once per commit; the rest on demand */
  LA.header([['tree', M.tree], ['range', M.range], ['base', A.base], ['rules', M.rules], ['generated', M.generated]],
    'keys: \u2190 \u2192 previous or next commit');
  const short = (id) => id.slice(0, 12);
  const sections = [];
  let current = -1;

  function counts(c) {
    const changed = c.protection_changes.filter(x => x.kind === 'held-changed').length;
    const appeared = c.protection_changes.filter(x => x.kind === 'appeared').length;
    const gone = c.protection_changes.length - changed - appeared;
    return h('div', { class: 'au-counts' },
      h('span', { class: c.new.length ? 'au-new' : null }, h('b', { text: c.new.length }), ' new ', c.new.length === 1 ? 'finding' : 'findings'),
      h('span', { class: c.resolved.length ? 'au-resolved' : null }, h('b', { text: c.resolved.length }), ' resolved'),
      h('span', null, h('b', { text: changed }), ' ' + (changed === 1 ? 'access' : 'accesses') + ' changed protection, ',
        h('b', { text: appeared }), ' new, ', h('b', { text: gone }), ' removed'),
      h('span', null, 'lock order: ', h('b', { text: c.lock_order_added.length }), ' added, ',
        h('b', { text: c.lock_order_removed.length }), ' removed'),
      c.cached ? h('span', { text: '(cached)' }) : null);
  }

  function shares(c) {
    if (!c.guard_shares.length) return null;
    const grid = h('div', { class: 'gm-bars' });
    for (const s of c.guard_shares) {
      grid.append(h('span', { class: 'gm-name', text: s.struct + '.' + s.field }), h('span'), h('span'));
      for (const l of s.locks) {
        const before = s.before_total ? l.before / s.before_total : 0, after = s.after_total ? l.after / s.after_total : 0;
        grid.append(h('span', { class: 'mono', text: l.class }),
          h('div', null, LA.bar([[before, 'r']], 'before: ' + l.before + '/' + s.before_total),
            LA.bar([[after, after < before ? 'w' : 'r']], 'after: ' + l.after + '/' + s.after_total)),
          h('span', { class: after < before ? 'lost' : after > before ? 'gained' : null,
            text: l.before + '/' + s.before_total + ' \u2192 ' + l.after + '/' + s.after_total }));
      }
    }
    return [h('h3', { text: 'Guard shares (accesses under each lock on every path, before \u2192 after)' }), grid];
  }

  /* an access that went away is shown at the revision before the commit */
  function changeItem(c, x) {
    const src = x.kind === 'disappeared' ? c.sources_before : c.sources;
    const summary = h('summary', null, LA.loc(x.file, x.line) + ': ' + x.function + '() ' + x.access + ' ' + x.expr + ': ',
      h('span', { class: x.kind === 'appeared' ? 'gained' : x.kind === 'disappeared' ? 'lost' : null, text: x.text }));
    const d = h('details', null, summary);
    d.addEventListener('toggle', () => {
      if (d.open && d.childNodes.length === 1) d.append(LA.excerpt(x.file, x.line, D.context, src));
    });
    return h('li', { class: 'mono au-change' }, d);
  }

  /* a finding's lines, from the revision it is found at */
  function excerpts(list, src, cls) {
    return h('div', { class: cls }, list.map(f => h('details', { class: 'au-excerpt' },
      h('summary', { class: 'mono', text: LA.loc(f.file, f.line) + ' ' + (f.function || '') + '()' }),
      LA.excerpt(f.file, f.line, D.context, src))));
  }

  function changes(c) {
    if (!c.protection_changes.length) return null;
    const list = h('ul', { class: 'au-changes' });
    let field = null, ul = null;
    const draw = (items) => {
      for (const x of items) {
        const name = x.struct + '.' + x.field;
        if (name !== field) {
          field = name;
          ul = h('ul');
          list.append(h('li', null, h('span', { class: 'gm-name', text: name }), ul));
        }
        ul.append(changeItem(c, x));
      }
    };
    draw(c.protection_changes.slice(0, FIRST));
    const out = [h('h3', { text: 'Protection changes (' + c.protection_changes.length + ')' }), list];
    if (c.protection_changes.length > FIRST) {
      const more = h('button', { text: 'show the other ' + (c.protection_changes.length - FIRST),
        onclick: () => { draw(c.protection_changes.slice(FIRST)); more.remove(); } });
      out.push(more);
    }
    return out;
  }

  function edges(c) {
    if (!c.lock_order_added.length && !c.lock_order_removed.length) return null;
    return [h('h3', { text: 'Lock order' }), h('ul', null,
      c.lock_order_added.map(e => h('li', { class: 'mono' }, h('span', { class: 'lost', text: 'added: ' }), e.from + ' \u2192 ' + e.to)),
      c.lock_order_removed.map(e => h('li', { class: 'mono' }, h('span', { class: 'gained', text: 'removed: ' }), e.from + ' \u2192 ' + e.to)))];
  }

  function commitSection(c, k) {
    const sec = h('section', { class: 'au-commit', id: 'commit-' + k, 'data-commit': c.commit, 'data-new': c.new.length },
      h('h2', null, '[' + (k + 1) + '/' + A.commits.length + '] ', h('code', { text: short(c.commit) }), ' ' + c.subject),
      counts(c),
      c.failed_tus ? h('p', { class: 'la-warn', text: LA.plural(c.failed_tus, 'TU') + ' failed to parse at this commit (their previous facts kept)' }) : null,
      c.new.length ? [h('h3', { text: 'New findings' }), h('div', { class: 'au-new-findings' }, LA.findingTable(c.new)),
        excerpts(c.new, c.sources, 'au-new-source')] : null,
      c.resolved.length ? [h('h3', { text: 'Resolved findings' }), h('div', { class: 'au-resolved-findings' }, LA.findingTable(c.resolved)),
        excerpts(c.resolved, c.sources_before, 'au-resolved-source')] : null,
      shares(c), changes(c), edges(c));
    sec.addEventListener('click', () => mark(k, false));
    return sec;
  }

  function mark(k, scroll) {
    current = k;
    sections.forEach((s, i) => s.classList.toggle('current', i === k));
    if (scroll && sections[k]) sections[k].scrollIntoView({ block: 'start' });
  }

  function draw(sec) {
    const added = A.commits.reduce((n, c) => n + c.new.length, 0);
    sec.append(h('p', null, LA.plural(A.commits.length, 'commit') + ' on ', h('code', { text: short(A.base) }), ': ',
      h('b', { class: added ? 'lost' : 'gained', text: LA.plural(added, 'new finding') }), ' in all.'));
    sec.append(h('table', { id: 'au-summary' },
      h('thead', null, h('tr', null, ['#', 'commit', 'subject', 'new', 'resolved', 'protection changes', 'lock order +/-'].map(t => h('th', { text: t })))),
      h('tbody', null, A.commits.map((c, k) => h('tr', { class: 'la-row', onclick: () => { location.hash = 'commits=' + k; } },
        h('td', { text: k + 1 }), h('td', { class: 'mono', text: short(c.commit) }), h('td', { text: c.subject }),
        h('td', { class: c.new.length ? 'lost' : null, text: c.new.length }), h('td', { text: c.resolved.length }),
        h('td', { text: c.protection_changes.length }),
        h('td', { text: '+' + c.lock_order_added.length + ' / -' + c.lock_order_removed.length }))))));
    for (const [k, c] of A.commits.entries()) {
      const s = commitSection(c, k);
      sections.push(s);
      sec.append(s);
    }
  }

  LA.tabs([{ id: 'commits', label: 'Commits (' + A.commits.length + ')', draw,
    route: (arg) => { const k = Number(arg); if (k >= 0 && k < sections.length) mark(k, true); } }]);
  LA.onKey((key) => {
    if (key === 'ArrowRight' && current + 1 < sections.length) { mark(current + 1, true); return true; }
    if (key === 'ArrowLeft' && current > 0) { mark(current - 1, true); return true; }
    return false;
  });
})();

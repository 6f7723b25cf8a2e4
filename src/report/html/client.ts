/**
 * The review page's script, inlined into the page as text (no bundler, no network).
 * It reads the page data from the embedded JSON (offline file) or from `serve`'s
 * API, and builds every element with DOM calls and textContent: nothing from the
 * data is ever parsed as markup. The chart SVG is the one string inserted as
 * markup, and it is written, escaped, by chart.ts.
 * Kept free of backquotes and dollar-brace pairs: it lives inside a template literal.
 * LIMITATION: every matching row is drawn (no paging or virtual scrolling), so an
 * inventory of many thousands of endpoints filters slowly; printing prints the rows
 * the filters show, with the details that are open.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var ORDER = ['shadow', 'zombie', 'unknown-host', 'documented', 'accepted', 'false-positive',
    'not-found'];
  var RISKS = ['critical', 'high', 'medium', 'low', 'info'];
  var VERDICTS = ['accepted', 'false-positive', 'needs-owner'];
  var state = { data: null, sort: { key: 'risk', dir: -1 }, open: {}, token: null, notice: '',
    filters: { q: '', host: '', status: '', risk: '', pii: '', auth: '', onlyNew: false,
      untriaged: false } };
  var root = document.getElementById('app');

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'onclick') e.addEventListener('click', v);
      else if (k === 'oninput') e.addEventListener('input', v);
      else if (k === 'onchange') e.addEventListener('change', v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function iso(t) {
    return t === null || t === undefined ? '' :
      new Date(t * 1000).toISOString().replace('.000Z', 'Z').replace('T', ' ');
  }
  function keyOf(e) { return e.host + ' ' + e.method + ' ' + e.template; }
  function riskOf(e) { return e.risk && typeof e.risk.score === 'number' ? e.risk : null; }
  function codes(e) {
    var parts = Object.keys(e.statusCodes).sort().map(function (c) {
      return c + '\u00d7' + e.statusCodes[c];
    });
    if (e.noResponse > 0) parts.push('none\u00d7' + e.noResponse);
    return parts.join(' ');
  }
  function uniq(list) {
    var seen = {}; var out = [];
    list.forEach(function (x) { if (!seen[x]) { seen[x] = 1; out.push(x); } });
    return out.sort();
  }
  function statusBadge(s) { return el('span', { 'class': 'badge status s-' + s, text: s }); }

  // --- data -------------------------------------------------------------------
  function load() {
    var embedded = document.getElementById('shadowtap-data');
    if (embedded && embedded.textContent.trim() !== '') {
      render(JSON.parse(embedded.textContent));
      return;
    }
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('shadowtap-token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    state.token = sessionStorage.getItem('shadowtap-token');
    api('GET', 'api/report', null).then(function (res) {
      if (res.status === 401) { askToken(); return; }
      if (!res.ok) throw new Error('the server answered ' + res.status);
      return res.json().then(render);
    }).catch(function (err) { fatal(String(err && err.message || err)); });
  }
  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (body !== null) headers['Content-Type'] = 'application/json';
    if (state.token) headers['X-Shadowtap-Token'] = state.token;
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin',
      body: body === null ? undefined : JSON.stringify(body) });
  }
  function fatal(msg) {
    root.textContent = '';
    root.appendChild(el('p', { 'class': 'msg err', role: 'alert', text: msg }));
  }
  function askToken() {
    root.textContent = '';
    var input = el('input', { id: 'token', type: 'password', autocomplete: 'off' });
    var form = el('form', { 'class': 'card' }, [
      el('label', { 'for': 'token', text: 'Access token (given to shadowtap serve --token)' }),
      ' ', input, ' ', el('button', { type: 'submit', text: 'Open' })]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.setItem('shadowtap-token', input.value);
      load();
    });
    root.appendChild(form);
    input.focus();
  }

  // --- page -------------------------------------------------------------------
  function render(data) {
    state.data = data;
    var focusId = document.activeElement && document.activeElement.id;
    root.textContent = '';
    var r = data.report;
    root.appendChild(el('p', { 'class': 'muted' }, [
      'Generated ' + iso(r.generatedAt) + ' UTC' +
        (r.run ? ', latest run ' + r.run.id + ' (traffic ' + iso(r.run.captureFirst) + ' to ' +
          iso(r.run.captureLast) + ')' : '') + '. Catalog: ' +
        (r.catalog.length ? r.catalog.join(', ') : 'none') + '.',
      data.mode === 'serve' ? (data.canTriage ? ' Live view: triage is saved to the database.'
        : ' Live view, read-only.') : ' Offline report.']));
    root.appendChild(summary(data));
    root.appendChild(el('h2', { id: 'chart-h', text: 'Requests over capture time' }));
    var chart = el('div', { 'class': 'chart-box' });
    chart.innerHTML = data.chartSvg;
    root.appendChild(chart);
    root.appendChild(legend(data));
    root.appendChild(el('h2', { id: 'endpoints', text: 'Endpoints' }));
    root.appendChild(filters(data));
    // Decisions are announced here too: the row may leave the filtered view when saved.
    root.appendChild(el('p', { id: 'notice', 'class': 'msg', role: 'status',
      text: state.notice }));
    var holder = el('div', { id: 'table-holder' });
    root.appendChild(holder);
    drawTable();
    if (data.alerts !== null) root.appendChild(alerts(data.alerts));
    if (r.unseen.length > 0) root.appendChild(unseen(r.unseen));
    if (data.summary.loss.length > 0) root.appendChild(loss(data.summary.loss, r.run));
    if (focusId) {
      var f = document.getElementById(focusId);
      if (f) f.focus();
    }
  }
  function summary(data) {
    var s = data.summary; var r = data.report;
    var card = function (n, label, id) {
      return el('div', { 'class': 'card', id: id }, [el('span', { 'class': 'n', text: n }),
        el('span', { 'class': 'l', text: label })]);
    };
    var cards = el('section', { 'class': 'cards', 'aria-label': 'Summary' }, [
      card(s.endpoints, 'endpoints', 'sum-endpoints'),
      card(r.counts.shadow || 0, 'shadow', 'sum-shadow'),
      card(r.counts.zombie || 0, 'zombie', 'sum-zombie'),
      card(r.counts['unknown-host'] || 0, 'on unknown hosts', 'sum-unknown'),
      card(s.newEndpoints, 'new in the latest run', 'sum-new'),
      card(s.hosts, 'hosts', 'sum-hosts'),
      card(s.withPii, 'carry personal data', 'sum-pii'),
      card(s.unauthenticated, 'reached without credentials', 'sum-unauth'),
      card(s.triaged, 'triaged', 'sum-triaged'),
      s.alerts === null ? null : card(s.alerts, 'alerts', 'sum-alerts')]);
    var wrap = el('section', { 'aria-labelledby': 'summary-h' }, [
      el('h2', { id: 'summary-h', text: 'Summary' }), cards]);
    var byStatus = el('p', { 'class': 'statuses' }, ORDER.filter(function (x) {
      return (r.counts[x] || 0) > 0;
    }).map(function (x) {
      return el('span', null, [el('span', { 'class': 'swatch s-' + x, 'aria-hidden': 'true' }),
        x + ': ' + r.counts[x]]);
    }));
    wrap.appendChild(byStatus);
    return wrap;
  }
  function legend(data) {
    var totals = {};
    data.report.endpoints.forEach(function (e) { totals[e.status] = 1; });
    return el('p', { 'class': 'statuses', 'aria-hidden': 'true' }, ORDER.filter(function (x) {
      return totals[x];
    }).map(function (x) {
      return el('span', null, [el('span', { 'class': 'swatch s-' + x }), x]);
    }));
  }

  // --- filters and table -------------------------------------------------------
  function select(id, label, values, current) {
    var s = el('select', { id: id, onchange: function () {
      state.filters[id.replace('f-', '')] = s.value; drawTable();
    } }, [el('option', { value: '', text: 'any' })].concat(values.map(function (v) {
      return el('option', { value: v, text: v, selected: v === current });
    })));
    return el('label', { 'for': id }, [label, s]);
  }
  function filters(data) {
    var eps = data.report.endpoints; var f = state.filters;
    var q = el('input', { id: 'f-q', type: 'search', value: f.q, placeholder: 'host or path',
      oninput: function () { f.q = q.value; drawTable(); } });
    var onlyNew = el('input', { id: 'f-new', type: 'checkbox', checked: f.onlyNew,
      onchange: function () { f.onlyNew = onlyNew.checked; drawTable(); } });
    var untriaged = el('input', { id: 'f-untriaged', type: 'checkbox', checked: f.untriaged,
      onchange: function () { f.untriaged = untriaged.checked; drawTable(); } });
    var pii = []; var auth = [];
    eps.forEach(function (e) {
      e.pii.forEach(function (p) { pii.push(p.kind); });
      e.auth.forEach(function (a) { auth.push(a); });
    });
    return el('div', { 'class': 'filters', role: 'search', 'aria-label': 'Filter endpoints' }, [
      el('label', { 'for': 'f-q' }, ['Search', q]),
      select('f-host', 'Host', uniq(eps.map(function (e) { return e.host; })), f.host),
      select('f-status', 'Status', ORDER.filter(function (s) {
        return eps.some(function (e) { return e.status === s; });
      }), f.status),
      select('f-risk', 'Risk', RISKS.filter(function (x) {
        return eps.some(function (e) { var r = riskOf(e); return r && r.level === x; });
      }), f.risk),
      select('f-pii', 'Personal data', uniq(pii), f.pii),
      select('f-auth', 'Auth', uniq(auth), f.auth),
      el('label', { 'class': 'check', 'for': 'f-new' }, [onlyNew, 'new only']),
      el('label', { 'class': 'check', 'for': 'f-untriaged' }, [untriaged, 'untriaged only'])]);
  }
  function visible(e) {
    var f = state.filters;
    if (f.q && (e.host + e.path + ' ' + e.method).toLowerCase()
      .indexOf(f.q.toLowerCase()) < 0) return false;
    if (f.host && e.host !== f.host) return false;
    if (f.status && e.status !== f.status) return false;
    if (f.risk) { var r = riskOf(e); if (!r || r.level !== f.risk) return false; }
    if (f.pii && !e.pii.some(function (p) { return p.kind === f.pii; })) return false;
    if (f.auth && e.auth.indexOf(f.auth) < 0) return false;
    if (f.onlyNew && !e.new) return false;
    if (f.untriaged && e.triage) return false;
    return true;
  }
  var COLUMNS = [
    { key: 'status', label: 'Status', get: function (e) { return ORDER.indexOf(e.status); } },
    { key: 'risk', label: 'Risk', get: function (e) {
      var r = riskOf(e); return r ? r.score : -1;
    } },
    { key: 'host', label: 'Host', get: function (e) { return e.host; } },
    { key: 'method', label: 'Method', get: function (e) { return e.method; } },
    { key: 'path', label: 'Path', get: function (e) { return e.path; } },
    { key: 'requests', label: 'Requests', num: true, get: function (e) { return e.requests; } },
    { key: 'responses', label: 'Responses', get: codes },
    { key: 'auth', label: 'Auth', get: function (e) { return e.auth.join(','); } },
    { key: 'pii', label: 'Personal data', get: function (e) { return e.pii.length; } },
    { key: 'lastSeen', label: 'Last seen', get: function (e) { return e.lastSeen; } },
    { key: 'triage', label: 'Triage', get: function (e) {
      return e.triage ? e.triage.verdict : '';
    } }];
  function sorted(list) {
    var col = COLUMNS.filter(function (c) { return c.key === state.sort.key; })[0];
    var dir = state.sort.dir;
    return list.slice().sort(function (a, b) {
      var x = col.get(a.e); var y = col.get(b.e);
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.i - b.i;
    });
  }
  function drawTable() {
    var holder = document.getElementById('table-holder');
    var d = state.data; var eps = d.report.endpoints;
    var rows = [];
    eps.forEach(function (e, i) { if (visible(e)) rows.push({ e: e, i: i }); });
    rows = sorted(rows);
    holder.textContent = '';
    holder.appendChild(el('p', { id: 'shown', 'class': 'muted', role: 'status',
      text: rows.length + ' of ' + eps.length + ' endpoints shown' }));
    var head = el('tr', null, [el('th', null, [el('span', { 'class': 'sr', text: 'Details' })])]
      .concat(COLUMNS.map(function (c) {
        var sortAttr = state.sort.key === c.key ?
          (state.sort.dir > 0 ? 'ascending' : 'descending') : null;
        return el('th', { 'aria-sort': sortAttr, 'class': c.num ? 'num' : null, scope: 'col' },
          [el('button', { type: 'button', id: 'sort-' + c.key, text: c.label,
            onclick: function () {
              if (state.sort.key === c.key) state.sort.dir = -state.sort.dir;
              else state.sort = { key: c.key, dir: c.key === 'risk' || c.num ? -1 : 1 };
              drawTable();
              document.getElementById('sort-' + c.key).focus();
            } })]);
      })));
    var body = el('tbody');
    rows.forEach(function (row) {
      var e = row.e; var i = row.i; var open = !!state.open[keyOf(e)];
      var risk = riskOf(e);
      var toggle = el('button', { type: 'button', 'class': 'toggle', id: 'toggle-' + i,
        'aria-expanded': open ? 'true' : 'false', 'aria-controls': 'detail-' + i,
        'aria-label': 'Details of ' + e.method + ' ' + e.host + e.path, text: open ? '\u2212' : '+',
        onclick: function () {
          state.open[keyOf(e)] = !open; drawTable();
          document.getElementById('toggle-' + i).focus();
        } });
      body.appendChild(el('tr', { 'class': 'row', 'data-status': e.status, 'data-index': i,
        'data-host': e.host, 'data-method': e.method, 'data-path': e.path }, [
        el('td', null, [toggle]),
        el('td', null, [statusBadge(e.status), e.new ? el('span', { 'class': 'new', text: ' new' })
          : null]),
        el('td', { 'class': risk ? 'risk-' + risk.level : '' }, [risk ? risk.level + ' ' +
          risk.score : '']),
        el('td', { text: e.host }),
        el('td', { 'class': 'mono', text: e.method }),
        el('td', { 'class': 'mono path', text: e.path }),
        el('td', { 'class': 'num', text: e.requests }),
        el('td', { 'class': 'mono', text: codes(e) }),
        el('td', { text: e.auth.join(', ') }),
        el('td', { text: uniq(e.pii.map(function (p) { return p.kind; })).join(', ') }),
        el('td', { text: iso(e.lastSeen) }),
        el('td', { text: e.triage ? e.triage.verdict : '' })]));
      if (open) {
        body.appendChild(el('tr', { 'class': 'detail', id: 'detail-' + i }, [
          el('td', { colspan: COLUMNS.length + 1 }, [details(e, d.details[i], i)])]));
      }
    });
    holder.appendChild(el('table', { id: 'endpoint-table' }, [el('thead', null, [head]), body]));
  }

  // --- details -------------------------------------------------------------------
  function fieldList(title, map) {
    var keys = Object.keys(map);
    if (keys.length === 0) return null;
    return el('div', null, [el('h3', { text: title })].concat(keys.sort().map(function (k) {
      var lines = map[k];
      return el('div', null, [el('div', { 'class': 'muted mono', text: k }),
        lines.length === 0 ? el('p', { 'class': 'empty', text: 'no fields' }) :
          el('ul', { 'class': 'plain mono' }, lines.map(function (f) {
            return el('li', { text: f.path + ': ' + f.types +
              (f.presence < 1 ? ' (in ' + Math.round(f.presence * 100) + '%)' : '') });
          }))]);
    })));
  }
  function details(e, d, i) {
    var risk = riskOf(e);
    var facts = el('dl', null, [
      el('dt', { text: 'Endpoint' }), el('dd', { 'class': 'mono', text: e.method + ' ' + e.host +
        e.path }),
      el('dt', { text: 'Status' }), el('dd', null, [statusBadge(e.status),
        e.triage && e.triage.was !== e.status ? ' (catalog: ' + e.triage.was + ')' : '']),
      el('dt', { text: 'Operation' }), el('dd', { text: e.operationId || 'none in the catalog' }),
      el('dt', { text: 'Methods on this path' }), el('dd', { 'class': 'mono',
        text: d.methods.join(', ') }),
      el('dt', { text: 'Status codes' }), el('dd', { 'class': 'mono', text: codes(e) || 'none' }),
      el('dt', { text: 'Auth seen' }), el('dd', { text: e.auth.join(', ') }),
      el('dt', { text: 'Seen' }), el('dd', { text: iso(e.firstSeen) + ' to ' + iso(e.lastSeen) +
        ', ' + e.requests + ' request(s)' }),
      el('dt', { text: 'Query parameters' }), el('dd', { 'class': 'mono',
        text: d.query.join(', ') || 'none' }),
      el('dt', { text: 'Notable headers' }), el('dd', { 'class': 'mono',
        text: d.headers.join(', ') || 'none' }),
      el('dt', { text: 'Media types' }), el('dd', { text: 'request ' +
        (e.requestTypes.join(', ') || 'none') + '; response ' + (e.responseTypes.join(', ') ||
        'none') }),
      el('dt', { text: 'Example request' }), el('dd', null, d.examples.map(function (x) {
        return el('code', { text: x });
      })),
      risk ? el('dt', { text: 'Risk' }) : null,
      risk ? el('dd', { 'class': 'risk-' + risk.level, text: risk.level + ' ' + risk.score +
        (risk.reasons.length ? ': ' + risk.reasons.join('; ') : '') }) : null]);
    var responses = {};
    Object.keys(d.responses).forEach(function (status) {
      Object.keys(d.responses[status]).forEach(function (mt) {
        responses[status + ' ' + mt] = d.responses[status][mt];
      });
    });
    var pii = e.pii.length === 0 ? el('p', { 'class': 'empty', text: 'none found' }) :
      el('table', { 'class': 'pii' }, [el('thead', null, [el('tr', null, ['Kind', 'Where',
        'Location', 'Exchanges', 'Distinct', 'Masked preview'].map(function (h) {
        return el('th', { scope: 'col', text: h });
      }))]), el('tbody', null, e.pii.map(function (p) {
        return el('tr', null, [el('td', { text: p.kind }), el('td', { text: p.in }),
          el('td', { 'class': 'mono', text: p.location }), el('td', { text: p.count }),
          el('td', { text: p.distinctValues }), el('td', { 'class': 'mono', text: p.preview })]);
      }))]);
    var drift = e.drift || [];
    var driftBox = drift.length === 0 ? el('p', { 'class': 'empty', text: e.operationId ?
      'none' : 'no documented operation to compare with' }) :
      el('ul', { 'class': 'plain' }, drift.map(function (x) {
        return el('li', null, [el('strong', { text: x.kind }), ' ' + x.in + ' ',
          el('code', { text: x.location }), ': ' + x.detail +
          (x.pii ? ' (personal data: ' + x.pii.join(', ') + ')' : '')]);
      }));
    return el('div', { 'class': 'details', 'data-detail-for': i }, [
      el('div', { 'class': 'grid2' }, [
        el('div', null, [facts]),
        el('div', null, [fieldList('Request body fields', d.request),
          fieldList('Response body fields', responses)])]),
      el('h3', { text: 'Personal data' }), pii,
      el('h3', { text: 'Drift against the catalog' }), driftBox,
      triageBox(e, i)]);
  }
  function triageBox(e, i) {
    var t = e.triage;
    var current = el('p', { id: 'triage-current-' + i, text: t ? 'Decision: ' + t.verdict +
      ' by ' + t.who + ' at ' + iso(t.at) + (t.note ? ': ' + t.note : '') : 'Not triaged yet.' });
    if (!state.data.canTriage) {
      return el('div', { 'class': 'triage' }, [el('h3', { text: 'Triage' }), current]);
    }
    var name = 'verdict-' + i;
    var radios = VERDICTS.map(function (v) {
      var id = name + '-' + v;
      return el('label', { 'for': id }, [el('input', { type: 'radio', name: name, id: id,
        value: v, checked: t ? t.verdict === v : false }), ' ' + v]);
    });
    var note = el('textarea', { id: 'note-' + i, maxlength: 2000 });
    note.value = t ? t.note : '';
    var msg = el('p', { 'class': 'msg', id: 'triage-msg-' + i, role: 'status' });
    var save = el('button', { type: 'submit', id: 'triage-save-' + i, text: 'Save decision' });
    var clear = el('button', { type: 'button', id: 'triage-clear-' + i, text: 'Clear',
      disabled: !t, onclick: function () { send(e, null, '', msg); } });
    var form = el('form', { 'class': 'triage no-print', 'aria-labelledby': 'triage-h-' + i }, [
      el('h3', { id: 'triage-h-' + i, text: 'Triage' }), current,
      el('fieldset', null, [el('legend', { text: 'Decision' })].concat(radios)),
      el('label', { 'for': 'note-' + i, text: 'Note' }), note, msg, save, ' ', clear]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var picked = form.querySelector('input[name="' + name + '"]:checked');
      if (!picked) {
        msg.className = 'msg err'; msg.textContent = 'Pick a decision first.'; return;
      }
      send(e, picked.value, note.value, msg);
    });
    return form;
  }
  function send(e, verdict, note, msg) {
    msg.className = 'msg'; msg.textContent = 'Saving\u2026';
    var body = { host: e.host, method: e.method, template: e.template, verdict: verdict,
      note: note };
    api('POST', 'api/triage', body).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (j) {
        if (!res.ok) throw new Error(j.error || ('the server answered ' + res.status));
        return api('GET', 'api/report', null);
      });
    }).then(function (res) { return res.json(); }).then(function (data) {
      state.notice = (verdict === null ? 'Decision cleared' : 'Saved: ' + verdict) + ' for ' +
        e.method + ' ' + e.host + e.path + '.';
      render(data);
      var k = keyOf(e); var at = -1;
      data.report.endpoints.forEach(function (x, j) { if (keyOf(x) === k) at = j; });
      var after = document.getElementById('triage-msg-' + at);
      if (after) {
        after.textContent = verdict === null ? 'Decision cleared.' : 'Saved.';
        document.getElementById('triage-save-' + at).focus();
      }
    }).catch(function (err) {
      msg.className = 'msg err'; msg.textContent = 'Not saved: ' + err.message;
    });
  }

  // --- other sections -------------------------------------------------------------
  function cell(v, name) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number' && v > 1e9 && /(^|_)(start|end|at|seen)$/i.test(name || '')) {
      return iso(v);
    }
    if (typeof v === 'object') {
      if (Array.isArray(v)) return v.map(function (x) { return cell(x, ''); }).join('; ');
      if (typeof v.start === 'number' && typeof v.end === 'number') {
        return iso(v.start) + ' to ' + iso(v.end);
      }
      if (v.method && v.path) return v.method + ' ' + (v.host || '') + v.path;
      if (v.feature !== undefined) return v.feature + '=' + v.value;
      return JSON.stringify(v);
    }
    return String(v);
  }
  function alerts(list) {
    var wrap = el('section', { 'aria-labelledby': 'alerts-h', id: 'alerts' }, [
      el('h2', { id: 'alerts-h', text: 'Alerts (' + list.length + ')' })]);
    if (list.length === 0) {
      wrap.appendChild(el('p', { 'class': 'empty', text: 'No alerts recorded.' }));
      return wrap;
    }
    var cols = Object.keys(list[0]).filter(function (k) { return k !== 'id'; });
    wrap.appendChild(el('table', null, [el('thead', null, [el('tr', null, cols.map(function (c) {
      return el('th', { scope: 'col', text: c });
    }))]), el('tbody', null, list.map(function (a) {
      return el('tr', null, cols.map(function (c) { return el('td', { text: cell(a[c], c) }); }));
    }))]));
    return wrap;
  }
  function loss(rows, run) {
    return el('section', { 'aria-labelledby': 'loss-h', id: 'loss' }, [
      el('h2', { id: 'loss-h', text: 'Capture loss' }),
      el('p', { text: 'Stream bytes the sensor never saw (dropped packets, a mirror that ' +
        'missed some), all runs' + (run ? '; ' + run.gapBytes.toLocaleString('en-US') +
        ' in run ' + run.id + ', the latest' : '') + '.' }),
      el('table', null, [el('thead', null, [el('tr', null, ['Host', 'Method', 'Path',
        'Bytes not seen', 'Requests'].map(function (h) {
        return el('th', { scope: 'col', text: h });
      }))]),
      el('tbody', null, rows.map(function (x) {
        return el('tr', null, [el('td', { text: x.host }),
          el('td', { 'class': 'mono', text: x.method }),
          el('td', { 'class': 'mono', text: x.method ? x.path : '(outside any exchange)' }),
          el('td', { 'class': 'num', text: x.gapBytes.toLocaleString('en-US') }),
          el('td', { 'class': 'num', text: x.requests ? String(x.requests) : '' })]);
      }))])]);
  }
  function unseen(list) {
    return el('section', { 'aria-labelledby': 'unseen-h' }, [
      el('h2', { id: 'unseen-h', text: 'Catalog operations never seen (' + list.length + ')' }),
      el('table', null, [el('thead', null, [el('tr', null, ['Host', 'Method', 'Path',
        'Operation'].map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', null, list.map(function (u) {
        return el('tr', null, [el('td', { text: u.host || '(any)' }),
          el('td', { 'class': 'mono', text: u.method }),
          el('td', { 'class': 'mono', text: u.path }),
          el('td', { text: u.operationId || '' })]);
      }))])]);
  }
  load();
})();
`;

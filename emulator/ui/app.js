// The emulator's dashboard: one ES module, no framework, no build step. It reads and steers
// the emulator through the control namespace (/__emulator__/…) with same-origin fetch; the
// admin-token cookie, when there is one, travels with every call by itself.

const BASE = '/__emulator__';
const VIEWS = ['journal', 'registrations', 'taxpayers', 'clock', 'faults', 'sandbox'];
const INITIALS = { j: 'journal', r: 'registrations', t: 'taxpayers', c: 'clock', f: 'faults', s: 'sandbox' };
const JOURNAL_KEEP = 500; // rows kept on the page
const JOURNAL_PAGE = 500; // entries asked for per poll
const LONG_STRING = 120; // JSON strings longer than this are shown cut, with a button for the rest

// --- Small helpers ------------------------------------------------------------------------

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Builds an element: h('td', {class: 'num', dataset: {id: 1}}, 'text', child, …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.dataset.testid = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Calls the control namespace. Never throws: `{ok, status, body, message}`. */
async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    return { ok: false, status: 0, body: null, message: `The emulator cannot be reached (${e.message}).` };
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const details = parsed?.ErrorDetails;
  const message = Array.isArray(details) && details.length
    ? details.map((d) => d.ErrorMessage || d.ErrorCode).join('; ')
    : (parsed?.error ?? text.slice(0, 300));
  if (response.status === 403) showBanner(`The emulator refused this browser (HTTP 403): ${message}`);
  return { ok: response.ok, status: response.status, body: parsed, message };
}

function showBanner(text) {
  const banner = $('#banner');
  banner.textContent = text;
  banner.hidden = !text;
}

function setMessage(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** `2026-12-02T00:15:24.517102756+05:30` → `2026-12-02 00:15:24.517`. */
function istTime(text) {
  if (!text) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?/.exec(text);
  return m ? `${m[1]} ${m[2]}${m[3] ?? ''}` : text;
}

/** A wall-clock RFC 3339 time in this browser's zone: `18:45:24.517`. */
function wallTime(text) {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text ?? '';
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function shortIrn(irn) {
  return irn && irn.length > 20 ? `${irn.slice(0, 10)}…${irn.slice(-6)}` : (irn ?? '');
}

/** Pretty JSON as DOM, coloured by token kind (and readable without colour). */
function jsonTree(value, indent = '') {
  const next = `${indent}  `;
  if (value === null) return h('span', { class: 'j-null' }, 'null');
  if (typeof value === 'string') {
    const full = JSON.stringify(value);
    if (full.length <= LONG_STRING) return h('span', { class: 'j-str' }, full);
    // A JWS or a key: the start, and a button that shows the rest.
    const text = h('span', { class: 'j-str' }, `${full.slice(0, LONG_STRING)}…`);
    const more = h('button', { type: 'button', class: 'ghost more', 'aria-label': `Show all ${full.length} characters` }, `+${full.length - LONG_STRING} chars`);
    more.addEventListener('click', (event) => {
      event.stopPropagation();
      text.textContent = full;
      more.remove();
    });
    return h('span', {}, text, more);
  }
  if (typeof value === 'number') return h('span', { class: 'j-num' }, String(value));
  if (typeof value === 'boolean') return h('span', { class: 'j-bool' }, String(value));
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    const parts = ['[\n'];
    value.forEach((item, i) => parts.push(next, jsonTree(item, next), i < value.length - 1 ? ',\n' : '\n'));
    parts.push(indent, ']');
    return h('span', {}, parts);
  }
  const keys = Object.keys(value);
  if (!keys.length) return '{}';
  const parts = ['{\n'];
  keys.forEach((key, i) => {
    parts.push(next, h('span', { class: 'j-key' }, JSON.stringify(key)), ': ', jsonTree(value[key], next));
    parts.push(i < keys.length - 1 ? ',\n' : '\n');
  });
  parts.push(indent, '}');
  return h('span', {}, parts);
}

function jsonBlock(value, testid, label) {
  return h('pre', { class: 'json', testid, tabindex: 0, 'aria-label': label }, value === undefined ? '' : jsonTree(value));
}

/** Copies text: the async clipboard where the page is a secure context, else a hidden textarea. */
async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the textarea
  }
  const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true', readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand('copy');
  } catch {
    done = false;
  }
  area.remove();
  return done;
}

function copyButton(getText, label, testid) {
  const button = h('button', { type: 'button', class: 'ghost copy', 'aria-label': `Copy ${label}`, testid }, 'Copy');
  button.addEventListener('click', async () => {
    const ok = await copyText(typeof getText === 'function' ? getText() : getText);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.classList.toggle('done', ok);
    setTimeout(() => {
      button.textContent = 'Copy';
      button.classList.remove('done');
    }, 1500);
  });
  return button;
}

function statusBadge(status) {
  if (status === 1) return h('span', { class: 'badge ok', title: 'Status 1: success' }, '✓ 1');
  if (status === 0) return h('span', { class: 'badge err', title: 'Status 0: error' }, '✗ 0');
  return h('span', { class: 'badge muted', title: 'no IRP envelope' }, '–');
}

function httpBadge(code) {
  const kind = code >= 500 ? 'err' : code >= 400 ? 'warn' : code >= 200 && code < 300 ? 'ok' : 'muted';
  return h('span', { class: `http ${kind}` }, code ? String(code) : '–');
}

function regStatusBadge(status) {
  if (status === 'ACT') return h('span', { class: 'badge ok', title: 'active' }, '● ACT');
  if (status === 'CNL') return h('span', { class: 'badge err', title: 'cancelled' }, '⊘ CNL');
  return h('span', { class: 'badge muted' }, status ?? '–');
}

function taxpayerStatusBadge(status) {
  const kind = status === 'ACT' ? 'ok' : status === 'PRO' ? 'warn' : 'err';
  const mark = status === 'ACT' ? '●' : status === 'PRO' ? '◐' : '⊘';
  return h('span', { class: `badge ${kind}` }, `${mark} ${status ?? '–'}`);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// --- NIC's messages by code ----------------------------------------------------------------

let errorMessages = {};
async function loadErrorMessages() {
  const r = await call('GET', '/error-codes');
  if (r.ok && r.body?.codes) errorMessages = r.body.codes;
}

// --- Journal --------------------------------------------------------------------------------

const journal = {
  entries: [], // newest first
  lastId: 0,
  expanded: new Set(),
  timer: null,
  busy: false,
  serverErrorCodeFilter: true, // false once the emulator refuses `error_code`
  generation: 0, // bumped when the filters change, so a stale answer is dropped

  filters() {
    const form = $('#journal-filters');
    const params = new URLSearchParams();
    for (const name of ['api', 'gstin', 'status', 'request_id']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, name === 'gstin' ? value.toUpperCase() : value);
    }
    const code = form.elements.error_code.value.trim();
    if (code && this.serverErrorCodeFilter) params.set('error_code', code);
    return { params, code };
  },

  live() {
    return $('#journal-filters').elements.live.checked;
  },

  async reload() {
    this.generation += 1;
    this.entries = [];
    this.lastId = 0;
    $('#journal-body').replaceChildren();
    await this.poll(true);
  },

  async poll(fresh = false) {
    if (this.busy && !fresh) return;
    this.busy = true;
    const generation = this.generation;
    try {
      const { params, code } = this.filters();
      if (this.lastId > 0 && !fresh) params.set('after_id', String(this.lastId));
      params.set('limit', String(fresh || this.lastId === 0 ? 200 : JOURNAL_PAGE));
      const r = await call('GET', `/journal?${params}`);
      if (generation !== this.generation) return;
      if (!r.ok) {
        if (r.status === 400 && params.has('error_code') && /error_code/.test(r.message)) {
          // An emulator without the server-side filter: filter the page here instead.
          this.serverErrorCodeFilter = false;
          this.busy = false;
          return this.reload();
        }
        setMessage($('#journal-error'), `Journal: ${r.message}`);
        return;
      }
      setMessage($('#journal-error'), '');
      let entries = r.body.entries ?? [];
      if (entries.length === JOURNAL_PAGE && this.lastId > 0) {
        // Fell far behind (the view was hidden during a burst): start again from the newest.
        this.busy = false;
        return this.reload();
      }
      for (const e of entries) this.lastId = Math.max(this.lastId, e.id);
      if (code && !this.serverErrorCodeFilter) {
        entries = entries.filter((e) => (e.error_codes ?? []).map(String).includes(code));
      }
      this.prepend(entries);
    } finally {
      this.busy = false;
    }
  },

  prepend(entries) {
    const body = $('#journal-body');
    for (const entry of entries) {
      if (this.entries.some((e) => e.id === entry.id)) continue;
      this.entries.unshift(entry);
      const row = this.row(entry);
      body.prepend(row);
      if (this.expanded.has(entry.id)) row.after(this.detail(entry));
    }
    while (this.entries.length > JOURNAL_KEEP) {
      const old = this.entries.pop();
      $$(`tr[data-id="${old.id}"]`, body).forEach((tr) => tr.remove());
      this.expanded.delete(old.id);
    }
    $('#journal-empty').hidden = this.entries.length > 0;
    const newest = this.entries[0];
    $('#journal-summary').textContent = this.entries.length
      ? `${this.entries.length} shown, newest #${newest.id}${this.live() ? ', live' : ', paused'}`
      : (this.live() ? 'live' : 'paused');
  },

  row(e) {
    const codes = (e.error_codes ?? []).map((c) => h('span', { class: 'code', title: errorMessages[c] ?? '' }, String(c)));
    const info = (e.info_codes ?? []).map((c) => h('span', { class: 'code info', title: 'info' }, `i:${c}`));
    const tr = h('tr', {
      class: `entry ${e.status === 0 || e.http_status >= 400 ? 'failed' : ''}`,
      tabindex: 0,
      'aria-expanded': this.expanded.has(e.id) ? 'true' : 'false',
      'aria-label': `Entry ${e.id}: ${e.api} HTTP ${e.http_status}${e.status === null || e.status === undefined ? '' : `, Status ${e.status}`}${e.fault ? `, fault ${e.fault}` : ''}. Enter to open.`,
      testid: 'journal-row',
      dataset: { id: e.id, api: e.api, nav: '' },
    },
    h('td', { class: 'num muted' }, String(e.id)),
    h('td', { class: 'mono nowrap' }, istTime(e.virtual_time)),
    h('td', { class: 'mono nowrap muted', title: e.wall_time }, wallTime(e.wall_time)),
    h('td', { class: 'mono' }, e.api, e.irp ? [' ', irpBadge(e.irp)] : null),
    h('td', { class: 'mono' }, e.gstin ?? ''),
    h('td', { class: 'num' }, httpBadge(e.http_status)),
    h('td', {}, statusBadge(e.status)),
    h('td', { class: 'mono' }, codes, info),
    h('td', { class: 'num mono' }, ((e.latency_us ?? 0) / 1000).toFixed(1)),
    h('td', {}, e.fault ? h('span', { class: 'badge fault', title: e.fault, testid: 'journal-fault' }, `⚡ ${e.fault}`) : ''));
    tr.addEventListener('click', (event) => {
      if (event.target.closest('a, button')) return;
      this.toggle(tr);
    });
    tr.addEventListener('keydown', (event) => {
      if ((event.key === 'Enter' || event.key === ' ') && event.target === tr) {
        event.preventDefault();
        this.toggle(tr);
      }
    });
    return tr;
  },

  toggle(tr) {
    const id = Number(tr.dataset.id);
    const entry = this.entries.find((e) => e.id === id);
    const open = tr.nextElementSibling?.classList.contains('detail-row') ? tr.nextElementSibling : null;
    if (open) {
      open.remove();
      this.expanded.delete(id);
      tr.setAttribute('aria-expanded', 'false');
    } else if (entry) {
      tr.after(this.detail(entry));
      this.expanded.add(id);
      tr.setAttribute('aria-expanded', 'true');
    }
  },

  detail(e) {
    const codes = [...(e.error_codes ?? []).map((c) => ['error', c]), ...(e.info_codes ?? []).map((c) => ['info', c])];
    const answered = new Map();
    for (const d of e.response?.ErrorDetails ?? []) answered.set(String(d.ErrorCode), d.ErrorMessage);
    for (const d of e.response?.InfoDtls ?? []) if (d?.InfCd) answered.set(String(d.InfCd), typeof d.Desc === 'string' ? d.Desc : JSON.stringify(d.Desc));
    const irn = e.api === 'generate_irn' || e.api === 'get_irn' || e.api === 'cancel_irn' || e.api === 'get_irn_by_document'
      ? (e.response?.Data?.Irn ?? e.request?.Irn) : null;
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, 'Call'), h('dd', { class: 'mono' }, `${e.method} ${e.path}`),
      h('dt', {}, 'Request id'), h('dd', { class: 'mono' }, e.request_id ?? '–'),
      h('dt', {}, 'Client / user'), h('dd', { class: 'mono' }, `${e.client_id ?? '–'} / ${e.user_name ?? '–'}`),
      h('dt', {}, 'Virtual time'), h('dd', { class: 'mono' }, istTime(e.virtual_time), ' IST'),
      h('dt', {}, 'Wall time'), h('dd', { class: 'mono' }, e.wall_time),
      h('dt', {}, 'Latency'), h('dd', { class: 'mono' }, `${((e.latency_us ?? 0) / 1000).toFixed(3)} ms`),
      e.retry_after !== undefined && e.retry_after !== null ? [h('dt', {}, 'Retry-After'), h('dd', { class: 'mono' }, `${e.retry_after} s`)] : null,
      h('dt', {}, 'Fault'), h('dd', { class: 'mono', testid: 'journal-detail-fault' }, e.fault ?? 'none'),
      e.seed !== undefined && e.seed !== null ? [h('dt', {}, 'Fault seed'), h('dd', { class: 'mono' }, String(e.seed))] : null,
      irn ? [h('dt', {}, 'Registration'), h('dd', {}, h('a', { href: `#registrations/${irn}`, class: 'mono' }, shortIrn(irn)))] : null);
    const codeList = codes.length
      ? h('ul', { class: 'codes', testid: 'journal-detail-codes' }, codes.map(([kind, c]) => h('li', {},
        h('span', { class: `code ${kind === 'info' ? 'info' : ''}` }, String(c)), ' ',
        errorMessages[c] ? h('span', {}, errorMessages[c]) : null,
        answered.has(String(c)) && answered.get(String(c)) !== errorMessages[c]
          ? h('span', { class: 'muted' }, ` — answered: ${answered.get(String(c))}`) : null)))
      : h('p', { class: 'muted' }, 'No error or info codes.');
    return h('tr', { class: 'detail-row', testid: 'journal-detail', dataset: { id: e.id } },
      h('td', { colspan: 10 },
        h('div', { class: 'detail-grid' },
          h('div', {}, h('h3', {}, 'Facts'), facts, h('h3', {}, 'Codes'), codeList),
          h('div', { class: 'pane' }, h('h3', {}, 'Request (decrypted) ', copyButton(() => JSON.stringify(e.request, null, 2), 'request', 'copy-request')),
            e.request === null || e.request === undefined
              ? h('p', { class: 'muted' }, `No body: ${e.method} ${e.path}`)
              : jsonBlock(e.request, 'journal-request', `Request of entry ${e.id}`)),
          h('div', { class: 'pane' }, h('h3', {}, 'Answer (decrypted) ', copyButton(() => JSON.stringify(e.response, null, 2), 'answer', 'copy-response')),
            e.response === null || e.response === undefined
              ? h('p', { class: 'muted' }, 'No answer body (the connection was cut, or the answer was empty).')
              : jsonBlock(e.response, 'journal-response', `Answer of entry ${e.id}`)))));
  },

  enter() {
    this.poll();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.live()) this.poll();
    }, 1000);
  },

  leave() {
    clearInterval(this.timer);
  },

  init() {
    const form = $('#journal-filters');
    const reload = debounce(() => this.reload(), 250);
    form.addEventListener('input', (event) => {
      if (event.target.name === 'live') return;
      reload();
    });
    form.addEventListener('change', (event) => {
      if (event.target.name === 'live') this.prepend([]);
    });
    form.addEventListener('reset', () => setTimeout(() => this.reload(), 0));
    form.addEventListener('submit', (event) => event.preventDefault());
  },
};

// --- Registrations ----------------------------------------------------------------------------

/** What of a registration can change after it is made. */
const stateOf = (reg) => JSON.stringify([reg.status, reg.cancelled_at, reg.ewb_no, reg.ewb_status, reg.ewb_valid_till]);

const registrations = {
  selected: null,
  shown: null, // stateOf the registration on show
  timer: null,
  list: [],

  async load() {
    const q = $('#reg-search').elements.q.value.trim();
    const params = new URLSearchParams({ limit: '200' });
    if (q) params.set('q', q);
    const r = await call('GET', `/registrations?${params}`);
    if (!r.ok) {
      setMessage($('#reg-error'), r.status === 404
        ? 'This emulator does not list registrations (GET /__emulator__/registrations is missing).'
        : `Registrations: ${r.message}`);
      return;
    }
    setMessage($('#reg-error'), '');
    this.list = r.body.registrations ?? [];
    this.render();
    // The open registration changed (cancelled, its e-way bill moved on): show it afresh.
    const open = this.list.find((reg) => reg.irn === this.selected);
    if (open && this.shown && this.shown !== stateOf(open)) this.open(open.irn);
  },

  render() {
    const body = $('#reg-body');
    // The IRP that holds each document, once there is more than one to tell apart.
    const several = new Set(this.list.map((reg) => reg.irp)).size > 1;
    const focused = document.activeElement?.closest?.('#reg-body tr')?.dataset.irn;
    body.replaceChildren(...this.list.map((reg) => {
      const tr = h('tr', {
        tabindex: 0,
        testid: 'reg-row',
        class: `${reg.irn === this.selected ? 'selected' : ''} ${reg.status === 'CNL' ? 'cancelled' : ''}`,
        'aria-current': reg.irn === this.selected ? 'true' : null,
        'aria-label': `Registration ${reg.doc_type} ${reg.doc_no} of ${reg.supplier_gstin}, ${reg.status}. Enter to open.`,
        dataset: { irn: reg.irn, nav: '' },
      },
      h('td', { class: 'mono', title: reg.irn }, shortIrn(reg.irn)),
      h('td', { class: 'mono nowrap' }, String(reg.ack_no ?? ''), several && reg.irp ? [' ', irpBadge(reg.irp)] : null, h('br'), h('span', { class: 'muted' }, reg.ack_dt ?? '')),
      h('td', { class: 'mono' }, reg.supplier_gstin ?? ''),
      h('td', { class: 'mono' }, reg.buyer_gstin ?? ''),
      h('td', { class: 'mono nowrap' }, `${reg.doc_type ?? ''} ${reg.doc_no ?? ''}`, h('br'), h('span', { class: 'muted' }, reg.doc_dt ?? '')),
      h('td', {}, regStatusBadge(reg.status)),
      h('td', { class: 'mono nowrap' }, reg.ewb_no ? [String(reg.ewb_no), ' ', h('span', { class: 'muted' }, reg.ewb_status ?? ''), reg.ewb_valid_till ? [h('br'), h('span', { class: 'muted small' }, `till ${reg.ewb_valid_till}`)] : null] : h('span', { class: 'muted' }, '–')),
      h('td', { class: 'mono nowrap' }, reg.cancelled_at ? [reg.cancelled_at, h('br'), h('span', { class: 'muted small' }, `reason ${reg.cancel_reason ?? ''}`)] : h('span', { class: 'muted' }, '–')));
      tr.addEventListener('click', () => this.open(reg.irn));
      tr.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.open(reg.irn);
        }
      });
      return tr;
    }));
    $('#reg-empty').hidden = this.list.length > 0;
    if (focused) $(`#reg-body tr[data-irn="${focused}"]`)?.focus();
  },

  async open(irn) {
    this.selected = irn;
    this.shown = null;
    if (location.hash !== `#registrations/${irn}`) history.replaceState(null, '', `#registrations/${irn}`);
    $$('#reg-body tr').forEach((tr) => {
      tr.classList.toggle('selected', tr.dataset.irn === irn);
      if (tr.dataset.irn === irn) tr.setAttribute('aria-current', 'true'); else tr.removeAttribute('aria-current');
    });
    const detail = $('#reg-detail');
    detail.hidden = false;
    detail.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    const r = await call('GET', `/registrations/${encodeURIComponent(irn)}`);
    if (this.selected !== irn) return;
    if (!r.ok) {
      detail.replaceChildren(h('p', { class: 'error' }, r.status === 404 && /path does not exist/.test(r.message)
        ? 'This emulator cannot show a registration (GET /__emulator__/registrations/{irn} is missing).'
        : `Registration ${irn}: ${r.message}`));
      return;
    }
    this.shown = stateOf(r.body);
    detail.replaceChildren(this.detail(r.body));
  },

  detail(reg) {
    const fact = (label, value, testid) => [h('dt', {}, label), h('dd', { class: 'mono', testid }, value ?? '–')];
    const decoded = (title, value, testid) => h('div', { class: 'pane' }, h('h3', {}, title),
      h('h4', {}, 'Header'), jsonBlock(value?.header, `${testid}-header`, `${title} header`),
      h('h4', {}, 'Payload'), jsonBlock(value?.payload, `${testid}-payload`, `${title} payload`));
    const raw = (title, text, testid) => h('div', { class: 'raw' },
      h('h3', {}, title, ' ', copyButton(text ?? '', title, `copy-${testid}`)),
      h('pre', { class: 'jws mono', testid, tabindex: 0, 'aria-label': title }, text ?? ''));
    return h('article', { 'aria-label': `Registration ${reg.irn}` },
      h('div', { class: 'reg-head' },
        h('div', {},
          h('h2', {}, `${reg.doc_type ?? ''} ${reg.doc_no ?? ''} `, regStatusBadge(reg.status)),
          h('dl', { class: 'facts' },
            fact('IRN', reg.irn, 'reg-detail-irn'),
            fact('Ack no / date', `${reg.ack_no ?? ''}  ${reg.ack_dt ?? ''}`),
            fact('Supplier → buyer', `${reg.supplier_gstin ?? ''} → ${reg.buyer_gstin ?? ''}`),
            fact('Document date', reg.doc_dt),
            fact('E-way bill', reg.ewb_no ? `${reg.ewb_no} ${reg.ewb_status ?? ''}${reg.ewb_valid_till ? ` till ${reg.ewb_valid_till}` : ''}` : null),
            fact('Cancelled', reg.cancelled_at ? `${reg.cancelled_at} reason ${reg.cancel_reason ?? ''}${reg.cancel_remark ? ` “${reg.cancel_remark}”` : ''}` : null, 'reg-detail-cancelled'))),
        h('figure', { class: 'qr' },
          reg.qr_svg ? h('img', { src: reg.qr_svg, alt: `QR code of the signed QR code of ${reg.doc_no ?? reg.irn}`, width: 220, height: 220, testid: 'reg-qr-img' }) : h('p', { class: 'muted' }, 'No QR image'),
          h('figcaption', {}, 'The printed invoice\'s QR. ',
            reg.qr_png ? h('a', { href: reg.qr_png, download: `${reg.irn}.png`, testid: 'reg-qr-png' }, 'PNG') : null, ' · ',
            reg.qr_svg ? h('a', { href: reg.qr_svg, download: `${reg.irn}.svg` }, 'SVG') : null))),
      h('div', { class: 'detail-grid two' },
        decoded('Signed invoice, decoded', reg.signed_invoice_decoded, 'reg-invoice'),
        decoded('Signed QR code, decoded', reg.signed_qr_code_decoded, 'reg-qr')),
      raw('SignedInvoice (JWS)', reg.signed_invoice, 'reg-signed-invoice'),
      raw('SignedQRCode (JWS)', reg.signed_qr_code, 'reg-signed-qr'));
  },

  enter(param) {
    this.load();
    if (param && param !== this.selected) this.open(param);
    clearInterval(this.timer);
    this.timer = setInterval(() => this.load(), 3000);
  },

  leave() {
    clearInterval(this.timer);
  },

  init() {
    const form = $('#reg-search');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.load();
    });
    form.addEventListener('input', debounce(() => this.load(), 250));
  },
};

// --- Taxpayers ----------------------------------------------------------------------------------

const taxpayers = {
  list: [],
  passwords: new Map(), // user name → password, from the sandbox listing

  async load() {
    const [r, sandbox] = await Promise.all([call('GET', '/taxpayers'), call('GET', '/sandbox')]);
    if (sandbox.ok) {
      for (const u of sandbox.body.users ?? []) this.passwords.set(u.username, { password: u.password, clients: u.clients ?? [] });
    }
    if (!r.ok) {
      setMessage($('#tp-error'), r.status === 404
        ? 'This emulator does not list taxpayers (GET /__emulator__/taxpayers is missing); the form below still adds them.'
        : `Taxpayers: ${r.message}`);
      return;
    }
    setMessage($('#tp-error'), '');
    this.list = r.body.taxpayers ?? [];
    $('#tp-body').replaceChildren(...this.list.map((t) => h('tr', { testid: 'tp-row', dataset: { gstin: t.Gstin, nav: '' }, tabindex: 0 },
      h('td', { class: 'mono' }, t.Gstin),
      h('td', {}, t.LegalName ?? ''),
      h('td', {}, t.TradeName ?? ''),
      h('td', { class: 'num mono' }, String(t.StateCode ?? '')),
      h('td', { class: 'mono' }, String(t.AddrPncd ?? '')),
      h('td', { class: 'mono' }, t.TxpType ?? ''),
      h('td', {}, taxpayerStatusBadge(t.Status)),
      h('td', { class: 'mono' }, t.BlkStatus === 'B' ? h('span', { class: 'badge err' }, '⊘ B') : (t.BlkStatus ?? '–')),
      h('td', {}, t.EinvoiceEnabled === false ? h('span', { class: 'badge err' }, '✗ no') : h('span', { class: 'badge ok' }, '✓ yes')),
      h('td', { class: 'num mono' }, String(t.AatoCrore ?? '')),
      h('td', { class: 'mono small' }, (t.Users ?? []).join(', ')),
      h('td', {}, h('button', { type: 'button', class: 'ghost small', 'aria-label': `Edit ${t.Gstin}`, onclick: () => this.edit(t) }, 'Edit')))));
  },

  edit(t) {
    const form = $('#tp-form');
    for (const name of ['Gstin', 'LegalName', 'TradeName', 'StateCode', 'AddrPncd', 'AddrBno', 'AddrBnm', 'AddrFlno', 'AddrSt', 'AddrLoc', 'AatoCrore']) {
      form.elements[name].value = t[name] ?? '';
    }
    form.elements.Status.value = t.Status ?? 'ACT';
    form.elements.TxpType.value = t.TxpType ?? 'REG';
    form.elements.BlkStatus.value = t.BlkStatus ?? '';
    form.elements.DtReg.value = /^\d{4}-\d{2}-\d{2}$/.test(t.DtReg ?? '') ? t.DtReg : isoFromNic(t.DtReg);
    form.elements.EinvoiceEnabled.checked = t.EinvoiceEnabled !== false;
    form.elements.Users.value = (t.Users ?? []).map((u) => {
      const known = this.passwords.get(u);
      return `${u}:${known?.password ?? ''}${known?.clients?.length ? `:${known.clients.join(',')}` : ''}`;
    }).join('\n');
    form.elements.Gstin.focus();
    form.scrollIntoView({ block: 'nearest' });
  },

  body(form) {
    const e = form.elements;
    const text = (name) => e[name].value.trim();
    const body = { Gstin: text('Gstin').toUpperCase(), LegalName: text('LegalName') };
    for (const name of ['TradeName', 'AddrBno', 'AddrBnm', 'AddrFlno', 'AddrSt', 'AddrLoc', 'DtReg']) if (text(name)) body[name] = text(name);
    body.StateCode = /^\d+$/.test(text('StateCode')) ? Number(text('StateCode')) : text('StateCode');
    body.AddrPncd = /^\d+$/.test(text('AddrPncd')) ? Number(text('AddrPncd')) : text('AddrPncd');
    body.Status = e.Status.value;
    body.TxpType = e.TxpType.value;
    if (e.BlkStatus.value) body.BlkStatus = e.BlkStatus.value;
    if (text('AatoCrore')) body.AatoCrore = Number(text('AatoCrore'));
    body.EinvoiceEnabled = e.EinvoiceEnabled.checked;
    body.Users = e.Users.value.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
      const [user, password = '', clients = ''] = line.split(':');
      const u = { UserName: user.trim(), Password: password.trim() };
      const list = clients.split(',').map((c) => c.trim()).filter(Boolean);
      if (list.length) u.Clients = list;
      return u;
    });
    return body;
  },

  async submit(event) {
    event.preventDefault();
    const form = event.target;
    const error = $('#tp-form-error');
    const ok = $('#tp-form-ok');
    setMessage(error, '');
    setMessage(ok, '');
    const missing = ['Gstin', 'LegalName', 'StateCode', 'AddrPncd'].filter((n) => !form.elements[n].value.trim());
    if (missing.length) {
      setMessage(error, `Required: ${missing.join(', ')}`);
      form.elements[missing[0]].focus();
      return;
    }
    const body = this.body(form);
    const existed = this.list.some((t) => t.Gstin === body.Gstin);
    const r = await call('POST', '/taxpayers', body);
    if (!r.ok) {
      setMessage(error, r.message || `HTTP ${r.status}`);
      return;
    }
    setMessage(ok, `${existed ? 'Replaced' : 'Added'} ${body.Gstin}.`);
    this.load();
  },

  enter() {
    this.load();
  },

  init() {
    $('#tp-form').addEventListener('submit', (event) => this.submit(event));
    $('#tp-form').addEventListener('reset', () => {
      setMessage($('#tp-form-error'), '');
      setMessage($('#tp-form-ok'), '');
    });
  },
};

/** `01/07/2017` → `2017-07-01` (for the date input); anything else → ''. */
function isoFromNic(text) {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '';
}

/** How far the virtual clock (`yyyy-MM-dd HH:mm:ss`, IST) is from the wall clock: `+1 d 01:00:00`. */
function offsetText(now) {
  const virtual = new Date(`${now.replace(' ', 'T')}+05:30`).getTime();
  if (Number.isNaN(virtual)) return '';
  let seconds = Math.round((virtual - Date.now()) / 1000);
  if (Math.abs(seconds) <= 1) return 'same as the wall clock';
  const sign = seconds < 0 ? '−' : '+';
  seconds = Math.abs(seconds);
  const days = Math.floor(seconds / 86400);
  const pad = (n) => String(n).padStart(2, '0');
  const hms = `${pad(Math.floor((seconds % 86400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return `${sign}${days ? `${days} d ` : ''}${hms} from the wall clock`;
}

// --- Clock ----------------------------------------------------------------------------------------

const clock = {
  state: null,

  show(state) {
    this.state = state;
    const running = state.frozen ? '❚❚ frozen' : `▶ running ×${state.speed}`;
    $('#top-now').textContent = state.now;
    const top = $('#top-clock-state');
    top.textContent = state.frozen ? '❚❚ frozen' : (state.speed === 1 ? '▶' : `▶ ×${state.speed}`);
    top.className = `badge ${state.frozen ? 'warn' : 'ok'}`;
    $('#clock-now').textContent = state.now;
    const badge = $('#clock-state');
    badge.textContent = running;
    badge.className = `badge ${state.frozen ? 'warn' : 'ok'}`;
    $('#clock-speed').textContent = String(state.speed);
    $('#clock-offset').textContent = offsetText(state.now);
    const at = $('#clock-freeze').elements.at;
    if (!at.value && document.activeElement !== at) at.value = state.now;
  },

  async refresh() {
    const r = await call('GET', '/clock');
    if (r.ok) this.show(r.body);
    // The header clock polls every second: it is also what notices the emulator going away.
    const banner = $('#banner');
    if (r.status === 0) showBanner(r.message);
    else if (banner.textContent.startsWith('The emulator cannot be reached')) showBanner('');
    return r;
  },

  async change(body) {
    const r = await call('POST', '/clock', body);
    setMessage($('#clock-error'), r.ok ? '' : `Clock: ${r.message}`);
    if (r.ok) {
      const at = $('#clock-freeze').elements.at;
      if (document.activeElement !== at) at.value = r.body.now;
      this.show(r.body);
    }
    return r;
  },

  init() {
    $('#clock-freeze').addEventListener('submit', (event) => {
      event.preventDefault();
      let at = event.target.elements.at.value.trim().replace('T', ' ');
      if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(at)) at += ':00';
      if (!at) {
        setMessage($('#clock-error'), 'Pick a date and time to freeze at.');
        return;
      }
      this.change({ freeze_at: at });
    });
    $('#clock-freeze-now').addEventListener('click', async () => {
      // The emulator's now, not the last second shown: the freeze is at the current time.
      const r = await this.refresh();
      if (r.ok) this.change({ freeze_at: r.body.now });
      else setMessage($('#clock-error'), `Clock: ${r.message}`);
    });
    $('#clock-advance').addEventListener('submit', (event) => {
      event.preventDefault();
      const f = event.target.elements;
      const seconds = Math.round(Number(f.amount.value) * Number(f.unit.value));
      if (!Number.isFinite(seconds) || seconds < 0) {
        setMessage($('#clock-error'), 'Advance by a number of seconds, minutes, hours or days, 0 or more.');
        return;
      }
      this.change({ advance_seconds: seconds });
    });
    $$('[data-advance]').forEach((b) => b.addEventListener('click', () => this.change({ advance_seconds: Number(b.dataset.advance) })));
    $('#clock-speed-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.change({ speed: Number(event.target.elements.speed.value) });
    });
    $('#clock-resume').addEventListener('click', () => this.change({ resume: true }));
    $$('[data-speed]').forEach((b) => b.addEventListener('click', () => {
      $('#clock-speed-form').elements.speed.value = b.dataset.speed;
      this.change({ speed: Number(b.dataset.speed) });
    }));
    $('#clock-reset').addEventListener('click', () => {
      $('#clock-freeze').elements.at.value = '';
      this.change({ reset: true });
    });
  },

  enter() {
    $('#clock-freeze').elements.at.value = '';
    this.refresh();
  },
};

// --- Faults and rate limits -------------------------------------------------------------------

const FAULT_PRESETS = {
  http503: { name: 'gateway-503', match: { api: 'generate_irn' }, phase: 'before', action: { type: 'http_status', status: 503, retry_after: 2 }, times: 1 },
  lost: { name: 'lose-the-answer', match: { api: 'generate_irn' }, phase: 'after_commit', action: { type: 'http_status', status: 504 }, times: 1 },
  reauth: { name: 'force-reauth', match: {}, phase: 'before', action: { type: 'irp_error', code: '1005' }, times: 1 },
  slow: { name: 'slow-2s', match: {}, phase: 'before', action: { type: 'latency', ms: 2000, jitter_ms: 500 } },
  throttle: { name: 'throttled', match: { api: 'generate_irn' }, phase: 'before', action: { type: 'rate_limited', retry_after: 1, escalating: true, max_retry_after: 30 }, times: 3 },
  reset: { name: 'reset-after-commit', match: { api: 'generate_irn' }, phase: 'after_commit', action: { type: 'reset' }, times: 1 },
};

const LIMIT_PRESETS = {
  irn5: { name: 'irn-5-per-second', per: 'client_id', api: 'generate_irn', per_second: 5 },
  gstin100: { name: 'gstin-100-per-minute', per: 'gstin', per_minute: 100 },
};

function describeMatch(match) {
  const parts = Object.entries(match ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ') : 'every call';
}

function describeAction(action) {
  if (!action) return '';
  const { type, ...rest } = action;
  const args = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' && v.length > 30 ? `${v.slice(0, 30)}…` : v}`);
  return [type, ...args].join(' ');
}

/**
 * Reads a rule written as JSON, or as one table of the `--faults` TOML file (`[[fault]]` or
 * `[[rate_limit]]` header optional; `key = value` lines; strings, numbers, booleans, arrays
 * and inline tables; `#` comments), so a rule can be pasted from either.
 */
function parseRule(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  let at = 0;
  let src = '';
  const fail = (what) => {
    throw new Error(`${what} at “${src.slice(at, at + 20)}”`);
  };
  const space = () => {
    while (at < src.length && /[ \t]/.test(src[at])) at += 1;
  };
  const key = () => {
    space();
    if (src[at] === '"') return value();
    const m = /^[A-Za-z0-9_-]+/.exec(src.slice(at));
    if (!m) fail('expected a key');
    at += m[0].length;
    return m[0];
  };
  const value = () => {
    space();
    const rest = src.slice(at);
    if (rest[0] === '"' || rest[0] === "'") {
      const m = rest[0] === '"' ? /^"((?:[^"\\]|\\.)*)"/.exec(rest) : /^'([^']*)'/.exec(rest);
      if (!m) fail('unterminated string');
      at += m[0].length;
      return rest[0] === '"' ? JSON.parse(`"${m[1]}"`) : m[1];
    }
    if (rest[0] === '{' || rest[0] === '[') {
      const table = rest[0] === '{';
      const out = table ? {} : [];
      at += 1;
      for (;;) {
        space();
        if (src[at] === (table ? '}' : ']')) {
          at += 1;
          return out;
        }
        if (table) {
          const k = key();
          space();
          if (src[at] !== '=') fail('expected =');
          at += 1;
          out[k] = value();
        } else {
          out.push(value());
        }
        space();
        if (src[at] === ',') at += 1;
        else if (src[at] !== (table ? '}' : ']')) fail(`expected , or ${table ? '}' : ']'}`);
      }
    }
    const m = /^(true|false|[+-]?\d[\d_]*(\.\d+)?([eE][+-]?\d+)?)/.exec(rest);
    if (!m) fail('expected a value');
    at += m[0].length;
    return m[1] === 'true' ? true : m[1] === 'false' ? false : Number(m[1].replaceAll('_', ''));
  };
  const rule = {};
  for (const raw of trimmed.split('\n')) {
    src = raw.replace(/(^|\s)#[^"']*$/, '').trim();
    at = 0;
    if (!src || /^\[\[?[A-Za-z_]+\]\]?$/.test(src)) continue;
    const k = key();
    space();
    if (src[at] !== '=') fail('expected =');
    at += 1;
    rule[k] = value();
    space();
    if (at < src.length) fail('unexpected text');
  }
  return rule;
}

const faults = {
  timer: null,

  async load() {
    const [f, l] = await Promise.all([call('GET', '/faults'), call('GET', '/rate-limits')]);
    setMessage($('#faults-error'), [f, l].filter((r) => !r.ok).map((r) => r.message).join(' ') || '');
    if (f.ok) {
      const rules = f.body.faults ?? [];
      $('#faults-body').replaceChildren(...(rules.length ? rules.map((rule) => h('tr', { testid: 'fault-row', dataset: { id: rule.id, nav: '' }, tabindex: 0 },
        h('td', { class: 'num mono' }, String(rule.id)),
        h('td', {}, rule.name ?? h('span', { class: 'muted' }, '–')),
        h('td', { class: 'mono' }, rule.phase ?? 'before'),
        h('td', { class: 'mono small' }, describeMatch(rule.match)),
        h('td', { class: 'mono small' }, describeAction(rule.action)),
        h('td', { class: 'num mono' }, rule.times === undefined || rule.times === null ? '∞' : String(rule.times)),
        h('td', { class: 'num mono', testid: 'fault-fired' }, String(rule.fired ?? 0)),
        h('td', {}, h('button', { type: 'button', class: 'danger small', testid: 'fault-delete', 'aria-label': `Delete fault ${rule.id}${rule.name ? ` ${rule.name}` : ''}`, onclick: () => this.remove('/faults', rule.id) }, 'Delete'))))
        : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No fault rule: every call is answered normally.'))]));
    }
    if (l.ok) {
      const rules = l.body.rate_limits ?? [];
      $('#limits-body').replaceChildren(...(rules.length ? rules.map((rule) => h('tr', { testid: 'limit-row', dataset: { id: rule.id, nav: '' }, tabindex: 0 },
        h('td', { class: 'num mono' }, String(rule.id)),
        h('td', {}, rule.name ?? h('span', { class: 'muted' }, '–')),
        h('td', { class: 'mono' }, rule.per),
        h('td', { class: 'mono' }, rule.api ?? 'any'),
        h('td', { class: 'mono small' }, ['per_second', 'per_minute', 'per_hour'].filter((k) => rule[k]).map((k) => `${rule[k]} ${k.replace('_', ' ')}`).join(', ')),
        h('td', { class: 'num mono', testid: 'limit-refused' }, String(rule.refused ?? 0)),
        h('td', {}, h('button', { type: 'button', class: 'danger small', testid: 'limit-delete', 'aria-label': `Delete rate limit ${rule.id}`, onclick: () => this.remove('/rate-limits', rule.id) }, 'Delete'))))
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No rate limit.'))]));
    }
  },

  async remove(path, id) {
    const r = await call('DELETE', `${path}/${id}`);
    if (!r.ok) setMessage($('#faults-error'), r.message);
    this.load();
  },

  async add(path, form, errorEl) {
    setMessage(errorEl, '');
    let rule;
    try {
      rule = parseRule(form.elements.rule.value);
    } catch (e) {
      setMessage(errorEl, `Not a rule in JSON or TOML: ${e.message}`);
      form.elements.rule.focus();
      return;
    }
    const r = await call('POST', path, rule);
    if (!r.ok) {
      setMessage(errorEl, r.message || `HTTP ${r.status}`);
      return;
    }
    this.load();
  },

  enter() {
    this.load();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.load(), 2000);
  },

  leave() {
    clearInterval(this.timer);
  },

  init() {
    const faultForm = $('#fault-form');
    const limitForm = $('#limit-form');
    faultForm.elements.rule.value = JSON.stringify(FAULT_PRESETS.http503, null, 2);
    limitForm.elements.rule.value = JSON.stringify(LIMIT_PRESETS.irn5, null, 2);
    $$('[data-fault-preset]').forEach((b) => b.addEventListener('click', () => {
      faultForm.elements.rule.value = JSON.stringify(FAULT_PRESETS[b.dataset.faultPreset], null, 2);
      faultForm.elements.rule.focus();
    }));
    $$('[data-limit-preset]').forEach((b) => b.addEventListener('click', () => {
      limitForm.elements.rule.value = JSON.stringify(LIMIT_PRESETS[b.dataset.limitPreset], null, 2);
      limitForm.elements.rule.focus();
    }));
    faultForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.add('/faults', faultForm, $('#fault-form-error'));
    });
    limitForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.add('/rate-limits', limitForm, $('#limit-form-error'));
    });
    $('#faults-clear').addEventListener('click', async () => {
      await call('DELETE', '/faults');
      this.load();
    });
    $('#limits-clear').addEventListener('click', async () => {
      await call('DELETE', '/rate-limits');
      this.load();
    });
  },
};

// --- Sandbox --------------------------------------------------------------------------------------

const sandbox = {
  async load() {
    const r = await call('GET', '/sandbox');
    if (!r.ok) {
      setMessage($('#sandbox-error'), `Sandbox: ${r.message}`);
      return;
    }
    setMessage($('#sandbox-error'), '');
    const s = r.body;
    const row = (label, value, testid) => [
      h('dt', {}, label),
      h('dd', {}, h('code', { class: 'mono', testid }, String(value ?? '')), ' ', copyButton(String(value ?? ''), label, `copy-${testid}`)),
    ];
    const pem = (label, value, testid) => h('div', { class: 'pane' },
      h('h3', {}, label, ' ', copyButton(value ?? '', label, `copy-${testid}`)),
      h('pre', { class: 'pem mono', testid, tabindex: 0, 'aria-label': label }, value ?? ''));
    $('#sandbox-body').replaceChildren(
      h('dl', { class: 'facts wide card' },
        row('Base URL', location.origin, 'sb-base-url'),
        row('client_id', s.client_id, 'sb-client-id'),
        row('client_secret', s.client_secret, 'sb-client-secret'),
        row('Signing kid', s.signing_kid, 'sb-kid'),
        row('Signing x5t', s.signing_x5t, 'sb-x5t'),
        row('Issuer (iss)', s.issuer, 'sb-issuer'),
        [h('dt', {}, 'Token lifetime'), h('dd', { class: 'mono' }, `${s.token_lifetime_minutes} minutes`)]),
      h('h2', {}, 'API users'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'grid', 'aria-label': 'API users' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'GSTIN'), h('th', { scope: 'col' }, 'User name'), h('th', { scope: 'col' }, 'Password'), h('th', { scope: 'col' }, 'Clients'))),
        h('tbody', { testid: 'sb-users' }, (s.users ?? []).map((u) => h('tr', { dataset: { nav: '' }, tabindex: 0 },
          h('td', { class: 'mono' }, u.gstin, ' ', copyButton(u.gstin, `GSTIN ${u.gstin}`)),
          h('td', { class: 'mono' }, u.username, ' ', copyButton(u.username, `user name ${u.username}`)),
          h('td', { class: 'mono' }, u.password, ' ', copyButton(u.password, `password of ${u.username}`)),
          h('td', { class: 'mono small' }, (u.clients ?? []).length ? u.clients.join(', ') : h('span', { class: 'muted' }, 'any'))))))),
      h('div', { class: 'detail-grid two' },
        pem('Auth public key (PEM): encrypts the password and AppKey', s.auth_public_key_pem, 'sb-public-key'),
        pem('Signing certificate (PEM): verifies SignedInvoice and SignedQRCode', s.signing_certificate_pem, 'sb-certificate')));
  },

  enter() {
    this.load();
  },
};

// --- Views, keyboard, start-up --------------------------------------------------------------------

const MODULES = { journal, registrations, taxpayers, clock, faults, sandbox };
let current = null;

function route() {
  const [name, ...rest] = location.hash.replace(/^#/, '').split('/');
  const view = VIEWS.includes(name) ? name : 'journal';
  const param = rest.length ? decodeURIComponent(rest.join('/')) : null;
  if (current !== view) {
    if (current) MODULES[current].leave?.();
    for (const v of VIEWS) {
      $(`#view-${v}`).hidden = v !== view;
      const tab = $(`a[data-view="${v}"]`);
      if (v === view) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    current = view;
    document.title = `${view[0].toUpperCase()}${view.slice(1)} · IRP emulator`;
    MODULES[view].enter(param);
  } else if (param) {
    MODULES[view].enter(param);
  }
}

function go(view) {
  if (location.hash.replace(/^#/, '').split('/')[0] !== view) location.hash = `#${view}`;
}

/** The IRP that answered or holds something, in a process serving several. */
function irpBadge(irp) {
  return h('span', { class: 'badge irp', title: `IRP ${irp}`, testid: 'irp-badge' }, irp);
}

function moveRow(step) {
  const rows = $$(`#view-${current} tr[data-nav]`);
  if (!rows.length) return;
  const at = rows.indexOf(document.activeElement);
  const next = rows[Math.min(rows.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
  next.focus();
}

let pendingG = false;
function onKey(event) {
  const help = $('#help');
  const target = event.target;
  const typing = target.closest?.('input, textarea, select, [contenteditable]');
  if (event.key === 'Escape' && typing) {
    target.blur();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === '?') {
    event.preventDefault();
    if (help.open) help.close();
    else help.showModal();
    return;
  }
  if (help.open) return;
  if (pendingG) {
    pendingG = false;
    if (INITIALS[event.key]) {
      event.preventDefault();
      go(INITIALS[event.key]);
    }
    return;
  }
  if (/^[1-6]$/.test(event.key)) {
    event.preventDefault();
    go(VIEWS[Number(event.key) - 1]);
  } else if (event.key === 'g') {
    pendingG = true;
    setTimeout(() => { pendingG = false; }, 1500);
  } else if (event.key === '/') {
    const filter = $(`#view-${current} [data-filter]`) ?? $(`#view-${current} input, #view-${current} textarea`);
    if (filter) {
      event.preventDefault();
      filter.focus();
      filter.select?.();
    }
  } else if (event.key === 'j') {
    moveRow(1);
  } else if (event.key === 'k') {
    moveRow(-1);
  } else if (event.key === 'p' && current === 'journal') {
    const live = $('#journal-filters').elements.live;
    live.checked = !live.checked;
    journal.prepend([]);
  }
}

async function start() {
  for (const m of Object.values(MODULES)) m.init?.();
  $('#help-button').addEventListener('click', () => $('#help').showModal());
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', route);
  const health = await call('GET', '/health');
  if (health.ok) {
    const irp = health.body.irp ? ` · ${health.body.irp}` : '';
    $('#version').textContent = `v${health.body.version} · ${health.body.profile}${irp}`;
    if (health.body.control_allowed === false) showBanner('This browser may not use the control namespace: open the page from the emulator\'s machine (loopback) or log in with the admin token.');
  }
  await loadErrorMessages();
  route();
  clock.refresh();
  setInterval(() => clock.refresh(), 1000);
}

start();

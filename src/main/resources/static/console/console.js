'use strict';
// The operator console: a static page over the JSON API, plain DOM and fetch, no framework.
// The key the user logs in with stays in this tab's sessionStorage and is sent only as the
// Authorization header of same-origin API calls; the API decides what the key may see (an agency
// key sees its own agency only). Everything shown is set as text, never parsed as HTML.

// ---------------------------------------------------------------------------------------------
// The panes: each one's list, columns, filters, row actions and detail, all here.
//   list     GET path answering a page {"items", "limit", "offset", "next_offset"} (a bare array,
//            or an object holding one array, is shown too)
//   columns  the fields shown, in order ("counts.discrepancies" reads a nested field);
//            null: every field the items have
//   filters  query parameters offered: options (a select) or free text; operator: operators only
//   detail   GET path of one item: its fields, and each list inside it as a table
//   related  a list shown under an item's detail (with its own columns and actions)
//   actions  POST buttons per row, shown when `when` allows
// A pane whose list answers 404 or 405 says "not available on this server".
// ---------------------------------------------------------------------------------------------
const AGENCY_FILTER = { name: 'agency_id', operator: true };
const PANES = [
  {
    id: 'deadletters', title: 'Dead letters', list: '/api/v1/deadletters',
    columns: ['id', 'status', 'source', 'platform', 'agency_id', 'sync_log_id', 'webhook_log_id',
      'exception_message', 'attempt_count', 'deadlettered_at', 'requeue_count'],
    filters: [{ name: 'status', options: ['open', 'requeued', 'discarded'] },
      { name: 'source', options: ['sync', 'webhook'] }, AGENCY_FILTER],
    detail: row => `/api/v1/deadletters/${row.id}`,
    actions: [
      { label: 'Requeue', when: row => row.status === 'open', post: row => `/api/v1/deadletters/${row.id}/requeue` },
      { label: 'Discard', when: row => row.status === 'open', post: row => `/api/v1/deadletters/${row.id}/discard`,
        confirm: row => `Discard dead letter ${row.id}? It will not be retried.` },
    ],
  },
  {
    id: 'webhooks', title: 'Inbound events', list: '/api/v1/webhooks',
    columns: ['id', 'platform', 'event_type', 'status', 'listing_id', 'agency_id', 'attempt_count', 'error',
      'signature_valid', 'received_at', 'processed_at'],
    filters: [{ name: 'platform', options: ['airbnb', 'booking_com'] },
      { name: 'status', options: ['received', 'queued', 'processed', 'failed', 'unmapped', 'duplicate', 'rejected'] },
      { name: 'listing_id' }, { name: 'from' }, { name: 'to' }, AGENCY_FILTER],
    detail: row => `/api/v1/webhooks/${row.id}`,
    actions: [{ label: 'Replay', when: row => ['processed', 'failed', 'unmapped'].includes(row.status),
      post: row => `/api/v1/webhooks/${row.id}/replay` }],
  },
  {
    id: 'health', title: 'Channel health', list: '/api/v1/channels/health',
    columns: ['platform', 'health', 'circuit', 'calls', 'failed_calls', 'failure_rate', 'held_jobs'],
  },
  {
    id: 'reconciliation', title: 'Reconciliation', list: '/api/v1/reconciliation/runs',
    columns: ['id', 'agency_id', 'trigger', 'status', 'started_at', 'finished_at', 'counts.pms_bookings',
      'counts.channel_bookings', 'counts.discrepancies', 'counts.mappings_failed', 'error'],
    filters: [AGENCY_FILTER],
    detail: row => `/api/v1/reconciliation/runs/${row.id}`, // its "discrepancies" show as a table
  },
  {
    id: 'subscriptions', title: 'Subscriptions', list: '/api/v1/subscriptions',
    columns: ['id', 'agency_id', 'kind', 'url', 'event_types', 'status', 'failing_since', 'last_success_at',
      'last_failure_at', 'last_error'],
    filters: [{ name: 'status', options: ['active', 'failing'] }, AGENCY_FILTER],
    detail: row => `/api/v1/subscriptions/${row.id}`,
    related: {
      title: 'Deliveries', list: sub => `/api/v1/subscriptions/${sub.id}/deliveries`,
      columns: ['id', 'event_type', 'status', 'attempt_count', 'last_status', 'last_error', 'next_attempt_at',
        'delivered_at', 'redelivery_of'],
      actions: [{ label: 'Redeliver', when: delivery => ['succeeded', 'failed'].includes(delivery.status),
        post: delivery => `/api/v1/deliveries/${delivery.id}/redeliver` }],
    },
  },
];

// ---------------------------------------------------------------------------------------------
const KEY = 'channel-sync.console.key';
const $ = id => document.getElementById(id);
const state = { pane: null, offset: 0, query: {}, operator: false };

/** An element with attributes (on* never: the CSP forbids inline handlers anyway) and children (text or nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

class Unauthorized extends Error {}

/** One API call with the stored key; answers {status, ok, body}. A 401 logs out. */
async function api(method, path) {
  const response = await fetch(path, {
    method, cache: 'no-store', credentials: 'omit', redirect: 'error',
    headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY)}`, Accept: 'application/json' },
  });
  const text = await response.text();
  let body = text;
  try { body = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
  if (response.status === 401) {
    logout('The server refused the key (401). Log in again.');
    throw new Unauthorized();
  }
  return { status: response.status, ok: response.ok, body };
}

const unavailable = result => result.status === 404 || result.status === 405;
const problem = result => `${result.status}: ${result.body?.message ?? result.body?.error ?? result.body ?? 'no answer'}`;

function say(text, kind = '') {
  $('message').textContent = text;
  $('message').className = kind;
}

// --- login ----------------------------------------------------------------------------------
async function login(event) {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  await start();
}

async function start() {
  if (!sessionStorage.getItem(KEY)) return logout();
  let me;
  try {
    me = await api('GET', '/api/v1/me');
  } catch (e) {
    if (!(e instanceof Unauthorized)) logout(`The server could not be reached: ${e.message}`);
    return;
  }
  if (!me.ok) return logout(problem(me));
  state.operator = me.body.operator === true;
  $('who').textContent = state.operator ? `operator (key ${me.body.key_prefix})` : `agency ${me.body.agency_id}`;
  $('login').hidden = true;
  $('login-error').textContent = '';
  $('app').hidden = false;
  $('logout').hidden = false;
  show(location.hash.slice(1));
}

function logout(reason = '') {
  sessionStorage.removeItem(KEY);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = reason;
}

// --- panes ----------------------------------------------------------------------------------
function show(id) {
  const pane = PANES.find(p => p.id === id) ?? PANES[0];
  if (state.pane !== pane) {
    state.pane = pane;
    state.offset = 0;
    state.query = {};
  }
  $('tabs').replaceChildren(...PANES.map(p =>
    el('button', { type: 'button', 'data-pane': p.id, 'aria-selected': String(p === pane) }, p.title)));
  $('pane-title').textContent = pane.title;
  $('filters').replaceChildren(...(pane.filters ?? []).filter(f => !f.operator || state.operator).map(filterInput));
  $('detail').hidden = true;
  say('');
  load();
}

function filterInput(filter) {
  const input = filter.options
    ? el('select', { name: filter.name }, el('option', { value: '' }, 'any'), filter.options.map(o => el('option', { value: o }, o)))
    : el('input', { name: filter.name, size: filter.name === 'agency_id' ? 36 : 12 });
  input.value = state.query[filter.name] ?? '';
  input.addEventListener('change', () => {
    state.query[filter.name] = input.value.trim();
    state.offset = 0;
    load();
  });
  return el('label', {}, `${filter.name} `, input);
}

/** Loads the current pane's page into the list. */
async function load() {
  const pane = state.pane;
  const query = new URLSearchParams(Object.entries(state.query).filter(([, v]) => v));
  if (state.offset) query.set('offset', state.offset);
  $('list').replaceChildren();
  $('paging').hidden = true;
  let result;
  try {
    result = await api('GET', pane.list + (query.toString() ? `?${query}` : ''));
  } catch (e) {
    if (!(e instanceof Unauthorized)) say(`${pane.title}: ${e.message}`, 'error');
    return;
  }
  if (state.pane !== pane) return; // another tab was chosen meanwhile
  if (unavailable(result)) {
    $('list').replaceChildren(el('p', { class: 'unavailable', 'data-unavailable': pane.id },
      `${pane.title}: not available on this server (${pane.list} answered ${result.status}).`));
    return;
  }
  if (!result.ok) return say(`${pane.title}: ${problem(result)}`, 'error');
  $('list').replaceChildren(table(itemsOf(result.body), pane.columns, pane.actions, pane.detail && openDetail));
  paging(result.body);
}

function paging(body) {
  const limit = body?.limit ?? 50;
  const hasNext = body?.next_offset !== undefined && body?.next_offset !== null;
  $('paging').hidden = !hasNext && !state.offset;
  $('previous').disabled = !state.offset;
  $('next').disabled = !hasNext;
  $('next').dataset.offset = hasNext ? body.next_offset : '';
  $('page-info').textContent = `from ${state.offset + 1}`;
  $('previous').dataset.offset = Math.max(0, state.offset - limit);
}

/** The rows of a list answer: a page's items, a bare array, or the one array an object holds. */
function itemsOf(body) {
  if (Array.isArray(body)) return body;
  if (Array.isArray(body?.items)) return body.items;
  const arrays = body && typeof body === 'object' ? Object.values(body).filter(Array.isArray) : [];
  return arrays.length === 1 ? arrays[0] : body ? [body] : [];
}

const field = (row, path) => path.split('.').reduce((value, name) => value?.[name], row);

function cell(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 140 ? el('span', { title: text }, `${text.slice(0, 140)}…`) : text;
}

/** A value shown whole (a detail): objects and long text (a stack trace, a raw body) as preformatted text. */
function whole(value) {
  if (value !== null && typeof value === 'object') return el('pre', {}, JSON.stringify(value, null, 2));
  return typeof value === 'string' && value.length > 140 ? el('pre', {}, value) : cell(value);
}

/**
 * A table of rows: the given columns (or every field the rows have), a Details button when onDetail
 * is given, and the actions' buttons. parent is passed to the actions of a related list.
 */
function table(rows, columns, actions = [], onDetail = null, parent = null) {
  if (!rows.length) return el('p', { class: 'empty' }, 'Nothing to show.');
  const shown = columns ?? [...new Set(rows.flatMap(row => Object.keys(row)))];
  const withButtons = onDetail || actions.length;
  return el('table', {},
    el('thead', {}, el('tr', {}, shown.map(c => el('th', {}, c)), withButtons ? el('th', {}, '') : [])),
    el('tbody', {}, rows.map(row => el('tr', { 'data-id': row.id ?? '' },
      shown.map(c => el('td', { 'data-field': c }, cell(field(row, c)))),
      withButtons ? el('td', { class: 'actions' },
        onDetail ? button('Details', () => onDetail(row)) : [],
        actions.filter(a => !a.when || a.when(row)).map(a => button(a.label, () => act(a, row, parent)))) : []))));
}

function button(label, onClick) {
  const b = el('button', { type: 'button', 'data-action': label.toLowerCase() }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Runs a row action (a POST), says how it went, and reloads what it changed. */
async function act(action, row, parent) {
  if (action.confirm && !window.confirm(action.confirm(row))) return;
  try {
    const result = await api('POST', action.post(row, parent));
    say(result.ok ? `${action.label} ${row.id}: done (${result.status}${result.body?.status ? `, ${result.body.status}` : ''}).`
      : `${action.label} ${row.id}: ${problem(result)}`, result.ok ? 'ok' : 'error');
  } catch (e) {
    if (!(e instanceof Unauthorized)) say(`${action.label} ${row.id}: ${e.message}`, 'error');
    return;
  }
  if (parent) await openDetail(parent);
  await load();
}

// --- detail ---------------------------------------------------------------------------------
/** One item: its plain fields as a list, each list inside it as a table, then the pane's related list. */
async function openDetail(row) {
  const pane = state.pane;
  const detail = $('detail');
  let result;
  try {
    result = await api('GET', pane.detail(row));
  } catch (e) {
    if (!(e instanceof Unauthorized)) say(e.message, 'error');
    return;
  }
  if (!result.ok) return say(`${pane.title} ${row.id}: ${problem(result)}`, 'error');
  const item = result.body ?? {};
  const close = button('Close', () => { detail.hidden = true; });
  const plain = Object.entries(item).filter(([, v]) => !Array.isArray(v));
  const lists = Object.entries(item).filter(([, v]) => Array.isArray(v));
  detail.replaceChildren(
    el('h3', {}, `${pane.title}: ${row.id} `, close),
    el('dl', {}, plain.map(([name, value]) => [el('dt', {}, name), el('dd', {}, whole(value))])),
    ...lists.flatMap(([name, values]) => [el('h4', {}, name),
      values.every(v => v !== null && typeof v === 'object') ? table(values, null) : el('pre', {}, JSON.stringify(values))]));
  detail.hidden = false;
  if (pane.related) await related(pane.related, item, detail);
  detail.scrollIntoView({ block: 'nearest' });
}

async function related(spec, parent, detail) {
  let result;
  try {
    result = await api('GET', spec.list(parent));
  } catch (e) {
    if (!(e instanceof Unauthorized)) say(`${spec.title}: ${e.message}`, 'error');
    return;
  }
  const body = unavailable(result) ? el('p', { class: 'unavailable' }, `${spec.title}: not available on this server (${result.status}).`)
    : !result.ok ? el('p', { class: 'error' }, problem(result))
      : table(itemsOf(result.body), spec.columns, spec.actions, null, parent);
  detail.append(el('h4', {}, spec.title), body);
}

// --- wiring ---------------------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logout());
  $('refresh').addEventListener('click', () => load());
  $('previous').addEventListener('click', e => { state.offset = Number(e.target.dataset.offset); load(); });
  $('next').addEventListener('click', e => { state.offset = Number(e.target.dataset.offset); load(); });
  $('tabs').addEventListener('click', e => {
    const id = e.target.dataset?.pane;
    if (id) location.hash = id; // the hashchange shows it
  });
  window.addEventListener('hashchange', () => { if (!$('app').hidden) show(location.hash.slice(1)); });
  start();
});

// The status page: reads api/processes every second and renders every value as text (textContent,
// never HTML). The meta tags say what its server offers: on the daemon, actions send the operator's
// token in the Authorization header (kept in this tab's sessionStorage only); in an application,
// they go through the application's own security, with its CSRF header when it has one.
'use strict';

(() => {
  const POLL_MS = 1000;
  const LOG_POLL_MS = 2000;
  const LOG_LINES = 200;
  const TOKEN_KEY = 'supervisor.token';
  const STATES = ['RUNNING', 'STARTING', 'STOPPING', 'BACKOFF', 'STOPPED', 'PAUSED', 'GIVEN_UP', 'COMPLETED',
    'PENDING', 'INVALID'];
  const KNOWN_CLASSES = new Set(STATES);

  const $ = (id) => document.getElementById(id);
  const meta = (name) => {
    const tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.content : null;
  };
  const FEATURES = new Set((meta('supervisor-features') || '').split(/\s+/).filter(Boolean));
  const SERVER = meta('supervisor-server') || 'server';
  const CSRF_HEADER = meta('supervisor-csrf-header');
  const CSRF_TOKEN = meta('supervisor-csrf-token');
  document.body.dataset.features = [...FEATURES].join(' ');
  const tbody = $('rows');
  const filterName = $('filter-name');
  const filterState = $('filter-state');
  const tokenInput = $('token');

  let rows = [];
  let clockOffset = 0; // server time minus this browser's, from the Date header
  const rowElements = new Map(); // name -> {row, log}
  let openLog = null; // name whose log is shown
  let logTimer = null;
  const busy = new Set(); // names with an action in flight

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function stateClass(state) {
    return 's-' + (KNOWN_CLASSES.has(state) ? state : 'other');
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  let messageTimer = null;

  // Errors stay until the next message; confirmations fade after a few seconds.
  function showMessage(text, ok) {
    const box = $('message');
    clearTimeout(messageTimer);
    box.textContent = text;
    box.className = 'message' + (ok ? ' ok' : '');
    box.hidden = !text;
    if (ok && text) messageTimer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  // --- formatting ------------------------------------------------------------------------------

  function uptime(row) {
    if (row.state !== 'RUNNING' || !row.runningSince) return '–';
    let s = Math.max(0, Math.floor((Date.now() + clockOffset - Date.parse(row.runningSince)) / 1000));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const two = (n) => String(n).padStart(2, '0');
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + two(m) + 'm';
    if (m > 0) return m + 'm ' + two(s) + 's';
    return s + 's';
  }

  function lastExit(row) {
    if (!row.lastExitKind && row.lastExit === null) return '–';
    const kind = row.lastExitKind ? row.lastExitKind.toLowerCase().replace('_', ' ') : 'exit';
    return row.lastExit === null || row.lastExit === undefined ? kind : kind + ' (' + row.lastExit + ')';
  }

  function shellWord(word) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
  }

  function command(row) {
    return Array.isArray(row.command) ? row.command.map(shellWord).join(' ') : '?';
  }

  // --- rendering -------------------------------------------------------------------------------

  function visible(row) {
    const name = filterName.value.trim().toLowerCase();
    const state = filterState.value;
    return (!name || row.name.toLowerCase().includes(name)) && (!state || row.state === state);
  }

  function actionButton(name, action, label, danger) {
    const button = el('button', danger ? 'danger' : '', label);
    button.type = 'button';
    button.dataset.action = action;
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      act(name, action);
    });
    return button;
  }

  // One <tr> per name, made once and updated in place, so that a click is never lost to a refresh.
  function rowElement(name) {
    const existing = rowElements.get(name);
    if (existing) return existing;
    const tr = el('tr', 'row');
    tr.dataset.name = name;
    const cells = {};
    for (const key of ['name', 'state', 'pid', 'uptime', 'restarts', 'exit', 'command', 'node', 'actions']) {
      const className = key === 'state' ? 'state-cell' : key;
      cells[key] = tr.appendChild(el('td', className + (['pid', 'uptime', 'restarts'].includes(key) ? ' num' : '')));
    }
    cells.nameText = cells.name.appendChild(el('span', 'name-text', name));
    cells.note = cells.name.appendChild(el('span', 'error-note'));
    cells.health = cells.name.appendChild(el('span', 'health-note'));
    cells.badge = cells.state.appendChild(el('span', 'state'));
    cells.buttons = {
      restart: cells.actions.appendChild(actionButton(name, 'restart', 'Restart', false)),
      stop: cells.actions.appendChild(actionButton(name, 'stop', 'Stop', true)),
      start: cells.actions.appendChild(actionButton(name, 'start', 'Start', false)),
      signal: cells.actions.appendChild(actionButton(name, 'signal', 'Signal…', false))
    };
    if (FEATURES.has('logs')) tr.addEventListener('click', () => toggleLog(name));
    const entry = { row: tr, cells, log: null };
    rowElements.set(name, entry);
    return entry;
  }

  function setText(node, text) {
    const value = text === null || text === undefined ? '' : String(text);
    if (node.textContent !== value) node.textContent = value;
  }

  function fill(entry, row) {
    const { row: tr, cells } = entry;
    tr.dataset.state = row.state;
    tr.classList.toggle('open', openLog === row.name);
    const error = row.lastError && ['GIVEN_UP', 'INVALID', 'BACKOFF'].includes(row.state) ? row.lastError : '';
    const note = row.reason ? 'given up after ' + row.reason + (error ? ' — ' + error : '') : error;
    setText(cells.note, note);
    cells.note.hidden = !note;
    setText(cells.health, row.health ? 'health ' + row.health : '');
    cells.health.hidden = !row.health;
    cells.health.classList.toggle('failing', !!row.health && !row.health.startsWith('ok'));
    setText(cells.badge, row.state);
    cells.badge.className = 'state ' + stateClass(row.state);
    setText(cells.pid, row.pid === null ? '–' : row.pid);
    setText(cells.uptime, uptime(row));
    setText(cells.restarts, row.restarts);
    setText(cells.exit, lastExit(row));
    cells.exit.title = row.lastError || '';
    setText(cells.command, command(row));
    cells.command.title = command(row);
    setText(cells.node, row.node || '–');
    const paused = row.state === 'PAUSED';
    const runnable = row.state !== 'INVALID';
    const enabled = { restart: runnable && !paused, stop: runnable && !paused, start: runnable && paused,
      signal: row.pid !== null && ['RUNNING', 'STARTING'].includes(row.state) };
    cells.buttons.signal.hidden = row.pid === null && !['RUNNING', 'STARTING'].includes(row.state) || row.command === null;
    for (const [action, button] of Object.entries(cells.buttons)) {
      button.disabled = !enabled[action] || busy.has(row.name);
      button.title = token() || !FEATURES.has('token') ? action + ' ' + row.name : 'Paste the operator token first';
    }
  }

  function renderSummary() {
    const counts = new Map();
    for (const row of rows) counts.set(row.state, (counts.get(row.state) || 0) + 1);
    const summary = $('summary');
    summary.replaceChildren();
    const total = el('span', 'chip' + (filterState.value === '' ? ' active' : ''));
    total.appendChild(el('b', null, rows.length));
    total.appendChild(document.createTextNode(rows.length === 1 ? 'process' : 'processes'));
    total.addEventListener('click', () => { filterState.value = ''; render(); });
    summary.appendChild(total);
    for (const state of orderedStates(counts)) {
      const chip = el('span', 'chip ' + stateClass(state) + (filterState.value === state ? ' active' : ''));
      chip.dataset.state = state;
      chip.appendChild(el('span', 'dot'));
      chip.appendChild(el('b', null, counts.get(state)));
      chip.appendChild(document.createTextNode(state.toLowerCase().replace('_', ' ')));
      chip.addEventListener('click', () => { filterState.value = filterState.value === state ? '' : state; render(); });
      summary.appendChild(chip);
    }
  }

  function orderedStates(counts) {
    const known = STATES.filter((s) => counts.has(s));
    const others = [...counts.keys()].filter((s) => !KNOWN_CLASSES.has(s)).sort();
    return known.concat(others);
  }

  function renderStateOptions() {
    const wanted = STATES.concat(rows.map((r) => r.state).filter((s) => !KNOWN_CLASSES.has(s)));
    const present = new Set([...filterState.options].map((o) => o.value));
    for (const state of wanted) {
      if (!present.has(state)) filterState.appendChild(el('option', null, state)).value = state;
    }
  }

  function render() {
    renderSummary();
    renderStateOptions();
    const wanted = [];
    const names = new Set();
    for (const row of rows) {
      names.add(row.name);
      const entry = rowElement(row.name);
      fill(entry, row);
      if (!visible(row)) continue;
      wanted.push(entry.row);
      if (openLog === row.name) {
        entry.log = entry.log || logRow(row.name);
        wanted.push(entry.log);
      } else {
        entry.log = null;
      }
    }
    for (const name of [...rowElements.keys()]) {
      if (!names.has(name)) rowElements.delete(name);
    }
    const current = [...tbody.children];
    if (current.length !== wanted.length || current.some((node, i) => node !== wanted[i])) {
      tbody.replaceChildren(...wanted);
    }
    $('empty').hidden = rows.length > 0;
  }

  // --- the log panel ---------------------------------------------------------------------------

  function logRow(name) {
    const tr = el('tr', 'log');
    tr.dataset.logFor = name;
    const td = el('td');
    td.colSpan = 9;
    const head = el('div', 'log-head');
    head.appendChild(el('span', null, 'Last ' + LOG_LINES + ' lines of ' + name + "'s log"));
    head.appendChild(el('span', 'log-status', 'loading…'));
    td.appendChild(head);
    td.appendChild(el('pre', 'log-text', ''));
    tr.appendChild(td);
    return tr;
  }

  function toggleLog(name) {
    openLog = openLog === name ? null : name;
    clearTimeout(logTimer);
    render();
    if (openLog) refreshLog();
  }

  async function refreshLog() {
    const name = openLog;
    if (!name) return;
    const entry = rowElements.get(name);
    try {
      const response = await fetch('api/processes/' + encodeURIComponent(name) + '/log?lines=' + LOG_LINES, { cache: 'no-store' });
      const text = response.ok ? await response.text() : 'no log: HTTP ' + response.status;
      if (entry && entry.log && openLog === name) {
        const pre = entry.log.querySelector('pre');
        const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
        pre.textContent = text === '' ? '(nothing written yet)' : text;
        if (atBottom) pre.scrollTop = pre.scrollHeight;
        entry.log.querySelector('.log-status').textContent = 'updated ' + new Date().toLocaleTimeString();
      }
    } catch (e) {
      if (entry && entry.log) entry.log.querySelector('.log-status').textContent = 'cannot read the log';
    }
    if (openLog === name) logTimer = setTimeout(refreshLog, LOG_POLL_MS);
  }

  // --- actions ---------------------------------------------------------------------------------

  async function act(name, action) {
    let query = '';
    if (action === 'signal') {
      const signal = window.prompt('Signal to send to ' + name + ' and its process group (HUP, INT, QUIT, USR1, USR2, TERM, KILL, …):', 'HUP');
      if (!signal) return;
      query = '?signal=' + encodeURIComponent(signal.trim());
    }
    if (FEATURES.has('token') && !token()) {
      showMessage('Paste the operator token (the file named by supervisor run, HOME/http-token by default) to ' + action + ' ' + name + '.');
      tokenInput.focus();
      return;
    }
    busy.add(name);
    render();
    showMessage(action + ' ' + name + '…', true);
    try {
      // JSON, which no form of another site can send; the daemon's token or the application's CSRF header
      const headers = { 'Content-Type': 'application/json' };
      if (FEATURES.has('token')) headers['Authorization'] = 'Bearer ' + token();
      if (CSRF_HEADER && CSRF_TOKEN) headers[CSRF_HEADER] = CSRF_TOKEN;
      const response = await fetch('api/processes/' + encodeURIComponent(name) + '/' + action + query, {
        method: 'POST', headers, body: '{}', cache: 'no-store'
      });
      let body = {};
      try { body = await response.json(); } catch (e) { /* no JSON body */ }
      if (response.ok) {
        showMessage(name + ': ' + (body.result || action), true);
      } else if ((response.status === 401 || response.status === 403) && FEATURES.has('token')) {
        showMessage('The daemon refused the token (' + response.status + '): paste the one from the file its run named.');
      } else if (response.status === 401 || response.status === 403) {
        showMessage('The ' + SERVER + ' refused to ' + action + ' ' + name + ' (HTTP ' + response.status + '): '
          + (body.error || 'this needs a user allowed to operate'));
      } else {
        showMessage(body.error || action + ' ' + name + ' failed: HTTP ' + response.status);
      }
    } catch (e) {
      showMessage('Cannot reach the ' + SERVER + ': ' + e.message);
    } finally {
      busy.delete(name);
      poll();
    }
  }

  // --- polling ---------------------------------------------------------------------------------

  let pollTimer = null;
  let polling = false;
  let pollAgain = false;

  // One request at a time; a poll asked for meanwhile (after an action) follows at once.
  async function poll() {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    clearTimeout(pollTimer);
    const connection = $('connection');
    try {
      const response = await fetch('api/processes', { cache: 'no-store' });
      if (!response.ok) throw Object.assign(new Error('HTTP ' + response.status), { status: response.status });
      const date = Date.parse(response.headers.get('Date'));
      if (!Number.isNaN(date)) clockOffset = date - Date.now();
      rows = await response.json();
      render();
      connection.textContent = 'live';
      connection.className = 'connection';
      $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · every second';
    } catch (e) {
      connection.textContent = SERVER + (e.status ? ' answered HTTP ' + e.status : ' unreachable');
      connection.className = 'connection down';
    } finally {
      polling = false;
      pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
      pollAgain = false;
    }
  }

  // --- wiring ----------------------------------------------------------------------------------

  filterName.addEventListener('input', render);
  filterState.addEventListener('change', render);
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = tokenInput.value.trim();
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      showMessage('Token kept for this tab; the actions are enabled.', true);
    }
    tokenInput.value = '';
    tokenInput.placeholder = value || token() ? 'Token set (kept in this tab)' : tokenInput.placeholder;
    render();
  });
  $('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    tokenInput.placeholder = "Paste the daemon's token to enable actions";
    showMessage('');
    render();
  });
  if (token()) tokenInput.placeholder = 'Token set (kept in this tab)';
  if (meta('supervisor-empty')) $('empty').textContent = meta('supervisor-empty');
  if (!FEATURES.has('logs')) $('hint').textContent = 'Refreshed every second. Actions go through the ' + SERVER + "'s own security.";
  poll();
})();

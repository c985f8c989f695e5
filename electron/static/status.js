/* global document, window */
// Server status window: state, LAN addresses for the other stations, first-start credentials.
'use strict';
const STATES = {
  starting: 'démarrage…',
  running: 'en service',
  restarting: 'redémarrage…',
  stopping: 'arrêt…',
  stopped: 'arrêté',
};

function text(id, value) {
  document.getElementById(id).textContent = value ?? '';
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    tr.append(td);
  }
  return tr;
}

function render(status) {
  const state = document.getElementById('state');
  state.textContent = STATES[status.state] ?? status.state;
  state.className = `state ${status.state}`;
  const retryIn = status.nextRestartAt ? Math.max(0, Math.round((status.nextRestartAt - Date.now()) / 1000)) : null;
  text('detail', retryIn !== null ? `nouvel essai dans ${retryIn} s` : '');

  const error = document.getElementById('error');
  error.classList.toggle('hidden', !status.lastError || status.state === 'running');
  error.textContent = status.lastError ? `Dernière erreur : ${status.lastError}` : '';

  const credentials = document.getElementById('credentials');
  credentials.classList.toggle('hidden', status.firstStartCredentials.length === 0);
  document.getElementById('credential-rows').replaceChildren(...status.firstStartCredentials.map((c) => row([c.login, c.password, c.role])));

  document.getElementById('urls').replaceChildren(...status.urls.map((u) => row([u.interfaceName, u.origin, u.kiosk, u.agent, u.display])));
  text('local-url', status.url);
  text('branch', status.branchId);
  text('data-dir', status.dataDir);
  text('log-file', status.logFile);
  text('restarts', String(status.restarts));
}

window.smartqueue.onServerStatus(render);
window.smartqueue.getServerStatus().then(render).catch(() => undefined);

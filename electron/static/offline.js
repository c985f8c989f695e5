/* global document, window */
// Shows which server this screen waits for; the main process reloads the app when it answers.
'use strict';
window.smartqueue
  .getStationInfo()
  .then((info) => {
    if (info.serverUrl) document.getElementById('server').textContent = `Serveur : ${info.serverUrl}`;
  })
  .catch(() => undefined);

/* global document, window */
// On-screen keypad of the kiosk admin prompt. The PIN is checked in the main process; this page
// never sees the hash. Closes itself after a minute without a touch.
'use strict';
const MAX_DIGITS = 12;
let pin = '';
let idleTimer = 0;

const dots = document.getElementById('dots');
const message = document.getElementById('message');

function render() {
  dots.textContent = '•'.repeat(pin.length);
}

function keepOpen() {
  window.clearTimeout(idleTimer);
  idleTimer = window.setTimeout(() => window.close(), 60_000);
}

async function submit() {
  if (pin.length === 0) return;
  const attempt = pin;
  pin = '';
  render();
  try {
    const result = await window.smartqueue.requestExit(attempt);
    if (result.ok) {
      message.textContent = '';
      return;
    }
    message.textContent = result.retryAfterSeconds
      ? `Trop d'essais. Réessayez dans ${result.retryAfterSeconds} s.`
      : 'Code incorrect.';
  } catch {
    message.textContent = 'Vérification impossible.';
  }
}

document.getElementById('keypad').addEventListener('click', (event) => {
  keepOpen();
  const button = event.target.closest('button');
  if (!button) return;
  if (button.dataset.digit !== undefined && pin.length < MAX_DIGITS) pin += button.dataset.digit;
  else if (button.id === 'erase') pin = pin.slice(0, -1);
  else if (button.id === 'ok') void submit();
  render();
});

document.addEventListener('keydown', (event) => {
  keepOpen();
  if (/^\d$/.test(event.key) && pin.length < MAX_DIGITS) pin += event.key;
  else if (event.key === 'Backspace') pin = pin.slice(0, -1);
  else if (event.key === 'Enter') void submit();
  else if (event.key === 'Escape') window.close();
  render();
});

document.getElementById('cancel').addEventListener('click', () => window.close());
keepOpen();

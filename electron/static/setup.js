/* global document, window */
// First-run setup form. Validation that matters happens in the main process (zod schema);
// this page only shows the fields of the chosen roles and reports the errors it gets back.
'use strict';
const form = document.getElementById('form');
let hasKioskPin = false;

function option(value, label) {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = label;
  return element;
}

function selectedRoles() {
  return [...form.querySelectorAll('input[name="roles"]:checked')].map((input) => input.value);
}

function refresh() {
  const roles = selectedRoles();
  document.getElementById('server-section').classList.toggle('hidden', !roles.includes('server'));
  document.getElementById('client-section').classList.toggle('hidden', roles.includes('server'));
  document.getElementById('display-section').classList.toggle('hidden', !roles.includes('display'));
  document.getElementById('kiosk-section').classList.toggle('hidden', !roles.includes('kiosk'));
  document.getElementById('printer-tcp').classList.toggle('hidden', form.elements.printerChoice.value !== 'tcp');
}

function fill(data) {
  const { form: values } = data;
  form.elements.name.value = values.name;
  for (const input of form.querySelectorAll('input[name="roles"]')) input.checked = values.roles.includes(input.value);
  form.elements.serverUrl.value = values.serverUrl;
  form.elements.port.value = String(values.port);
  form.elements.autoStart.checked = values.autoStart;

  const printer = document.getElementById('printer-choice');
  printer.append(option('', 'Aucune'), option('simulated', 'Simulée (essais)'), option('tcp', 'Imprimante réseau (tcp://…)'));
  for (const p of data.printers) printer.append(option(p.spec, `Windows/CUPS : ${p.label}`));
  if (values.printer.startsWith('tcp://')) {
    printer.value = 'tcp';
    form.elements.printerTcp.value = values.printer;
  } else {
    if (values.printer && ![...printer.options].some((o) => o.value === values.printer)) printer.append(option(values.printer, values.printer));
    printer.value = values.printer;
  }

  const display = document.getElementById('display-index');
  display.append(option('', 'Écran principal'));
  for (const d of data.displays) display.append(option(String(d.index), `${d.label}${d.primary ? ' (principal)' : ''}`));
  display.value = values.displayIndex === null ? '' : String(values.displayIndex);

  hasKioskPin = data.hasKioskPin;
  if (hasKioskPin) form.elements.kioskPin.placeholder = 'Laisser vide pour garder le code actuel';

  const problems = document.getElementById('problems');
  problems.classList.toggle('hidden', data.problems.length === 0);
  problems.textContent = data.problems.length ? `La configuration actuelle est incomplète : ${data.problems.join(' ; ')}` : '';
  refresh();
}

form.addEventListener('change', refresh);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const errors = document.getElementById('errors');
  const roles = selectedRoles();
  const pin = form.elements.kioskPin.value;
  if (roles.includes('kiosk') && pin !== form.elements.kioskPinConfirm.value) {
    errors.textContent = 'Les deux codes ne correspondent pas.';
    return;
  }
  const printerChoice = form.elements.printerChoice.value;
  const result = await window.smartqueue.saveSetup({
    name: form.elements.name.value,
    roles,
    serverUrl: form.elements.serverUrl.value,
    port: Number(form.elements.port.value),
    printer: printerChoice === 'tcp' ? form.elements.printerTcp.value : printerChoice,
    displayIndex: form.elements.displayIndex.value === '' ? null : Number(form.elements.displayIndex.value),
    kioskPin: roles.includes('kiosk') ? pin : '',
    autoStart: form.elements.autoStart.checked,
  });
  errors.textContent = result.ok ? '' : result.errors.join('\n');
});

window.smartqueue.getSetupData().then(fill).catch((error) => {
  document.getElementById('errors').textContent = String(error);
});

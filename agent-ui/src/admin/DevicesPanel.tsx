// Devices: add a kiosk or a call board (its 6-digit code large, with a countdown and a QR code of the pairing
// address), the list with role, printer, last seen, online now and paper; revoke; choose a kiosk's printer and send
// a test page, with the printer's answer.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import type { DeviceStatusView, TestPageResult } from '../../../server/src/shared/contracts/admin.js';
import type { DeviceRole } from '../../../server/src/shared/contracts/domain.js';
import { apiFetch } from '../../../ui-shared/api.js';
import { fieldErrorsOf, useAdminList, useSaving } from './api.js';
import { Field, FormError } from './forms.js';

interface Pairing { deviceId: string; name: string; role: DeviceRole; code: string; expiresAt: string }
type PrinterKind = 'default' | 'simulated' | 'tcp' | 'os';

function printerSpec(kind: PrinterKind, value: string): string | null {
  if (kind === 'default') return null;
  if (kind === 'simulated') return 'simulated';
  return kind === 'tcp' ? `tcp://${value.replace(/^tcp:\/\//, '')}` : `os:${value.replace(/^os:/, '')}`;
}

export function DevicesPanel({ token }: { token: string }) {
  const { t, i18n } = useTranslation();
  const devices = useAdminList<DeviceStatusView[]>('/api/admin/devices', token);
  const [pairing, setPairing] = useState<Pairing | null>(null);
  const [tests, setTests] = useState<Record<string, TestPageResult | 'busy'>>({});
  const action = useSaving();
  // Online and last seen change by themselves: the list refreshes every few seconds.
  useEffect(() => { const timer = setInterval(() => void devices.reload(), 3000); return () => clearInterval(timer); }, [devices]);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'fr-SN', { dateStyle: 'short', timeStyle: 'medium' }) : '—');

  const revoke = async (d: DeviceStatusView) => {
    await action.run(async () => { await apiFetch(`/api/admin/devices/${encodeURIComponent(d.id)}/revoke`, { method: 'POST', body: {}, token }); }, (e) => fieldErrorsOf(e, t));
    await devices.reload();
  };
  const newCode = async (d: DeviceStatusView) => {
    await action.run(async () => {
      const r = await apiFetch<{ pairingCode: string; pairingExpiresAt: string }>(`/api/admin/devices/${encodeURIComponent(d.id)}/pairing-code`, { method: 'POST', body: {}, token });
      setPairing({ deviceId: d.id, name: d.name, role: d.role, code: r.pairingCode, expiresAt: r.pairingExpiresAt });
    }, (e) => fieldErrorsOf(e, t));
    await devices.reload();
  };
  const testPage = async (d: DeviceStatusView) => {
    setTests((m) => ({ ...m, [d.id]: 'busy' }));
    try {
      const r = await apiFetch<TestPageResult>(`/api/admin/devices/${encodeURIComponent(d.id)}/test-page`, { method: 'POST', body: { language: i18n.language }, token, timeoutMs: 20_000 });
      setTests((m) => ({ ...m, [d.id]: r }));
    } catch {
      setTests((m) => ({ ...m, [d.id]: { outcome: 'error', paper: 'unknown', code: null, message: null } }));
    }
    await devices.reload();
  };

  return (
    <div className="admin-stack">
      {pairing && <PairingCode pairing={pairing} onClose={() => { setPairing(null); void devices.reload(); }} />}
      <FormError errors={action.errors} />
      <table className="admin-table" data-testid="devices-table">
        <caption className="visually-hidden">{t('admin.sections.devices')}</caption>
        <thead><tr><th scope="col">{t('admin.devices.name')}</th><th scope="col">{t('admin.devices.role')}</th><th scope="col">{t('admin.devices.printer')}</th><th scope="col">{t('admin.devices.lastSeen')}</th><th scope="col">{t('admin.devices.online')}</th><th scope="col">{t('admin.devices.paper')}</th><th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th></tr></thead>
        <tbody>
          {(devices.data ?? []).map((d) => {
            const test = tests[d.id];
            const state = d.revokedAt ? 'revoked' : d.pairedAt ? 'paired' : 'pending';
            return (
              <tr key={d.id} data-testid={`device-${d.name}`} data-online={d.online ? 'yes' : 'no'} data-state={state}>
                <td>{d.name}{state !== 'paired' && <span className="badge">{t(`admin.devices.states.${state}`)}</span>}</td>
                <td>{t(`admin.devices.roles.${d.role}`)}</td>
                <td>{d.role === 'kiosk' ? d.printer ?? t('admin.devices.defaultPrinter') : '—'}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td><span className={`pill ${d.online ? 'status-active' : 'status-closed'}`}>{d.online ? t('admin.devices.yes') : t('admin.devices.no')}</span></td>
                <td>{d.paper ? t(`admin.devices.paperStates.${d.paper}`) : '—'}</td>
                <td className="row-actions">
                  {d.role === 'kiosk' && !d.revokedAt && <button type="button" disabled={test === 'busy'} onClick={() => void testPage(d)} data-testid={`test-page-${d.name}`}>{t('admin.devices.testPage')}</button>}
                  {d.role === 'kiosk' && !d.revokedAt && <PrinterEditor token={token} device={d} onDone={() => devices.reload()} />}
                  {!d.revokedAt && <button type="button" onClick={() => void revoke(d)} data-testid={`revoke-${d.name}`}>{t('admin.devices.revoke')}</button>}
                  <button type="button" onClick={() => void newCode(d)}>{t('admin.devices.newCode')}</button>
                  {test && test !== 'busy' && <span className={`test-result outcome-${test.outcome}`} role="status" data-testid={`test-result-${d.name}`} data-outcome={test.outcome}>{t(`admin.devices.outcomes.${test.outcome}`)}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <NewDevice token={token} onCreated={async (p) => { setPairing(p); await devices.reload(); }} />
    </div>
  );
}

function PrinterEditor({ token, device, onDone }: { token: string; device: DeviceStatusView; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const current = device.printer ?? '';
  const initialKind: PrinterKind = !current ? 'default' : current.startsWith('tcp://') ? 'tcp' : current.startsWith('os:') ? 'os' : 'simulated';
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<PrinterKind>(initialKind);
  const [value, setValue] = useState(current.replace(/^tcp:\/\/|^os:/, ''));
  const save = useSaving();
  if (!open) return <button type="button" onClick={() => setOpen(true)}>{t('admin.devices.choosePrinter')}</button>;
  const submit = async () => {
    const ok = await save.run(async () => { await apiFetch(`/api/admin/devices/${encodeURIComponent(device.id)}`, { method: 'PATCH', body: { printer: printerSpec(kind, value) }, token }); }, (e) => fieldErrorsOf(e, t));
    if (ok) { setOpen(false); await onDone(); }
  };
  return (
    <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <FormError errors={save.errors} />
      <Field label={t('admin.devices.printerKind')}>
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as PrinterKind)}>
            {(['default', 'tcp', 'os', 'simulated'] as const).map((k) => <option key={k} value={k}>{t(`admin.devices.printerKinds.${k}`)}</option>)}
          </select>
        )}
      </Field>
      {(kind === 'tcp' || kind === 'os') && (
        <Field label={t(kind === 'tcp' ? 'admin.devices.printerAddress' : 'admin.devices.printerName')} error={save.errors.printer}>
          {(id, desc) => <input id={id} aria-describedby={desc} value={value} placeholder={kind === 'tcp' ? '192.168.1.50:9100' : 'EPSON_TM_T20'} onChange={(e) => setValue(e.target.value)} />}
        </Field>
      )}
      <button type="submit" disabled={save.busy}>{t('common.save')}</button>
      <button type="button" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
    </form>
  );
}

function NewDevice({ token, onCreated }: { token: string; onCreated: (p: Pairing) => Promise<void> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<DeviceRole>('kiosk');
  const save = useSaving();
  const submit = async () => {
    let created: Pairing | null = null;
    const ok = await save.run(async () => {
      const r = await apiFetch<{ device: DeviceStatusView; pairingCode: string; pairingExpiresAt: string }>('/api/admin/devices', { method: 'POST', body: { name, role, printer: null }, token });
      created = { deviceId: r.device.id, name: r.device.name, role: r.device.role, code: r.pairingCode, expiresAt: r.pairingExpiresAt };
    }, (e) => fieldErrorsOf(e, t));
    if (ok && created) { setName(''); await onCreated(created); }
  };
  return (
    <form className="admin-form admin-card" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="device-form" aria-label={t('admin.devices.new')}>
      <h3>{t('admin.devices.new')}</h3>
      <FormError errors={save.errors} />
      <div className="grid2">
        <Field label={t('admin.devices.name')} error={save.errors.name} name="device-name">
          {(id, desc) => <input id={id} aria-describedby={desc} name="deviceName" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('admin.devices.role')}>
          {(id) => (
            <select id={id} name="deviceRole" value={role} onChange={(e) => setRole(e.target.value as DeviceRole)}>
              <option value="kiosk">{t('admin.devices.roles.kiosk')}</option>
              <option value="display">{t('admin.devices.roles.display')}</option>
            </select>
          )}
        </Field>
      </div>
      <div className="actions"><button type="submit" className="primary" disabled={save.busy} data-testid="device-save">{t('admin.devices.add')}</button></div>
    </form>
  );
}

function PairingCode({ pairing, onClose }: { pairing: Pairing; onClose: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const [qr, setQr] = useState('');
  useEffect(() => { const timer = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(timer); }, []);
  // The QR code holds the screen's address with the code: a tablet used as a kiosk or board opens it and pairs.
  const url = `${location.origin}/${pairing.role === 'kiosk' ? 'kiosk' : 'display'}/?pair=${pairing.code}`;
  useEffect(() => { void QRCode.toString(url, { type: 'svg', margin: 1, width: 180 }).then(setQr, () => setQr('')); }, [url]);
  const left = Math.max(0, Math.round((Date.parse(pairing.expiresAt) - now) / 1000));
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <div className="pairing" role="dialog" aria-labelledby="pairing-title" data-testid="pairing">
      <h3 id="pairing-title">{t('admin.devices.pairTitle', { name: pairing.name })}</h3>
      <p>{t(pairing.role === 'kiosk' ? 'admin.devices.pairHowKiosk' : 'admin.devices.pairHowDisplay')}</p>
      <div className="pairing-body">
        <p className="big-code" data-testid="pairing-code" aria-label={t('admin.devices.code')}>{pairing.code.slice(0, 3)} {pairing.code.slice(3)}</p>
        {qr && <span className="qr" role="img" aria-label={t('admin.devices.qr')} data-url={url} dangerouslySetInnerHTML={{ __html: qr }} />}
      </div>
      <p role="timer" aria-live="off" data-testid="pairing-countdown">{left > 0 ? t('admin.devices.expiresIn', { time: `${mm}:${ss}` }) : t('admin.devices.expired')}</p>
      <button type="button" onClick={onClose}>{t('admin.devices.done')}</button>
    </div>
  );
}

// The Administration section of the staff app (issue 16): an admin sets up and runs the branch on screen (branch,
// services, counters, users, devices, previews, audit log); a supervisor gets what a branch manager may do (the
// services' lines and the call-board message). /admin/ on the branch opens it directly.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../session.js';
import { AuditPanel } from './AuditPanel.js';
import { BranchPanel } from './BranchPanel.js';
import { CountersPanel } from './CountersPanel.js';
import { DevicesPanel } from './DevicesPanel.js';
import { PreviewPanel } from './PreviewPanel.js';
import { RemotePanel } from './RemotePanel.js';
import { ServicesPanel } from './ServicesPanel.js';
import { UsersPanel } from './UsersPanel.js';

const ADMIN_SECTIONS = ['branch', 'services', 'counters', 'users', 'devices', 'preview', 'audit'] as const;
const SUPERVISOR_SECTIONS = ['services'] as const;
type Section = (typeof ADMIN_SECTIONS)[number];

export function Admin({ session, boardMessage }: { session: Session; boardMessage: string | null }) {
  const { t } = useTranslation();
  const isAdmin = session.user.role === 'admin';
  const sections: readonly Section[] = isAdmin ? ADMIN_SECTIONS : SUPERVISOR_SECTIONS;
  const [section, setSection] = useState<Section>(sections[0] ?? 'services');
  const token = session.token;
  return (
    <div className="admin" data-testid="admin">
      <nav className="admin-nav" aria-label={t('admin.title')}>
        <h1>{t('admin.title')}</h1>
        <ul>
          {sections.map((s) => (
            <li key={s}>
              <button type="button" className={s === section ? 'active' : ''} aria-current={s === section ? 'page' : undefined} data-testid={`admin-nav-${s}`} onClick={() => setSection(s)}>
                {t(`admin.sections.${s}`)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="admin-panel" aria-labelledby="admin-panel-title" data-testid={`admin-${section}`}>
        <h2 id="admin-panel-title">{t(`admin.sections.${section}`)}</h2>
        {section === 'branch' && <><BranchPanel token={token} boardMessage={boardMessage} /><RemotePanel token={token} canEdit={isAdmin} /></>}
        {section === 'services' && <ServicesPanel token={token} canEdit={isAdmin} />}
        {section === 'counters' && <CountersPanel token={token} />}
        {section === 'users' && <UsersPanel token={token} selfId={session.user.id} />}
        {section === 'devices' && <DevicesPanel token={token} />}
        {section === 'preview' && <PreviewPanel token={token} />}
        {section === 'audit' && <AuditPanel token={token} />}
      </section>
    </div>
  );
}

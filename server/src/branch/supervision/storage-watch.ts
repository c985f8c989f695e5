// A full disk (issue 14, point 15): writes answer 503 STORAGE_FULL (shared/http/errors.ts), health says
// `database: { ok: false, error: "STORAGE_FULL" }`, and the supervisors get one alert. Once space is freed the
// next write works again by itself; health and the sweeper try a small write while the disk is known full, and say
// when it works again.
import type { Alert } from '../../shared/contracts/events.js';
import { isStorageFull } from '../../shared/http/errors.js';
import type { BranchContext } from '../core/context.js';

export class StorageWatch {
  private fullSince: string | null = null;

  constructor(private readonly ctx: Pick<BranchContext, 'store' | 'clock' | 'logger'>, private readonly raise: (alert: Omit<Alert, 'id' | 'at'>) => void) {}

  /** Look at a failed request or job: a full disk starts an episode (one alert). */
  noteError(err: unknown): void {
    if (!isStorageFull(err) || this.fullSince) return;
    this.fullSince = this.ctx.clock.now().toISOString();
    this.ctx.logger.error({ err }, 'the disk of the data folder is full: nothing can be recorded');
    this.raise({
      kind: 'storage', severity: 'critical',
      message: 'Disque plein : le serveur ne peut plus enregistrer de tickets. Libérez de la place sur le disque du serveur ; le service reprend de lui-même.',
      data: { reason: 'storage_full', since: this.fullSince },
    });
  }

  /** While the disk is known full, try a small write: true once it works again. */
  recheck(): boolean {
    if (!this.fullSince) return true;
    try {
      this.ctx.store.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('storage_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(this.ctx.clock.now().toISOString());
    } catch (err) {
      if (isStorageFull(err)) return false;
      throw err;
    }
    this.ctx.logger.info({ since: this.fullSince }, 'the data folder can be written again');
    this.raise({ kind: 'storage', severity: 'info', message: 'Espace disque retrouvé : le serveur enregistre de nouveau.', data: { reason: 'storage_recovered' } });
    this.fullSince = null;
    return true;
  }

  /** For health: `ok` false while the disk is full. */
  status(): { ok: boolean; error: string | null; since: string | null } {
    const ok = this.recheck();
    return { ok, error: ok ? null : 'STORAGE_FULL', since: this.fullSince };
  }
}

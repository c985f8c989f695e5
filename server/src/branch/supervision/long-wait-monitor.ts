// Raises a long-wait alert when a service's longest wait crosses its target: once per crossing, not on every sweep.
// The alert is re-armed when the line is back under its target (or empty), so the next crossing alerts again.
import type { Alert } from '../../shared/contracts/events.js';
import type { ServiceCatalog } from '../services/service.service.js';
import type { BranchState } from './branch-state.js';

export class LongWaitMonitor {
  /** Services currently past their target that were already reported. In memory: a restart reports them once more. */
  private readonly reported = new Set<string>();

  constructor(private readonly state: BranchState, private readonly catalog: ServiceCatalog) {}

  /** Compare every line with its target now; returns the alerts raised by this check. */
  check(): Alert[] {
    const services = new Map(this.catalog.list().map((s) => [s.id, s]));
    const raised: Alert[] = [];
    for (const line of this.state.queueSummary().services) {
      const service = services.get(line.serviceId);
      if (!service) continue;
      const over = line.waitingCount > 0 && line.longestWaitMinutes >= service.targetWaitMinutes;
      if (!over) {
        this.reported.delete(service.id);
        continue;
      }
      if (this.reported.has(service.id)) continue;
      this.reported.add(service.id);
      raised.push(this.state.raiseAlert({
        kind: 'long_wait',
        severity: 'warning',
        message: `Attente longue au service ${service.prefix} (${service.name.fr}) : ${line.longestWaitMinutes} min pour un objectif de ${service.targetWaitMinutes} min`,
        data: {
          serviceId: service.id,
          prefix: service.prefix,
          longestWaitMinutes: line.longestWaitMinutes,
          targetWaitMinutes: service.targetWaitMinutes,
          waitingCount: line.waitingCount,
        },
      }));
    }
    return raised;
  }
}

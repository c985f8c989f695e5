// Names of branches and services for screens that receive ids (payments, notifications): one request, one lookup.
import { useEffect, useState } from 'react';
import type { OfficeApi } from './session.js';

interface Names { branches: Array<{ id: string; name: string }>; services: Array<{ branchId: string; serviceId: string; prefix: string | null; name: string }> }

export function useNames(api: OfficeApi) {
  const [names, setNames] = useState<Names>({ branches: [], services: [] });
  useEffect(() => { api<Names>('/api/office/names').then(setNames, () => undefined); }, [api]);
  return {
    branch: (id: string | null) => (id === null ? '—' : names.branches.find((b) => b.id === id)?.name ?? id),
    service: (branchId: string | null, serviceId: string | null) => {
      if (serviceId === null) return '—';
      const s = names.services.find((x) => x.serviceId === serviceId && (branchId === null || x.branchId === branchId));
      return s ? (s.prefix ? `${s.prefix} · ${s.name}` : s.name) : serviceId;
    },
  };
}

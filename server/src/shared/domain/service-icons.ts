// The icons a service may show at the kiosk, beside its name (ui-shared/icons.tsx draws each one). One list: the
// admin API refuses any other name, and the admin screen offers exactly these.
export const SERVICE_ICONS = ['ticket', 'cash', 'account', 'transfer', 'adviser', 'health', 'document', 'phone', 'appointment'] as const;
export type ServiceIcon = (typeof SERVICE_ICONS)[number];
export const DEFAULT_SERVICE_ICON: ServiceIcon = 'ticket';

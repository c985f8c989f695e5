// Ticket tracking at central: the page visitors open from their ticket's QR code, live positions, notifications.
export { TrackingService, type TrackingOptions } from './tracking.service.js';
export { registerTrackingRoutes } from './tracking.routes.js';
export { trackingOptionsFromEnv } from './env.js';

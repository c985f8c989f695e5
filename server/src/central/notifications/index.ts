// Notifications: templates (fr/wo/en), recipients, channels (e-mail, web push, SMS), the delivery log and its worker.
export * from './types.js';
export * from './errors.js';
export { parseEmail, parsePhone, parsePushSubscription, parseRecipient, DEFAULT_PUSH_HOSTS, type PushEndpointPolicy, type RecipientInput } from './recipients.js';
export { renderNotification, formatDateTime, NOTIFICATION_TEXTS } from './templates.js';
export { branchFreshness, decideCalled, decideTurnNear, DEFAULT_STALE_AFTER_SECONDS, type BranchSyncState, type Freshness, type Decision } from './freshness.js';
export { estimateTravel, travelHint, distanceKm, DAKAR_TRAFFIC_KMH, type LatLon, type TravelEstimate, type TravelHint } from './travel.js';
export { migrateNotifications, notificationDb, type NotificationTables, type NotificationDb } from './store.js';
export { enqueueDeliveries, listDeliveries, deliveryCounts, retryDelayMs, DEFAULT_BACKOFF, type Delivery, type DeliveryStatus, type BackoffPolicy } from './delivery-log.js';
export { DeliveryWorker, type DeliveryWorkerOptions } from './worker.js';
export { Notifier, type NotifyInput, type NotifyResult } from './notifier.js';
export { channelsConfigFromEnv, createChannels, closeChannels, type ChannelsConfig } from './channels/config.js';
export type { NotificationChannel, Channels, SendResult } from './channels/types.js';
export { isGoneSubscription, type PushPayload, type VapidConfig } from './channels/push.js';

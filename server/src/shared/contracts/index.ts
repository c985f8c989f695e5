export * from './domain.js';
export * from './api.js';
export * from './print.js';
export type * from './events.js';

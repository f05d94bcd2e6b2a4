export * from './languages.js';
export * from './limits.js';
export * from './errors.js';
export * from './model.js';
export * from './frames.js';
export * from './rest.js';
export * from './bridge.js';
export * from './contrast.js';
export * from './offices.js';
export * from './outbox.js';
export * from './referrals.js';
// Schemas live at '@direturn/protocol/schemas' so browser bundles never pull in the validator.
export type * from './schemas.js';
export * from './knowledge.js';
export * from './orientation.js';

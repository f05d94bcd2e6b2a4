/** The client core both browser apps share: `@direturn/protocol/client`. */
export * from './socket-core.js';
export * from './tracking.js';

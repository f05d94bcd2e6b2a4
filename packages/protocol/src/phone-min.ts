/**
 * `@direturn/protocol/phone-min`: the phone rules with libphonenumber-js's `min` metadata (number
 * lengths per country), for the widget's callback form. Its own entry, so only the callback view's
 * chunk carries it; the server checks again with `max` (phone-max.ts).
 */
import metadata from 'libphonenumber-js/min/metadata';
import { phoneRules } from './phone-core.js';

export type { PhoneRules } from './phone-core.js';
export const phone = phoneRules(metadata);

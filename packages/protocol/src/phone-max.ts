/**
 * `@direturn/protocol/phone-max`: the phone rules with libphonenumber-js's `max` metadata (the
 * number ranges of every country, so "+49 170 555" is refused where `min` only checks its length).
 * The server's check of every callback request; never in a browser bundle.
 */
import metadata from 'libphonenumber-js/max/metadata';
import { phoneRules } from './phone-core.js';

export type { PhoneRules } from './phone-core.js';
export const phone = phoneRules(metadata);

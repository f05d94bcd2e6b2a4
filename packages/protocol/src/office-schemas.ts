/** Schemas of the office directory's requests (re-exported by schemas.ts; browsers never bundle them). */
import * as v from 'valibot';
import { CARRIERS, OFFICE_CHANNELS } from './offices.js';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));
const required = (max: number) => v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
/** Optional text: absent, null and "" all mean "none". */
const optionalText = (max: number) =>
  v.pipe(
    v.optional(v.nullable(text(max)), null),
    v.transform((s) => (s ? s : null)),
  );

export const areaKeySchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{2}(?:\d(?:\d{2}(?:\d{3})?)?)?$/, 'must be an official area key of 2, 3, 5 or 8 digits (leading zeros kept)'),
  v.check((k) => Number(k.slice(0, 2)) >= 1 && Number(k.slice(0, 2)) <= 16, 'must start with a federal state key 01 to 16'),
);

const latitude = v.pipe(v.number('must be a number'), v.minValue(-90), v.maxValue(90));
const longitude = v.pipe(v.number('must be a number'), v.minValue(-180), v.maxValue(180));

export const OfficeInputSchema = v.object({
  name: required(200),
  organisation: required(200),
  carrier: v.picklist(CARRIERS, 'must be state or non_state'),
  street: optionalText(200),
  postalCode: v.pipe(
    v.optional(v.nullable(v.pipe(v.string(), v.trim())), null),
    v.transform((s) => (s ? s : null)),
    v.check((s) => s === null || /^\d{5}$/.test(s), 'must be a German postcode of five digits'),
  ),
  city: optionalText(120),
  latitude: v.optional(v.nullable(latitude), null),
  longitude: v.optional(v.nullable(longitude), null),
  phone: v.pipe(
    optionalText(40),
    v.check((s) => s === null || /^\+?[\d\s()/.-]{3,40}$/.test(s), 'must be a phone number (digits, spaces, + ( ) / . -)'),
  ),
  email: v.pipe(
    optionalText(254),
    v.check((s) => s === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), 'must be an e-mail address'),
  ),
  website: v.pipe(
    optionalText(2048),
    v.check((s) => s === null || /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) address'),
  ),
  openingHours: optionalText(1000),
  languages: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[a-z]{2,3}$/, 'must be a language code such as de, ar or prs'))),
      v.maxLength(40),
    ),
    [],
  ),
  targetGroups: v.optional(v.pipe(v.array(required(100)), v.maxLength(20)), []),
  channels: v.optional(v.pipe(v.array(v.picklist(OFFICE_CHANNELS, 'must be in_person, phone, video or chat')), v.maxLength(4)), []),
  note: optionalText(500),
  active: v.optional(v.boolean(), true),
  fallback: v.optional(v.boolean(), false),
  example: v.optional(v.boolean(), false),
  areaKeys: v.pipe(v.array(areaKeySchema), v.maxLength(500, 'at most 500 area keys')),
});
export type OfficeInput = v.InferOutput<typeof OfficeInputSchema>;

/** `PATCH /api/offices/:id`: any subset of the fields. */
export const OfficeUpdateSchema = v.partial(OfficeInputSchema);
export type OfficeUpdate = v.InferOutput<typeof OfficeUpdateSchema>;

/** One entry of a JSON import: an office, optionally with the id of the office it updates. */
export const OfficeImportItemSchema = v.object({
  ...OfficeInputSchema.entries,
  id: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.uuid('must be an office id (UUID)')))),
});
export type OfficeImportItem = v.InferOutput<typeof OfficeImportItemSchema>;

export const OfficeImportQuerySchema = v.object({
  format: v.picklist(['csv', 'json'] as const, 'must be csv or json'),
  dryRun: v.optional(v.pipe(v.picklist(['0', '1', 'true', 'false'] as const), v.transform((s) => s === '1' || s === 'true')), 'false'),
});

export const OfficeExportQuerySchema = v.object({
  format: v.optional(v.picklist(['csv', 'json'] as const, 'must be csv or json'), 'csv'),
});

export const OfficeLookupQuerySchema = v.object({
  postcode: v.pipe(v.string(), v.maxLength(20, 'must be a postcode')),
  /** The place the person chose after `choose_place` (its `areaKey`). */
  area: v.optional(v.pipe(v.string(), v.regex(/^\d{5}(?:\d{3})?$/, 'must be an area key of five or eight digits'))),
  carrier: v.optional(v.picklist(['any', 'state', 'non_state'] as const, 'must be any, state or non_state'), 'any'),
});
export type OfficeLookupQuery = v.InferOutput<typeof OfficeLookupQuerySchema>;

export const OutboxListQuerySchema = v.object({
  status: v.optional(v.picklist(['pending', 'failed'] as const, 'must be pending or failed'), 'failed'),
});

/**
 * The directory as CSV and JSON files (docs/offices.md: import format). Parsing turns a file into
 * raw items with their row numbers; validation happens in the service, row by row, with the same
 * schema as the API.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { OfficeAdminDto } from '@direturn/protocol';
import { toOfficeInput } from './office.presenter.js';

export const CSV_COLUMNS = [
  'id', 'name', 'organisation', 'carrier', 'street', 'postal_code', 'city', 'latitude', 'longitude', 'phone', 'email', 'website',
  'opening_hours', 'languages', 'target_groups', 'channels', 'note', 'area_keys', 'active', 'fallback', 'example',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: CsvColumn[] = ['name', 'organisation', 'carrier', 'area_keys'];
/** Inside a cell, lists (languages, target groups, channels, area keys) are separated by semicolons. */
const LIST_SEPARATOR = ';';
export const MAX_IMPORT_ROWS = 5000;

export interface RawItem {
  row: number;
  /** For the report, before validation. */
  name: string | null;
  /** Problems found while reading the row (before schema validation). */
  problems: string[];
  value: Record<string, unknown>;
}

export class FileError extends Error {}

const list = (cell: string): string[] =>
  cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);

function bool(cell: string, column: string, problems: string[]): boolean | undefined {
  const s = cell.trim().toLowerCase();
  if (s === '') return undefined;
  if (['1', 'true', 'yes', 'ja', 'x'].includes(s)) return true;
  if (['0', 'false', 'no', 'nein'].includes(s)) return false;
  problems.push(`${column}: "${cell}" is not yes/no (true/false, 1/0)`);
  return undefined;
}

function number(cell: string, column: string, problems: string[]): number | null {
  const s = cell.trim();
  if (s === '') return null;
  // A German spreadsheet writes 48,1372.
  const n = Number(/^-?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
  if (!Number.isFinite(n)) {
    problems.push(`${column}: "${cell}" is not a number`);
    return null;
  }
  return n;
}

/** CSV with a header row; the delimiter (comma, or the semicolon of German spreadsheets) is read from the header. */
export function readCsv(text: string): RawItem[] {
  const body = text.replace(/^\uFEFF/, '');
  const header = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new FileError(`The file is not valid CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new FileError('The file is empty.');
  const columns = records[0]!.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw new FileError(`Unknown column(s): ${unknown.join(', ')}. Known: ${CSV_COLUMNS.join(', ')}.`);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) throw new FileError(`Missing column(s): ${missing.join(', ')}.`);
  if (new Set(columns).size !== columns.length) throw new FileError('A column appears twice in the header.');
  if (records.length - 1 > MAX_IMPORT_ROWS) throw new FileError(`At most ${MAX_IMPORT_ROWS} offices per file.`);

  return records.slice(1).map((cells, i) => {
    const problems: string[] = [];
    if (cells.length !== columns.length) problems.push(`has ${cells.length} cells, the header has ${columns.length}`);
    const cell = (c: CsvColumn): string => {
      const at = columns.indexOf(c);
      return at >= 0 ? (cells[at] ?? '') : '';
    };
    const has = (c: CsvColumn) => columns.includes(c) && cell(c).trim() !== '';
    const value: Record<string, unknown> = {
      name: cell('name'),
      organisation: cell('organisation'),
      carrier: cell('carrier').trim().toLowerCase().replace('-', '_'),
      street: cell('street'),
      postalCode: cell('postal_code'),
      city: cell('city'),
      latitude: number(cell('latitude'), 'latitude', problems),
      longitude: number(cell('longitude'), 'longitude', problems),
      phone: cell('phone'),
      email: cell('email'),
      website: cell('website'),
      openingHours: cell('opening_hours'),
      languages: list(cell('languages')),
      targetGroups: list(cell('target_groups')),
      channels: list(cell('channels')),
      note: cell('note'),
      areaKeys: list(cell('area_keys')),
    };
    if (has('id')) value.id = cell('id');
    for (const c of ['active', 'fallback', 'example'] as const) {
      const b = bool(cell(c), c, problems);
      if (b !== undefined) value[c] = b;
    }
    return { row: i + 1, name: cell('name').trim() || null, problems, value };
  });
}

/** `{ "offices": [...] }` (as exported) or a bare array of offices. */
export function readJson(text: string): RawItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FileError(`The file is not valid JSON: ${(err as Error).message}`);
  }
  const items = Array.isArray(data) ? data : (data as { offices?: unknown })?.offices;
  if (!Array.isArray(items)) throw new FileError('Expected an array of offices, or an object with an "offices" array.');
  if (items.length > MAX_IMPORT_ROWS) throw new FileError(`At most ${MAX_IMPORT_ROWS} offices per file.`);
  return items.map((item, i) => {
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    const name = isObject && typeof (item as { name?: unknown }).name === 'string' ? ((item as { name: string }).name.trim() || null) : null;
    return { row: i + 1, name, problems: isObject ? [] : ['is not an object'], value: isObject ? (item as Record<string, unknown>) : {} };
  });
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function writeCsv(offices: OfficeAdminDto[]): string {
  const rows = offices.map((o) => {
    const i = toOfficeInput(o);
    const row: Record<CsvColumn, string> = {
      id: o.id,
      name: i.name,
      organisation: i.organisation,
      carrier: i.carrier,
      street: i.street ?? '',
      postal_code: i.postalCode ?? '',
      city: i.city ?? '',
      latitude: i.latitude === null ? '' : String(i.latitude),
      longitude: i.longitude === null ? '' : String(i.longitude),
      phone: i.phone ?? '',
      email: i.email ?? '',
      website: i.website ?? '',
      opening_hours: i.openingHours ?? '',
      languages: i.languages.join(LIST_SEPARATOR),
      target_groups: i.targetGroups.join(LIST_SEPARATOR),
      channels: i.channels.join(LIST_SEPARATOR),
      note: i.note ?? '',
      area_keys: i.areaKeys.join(LIST_SEPARATOR),
      active: yesNo(i.active),
      fallback: yesNo(i.fallback),
      example: yesNo(i.example),
    };
    return CSV_COLUMNS.map((c) => row[c]);
  });
  // A BOM so that spreadsheets open the UTF-8 (umlauts) correctly; area keys are quoted text.
  return `\uFEFF${stringify([[...CSV_COLUMNS], ...rows], { quoted_match: /^\d+(;\d+)*$/ })}`;
}

export function writeJson(offices: OfficeAdminDto[]): string {
  return `${JSON.stringify({ format: 'direturn-offices', version: 1, offices: offices.map((o) => ({ id: o.id, ...toOfficeInput(o) })) }, null, 2)}\n`;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { POSTCODE_FILE_FORMAT, type PostcodeFile } from './import.js';

/** The file the import script writes (packages/server/geodata/, read from src/ and dist/ alike). */
export const POSTCODE_FILE = fileURLToPath(new URL('../../../geodata/postcodes-de.json', import.meta.url));

export interface Place {
  name: string;
  /** 5-digit district key. */
  district: string;
  /** 8-digit municipality key, when the source had one (the GeoNames table does not). */
  municipality?: string;
  lat: number;
  lon: number;
}

export type PostcodeAnswer =
  | { kind: 'malformed' }
  | { kind: 'unknown'; postcode: string }
  | { kind: 'non_residential'; postcode: string }
  | { kind: 'places'; postcode: string; places: Place[] };

/** Postcode → the places people live in, in memory (about 20,000 places; a lookup is a Map get). */
export class PostcodeTable {
  private readonly postcodes = new Map<string, Place[]>();
  private readonly nonResidential: Set<string>;
  readonly districts: ReadonlyMap<string, string>;
  readonly attribution: string;

  constructor(file: PostcodeFile) {
    if (file.format !== POSTCODE_FILE_FORMAT) throw new Error(`postcode file: format ${String(file.format)} is not ${POSTCODE_FILE_FORMAT}; run pnpm postcodes:import`);
    for (const [code, tuples] of Object.entries(file.postcodes)) {
      this.postcodes.set(
        code,
        tuples.map(([name, district, lat, lon, municipality]) => ({ name, district, lat, lon, ...(municipality ? { municipality } : {}) })),
      );
    }
    this.nonResidential = new Set(file.nonResidential);
    this.districts = new Map(Object.entries(file.districts));
    this.attribution = file.attribution;
  }

  static load(path = POSTCODE_FILE): PostcodeTable {
    return new PostcodeTable(JSON.parse(readFileSync(path, 'utf8')) as PostcodeFile);
  }

  private static cached: PostcodeTable | undefined;
  /** The shipped table, read once per process (servers in one test process share it; it never changes at run time). */
  static shipped(): PostcodeTable {
    return (PostcodeTable.cached ??= PostcodeTable.load());
  }

  /** Accepts "12345", " 12345 ", "D-12345" and "DE-12345"; anything else is malformed. */
  static normalise(input: string): string | undefined {
    const m = /^\s*(?:DE?\s*-\s*)?(\d{5})\s*$/i.exec(input);
    return m?.[1];
  }

  lookup(input: string): PostcodeAnswer {
    const postcode = PostcodeTable.normalise(input);
    if (!postcode) return { kind: 'malformed' };
    const places = this.postcodes.get(postcode);
    if (places) return { kind: 'places', postcode, places };
    if (this.nonResidential.has(postcode)) return { kind: 'non_residential', postcode };
    return { kind: 'unknown', postcode };
  }

  districtName(key: string): string | undefined {
    return this.districts.get(key);
  }

  /** Whether any known district lies in this 2-, 3- or 5-digit area (8 digits: its district is known). */
  hasArea(key: string): boolean {
    const prefix = key.length === 8 ? key.slice(0, 5) : key;
    for (const d of this.districts.keys()) if (d.startsWith(prefix)) return true;
    return false;
  }
}

import type { AreaDto, CarrierPreference, OfficeLookupResponse, OfficeMatchDto } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { levelOf, prefixesOf, REGIONS, STATES, stateOf, type AreaLevel } from './area-keys.js';
import { findActiveByAreaKeys, findActiveFallbacks } from './office.repository.js';
import { toOfficeDto } from './office.presenter.js';
import type { OfficeRow } from './office.table.js';
import type { Place, PostcodeTable } from './postcodes/postcode-table.js';

/** The offices responsible for one area: those of the longest matching key (most specific wins), all of them. */
export function responsibleFor(areaKey: string, candidates: ReadonlyArray<OfficeRow & { area_key: string }>): { level: AreaLevel; offices: OfficeRow[] } | undefined {
  let best = 0;
  for (const c of candidates) if (areaKey.startsWith(c.area_key) && c.area_key.length > best) best = c.area_key.length;
  if (best === 0) return undefined;
  const offices = new Map<string, OfficeRow>();
  for (const c of candidates) if (c.area_key.length === best && areaKey.startsWith(c.area_key)) offices.set(c.id, c);
  return { level: levelOf(areaKey.slice(0, best))!, offices: [...offices.values()] };
}

/** Great-circle distance in km (haversine), to one decimal. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6371 * Math.asin(Math.sqrt(h)) * 10) / 10;
}

/** Preferred carrier first (unless `any`), then nearest, then by name. Offices without coordinates go last within their group. */
export function rankOffices(offices: OfficeRow[], from: { lat: number; lon: number } | undefined, carrier: CarrierPreference): OfficeMatchDto[] {
  const ranked = offices.map((o) => ({
    ...toOfficeDto(o),
    distanceKm: from && o.latitude !== null && o.longitude !== null ? distanceKm(from, { lat: Number(o.latitude), lon: Number(o.longitude) }) : null,
  }));
  return ranked.sort(
    (a, b) =>
      (carrier === 'any' ? 0 : Number(b.carrier === carrier) - Number(a.carrier === carrier)) ||
      (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
      a.name.localeCompare(b.name, 'de') ||
      a.id.localeCompare(b.id),
  );
}

const centre = (places: Place[]): { lat: number; lon: number } => ({
  lat: places.reduce((s, p) => s + p.lat, 0) / places.length,
  lon: places.reduce((s, p) => s + p.lon, 0) / places.length,
});

/** postcode → places → area keys → responsible offices (or the question which place, or why there is no answer). */
export class OfficeLookup {
  constructor(
    private readonly db: Db,
    private readonly postcodes: PostcodeTable,
  ) {}

  area(key: string): AreaDto {
    const level = levelOf(key)!;
    const name =
      level === 'state' ? STATES[key] : level === 'region' ? REGIONS[key] : level === 'district' ? this.postcodes.districtName(key) : undefined;
    return { key, level, name: name ?? key };
  }

  async lookup(q: { postcode: string; area?: string | undefined; carrier: CarrierPreference }): Promise<OfficeLookupResponse> {
    const answer = this.postcodes.lookup(q.postcode);
    if (answer.kind === 'malformed') return { status: 'malformed' };
    if (answer.kind === 'unknown') return { status: 'unknown', postcode: answer.postcode };
    if (answer.kind === 'non_residential') return { status: 'po_box', postcode: answer.postcode };
    const { postcode } = answer;
    // One area per municipality where the data knows it, else per district.
    const areaKeyOf = (p: Place) => p.municipality ?? p.district;
    const chosen = q.area ? answer.places.filter((p) => areaKeyOf(p) === q.area || p.district === q.area) : answer.places;
    const places = chosen.length ? chosen : answer.places;
    const areas = [...new Set(places.map(areaKeyOf))];
    const candidates = await findActiveByAreaKeys(this.db, [...new Set(areas.flatMap(prefixesOf))]);
    const results = areas.map((key) => responsibleFor(key, candidates));
    const signature = (r: ReturnType<typeof responsibleFor>) => (r ? r.offices.map((o) => o.id).sort().join(',') : '');
    if (new Set(results.map(signature)).size > 1) {
      // The places of this postcode have different offices: ask instead of guessing.
      return {
        status: 'choose_place',
        postcode,
        places: places
          .map((p) => ({ name: p.name, areaKey: areaKeyOf(p), districtName: this.postcodes.districtName(p.district) ?? p.district }))
          .sort((a, b) => a.name.localeCompare(b.name, 'de') || a.areaKey.localeCompare(b.areaKey)),
      };
    }
    const district = this.area(places[0]!.district);
    const state = this.area(stateOf(district.key));
    const attribution = this.postcodes.attribution;
    const result = results[0];
    if (result) {
      return { status: 'found', postcode, district, state, match: result.level, offices: rankOffices(result.offices, centre(places), q.carrier), attribution };
    }
    const fallbacks = await findActiveFallbacks(this.db);
    if (fallbacks.length === 0) return { status: 'none', postcode, district, state, attribution };
    return { status: 'found', postcode, district, state, match: 'fallback', offices: rankOffices(fallbacks, centre(places), q.carrier), attribution };
  }
}

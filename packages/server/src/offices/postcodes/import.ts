/**
 * Turns the GeoNames postcode table (CSV as converted by zauberware/postal-codes-json-xml-csv:
 * country_code,zipcode,place,state,state_code,province,province_code,community,community_code,
 * latitude,longitude) into the compact file the server reads at start (postcode-file.ts).
 * Pure functions, so the pitfalls below are tested; import-cli.ts does the file work.
 *
 * Pitfalls handled:
 * - area keys stay zero-padded strings ("01067", "09162"); a key that lost its zero is padded back;
 * - GeoNames' state names and state_code are its own (mixed languages, not the official numbering):
 *   only the district key is used, the state follows from its first two digits;
 * - large-volume recipients (companies, authorities) appear as "places": a person does not live at
 *   "Carl Zeiss AG". Their rows are dropped, and a postcode with nothing else becomes non-residential
 *   (post box / large recipient), answered as such instead of as a place;
 * - a few names are UTF-8 read as Latin-1 ("KÃ¶ln"): repaired;
 * - a row without a district key (Jungholz, an Austrian municipality with a German postcode) is skipped.
 */
import { parse } from 'csv-parse/sync';

export const POSTCODE_FILE_FORMAT = 1;
export const GEONAMES_ATTRIBUTION = 'GeoNames (geonames.org), CC BY 4.0';

/** [place name, 5-digit district key, latitude, longitude, 8-digit municipality key when the source has one] */
export type PlaceTuple = [string, string, number, number] | [string, string, number, number, string];

export interface PostcodeFile {
  format: typeof POSTCODE_FILE_FORMAT;
  attribution: string;
  source: string;
  /** sha256 of the CSV this was made from: the same input gives the same file, byte for byte. */
  inputSha256: string;
  /** District key → name, as GeoNames spells it. */
  districts: Record<string, string>;
  /** Postcodes whose every row is a large-volume recipient: post boxes and organisations, nobody's home. */
  nonResidential: string[];
  postcodes: Record<string, PlaceTuple[]>;
}

export interface ImportStats {
  rows: number;
  postcodes: number;
  residentialPostcodes: number;
  nonResidentialPostcodes: number;
  organisationRowsDropped: number;
  rowsWithoutDistrict: number;
  namesRepaired: number;
  multiDistrictPostcodes: number;
  districts: number;
}

// Legal forms, institutions and well-known large recipients. Matched as whole words.
const ORGANISATION_WORDS = [
  'GmbH', 'mbH', 'AG', 'KG', 'KGaA', 'OHG', 'GbR', 'e\\.\\s?V\\.?', 'eV', 'eG', 'a\\.\\s?G\\.?', 'SE', 'Co\\.?', 'Ltd\\.?', 'Inc\\.?', 'S\\.A\\.',
  'Aktiengesellschaft', '\\w*[Ss]parkasse\\w*', '\\w*[Bb]ank', 'Banken', '\\w*[Vv]ersicherung\\w*', '\\w*[Vv]erlag\\w*', 'Postfach',
  '\\w*[Gg]ruppe', '\\w*[Vv]erwaltung\\w*', '\\w+amt', 'Ämter', '\\w*[Gg]ericht\\w*', 'Agentur', '\\w*[Kk]linik\\w*', '\\w*[Kk]rankenhaus',
  'Hospital', '\\w*[Uu]niversität\\w*', 'Hochschule', 'FH', '\\w*[Ii]nstitut\\w*', '\\w*[Ss]tiftung', '\\w*[Zz]eitung', 'AOK', 'IKK', 'BKK',
  'DAK', 'Barmer', '\\w*[Kk]asse', '\\w*[Kk]nappschaft', '(?:Handwerks|Ärzte|Zahnärzte|Landwirtschafts|Versicherungs|Versorgungs|Handels|Steuerberater|Rechtsanwalts|Architekten|Apotheker|Notar)kammer\\w*',
  '\\w*[Vv]erband', '\\w*[Zz]entrum', '\\w*[Zz]entrale', '\\w*[Bb]ibliothek', '\\w*[Bb]ücherei', '\\w*[Ss]chule', 'Kaserne', '\\w*[Ss]ervices?',
  '\\w*[Ss]ysteme?', '\\w*[Pp]olizei\\w*', '\\w*[Pp]räsidium', '\\w*[Pp]räsident', 'Landratsamt', 'Landeshauptstadt', 'Rathaus', '\\w*[Mm]inisterium',
  '\\w*[Bb]ehörden?', 'Job-?Center', 'Jobcenter', 'Deutsche', 'Deutsches', 'Bundes\\w+', '\\w*[Aa]nstalt', '\\w*[Gg]esellschaft', '\\w*[Ww]erke',
  'Vertrieb\\w*', 'Messe', 'Rundfunk', 'Fernsehen', 'Radio', 'ZDF', 'ARD', 'Telekom', 'Bosch', 'Siemens', 'Daimler', 'Mercedes', 'Versand\\w*',
  'Holding', 'International', 'Management', 'Audit', 'Daimler\\w*', 'Consult\\w*', '\\w*[Ll]ogistik', 'Logistics', 'Leasing', 'Gewerkschaft', 'Bistum', 'Diözese',
  'Erzbistum', 'Landeskirche\\w*', 'Caritas', 'Diakonie', 'Creditreform', 'Justiz\\w*', 'Zweigstelle', 'Niederlassung', 'Filiale', '\\w*[Dd]irektion',
  'Redaktion', 'Presse', 'Medien', 'Druckerei', 'Vergabe\\w*', 'Umwelt\\w*', 'Bahn', 'Warenhaus', 'Kaufhaus', 'Electronic', 'Chemicals',
  'Technologies', 'Solutions', 'Deutschland', 'Germany', 'Europe', '\\w*[Aa]rchiv', 'Inkasso', 'Fonds', 'Kreditanstalt', 'Aufbaubank',
  'Investitionsbank', '\\w*[Gg]enossenschaft', 'Versorgung\\w*', '\\w*[Vv]ersicherungen',
];
const ORGANISATION = new RegExp(`(?<![\\w-])(?:${ORGANISATION_WORDS.join('|')})(?!\\w)`, 'u');
/** "&", "+", digits or an all-capitals word of four letters or more: brand names, not villages. */
const ORGANISATION_MARKS = /&|\+|\d|\b[A-ZÄÖÜ]{4,}\b/u;
/** Real municipalities the patterns above would take for organisations. */
const MUNICIPALITIES_LIKE_ORGANISATIONS = new Set(['Freiamt', 'Freigericht', 'Linsengericht', 'Maikammer', 'Hohenkammer']);

/** Whether a GeoNames "place" is a large-volume recipient rather than a place where people live. */
export function isOrganisation(place: string): boolean {
  if (MUNICIPALITIES_LIKE_ORGANISATIONS.has(place)) return false;
  return ORGANISATION.test(place) || ORGANISATION_MARKS.test(place);
}

/** UTF-8 bytes that were once read as Latin-1 ("KÃ¶ln" → "Köln"); other text is returned as it is. */
export function repairMojibake(text: string): string {
  if (!/[ÃÂ][\u0080-\u00BF]/u.test(text)) return text;
  if ([...text].some((ch) => ch.charCodeAt(0) > 0xff)) return text;
  const repaired = Buffer.from(text, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? text : repaired;
}

const pad = (key: string, length: number): string => (/^\d+$/.test(key) && key.length < length ? key.padStart(length, '0') : key);

interface Row {
  zipcode: string;
  place: string;
  community: string;
  community_code: string;
  latitude: string;
  longitude: string;
  municipality_code?: string;
}

/** Builds the compact table; `inputSha256` identifies the input in the file. */
export function buildPostcodeFile(csv: string, inputSha256: string, source: string): { file: PostcodeFile; stats: ImportStats } {
  const rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
  const stats: ImportStats = {
    rows: rows.length,
    postcodes: 0,
    residentialPostcodes: 0,
    nonResidentialPostcodes: 0,
    organisationRowsDropped: 0,
    rowsWithoutDistrict: 0,
    namesRepaired: 0,
    multiDistrictPostcodes: 0,
    districts: 0,
  };
  const byPostcode = new Map<string, { place: string; district: string; lat: number; lon: number; municipality?: string; organisation: boolean }[]>();
  const districtNames = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const postcode = pad(row.zipcode, 5);
    if (!/^\d{5}$/.test(postcode)) continue;
    const district = pad(row.community_code ?? '', 5);
    if (!/^\d{5}$/.test(district)) {
      stats.rowsWithoutDistrict++;
      continue;
    }
    const place = repairMojibake(row.place);
    const community = repairMojibake(row.community);
    if (place !== row.place || community !== row.community) stats.namesRepaired++;
    const names = districtNames.get(district) ?? new Map<string, number>();
    names.set(community, (names.get(community) ?? 0) + 1);
    districtNames.set(district, names);
    const municipality = row.municipality_code ? pad(row.municipality_code, 8) : undefined;
    const list = byPostcode.get(postcode) ?? [];
    list.push({
      place,
      district,
      lat: Math.round(Number(row.latitude) * 1e4) / 1e4,
      lon: Math.round(Number(row.longitude) * 1e4) / 1e4,
      ...(municipality && /^\d{8}$/.test(municipality) && municipality.startsWith(district) ? { municipality } : {}),
      organisation: isOrganisation(place),
    });
    byPostcode.set(postcode, list);
  }

  const postcodes: Record<string, PlaceTuple[]> = {};
  const nonResidential: string[] = [];
  for (const postcode of [...byPostcode.keys()].sort()) {
    const all = byPostcode.get(postcode)!;
    const homes = all.filter((p) => !p.organisation);
    stats.organisationRowsDropped += all.length - homes.length;
    if (homes.length === 0) {
      nonResidential.push(postcode);
      continue;
    }
    const seen = new Set<string>();
    const tuples: PlaceTuple[] = [];
    for (const p of homes.sort((a, b) => a.district.localeCompare(b.district) || a.place.localeCompare(b.place, 'de'))) {
      const id = `${p.district}|${p.place}`;
      if (seen.has(id)) continue;
      seen.add(id);
      tuples.push(p.municipality ? [p.place, p.district, p.lat, p.lon, p.municipality] : [p.place, p.district, p.lat, p.lon]);
    }
    if (new Set(tuples.map((t) => t[1])).size > 1) stats.multiDistrictPostcodes++;
    postcodes[postcode] = tuples;
  }
  const districts: Record<string, string> = {};
  for (const key of [...districtNames.keys()].sort()) {
    // The most frequent spelling of a district's name.
    districts[key] = [...districtNames.get(key)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  }
  stats.postcodes = byPostcode.size;
  stats.residentialPostcodes = Object.keys(postcodes).length;
  stats.nonResidentialPostcodes = nonResidential.length;
  stats.districts = Object.keys(districts).length;
  return {
    file: { format: POSTCODE_FILE_FORMAT, attribution: GEONAMES_ATTRIBUTION, source, inputSha256, districts, nonResidential, postcodes },
    stats,
  };
}

/** One postcode per line, keys sorted: small diffs when the data is updated, identical output for identical input. */
export function serialisePostcodeFile(file: PostcodeFile): string {
  const head = JSON.stringify({ format: file.format, attribution: file.attribution, source: file.source, inputSha256: file.inputSha256 }).slice(0, -1);
  const lines = [
    `${head},`,
    `"districts":${JSON.stringify(file.districts)},`,
    `"nonResidential":${JSON.stringify(file.nonResidential)},`,
    '"postcodes":{',
    Object.entries(file.postcodes)
      .map(([code, places]) => `${JSON.stringify(code)}:${JSON.stringify(places)}`)
      .join(',\n'),
    '}}',
  ];
  return `${lines.join('\n')}\n`;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPostcodeFile, isOrganisation, repairMojibake, serialisePostcodeFile, type PostcodeFile } from './import.js';
import { POSTCODE_FILE, PostcodeTable } from './postcode-table.js';
import { stateRunsModule } from './state-runs.js';

const HEADER = 'country_code,zipcode,place,state,state_code,province,province_code,community,community_code,latitude,longitude';

describe('postcode import', () => {
  it('keeps keys zero-padded, drops large-volume recipients, repairs mojibake and skips rows without a district', () => {
    const csv = [
      HEADER,
      'DE,1067,Dresden,Sachsen,13,,,Kreisfreie Stadt Dresden,14612,51.0493,13.7381', // zipcode lost its zero
      'DE,07740,Carl Zeiss AG,Thüringen,15,,,Kreisfreie Stadt Jena,16053,50.92,11.58',
      'DE,07740,Agentur für Arbeit Jena,Thüringen,15,,,Kreisfreie Stadt Jena,16053,50.92,11.58',
      'DE,03058,Kiekebusch,Brandenburg,04,,,Kreisfreie Stadt Cottbus,12052,51.72352,14.36311',
      'DE,03058,Gablenz,Brandenburg,04,,,Landkreis Spree-Neiße,12071,51.6865,14.5094',
      'DE,03058,Finanzamt Cottbus,Brandenburg,04,,,Kreisfreie Stadt Cottbus,12052,51.7,14.3',
      'DE,50667,KÃ¶ln,Nordrhein-Westfalen,10,,,Kreisfreie Stadt KÃ¶ln,05315,50.9375,6.9603',
      'DE,87491,Jungholz,Bayern,02,,,,,47.57,10.45',
      'DE,1067,Dresden,Sachsen,13,,,Kreisfreie Stadt Dresden,14612,51.0493,13.7381', // duplicate
    ].join('\n');
    const { file, stats } = buildPostcodeFile(csv, 'x', 'test');
    expect(file.postcodes['01067']).toEqual([['Dresden', '14612', 51.0493, 13.7381]]);
    expect(file.nonResidential).toEqual(['07740']);
    expect(file.postcodes['03058']).toEqual([
      ['Kiekebusch', '12052', 51.7235, 14.3631],
      ['Gablenz', '12071', 51.6865, 14.5094],
    ]);
    expect(file.postcodes['50667']).toEqual([['Köln', '05315', 50.9375, 6.9603]]);
    expect(file.districts['05315']).toBe('Kreisfreie Stadt Köln');
    expect(file.postcodes['87491']).toBeUndefined();
    expect(stats).toMatchObject({ rowsWithoutDistrict: 1, organisationRowsDropped: 3, multiDistrictPostcodes: 1, namesRepaired: 1, nonResidentialPostcodes: 1 });
  });

  it('tells organisations from places, including villages whose names look like authorities', () => {
    for (const org of ['Carl Zeiss AG', 'Finanzamt Kiel', 'AOK Bayern - Die Gesundheitskasse', 'Agentur für Arbeit Ulm', 'Universität Passau', 'Radio Bremen', 'Landeshauptstadt Stuttgart', 'Zalando SE & Co. KG', 'DaimlerChrysler Corporate Audit']) {
      expect(isOrganisation(org), org).toBe(true);
    }
    for (const place of ['Berlin', 'Frankfurt (Oder)', 'Neunkirchen/Saar', 'Freiamt', 'Linsengericht', 'Hohenkammer', 'Landesbergen', 'Markt Schwaben', 'Kammerforst', 'Hamburg Sankt Georg', 'Bad Bank']) {
      expect(isOrganisation(place), place).toBe(place === 'Bad Bank'); // no such village; "Bank" stays an organisation
    }
  });

  it('repairs only text that is UTF-8 read as Latin-1', () => {
    expect(repairMojibake('KÃ¶ln')).toBe('Köln');
    expect(repairMojibake('Köln')).toBe('Köln');
    expect(repairMojibake('Ärzte')).toBe('Ärzte');
  });

  it('the committed table is exactly what the import script makes of the GeoNames CSV', () => {
    const source = fileURLToPath(new URL('../../../../../../shared/data/geonames-de/zipcodes.de.csv', import.meta.url));
    if (!existsSync(source)) return; // the shared data is not on every machine; the committed file still loads below
    const bytes = readFileSync(source);
    const { file } = buildPostcodeFile(bytes.toString('utf8'), createHash('sha256').update(bytes).digest('hex'), JSON.parse(readFileSync(POSTCODE_FILE, 'utf8')).source);
    expect(serialisePostcodeFile(file) === readFileSync(POSTCODE_FILE, 'utf8')).toBe(true);
  });

  it('the widget\'s postcode → state runs are exactly what the shipped table gives', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../../../protocol/src/postcode-states.data.ts', import.meta.url)), 'utf8');
    expect(committed === stateRunsModule(JSON.parse(readFileSync(POSTCODE_FILE, 'utf8')) as PostcodeFile)).toBe(true);
  });

  it('loads the shipped table', () => {
    const table = PostcodeTable.shipped();
    expect(table.districts.size).toBe(400);
    expect(table.lookup('10115')).toMatchObject({ kind: 'places', places: [{ name: 'Berlin', district: '11000' }] });
    expect(table.lookup('07740')).toEqual({ kind: 'non_residential', postcode: '07740' });
    expect(table.lookup('99999')).toEqual({ kind: 'unknown', postcode: '99999' });
    expect(table.lookup('123456')).toEqual({ kind: 'malformed' });
    expect(table.hasArea('091')).toBe(true);
    expect(table.hasArea('098')).toBe(false);
    expect(table.hasArea('09162001')).toBe(true);
    expect(table.attribution).toBe('GeoNames (geonames.org), CC BY 4.0');
  });
});

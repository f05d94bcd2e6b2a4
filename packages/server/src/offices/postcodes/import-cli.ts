#!/usr/bin/env node
/**
 * Regenerates packages/server/geodata/postcodes-de.json from the GeoNames postcode CSV:
 *
 *   pnpm postcodes:import [path/to/zipcodes.de.csv]
 *
 * (default: ../shared/data/geonames-de/zipcodes.de.csv beside the repository), and the postcode → federal state runs of packages/protocol/src/postcode-states.data.ts. Deterministic: the
 * same CSV gives the same file, byte for byte. See docs/offices.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPostcodeFile, serialisePostcodeFile } from './import.js';
import { POSTCODE_FILE } from './postcode-table.js';
import { stateRunsModule } from './state-runs.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const workspaceRoot = resolve(here, '../../../../..');
const input = resolve(process.argv[2] ?? resolve(workspaceRoot, '../shared/data/geonames-de/zipcodes.de.csv'));
const output = resolve(process.argv[3] ?? POSTCODE_FILE);

const bytes = readFileSync(input);
const sha = createHash('sha256').update(bytes).digest('hex');
const { file, stats } = buildPostcodeFile(
  bytes.toString('utf8'),
  sha,
  'GeoNames postal code data for DE, as CSV from zauberware/postal-codes-json-xml-csv (data/DE.zip)',
);
writeFileSync(output, serialisePostcodeFile(file));
// The widget's orientation check turns a postcode into a federal state from this (protocol package).
const stateRuns = resolve(workspaceRoot, 'packages/protocol/src/postcode-states.data.ts');
writeFileSync(stateRuns, stateRunsModule(file));
process.stdout.write(`${output}\n${stateRuns}\n${JSON.stringify(stats, null, 2)}\n`);

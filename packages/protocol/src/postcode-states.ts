/**
 * A German postcode → its federal state(s), in the browser, so the orientation check can take a
 * postcode without sending it anywhere. Data: runs of sorted residential postcodes
 * (postcode-states.data.ts, generated from the office directory's GeoNames table). A postcode
 * inside a run gets the run's state; about a dozen postcodes lie in two states and get both.
 */
import { POSTCODE_STATE_RUNS } from './postcode-states.data.js';

export type PostcodeStates = { kind: 'malformed' } | { kind: 'unknown' } | { kind: 'states'; states: string[] };

let runs: { start: number; states: string[] }[] | undefined;

export function statesOfPostcode(input: string): PostcodeStates {
  const postcode = input.replace(/\s+/g, '');
  if (!/^\d{5}$/.test(postcode)) return { kind: 'malformed' };
  runs ??= POSTCODE_STATE_RUNS.split(';').map((r) => ({ start: Number(r.slice(0, 5)), states: r.slice(5).split(',') }));
  const n = Number(postcode);
  // the last run starting at or before n
  let lo = 0;
  let hi = runs.length - 1;
  if (n < runs[0]!.start) return { kind: 'unknown' };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid]!.start <= n) lo = mid;
    else hi = mid - 1;
  }
  return { kind: 'states', states: runs[lo]!.states };
}

import { describe, expect, it } from 'vitest';
import { statesOfPostcode } from './orientation-engine.js';

describe('postcode → federal state (orientation check)', () => {
  it('finds the state of postcodes across the country, city-states included', () => {
    const state = (pc: string) => statesOfPostcode(pc);
    expect(state('10115')).toEqual({ kind: 'states', states: ['11'] }); // Berlin
    expect(state('20095')).toEqual({ kind: 'states', states: ['02'] }); // Hamburg
    expect(state('28195')).toEqual({ kind: 'states', states: ['04'] }); // Bremen
    expect(state('27568')).toEqual({ kind: 'states', states: ['04'] }); // Bremerhaven, inside Lower Saxony's codes
    expect(state('80331')).toEqual({ kind: 'states', states: ['09'] }); // München
    expect(state('01067')).toEqual({ kind: 'states', states: ['14'] }); // Dresden
    expect(state('50667')).toEqual({ kind: 'states', states: ['05'] }); // Köln
    expect(state('99084')).toEqual({ kind: 'states', states: ['16'] }); // Erfurt
    expect(state('66111')).toEqual({ kind: 'states', states: ['10'] }); // Saarbrücken
    expect(state(' 80 331 ')).toEqual({ kind: 'states', states: ['09'] });
  });

  it('gives both states where a postcode lies in two, and refuses what is no postcode', () => {
    expect(statesOfPostcode('12529')).toEqual({ kind: 'states', states: ['11', '12'] }); // Schönefeld / Berlin
    expect(statesOfPostcode('00999')).toEqual({ kind: 'unknown' });
    expect(statesOfPostcode('8033')).toEqual({ kind: 'malformed' });
    expect(statesOfPostcode('803311')).toEqual({ kind: 'malformed' });
    expect(statesOfPostcode('abcde')).toEqual({ kind: 'malformed' });
  });
});

import { describe, expect, it } from 'vitest';
import { openingState } from './opening-hours.js';

const BERLIN = 'Europe/Berlin';
const weekdays = { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '14:00' }] };

describe('opening hours', () => {
  it('is always open without a schedule', () => {
    expect(openingState(null, BERLIN, Date.parse('2026-12-13T03:00:00Z'))).toEqual({ open: true, nextOpen: null });
  });

  it('is open inside a period of the site’s local day and closed at its end', () => {
    // Monday 14 December 2026, 09:30 in Berlin (CET, UTC+1).
    expect(openingState(weekdays, BERLIN, Date.parse('2026-12-14T08:30:00Z'))).toEqual({ open: true, nextOpen: null, closesAt: Date.parse('2026-12-14T11:00:00Z') });
    // 12:00 local: the first period has ended, the second starts at 13:00.
    expect(openingState(weekdays, BERLIN, Date.parse('2026-12-14T11:00:00Z'))).toEqual({ open: false, nextOpen: Date.parse('2026-12-14T12:00:00Z') });
  });

  it('names the next opening days ahead, in the site’s time zone', () => {
    // Friday 18 December, 15:00 local → Monday 21 December, 09:00 local.
    expect(openingState(weekdays, BERLIN, Date.parse('2026-12-18T14:00:00Z'))).toEqual({ open: false, nextOpen: Date.parse('2026-12-21T08:00:00Z') });
    // The same instant is 09:00 on Saturday in Kabul: its own schedule counts from its own day.
    expect(openingState({ sat: [{ from: '08:00', to: '16:00' }] }, 'Asia/Kabul', Date.parse('2026-12-18T04:00:00Z')).nextOpen).toBe(Date.parse('2026-12-19T03:30:00Z'));
  });

  it('follows daylight saving time: 09:00 stays 09:00 local', () => {
    // Saturday 28 March 2026 (CET) → Monday 30 March 2026, 09:00 CEST = 07:00 UTC.
    expect(openingState(weekdays, BERLIN, Date.parse('2026-03-28T12:00:00Z')).nextOpen).toBe(Date.parse('2026-03-30T07:00:00Z'));
  });

  it('a period to 24:00 ends at midnight; a schedule without periods never opens', () => {
    expect(openingState({ sun: [{ from: '20:00', to: '24:00' }] }, BERLIN, Date.parse('2026-12-13T22:59:00Z'))).toEqual({ open: true, nextOpen: null, closesAt: Date.parse('2026-12-13T23:00:00Z') });
    expect(openingState({}, BERLIN, Date.now())).toEqual({ open: false, nextOpen: null });
  });
});

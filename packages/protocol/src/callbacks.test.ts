import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { CALLBACK_LANGUAGES, callbackDueAt, checkCallbackRequest, type CallbackRequestInput } from './callbacks.js';
import { phone as minPhone } from './phone-min.js';
import { phone as maxPhone } from './phone-max.js';
import { VisitorFrameSchema } from './schemas.js';

const NOW = Date.parse('2026-12-21T08:00:00Z');
const at = (iso: string) => new Date(Date.parse(iso)).toISOString();
const request = (over: Partial<CallbackRequestInput> = {}): CallbackRequestInput => ({
  phone: { country: 'DE', number: '0170 5550199' },
  language: 'ar',
  windows: [{ start: at('2026-12-21T13:00:00Z'), end: at('2026-12-21T15:00:00Z') }],
  timeZone: 'Europe/Berlin',
  consent: true,
  ...over,
});
const codes = (r: { issues: { path: string; code: string }[] }) => r.issues.map((i) => `${i.path}: ${i.code}`);

describe('phone rules', () => {
  it('accept a German mobile number typed nationally, internationally and with 00, as one E.164 number', () => {
    for (const rules of [minPhone, maxPhone]) {
      for (const typed of ['0170 5550199', '+49 170 5550199', '0049 (170) 555-0199']) {
        expect(rules.check('DE', typed)).toEqual({ ok: true, e164: '+491705550199', country: 'DE' });
      }
      // The country of the list does not matter when the number says its own.
      expect(rules.check('SY', '+49 170 5550199')).toMatchObject({ ok: true, e164: '+491705550199' });
      expect(rules.check('SY', '0944 123 456')).toMatchObject({ ok: true, e164: '+963944123456', country: 'SY' });
      // Typed on an Arabic or Persian phone keyboard.
      expect(rules.check('SY', '٠٩٤٤ ١٢٣ ٤٥٦')).toMatchObject({ ok: true, e164: '+963944123456' });
      expect(rules.check('AF', '۰۷۰ ۱۲۳ ۴۵۶۷')).toMatchObject({ ok: true, e164: '+93701234567' });
    }
  });

  it('refuse letters, empty and overlong input, a national number without a country', () => {
    expect(maxPhone.check('DE', '')).toEqual({ ok: false, code: 'phone_required' });
    expect(maxPhone.check('DE', '0170 CALL ME')).toEqual({ ok: false, code: 'phone_invalid' });
    expect(maxPhone.check('DE', '0170 55501999999999')).toEqual({ ok: false, code: 'phone_too_long' });
    expect(maxPhone.check('DE', '01')).toEqual({ ok: false, code: 'phone_too_short' });
    expect(maxPhone.check('', '0170 5550199')).toEqual({ ok: false, code: 'phone_country_required' });
    expect(maxPhone.check('XX', '0170 5550199')).toEqual({ ok: false, code: 'phone_country_required' });
  });

  it('max (the server) knows number ranges that min (the widget) only checks by length', () => {
    expect(minPhone.check('DE', '0170 555')).toMatchObject({ ok: true });
    expect(maxPhone.check('DE', '0170 555')).toEqual({ ok: false, code: 'phone_invalid' });
  });

  it('list countries with their calling codes and write numbers internationally', () => {
    expect(minPhone.countries()).toContain('AF');
    expect(minPhone.callingCode('SY')).toBe('963');
    expect(minPhone.callingCode('nope')).toBeUndefined();
    expect(maxPhone.formatInternational('+491705550199')).toBe('+49 170 5550199');
  });
});

describe('checkCallbackRequest', () => {
  const check = (r: CallbackRequestInput) => checkCallbackRequest(r, { now: NOW, phone: maxPhone.check });

  it('returns the number and the windows of a good request', () => {
    const windows = [
      { start: at('2026-12-22T07:00:00Z'), end: at('2026-12-22T08:00:00Z') },
      // begun already, not ended: fine
      { start: at('2026-12-21T07:00:00Z'), end: at('2026-12-21T09:00:00Z') },
    ];
    const r = check(request({ windows }));
    expect(r.issues).toEqual([]);
    expect(r.e164).toBe('+491705550199');
    expect(r.windows!.map((w) => new Date(w.start).toISOString())).toEqual(['2026-12-21T07:00:00.000Z', '2026-12-22T07:00:00.000Z']);
  });

  it('accepts every shipped language and the listed others, nothing else', () => {
    expect(CALLBACK_LANGUAGES).toContain('ar');
    expect(CALLBACK_LANGUAGES).toContain('ti');
    expect(check(request({ language: 'ti' })).issues).toEqual([]);
    expect(codes(check(request({ language: 'xx' })))).toEqual(['language: language_invalid']);
  });

  it('tells every wrong field: bad number, windows in the past, too far, reversed, too short, missing consent', () => {
    const r = check(
      request({
        phone: { country: 'DE', number: '0170 555' },
        windows: [
          { start: at('2026-12-20T09:00:00Z'), end: at('2026-12-20T10:00:00Z') },
          { start: at('2027-01-10T09:00:00Z'), end: at('2027-01-10T10:00:00Z') },
          { start: at('2026-12-22T10:00:00Z'), end: at('2026-12-22T09:00:00Z') },
        ],
        consent: false,
      }),
    );
    expect(codes(r)).toEqual(['phone: phone_invalid', 'windows.0: window_past', 'windows.1: window_too_far', 'windows.2: window_order', 'consent: consent_required']);
    expect(r.e164).toBeUndefined();
    expect(codes(check(request({ windows: [{ start: at('2026-12-22T10:00:00Z'), end: at('2026-12-22T10:15:00Z') }] })))).toEqual(['windows.0: window_too_short']);
    expect(codes(check(request({ windows: [{ start: '2026-12-22 10:00', end: '2026-12-22 12:00' }] })))).toEqual(['windows.0: window_invalid']);
    expect(codes(check(request({ windows: [] })))).toEqual(['windows: windows_required']);
    const four = Array.from({ length: 4 }, (_, i) => ({ start: at(`2026-12-2${2 + i}T10:00:00Z`), end: at(`2026-12-2${2 + i}T11:00:00Z`) }));
    expect(codes(check(request({ windows: four })))).toEqual(['windows: too_many_windows']);
    expect(codes(check(request({ timeZone: 'Mars/Olympus' })))).toEqual(['timeZone: time_zone_invalid']);
    expect(codes(check(request({ topic: 'x'.repeat(301) })))).toEqual(['topic: topic_too_long']);
  });

  it('the due time is the first window that has not ended', () => {
    const w = [{ start: NOW - 7200_000, end: NOW - 3600_000 }, { start: NOW + 3600_000, end: NOW + 7200_000 }];
    expect(callbackDueAt(w, NOW)).toBe(NOW + 3600_000);
    expect(callbackDueAt(w, NOW + 10 * 3600_000)).toBe(NOW + 7200_000);
  });
});

describe('the callback frame', () => {
  it('is a visitor frame; the shape is checked, the content by checkCallbackRequest', () => {
    const frame = { type: 'callback', requestId: 'req-12345678', ...request(), topic: '  Rückreise  ' };
    const parsed = v.parse(VisitorFrameSchema, frame);
    expect(parsed).toMatchObject({ type: 'callback', topic: 'Rückreise', consent: true });
    expect(v.safeParse(VisitorFrameSchema, { ...frame, consent: 'yes' }).success).toBe(false);
    expect(v.safeParse(VisitorFrameSchema, { ...frame, requestId: 'x' }).success).toBe(false);
    expect(v.safeParse(VisitorFrameSchema, { ...frame, windows: Array(11).fill(frame.windows[0]) }).success).toBe(false);
  });
});

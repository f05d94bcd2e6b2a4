import { describe, expect, it } from 'vitest';
import { AgentInputSchema, PasswordChangeSchema, SiteInputSchema, SiteUpdateSchema, parse } from './schemas.js';
import { embedSnippet } from './sites.js';

const details = (r: ReturnType<typeof parse>) => (r.ok ? [] : r.details);

describe('validation codes', () => {
  it('names the field and the rule, with the numbers a translation needs', () => {
    const r = parse(AgentInputSchema, { email: 'not-an-address', name: ' ', password: 'short' });
    expect(r.ok).toBe(false);
    expect(details(r)).toEqual([
      { path: 'email', code: 'invalid_email' },
      { path: 'name', code: 'required' },
      { path: 'password', code: 'too_short', params: { min: 12 } },
    ]);
    // The English lines stay for logs and the CLI.
    expect(r.ok ? [] : r.issues).toContain('password: must be at least 12 characters');
  });

  it('tells a missing field from a wrong type', () => {
    expect(details(parse(PasswordChangeSchema, { newPassword: 5 }))).toEqual([
      { path: 'currentPassword', code: 'required' },
      { path: 'newPassword', code: 'invalid_type' },
    ]);
  });

  it('codes origins, languages and time zones', () => {
    const r = parse(SiteInputSchema, { name: 'X', allowedOrigins: ['https://a.example/path'], defaultLanguage: 'xx', timeZone: 'Mars/Olympus' });
    expect(details(r)).toEqual([
      { path: 'allowedOrigins.0', code: 'invalid_origin' },
      { path: 'defaultLanguage', code: 'invalid_language' },
      { path: 'timeZone', code: 'invalid_time_zone' },
    ]);
  });
});

describe('opening hours', () => {
  it('accepts a weekly schedule and an always-open site', () => {
    const hours = { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '24:00' }], sat: [] };
    expect(parse(SiteUpdateSchema, { openingHours: hours })).toEqual({ ok: true, value: { openingHours: hours } });
    expect(parse(SiteUpdateSchema, { openingHours: null })).toEqual({ ok: true, value: { openingHours: null } });
  });

  it('refuses malformed times, reversed and overlapping periods, and unknown days', () => {
    expect(details(parse(SiteUpdateSchema, { openingHours: { mon: [{ from: '9:00', to: '25:00' }] } }))).toEqual([
      { path: 'openingHours.mon.0.from', code: 'invalid_time' },
      { path: 'openingHours.mon.0.to', code: 'invalid_time' },
    ]);
    expect(details(parse(SiteUpdateSchema, { openingHours: { tue: [{ from: '12:00', to: '08:00' }] } }))).toEqual([{ path: 'openingHours.tue.0.to', code: 'hours_order' }]);
    expect(details(parse(SiteUpdateSchema, { openingHours: { wed: [{ from: '08:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } }))).toEqual([
      { path: 'openingHours.wed', code: 'hours_overlap' },
    ]);
    expect(parse(SiteUpdateSchema, { openingHours: { someday: [] } }).ok).toBe(false);
  });

  it('drops empty away messages (the built-in text applies) and refuses unknown languages', () => {
    expect(parse(SiteUpdateSchema, { awayMessages: { de: '  Wir sind bald zurück.  ', en: '' } })).toEqual({ ok: true, value: { awayMessages: { de: 'Wir sind bald zurück.' } } });
    expect(details(parse(SiteUpdateSchema, { awayMessages: { xx: 'hi' } }))).toEqual([{ path: 'awayMessages.xx', code: 'invalid_language' }]);
  });
});

it('builds the embed snippet from the public address', () => {
  expect(embedSnippet('https://chat.example.org/', 's_abc')).toBe('<script type="module" src="https://chat.example.org/widget.js" data-site="s_abc"></script>');
});

import { describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_CODES, envelope, languageDirection, matchLanguage, openEnvelope } from './index.js';
import { AgentFrameSchema, parse, VisitorFrameSchema } from './schemas.js';

describe('languages', () => {
  it('maps browser tags to shipped languages', () => {
    expect(matchLanguage('ar-SY')).toBe('ar');
    expect(matchLanguage('de_DE')).toBe('de');
    expect(matchLanguage('prs-AF')).toBe('fa');
    expect(matchLanguage('kmr')).toBe('ku');
    expect(matchLanguage('xx')).toBeUndefined();
    expect(matchLanguage('')).toBeUndefined();
  });

  it('knows which languages are right-to-left', () => {
    expect(['ar', 'fa', 'ps'].map(languageDirection)).toEqual(['rtl', 'rtl', 'rtl']);
    expect(['de', 'tr', 'ru', 'ka'].map(languageDirection)).toEqual(['ltr', 'ltr', 'ltr', 'ltr']);
  });

  it('lists the same languages, in the same order and direction, in LANGUAGE_CODES and LANGUAGES', () => {
    expect(LANGUAGES.map((l) => l.code)).toEqual([...LANGUAGE_CODES]);
    for (const l of LANGUAGES) expect(languageDirection(l.code), l.code).toBe(l.dir);
  });
});

describe('frame schemas', () => {
  it('accepts a well-formed send and trims its body', () => {
    expect(parse(VisitorFrameSchema, { type: 'send', clientId: 'abcdefgh', body: '  Hallo  ' })).toEqual({
      ok: true,
      value: { type: 'send', clientId: 'abcdefgh', body: 'Hallo' },
    });
  });

  it('names the field and the problem', () => {
    const r = parse(VisitorFrameSchema, { type: 'send', clientId: 'no spaces allowed', body: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual(['clientId: must be 8-64 letters, digits, _ or -', 'body: must not be empty']);
  });

  it('rejects unknown frame types and type confusion', () => {
    expect(parse(VisitorFrameSchema, { type: 'drop-table' }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, { type: 'read', seq: '3' }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, { type: 'read', seq: -1 }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, { type: 'read', seq: 1.5 }).ok).toBe(false);
    expect(parse(AgentFrameSchema, { type: 'send', clientId: 'abcdefgh', body: 'x' }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, null).ok).toBe(false);
  });

  it('accepts only origins, not URLs with paths or script URLs', () => {
    const hello = { type: 'hello', site: 'demo', language: 'de' };
    expect(parse(VisitorFrameSchema, { ...hello, origin: 'https://caritas.example' }).ok).toBe(true);
    expect(parse(VisitorFrameSchema, { ...hello, origin: 'https://caritas.example/path' }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, { ...hello, origin: 'javascript:alert(1)' }).ok).toBe(false);
    expect(parse(VisitorFrameSchema, { ...hello, origin: 'https://caritas.example', language: 'xx' }).ok).toBe(false);
  });
});

describe('bridge envelopes', () => {
  it('opens only versioned envelopes with a typed payload', () => {
    expect(openEnvelope(envelope({ type: 'ready' }))).toEqual({ type: 'ready' });
    expect(openEnvelope({ type: 'ready' })).toBeUndefined();
    expect(openEnvelope({ direturn: 2, payload: { type: 'ready' } })).toBeUndefined();
    expect(openEnvelope({ direturn: 1, payload: 'ready' })).toBeUndefined();
    expect(openEnvelope('{"direturn":1}')).toBeUndefined();
  });
});

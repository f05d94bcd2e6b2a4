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

  it('normalises a body once (well-formed, NFC) and refuses one of invisible characters only', () => {
    const body = (b: string) => {
      const r = parse(VisitorFrameSchema, { type: 'send', clientId: 'abcdefgh', body: b });
      return r.ok && r.value.type === 'send' ? r.value.body : r.ok || r.issues;
    };
    expect(body('a\uD800b\uDC00')).toBe('a\uFFFDb\uFFFD');
    expect(body('\uD83D\uDE00')).toBe('\uD83D\uDE00'); // a pair stays
    expect(body('Cafe\u0301')).toBe('Caf\u00E9');
    for (const invisible of ['\u200B', '\u200B\u200C\u200D\u2060\uFEFF', '\u3164', '\u2800\u2800', '\u00A0\u180E']) {
      expect(body(invisible), JSON.stringify(invisible)).toEqual(['body: must contain visible characters']);
    }
    expect(body('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645')).toBe('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'); // a ZWNJ inside Persian words stays
  });

  it('takes only http(s) page addresses', () => {
    const hello = { type: 'hello', site: 'demo', origin: 'https://caritas.example', language: 'de' };
    expect(parse(VisitorFrameSchema, { ...hello, pageUrl: 'https://caritas.example/beratung?x=1' }).ok).toBe(true);
    for (const pageUrl of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', ' javascript:x', 'file:///etc/passwd', 'https//x', '']) {
      expect(parse(VisitorFrameSchema, { ...hello, pageUrl }).ok, pageUrl).toBe(false);
    }
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

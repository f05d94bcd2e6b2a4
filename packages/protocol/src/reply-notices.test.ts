import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { checkReplyNoticeRequest } from './reply-notices.js';
import { VisitorFrameSchema } from './schemas.js';

const codes = (r: { issues: { path: string; code: string }[] }) => r.issues.map((i) => `${i.path}: ${i.code}`);

describe('reply notice opt-in check', () => {
  it('accepts plain addresses, trims and lowers the domain only', () => {
    expect(checkReplyNoticeRequest({ email: '  Amal.K+chat@Example.ORG ', consent: true })).toEqual({ issues: [], email: 'Amal.K+chat@example.org' });
    expect(checkReplyNoticeRequest({ email: 'مريم@مثال.شبكة', consent: true }).email).toBe('مريم@مثال.شبكة');
  });

  it.each([
    ['', 'email: email_missing'],
    ['   ', 'email: email_missing'],
    ['no-at-sign', 'email: email_invalid'],
    ['@example.org', 'email: email_invalid'],
    ['a@localhost', 'email: email_invalid'],
    ['a@1.2.3.4', 'email: email_invalid'],
    ['a b@example.org', 'email: email_invalid'],
    ['a..b@example.org', 'email: email_invalid'],
    ['a@-x.org', 'email: email_invalid'],
    ['"quoted"@example.org', 'email: email_invalid'],
    [`${'a'.repeat(65)}@example.org`, 'email: email_invalid'],
    [`a@${'b'.repeat(250)}.org`, 'email: email_too_long'],
  ])('%j → %s', (email, code) => {
    const r = checkReplyNoticeRequest({ email, consent: true });
    expect(codes(r)).toEqual([code]);
    expect(r.email).toBeNull();
  });

  it('needs consent, told beside the address', () => {
    expect(codes(checkReplyNoticeRequest({ email: 'x', consent: false }))).toEqual(['email: email_invalid', 'consent: consent_required']);
  });

  it('frames have their shape checked at the edge', () => {
    expect(v.safeParse(VisitorFrameSchema, { type: 'reply-notice-on', email: 'a@b.org', consent: true }).success).toBe(true);
    expect(v.safeParse(VisitorFrameSchema, { type: 'reply-notice-on', email: 'a@b.org' }).success).toBe(false);
    expect(v.safeParse(VisitorFrameSchema, { type: 'reply-notice-on', email: 'x'.repeat(600), consent: true }).success).toBe(false);
    expect(v.safeParse(VisitorFrameSchema, { type: 'reply-notice-off' }).success).toBe(true);
  });
});

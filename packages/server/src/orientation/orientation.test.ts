import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseContextDto, MessageDto, OrRuleSet } from '@direturn/protocol';
import { agent, api, countRows, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';
import { loadExampleRuleSet } from './orientation.service.js';

// The orientation check on the server, on the project's database (both projects): versions,
// the editors' API, the case summary a visitor sends, and routing by language and region.

let t: TestServer;
let admin: string;
let editor: string;
let counsellor: string;
const EDITOR = { email: 'ed@example.org', name: 'Edda', password: 'an editor password', role: 'editor' as const, languages: ['de' as const] };
const ARABIC_NRW = { email: 'ar@example.org', name: 'Amal', password: 'a counsellor password', role: 'counsellor' as const, languages: ['ar' as const, 'de' as const], regions: ['05'] };

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t);
  await api(t, admin, 'POST', '/agents', EDITOR);
  await api(t, admin, 'POST', '/agents', ARABIC_NRW);
  editor = await login(t, EDITOR.email, EDITOR.password);
  counsellor = await login(t, ARABIC_NRW.email, ARABIC_NRW.password);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

/** The case summary a message carries (fails the test when there is none). */
const caseOf = (m: MessageDto): CaseContextDto => {
  if (m.context?.kind !== 'case') throw new Error('no case summary on the message');
  return m.context;
};

const IRAQ_NRW = { country: 'IQ', state: '05', residence: 'rejected', travellers: ['child_6_11'] };

describe('rule-set versions', () => {
  it('ships the example as version 1, marked as example content, readable by every console role', async () => {
    const list = await api(t, counsellor, 'GET', '/orientation/rule-sets');
    expect(list.status).toBe(200);
    expect(list.json.versions.at(-1)).toMatchObject({ version: 1, example: true, agentName: null });
    const current = await api(t, undefined, 'GET', '/orientation/current');
    expect(current.status).toBe(200);
    expect(current.json.current.ruleSet.example).toBe(true);
    expect(current.json.current.ruleSet.sources.length).toBeGreaterThan(3);
    expect((await api(t, undefined, 'GET', '/orientation/rule-sets')).status).toBe(401);
    // the widget asks for its language: that, German (print copy) and English (fallback), the same rules
    const ar = (await api(t, undefined, 'GET', '/orientation/current?lang=ar')).json.current.ruleSet as OrRuleSet;
    expect(Object.keys(ar.items[0]!.title).sort()).toEqual(['ar', 'de', 'en']);
    expect(ar.rules).toEqual(current.json.current.ruleSet.rules);
    expect((await api(t, undefined, 'GET', '/orientation/current?lang=xx')).status).toBe(400);
  });

  it('lets editors save a valid rule set as a new version; counsellors may not', async () => {
    const ruleSet = loadExampleRuleSet();
    ruleSet.example = false;
    expect((await api(t, counsellor, 'POST', '/orientation/rule-sets', { ruleSet })).status).toBe(403);
    const before = (await api(t, editor, 'GET', '/orientation/rule-sets')).json.versions[0].version as number;
    const saved = await api(t, editor, 'POST', '/orientation/rule-sets', { ruleSet, comment: 'reviewed' });
    expect(saved.status).toBe(201);
    expect(saved.json.version).toMatchObject({ version: before + 1, agentName: 'Edda', comment: 'reviewed' });
    expect((await api(t, undefined, 'GET', '/orientation/current')).json.current.version).toBe(before + 1);
    const audit = await api(t, admin, 'GET', '/audit');
    expect(JSON.stringify(audit.json)).toContain('orientation.rule_set_saved');
  });

  it('refuses a rule set that does not validate with every issue, and saves nothing', async () => {
    const before = (await api(t, editor, 'GET', '/orientation/rule-sets')).json.versions.length;
    const ruleSet = loadExampleRuleSet() as OrRuleSet;
    ruleSet.rules[1]!.when = { '==': [{ var: 'residency' }, 'rejected'] };
    delete ruleSet.items[0]!.title.en;
    const r = await api(t, editor, 'POST', '/orientation/rule-sets', { ruleSet });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('orientation_invalid');
    expect(r.json.error.issues.map((i: { code: string }) => i.code).sort()).toEqual(['missing_text', 'unknown_question']);
    const dry = await api(t, editor, 'POST', '/orientation/rule-sets/check', { ruleSet });
    expect(dry.json.issues).toHaveLength(2);
    // malformed and oversized bodies: a clear 400/413
    expect((await api(t, editor, 'POST', '/orientation/rule-sets', { ruleSet: { ...ruleSet, format: 2 } })).status).toBe(400);
    expect((await api(t, editor, 'POST', '/orientation/rule-sets', '{"ruleSet":')).status).toBe(400);
    const huge = { ruleSet: { ...loadExampleRuleSet(), note: 'x'.repeat(600 * 1024) } };
    expect((await api(t, editor, 'POST', '/orientation/rule-sets', huge)).status).toBe(413);
    expect((await api(t, editor, 'GET', '/orientation/rule-sets')).json.versions.length).toBe(before);
  });
});

describe('send to a counsellor', () => {
  it('starts the conversation with the case summary (sealed), evaluated on the server, and routes it by language and region', async () => {
    const { client } = await visitor(t, { language: 'ar' });
    const version = (await api(t, undefined, 'GET', '/orientation/current')).json.current.version as number;
    client.send({ type: 'send', clientId: 'case-send-1', body: 'نتيجة فحص التوجيه', context: { kind: 'case', ruleSetVersion: version, answers: IRAQ_NRW } });
    const ack = await client.next('ack');
    expect(ack.message.context).toMatchObject({ kind: 'case', ruleSetVersion: version, language: 'ar', region: '05', answers: IRAQ_NRW });
    expect(caseOf(ack.message).items).toEqual(expect.arrayContaining(['prog_reag_garp', 'prog_starthilfeplus', 'note_minors', 'doc_school']));
    const row = await t.running.services.db.selectFrom('messages').select('context').where('id', '=', ack.message.id).executeTakeFirstOrThrow();
    expect(row.context).toMatch(/^enc1\./);
    expect(row.context).not.toContain('rejected');
    const conversation = await api(t, counsellor, 'GET', `/conversations/${ack.message.conversationId}`);
    expect(conversation.json.conversation.region).toBe('05');
    expect(conversation.json.messages[0].context.items).toEqual(caseOf(ack.message).items);
    await client.close();
  });

  it('refuses answers that do not match the current questionnaire, and writes nothing', async () => {
    const { client } = await visitor(t, { language: 'fa' });
    const rows = await countRows(t, 'messages');
    const conversations = await countRows(t, 'conversations');
    client.send({ type: 'send', clientId: 'case-bad-1', body: 'x', context: { kind: 'case', ruleSetVersion: 1, answers: { residence: 'refugee' } } });
    const err = await client.next('error');
    expect(err).toMatchObject({ code: 'orientation_answers_invalid', ref: 'case-bad-1' });
    expect(err.issues).toEqual(['residence: unknown_answer_value']);
    client.send({ type: 'send', clientId: 'case-bad-2', body: 'x', context: { kind: 'case', ruleSetVersion: 1, answers: { favourite_colour: 'blue' } } });
    expect((await client.next('error')).code).toBe('orientation_answers_invalid');
    // malformed: a list for a question id that is no id, too many values, a huge value
    client.send({ type: 'send', clientId: 'case-bad-3', body: 'x', context: { kind: 'case', ruleSetVersion: 1, answers: { travellers: Array.from({ length: 50 }, (_, i) => `v${i}`) } } });
    expect((await client.next('error')).code).toBe('bad_request');
    client.send({ type: 'send', clientId: 'case-bad-4', body: 'x', context: { kind: 'case', ruleSetVersion: 1, answers: { residence: 'x'.repeat(20_000) } } });
    expect(['bad_request', 'too_large']).toContain((await client.next('error')).code);
    expect(await countRows(t, 'messages')).toBe(rows);
    expect(await countRows(t, 'conversations')).toBe(conversations);
    await client.close();
  });

  it('a later rule change does not alter an earlier summary', async () => {
    const { client } = await visitor(t, { language: 'de' });
    const before = (await api(t, undefined, 'GET', '/orientation/current')).json.current.version as number;
    client.send({ type: 'send', clientId: 'case-keep-1', body: 'Mein Ergebnis', context: { kind: 'case', ruleSetVersion: before, answers: { country: 'IQ', residence: 'rejected' } } });
    const ack = await client.next('ack');
    expect(caseOf(ack.message).items).toContain('prog_starthilfeplus');
    // editors drop StarthilfePlus for Iraq and rename the item
    const changed = (await api(t, editor, 'GET', `/orientation/rule-sets/${before}`)).json.version.ruleSet as OrRuleSet;
    const rule = changed.rules.find((r) => r.id === 'starthilfeplus')!;
    rule.when = { '==': [{ var: 'country' }, 'BJ'] };
    changed.items.find((i) => i.id === 'prog_starthilfeplus')!.title.de = 'StarthilfePlus (neu)';
    expect((await api(t, editor, 'POST', '/orientation/rule-sets', { ruleSet: changed })).status).toBe(201);
    // the earlier summary still names its version and result, and that version still reads as it did
    const detail = await api(t, admin, 'GET', `/conversations/${ack.message.conversationId}`);
    expect(detail.json.messages[0].context).toEqual(ack.message.context);
    const old = (await api(t, counsellor, 'GET', `/orientation/rule-sets/${before}`)).json.version.ruleSet as OrRuleSet;
    expect(old.items.find((i) => i.id === 'prog_starthilfeplus')!.title.de).toBe('StarthilfePlus');
    // a new summary uses the new version
    client.send({ type: 'send', clientId: 'case-keep-2', body: 'Nochmal', context: { kind: 'case', ruleSetVersion: before, answers: { country: 'IQ', residence: 'rejected' } } });
    const again = await client.next('ack');
    expect(caseOf(again.message).ruleSetVersion).toBe(before + 1);
    expect(caseOf(again.message).items).not.toContain('prog_starthilfeplus');
    await client.close();
  });

  it('lists waiting conversations for a counsellor by language and region first', async () => {
    const send = async (language: string, state: string | null, id: string) => {
      const { client } = await visitor(t, { language });
      const answers = state ? { state } : {};
      client.send({ type: 'send', clientId: id, body: 'Hallo', context: { kind: 'case', ruleSetVersion: 1, answers } });
      const ack = await client.next('ack');
      await client.close();
      return ack.message.conversationId as string;
    };
    // oldest first: Farsi/NRW, Arabic/Bayern, Arabic/NRW
    const faNrw = await send('fa', '05', 'route-1-abc');
    const arBy = await send('ar', '09', 'route-2-abc');
    const arNrw = await send('ar', '05', 'route-3-abc');
    const queue = (await api(t, counsellor, 'GET', '/conversations?status=waiting')).json.conversations.map((c: { id: string }) => c.id) as string[];
    const order = [arNrw, arBy, faNrw].map((id) => queue.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // the admin (de, en; no regions) sees them oldest first
    const adminQueue = (await api(t, admin, 'GET', '/conversations?status=waiting')).json.conversations.map((c: { id: string }) => c.id) as string[];
    const adminOrder = [faNrw, arBy, arNrw].map((id) => adminQueue.indexOf(id));
    expect(adminOrder).toEqual([...adminOrder].sort((a, b) => a - b));
    // regions are part of the agent and refused when unknown
    const me = await agent(t, counsellor);
    await me.close();
    const agents = (await api(t, admin, 'GET', '/agents')).json.agents as Array<{ email: string; id: string; regions: string[] }>;
    const amal = agents.find((a) => a.email === ARABIC_NRW.email)!;
    expect(amal.regions).toEqual(['05']);
    expect((await api(t, admin, 'PATCH', `/agents/${amal.id}`, { regions: ['99'] })).status).toBe(400);
    expect((await api(t, admin, 'PATCH', `/agents/${amal.id}`, { regions: ['05', '11'] })).status).toBe(200);
    const updated = (await api(t, admin, 'GET', '/agents')).json.agents.find((a: { email: string }) => a.email === ARABIC_NRW.email);
    expect(updated.regions).toEqual(['05', '11']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestServer, visitor, type TestServer } from '../test-support/harness.js';

// Saved replies over HTTP, on the project's database: who may see and change which, the language
// chosen when one is inserted (and the fallback), placeholders, bad input, audit, demo seeding.

let t: TestServer;
let admin: string;
let cem: string;
let dana: string;
const CEM = { email: 'cem@example.org', name: 'Cem', password: 'a counsellor password', role: 'counsellor' as const, languages: ['ps' as const, 'de' as const] };
const DANA = { email: 'dana@example.org', name: 'Dana', password: 'another counsellor password', role: 'counsellor' as const, languages: ['de' as const] };

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t);
  await api(t, admin, 'POST', '/agents', CEM);
  await api(t, admin, 'POST', '/agents', DANA);
  cem = await login(t, CEM.email, CEM.password);
  dana = await login(t, DANA.email, DANA.password);
}, 60_000);
afterAll(async () => {
  await t.stop();
});

const shared = (shortcut: string, translations: Array<[string, string]>) => ({
  scope: 'shared',
  shortcut,
  translations: translations.map(([language, body]) => ({ language, title: `${shortcut} ${language}`, body })),
});

/** A conversation in `language`, claimed by the agent behind `cookie`. */
async function conversationIn(language: string, cookie: string): Promise<string> {
  const v = await visitor(t, { language });
  v.client.send({ type: 'send', clientId: `c-${Math.random().toString(36).slice(2, 12)}`, body: 'Hallo' });
  const ack = await v.client.next('ack');
  const id = ack.message.conversationId as string;
  expect((await api(t, cookie, 'POST', `/conversations/${id}/claim`)).status).toBe(200);
  v.client.close();
  return id;
}

describe('permissions', () => {
  it('lets admins manage the shared library and refuses counsellors to change it', async () => {
    const created = await api(t, admin, 'POST', '/saved-replies', shared('perm', [['de', 'Guten Tag']]));
    expect(created.status).toBe(201);
    const id = created.json.reply.id;
    expect(created.json.reply.canEdit).toBe(true);
    // A counsellor sees it, may not edit or delete it, nor add to the shared library.
    const seen = await api(t, cem, 'GET', `/saved-replies/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.reply.canEdit).toBe(false);
    expect((await api(t, cem, 'PUT', `/saved-replies/${id}`, shared('perm', [['de', 'Geändert']]))).status).toBe(403);
    expect((await api(t, cem, 'DELETE', `/saved-replies/${id}`)).status).toBe(403);
    expect((await api(t, cem, 'POST', '/saved-replies', shared('mine', [['de', 'x']]))).status).toBe(403);
    expect((await api(t, admin, 'GET', `/saved-replies/${id}`)).json.reply.translations[0].body).toBe('Guten Tag');
    // Not logged in: nothing.
    expect((await api(t, undefined, 'GET', '/saved-replies')).status).toBe(401);
  });

  it("keeps a counsellor's personal replies to them: others (admins too) neither list, read, change nor delete them", async () => {
    const created = await api(t, cem, 'POST', '/saved-replies', { scope: 'personal', shortcut: 'cem-only', translations: [{ language: 'ps', title: 'سلام', body: 'سلام، زه {{counsellor}} یم.' }] });
    expect(created.status).toBe(201);
    const id = created.json.reply.id;
    expect(created.json.reply.canEdit).toBe(true);
    expect((await api(t, cem, 'GET', '/saved-replies')).json.replies.map((r: { id: string }) => r.id)).toContain(id);
    for (const other of [dana, admin]) {
      expect((await api(t, other, 'GET', '/saved-replies')).json.replies.map((r: { id: string }) => r.id)).not.toContain(id);
      expect((await api(t, other, 'GET', `/saved-replies/${id}`)).status).toBe(404);
      expect((await api(t, other, 'PUT', `/saved-replies/${id}`, { scope: 'personal', translations: [{ language: 'de', title: 'x', body: 'x' }] })).status).toBe(404);
      expect((await api(t, other, 'DELETE', `/saved-replies/${id}`)).status).toBe(404);
    }
    // The owner edits (the scope stays) and deletes.
    expect((await api(t, cem, 'PUT', `/saved-replies/${id}`, { scope: 'shared', translations: [{ language: 'ps', title: 'x', body: 'x' }] })).status).toBe(400);
    const edited = await api(t, cem, 'PUT', `/saved-replies/${id}`, { scope: 'personal', shortcut: 'Cem-Only', translations: [{ language: 'de', title: 'Hallo', body: 'Hallo!' }] });
    expect(edited.status).toBe(200);
    expect(edited.json.reply.shortcut).toBe('cem-only');
    expect(edited.json.reply.translations.map((x: { language: string }) => x.language)).toEqual(['de']);
    expect((await api(t, cem, 'DELETE', `/saved-replies/${id}`)).status).toBe(204);
    expect((await api(t, cem, 'GET', `/saved-replies/${id}`)).status).toBe(404);
  });

  it('records changes in the audit log (ids and counts, no text)', async () => {
    const created = await api(t, admin, 'POST', '/saved-replies', shared('audited', [['de', 'Geheimer Text']]));
    await api(t, admin, 'DELETE', `/saved-replies/${created.json.reply.id}`);
    const entries = (await api(t, admin, 'GET', '/audit')).json.entries as Array<{ action: string; details: Record<string, unknown> }>;
    const mine = entries.filter((e) => e.details['replyId'] === created.json.reply.id).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(['saved_reply.created', 'saved_reply.deleted']));
    expect(JSON.stringify(entries)).not.toContain('Geheimer Text');
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const before = (await api(t, admin, 'GET', '/saved-replies')).json.replies.length;
    const twice = await api(t, admin, 'POST', '/saved-replies', shared('twice', [['de', 'a'], ['de', 'b']]));
    expect(twice.status).toBe(400);
    expect(twice.json.error.issues.join(' ')).toMatch(/each language at most once/);
    expect((await api(t, admin, 'POST', '/saved-replies', shared('none', []))).status).toBe(400);
    expect((await api(t, admin, 'POST', '/saved-replies', shared('xx', [['xx', 'a']]))).status).toBe(400);
    expect((await api(t, admin, 'POST', '/saved-replies', shared('long', [['de', 'x'.repeat(4001)]]))).status).toBe(400);
    expect((await api(t, admin, 'POST', '/saved-replies', shared('bad shortcut!', [['de', 'x']]))).status).toBe(400);
    expect((await api(t, admin, 'GET', '/saved-replies')).json.replies.length).toBe(before);
  });
});

describe('inserting into a conversation', () => {
  it("picks the conversation's language, fills the placeholders, and says when it falls back", async () => {
    const reply = (
      await api(t, admin, 'POST', '/saved-replies', shared('hello', [['de', 'Guten Tag, ich bin {{counsellor}} von {{ site }}.'], ['en', 'Hello, I am {{counsellor}} from {{site}}. {{unknown}}'], ['ps', 'سلام، زه {{counsellor}} یم.']]))
    ).json.reply;
    const pashto = await conversationIn('ps', cem);
    const inPashto = (await api(t, cem, 'GET', `/saved-replies/${reply.id}/render?conversationId=${pashto}`)).json.rendered;
    expect(inPashto).toEqual({ replyId: reply.id, language: 'ps', requested: 'ps', fallback: false, text: 'سلام، زه Cem یم.' });

    // No Arabic text: English comes first, then German (replyLanguageOrder).
    const arabic = await conversationIn('ar', cem);
    const fallback = (await api(t, cem, 'GET', `/saved-replies/${reply.id}/render?conversationId=${arabic}`)).json.rendered;
    expect(fallback.language).toBe('en');
    expect(fallback.fallback).toBe(true);
    expect(fallback.requested).toBe('ar');
    expect(fallback.text).toBe('Hello, I am Cem from Demo partner page. {{unknown}}');

    // German only: German for everyone. The counsellor may also ask for another translation.
    const germanOnly = (await api(t, admin, 'POST', '/saved-replies', shared('de-only', [['de', 'Nur Deutsch']]))).json.reply;
    expect((await api(t, cem, 'GET', `/saved-replies/${germanOnly.id}/render?conversationId=${arabic}`)).json.rendered).toMatchObject({ language: 'de', fallback: true });
    expect((await api(t, cem, 'GET', `/saved-replies/${reply.id}/render?conversationId=${arabic}&language=de`)).json.rendered).toMatchObject({ language: 'de', fallback: true, text: 'Guten Tag, ich bin Cem von Demo partner page.' });
  });

  it("renders only for conversations the agent may see", async () => {
    const reply = (await api(t, admin, 'POST', '/saved-replies', shared('visible', [['de', 'x']]))).json.reply;
    const cems = await conversationIn('de', cem);
    expect((await api(t, dana, 'GET', `/saved-replies/${reply.id}/render?conversationId=${cems}`)).status).toBe(404);
    expect((await api(t, cem, 'GET', `/saved-replies/${reply.id}/render?conversationId=not-an-id`)).status).toBe(400);
  });
});

describe('demo data', () => {
  it('seeds the demo replies (marked as demo) once, in eight languages', async () => {
    const demo = await startTestServer({ env: { DIRETURN_DEMO_EXAMPLES: '1' } });
    try {
      const cookie = await login(demo);
      const replies = (await api(demo, cookie, 'GET', '/saved-replies')).json.replies as Array<{ example: boolean; scope: string; translations: Array<{ language: string }> }>;
      expect(replies.length).toBe(4);
      for (const r of replies) {
        expect(r).toMatchObject({ example: true, scope: 'shared' });
        expect(r.translations.map((x) => x.language).sort()).toEqual(['ar', 'de', 'en', 'fa', 'ps', 'ru', 'tr', 'uk']);
      }
      expect(await demo.running.services.savedReplies.seedDemo()).toBe(0);
    } finally {
      await demo.stop();
    }
  }, 60_000);
});

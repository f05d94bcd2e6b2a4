import { Hono, type MiddlewareHandler } from 'hono';
import { errorResponse } from '../http/errors.js';
import { counsels } from './conversation.policy.js';
import * as v from 'valibot';
import type { ConversationDetailResponse, ConversationListResponse, ConversationResponse, ConversationSearchResponse, NoteListResponse, NoteResponse } from '@direturn/protocol';
import { ConversationLanguageSchema, ConversationListQuerySchema, ConversationSearchQuerySchema, ConversationTopicsSchema, NoteInputSchema, TransferInputSchema } from '@direturn/protocol/schemas';
import { readJson } from '../http/validate.js';
import type { AuthService } from '../auth/auth.service.js';
import { requireAgent } from '../auth/auth.middleware.js';
import type { AppEnv } from '../http/types.js';
import { validate } from '../http/validate.js';
import type { ConversationService } from './conversation.service.js';

const IdParam = v.object({ id: v.pipe(v.string(), v.uuid('not a conversation id')) });

export function conversationRoutes(auth: AuthService, conversations: ConversationService) {
  const app = new Hono<AppEnv>();
  app.use('/conversations', requireAgent(auth));
  app.use('/conversations/*', requireAgent(auth));
  // Editors work on the knowledge base only.
  const counsellors: MiddlewareHandler<AppEnv> = async (c, next) => (counsels(c.get('auth').agent) ? next() : errorResponse(c, 'forbidden', 'Your role does not allow this.'));
  app.use('/conversations', counsellors);
  app.use('/conversations/*', counsellors);

  app.get('/conversations', async (c) => {
    const { status } = validate(ConversationListQuerySchema, c.req.query());
    return c.json({ conversations: await conversations.list(c.get('auth').agent, status) } satisfies ConversationListResponse);
  });

  /** Find & filter: every conversation the agent may see, newest first, paged by `before`. */
  app.get('/conversations/search', async (c) => {
    const q = validate(ConversationSearchQuerySchema, c.req.query());
    const filter = { status: q.status, language: q.language, siteId: q.site, topicId: q.topic, channel: q.channel, from: q.from, to: q.to, before: q.before };
    return c.json((await conversations.search(c.get('auth').agent, filter, q.limit)) satisfies ConversationSearchResponse);
  });

  app.get('/conversations/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json((await conversations.detail(c.get('auth').agent, id)) satisfies ConversationDetailResponse);
  });

  app.post('/conversations/:id/claim', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ conversation: await conversations.claim(c.get('auth').agent, id) } satisfies ConversationResponse);
  });

  /** The whole conversation as a JSON file; recorded in the audit log. */
  app.get('/conversations/:id/export', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const detail = await conversations.detail(c.get('auth').agent, id, { export: true });
    c.header('Content-Disposition', `attachment; filename="conversation-${id}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(detail satisfies ConversationDetailResponse);
  });

  /** Admins delete a conversation for good (messages included); recorded in the audit log. */
  app.delete('/conversations/:id', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    await conversations.deleteByAdmin(c.get('auth').agent, id);
    return c.body(null, 204);
  });

  app.post('/conversations/:id/close', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ conversation: await conversations.close(c.get('auth').agent, id) } satisfies ConversationResponse);
  });

  /** Internal notes: the holder writes them; counsellors who may open the conversation read them. Never the visitor. */
  app.get('/conversations/:id/notes', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    return c.json({ notes: await conversations.notes(c.get('auth').agent, id) } satisfies NoteListResponse);
  });

  app.post('/conversations/:id/notes', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const { body } = await readJson(c, NoteInputSchema);
    return c.json({ note: await conversations.addNote(c.get('auth').agent, id, body) } satisfies NoteResponse, 201);
  });

  /** The holder hands over: to a named colleague or back to the queue for a language, with a note. */
  app.post('/conversations/:id/transfer', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const input = await readJson(c, TransferInputSchema);
    return c.json({ conversation: await conversations.transfer(c.get('auth').agent, id, input) } satisfies ConversationResponse);
  });

  /** A supervisor reassigns (to a colleague, to themselves = take over, or to the queue). */
  app.post('/conversations/:id/reassign', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const input = await readJson(c, TransferInputSchema);
    return c.json({ conversation: await conversations.reassign(c.get('auth').agent, id, input) } satisfies ConversationResponse);
  });

  /** The language of an open conversation, corrected by its holder (or by any counsellor while it waits). */
  app.put('/conversations/:id/language', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const { language } = await readJson(c, ConversationLanguageSchema);
    return c.json({ conversation: await conversations.setLanguage(c.get('auth').agent, id, language) } satisfies ConversationResponse);
  });

  app.put('/conversations/:id/topics', async (c) => {
    const { id } = validate(IdParam, c.req.param());
    const { topicIds } = await readJson(c, ConversationTopicsSchema);
    return c.json({ conversation: await conversations.setTopics(c.get('auth').agent, id, topicIds) } satisfies ConversationResponse);
  });

  return app;
}

/**
 * Part 1 (with the widget weight): what a call adds to the chat. The call code is its own chunk,
 * loaded only when a counsellor offers a call: this opens the chat on the demo page, has a
 * counsellor claim the conversation and offer a video call over the agent socket, and sums what
 * the frame loads from the offer until the offer is shown (gzip as on the wire), beside the
 * numbers of the widget's build (dist/sizes.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../../test/support/browser.ts';
import { AgentSocket, login } from '../../test/support/agent-client.ts';
import { AGENT_PASSWORD, ROOT, type Running } from './servers.js';

export interface CallWeight {
  /** Loaded by the frame when the offer arrived, summed. */
  gzip: number;
  resources: Array<{ url: string; gzip: number }>;
  /** The build's own figures: the call chunk(s) and the call texts in German. */
  build: { chunkGzip: number; textsGzip: number; chunks: string[] } | null;
}

function buildSizes(): CallWeight['build'] {
  try {
    const s = JSON.parse(readFileSync(join(ROOT, 'packages/widget/dist/sizes.json'), 'utf8')) as { callLazyGzip?: number; callTextsGzip?: number; callChunks?: string[] };
    return s.callLazyGzip === undefined ? null : { chunkGzip: s.callLazyGzip, textsGzip: s.callTextsGzip ?? 0, chunks: s.callChunks ?? [] };
  } catch {
    return null;
  }
}

export async function measureCallWeight(server: Running): Promise<CallWeight> {
  const browser = await launchChromium();
  const cookie = await login(server.url, 'bench-admin@bench.example', AGENT_PASSWORD);
  const agent = await AgentSocket.open(server.url, cookie);
  try {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo/`, { waitUntil: 'load' });
    await page.locator('direturn-chat button.launcher').click();
    const frame = page.frameLocator('direturn-chat iframe');
    await frame.locator('textarea').waitFor({ timeout: 20_000 });
    await frame.locator('textarea').fill('Können Sie mich anrufen?');
    await frame.locator('textarea').press('Enter');
    // The conversation the message opened, taken by the counsellor.
    let conversationId: string | undefined;
    for (let i = 0; i < 200 && !conversationId; i++) {
      const list = (await (await fetch(`${server.url}/api/conversations?status=waiting`, { headers: { cookie } })).json()) as { conversations: Array<{ id: string; firstMessage: string | null }> };
      conversationId = list.conversations.find((c) => c.firstMessage === 'Können Sie mich anrufen?')?.id;
      if (!conversationId) await new Promise((r) => setTimeout(r, 100));
    }
    if (!conversationId) throw new Error('the conversation did not reach the queue');
    const claimed = await fetch(`${server.url}/api/conversations/${conversationId}/claim`, { method: 'POST', headers: { cookie, origin: server.url } });
    if (!claimed.ok) throw new Error(`claim: ${claimed.status}`);
    await page.waitForLoadState('networkidle');

    const pending: Array<Promise<{ url: string; gzip: number } | null>> = [];
    page.on('response', (r) => {
      pending.push(
        r.body().then(
          (body) => ({ url: new URL(r.url()).pathname, gzip: gzipSync(body, { level: 9 }).length }),
          () => null,
        ),
      );
    });
    agent.send({ type: 'call-offer', conversationId, media: 'video' });
    await frame.locator('direturn-call-view h2').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    const resources = (await Promise.all(pending)).filter((r): r is { url: string; gzip: number } => r !== null);
    // Withdraw the offer: the bench leaves nothing going.
    const offer = agent.frames.find((f) => f.type === 'call' && (f['call'] as { conversationId?: string } | undefined)?.conversationId === conversationId);
    const callId = (offer?.['call'] as { id?: string } | undefined)?.id;
    if (callId) agent.send({ type: 'call-hangup', callId });
    await context.close();
    return { gzip: resources.reduce((a, r) => a + r.gzip, 0), resources, build: buildSizes() };
  } finally {
    agent.close();
    await browser.close();
  }
}

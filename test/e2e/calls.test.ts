import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../support/server.js';
import { startTurnServer, type TurnServer } from '../support/turn.js';

// Voice and video calls end to end (issue 16), in Chromium with fake camera and microphone: a
// counsellor offers a video call in the console, the visitor accepts in the widget on the demo
// partner page (the frame gets microphone and camera only then), both browsers receive media
// (bytes received grow in getStats on both sides, over DTLS-SRTP), mute and hang-up work, a
// closed tab ends the call; then the same call forced through a real TURN server (Debian's
// coturn, started here) with relay-only ICE and credentials minted by DiReturn; and a partner
// page whose Permissions-Policy forbids the devices.

/** Fake devices and an automatic "allow" to the browser's permission prompt: for this test's browser only. */
const MEDIA_FLAGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
/** Generous: a busy two-core machine runs this (conditions are polled, never slept on). */
const LONG = { timeout: 60_000 };

interface Stats {
  bytesReceived: number;
  dtlsState: string | undefined;
  srtpCipher: string | undefined;
  local: string | undefined;
  remote: string | undefined;
}

/**
 * The call's RTCPeerConnection statistics, read in the page: from the widget's call view
 * (`session`) or the console's call panel (`calls.session`). Self-contained: it runs in the browser.
 */
async function mediaStats(el: Element): Promise<Stats | null> {
  const holder = el as unknown as { session?: { peerConnection: RTCPeerConnection | null } | null; calls?: { session: { peerConnection: RTCPeerConnection | null } | null } };
  const pc = holder.session?.peerConnection ?? holder.calls?.session?.peerConnection;
  if (!pc) return null;
  const report = await pc.getStats();
  const all = new Map<string, Record<string, unknown>>();
  let bytesReceived = 0;
  let pairId: string | undefined;
  let dtlsState: string | undefined;
  let srtpCipher: string | undefined;
  report.forEach((s: Record<string, unknown>) => {
    all.set(s['id'] as string, s);
    if (s['type'] === 'inbound-rtp') bytesReceived += Number(s['bytesReceived'] ?? 0);
    if (s['type'] === 'transport') {
      pairId = s['selectedCandidatePairId'] as string | undefined;
      dtlsState = s['dtlsState'] as string | undefined;
      srtpCipher = s['srtpCipher'] as string | undefined;
    }
  });
  const pair = pairId ? all.get(pairId) : undefined;
  return {
    bytesReceived,
    dtlsState,
    srtpCipher,
    local: pair ? (all.get(pair['localCandidateId'] as string)?.['candidateType'] as string | undefined) : undefined,
    remote: pair ? (all.get(pair['remoteCandidateId'] as string)?.['candidateType'] as string | undefined) : undefined,
  };
}

interface Sides {
  visitorPage: Page;
  agentPage: Page;
  /** The call view inside the chat frame. */
  visitorCall: () => Locator;
  agentCall: Locator;
  close(): Promise<void>;
}

/** A visitor on the demo page writes; a counsellor logs in, claims the conversation and opens it. */
async function conversation(browser: Browser, server: ServerProcess, question: string, opts: { pagePolicy?: string } = {}): Promise<Sides> {
  const visitorContext = await browser.newContext({ locale: 'de-DE' });
  const visitorPage = await visitorContext.newPage();
  if (opts.pagePolicy) {
    // A partner page that forbids camera and microphone in its Permissions-Policy header.
    await visitorPage.route('**/demo/', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'permissions-policy': opts.pagePolicy! } });
    });
  }
  await visitorPage.goto(`${server.url}/demo/`);
  await visitorPage.locator('direturn-chat').locator('[part="launcher"]').click();
  const chat = visitorPage.frameLocator('direturn-chat iframe');
  await chat.locator('textarea').waitFor(LONG);
  await chat.locator('textarea').fill(question);
  await chat.locator('textarea').press('Enter');
  await chat.locator('[part="bubble"]', { hasText: question }).waitFor(LONG);

  const agentContext = await browser.newContext({ locale: 'de-DE' });
  const agentPage = await agentContext.newPage();
  await agentPage.goto(`${server.url}/console/`);
  await agentPage.getByLabel(/e-mail/i).fill(ADMIN.email);
  await agentPage.getByLabel(/passwort|password/i).fill(ADMIN.password);
  await agentPage.getByRole('button', { name: /anmelden|log in/i }).click();
  await agentPage.locator('direturn-queue').getByText(question).first().waitFor(LONG);
  await agentPage.locator('direturn-queue li', { hasText: question }).locator('[part="claim"]').click();
  await agentPage.locator('direturn-conversation-view').getByText(question).first().waitFor(LONG);
  return {
    visitorPage,
    agentPage,
    visitorCall: () => visitorPage.frameLocator('direturn-chat iframe').locator('direturn-call-view'),
    agentCall: agentPage.locator('direturn-call-panel'),
    async close() {
      await visitorContext.close();
      await agentContext.close();
    },
  };
}

/**
 * The counsellor offers a video call; the visitor accepts it with video. The first time in a page
 * the frame has no devices and gets them only on acceptance; later calls find them granted.
 */
async function videoCall(s: Sides, first = true): Promise<void> {
  await s.agentCall.getByRole('button', { name: 'Videoanruf' }).click();
  await s.agentCall.getByText('Die ratsuchende Person wird angerufen').first().waitFor(LONG);
  const frame = s.visitorPage.locator('direturn-chat iframe');
  await s.visitorCall().getByText('möchte mit Ihnen per Video sprechen').first().waitFor(LONG);
  // Nothing granted before the visitor accepts.
  if (first) expect(await frame.getAttribute('allow')).toBeNull();
  await s.visitorCall().getByRole('button', { name: 'Mit Video annehmen' }).click();
  // Granted at that moment: the host loads the frame again with microphone and camera.
  await expect.poll(() => frame.getAttribute('allow'), LONG).toBe('microphone; camera; autoplay');
  if (first) await expect.poll(() => frame.getAttribute('src'), LONG).toMatch(/&call=video\.[A-Za-z0-9_-]+$/);
}

/** Both sides' statistics, polled until media flows both ways and keeps flowing. */
async function mediaFlowsBothWays(s: Sides): Promise<{ visitor: Stats; agent: Stats }> {
  const read = async () => ({ visitor: await s.visitorCall().evaluate(mediaStats), agent: await s.agentCall.evaluate(mediaStats) });
  await expect.poll(async () => {
    const r = await read();
    return (r.visitor?.bytesReceived ?? 0) > 0 && (r.agent?.bytesReceived ?? 0) > 0;
  }, LONG).toBe(true);
  const first = await read();
  await expect.poll(async () => {
    const r = await read();
    return r.visitor!.bytesReceived > first.visitor!.bytesReceived + 10_000 && r.agent!.bytesReceived > first.agent!.bytesReceived + 10_000;
  }, LONG).toBe(true);
  const last = await read();
  return { visitor: last.visitor!, agent: last.agent! };
}

describe('calls between two browsers', () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium({ args: MEDIA_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a video call: accepted in the widget, media both ways (DTLS-SRTP), mute and hang-up; a closed tab ends the next one', async () => {
    const s = await conversation(browser, server, 'Können wir kurz per Video sprechen?');
    await videoCall(s);
    await s.visitorCall().locator('[part="call-state"][data-phase="connected"]').waitFor(LONG);
    await s.agentCall.locator('[part="call-state"][data-phase="connected"]').waitFor(LONG);
    const stats = await mediaFlowsBothWays(s);
    // Encrypted end to end by DTLS-SRTP, directly between the two browsers.
    expect(stats.visitor.dtlsState).toBe('connected');
    expect(stats.agent.dtlsState).toBe('connected');
    expect(stats.visitor.srtpCipher).toBeTruthy();
    expect(stats.visitor.local).not.toBe('relay');

    // The visitor mutes: their microphone stops, and the counsellor sees it.
    await s.visitorCall().locator('[part="call-mute"]').click();
    await expect.poll(() => s.visitorCall().locator('[part="call-mute"]').getAttribute('aria-pressed')).toBe('true');
    expect(await s.visitorCall().evaluate((el) => (el as unknown as { session: { local: MediaStream } }).session.local.getAudioTracks().every((t) => !t.enabled))).toBe(true);
    await s.agentCall.getByText('Die ratsuchende Person hat das Mikrofon ausgeschaltet.').first().waitFor(LONG);

    // The counsellor hangs up: both sides see it end, and the conversation records kind and length.
    await s.agentCall.locator('[part="call-hangup"]').click();
    await s.visitorCall().getByText('Der Anruf ist beendet.').first().waitFor(LONG);
    await s.agentCall.getByText('Der Anruf ist beendet.').first().waitFor(LONG);
    await s.visitorPage.frameLocator('direturn-chat iframe').locator('[part="bubble"]', { hasText: /^Videoanruf, \d+ Min\.$/ }).waitFor(LONG);
    await s.agentPage.locator('direturn-conversation-view').getByText(/Videoanruf, \d+ Min\./).first().waitFor(LONG);

    // Another call; the visitor closes the tab: the call ends cleanly for the counsellor.
    await s.agentCall.getByRole('button', { name: 'Schließen' }).click();
    await s.visitorCall().getByRole('button', { name: 'Schließen' }).click();
    await videoCall(s, false);
    await s.agentCall.locator('[part="call-state"][data-phase="connected"]').waitFor(LONG);
    await s.visitorPage.close({ runBeforeUnload: true });
    await s.agentCall.getByText(/Der Anruf ist beendet\.|Die Verbindung ist abgerissen/).first().waitFor(LONG);
    // Signalling passed through the server (at debug level) and left no trace in its log.
    expect(server.output()).not.toMatch(/a=fingerprint|candidate:\d|m=video/);
    await s.close();
  });

  it('a partner page that forbids camera and microphone: the visitor is told why and what else they can do; the counsellor learns it', async () => {
    const s = await conversation(browser, server, 'Geht auch ein Anruf?', { pagePolicy: 'camera=(), microphone=()' });
    await s.agentCall.getByRole('button', { name: 'Videoanruf' }).click();
    await s.visitorCall().getByRole('button', { name: 'Mit Video annehmen' }).click();
    await s.visitorCall().getByText('Diese Website erlaubt keine Anrufe aus dem Chat.').first().waitFor(LONG);
    await s.visitorCall().getByText('per Telefon zurückzurufen').first().waitFor(LONG);
    await s.agentCall.getByText('Bieten Sie stattdessen einen Rückruf per Telefon an.').first().waitFor(LONG);
    // The frame never got the devices: the page's policy is stronger than the frame's allow attribute.
    expect(await s.visitorCall().evaluate(() => (document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } }).featurePolicy?.allowsFeature('camera'))).toBe(false);
    // The callback form instead, one click away.
    await s.visitorCall().getByRole('button', { name: 'Rückruf anfragen' }).click();
    await s.visitorPage.frameLocator('direturn-chat iframe').locator('direturn-callback-view').waitFor(LONG);
    await s.close();
  });
});

describe('calls through a TURN server', () => {
  let turn: TurnServer;
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    turn = await startTurnServer();
    server = await startServerProcess({
      DIRETURN_TURN_URLS: turn.url,
      DIRETURN_TURN_SECRET: turn.secret,
      DIRETURN_TURN_TTL_SECONDS: '600',
      // Relay only: the browsers may not talk directly, the media must go through coturn.
      DIRETURN_ICE_TRANSPORT_POLICY: 'relay',
    });
    browser = await launchChromium({ args: MEDIA_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await turn?.stop();
  });

  it('relays a video call with credentials DiReturn minted from the shared secret', async () => {
    const s = await conversation(browser, server, 'Ich bin im Mobilfunknetz.');
    await videoCall(s);
    await s.agentCall.locator('[part="call-state"][data-phase="connected"]').waitFor(LONG);
    const stats = await mediaFlowsBothWays(s);
    for (const side of [stats.visitor, stats.agent]) {
      expect(side.local).toBe('relay');
      expect(side.remote).toBe('relay');
      expect(side.dtlsState).toBe('connected');
    }
    // coturn accepted allocations for users of the TURN REST form (<expiry>:<id>) and relayed.
    expect(turn.output()).toMatch(/user <\d{10}:[A-Za-z0-9_-]{12}>/);
    expect(turn.output()).toMatch(/ALLOCATE processed, success/);
    await s.agentCall.locator('[part="call-hangup"]').click();
    await s.visitorCall().getByText('Der Anruf ist beendet.').first().waitFor(LONG);
    await s.close();
  });
});

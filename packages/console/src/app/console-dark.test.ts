import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { AgentSocket } from '../realtime/agent-socket.js';
import { adminAgent, agent, conversation, deep, fakeWebSocketClass, json, message, mountConsole, stubFetch } from '../test/helpers.js';
import './direturn-console.js';
import type { DireturnConsole } from './direturn-console.js';

const claimed = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now(), unread: 3 });

async function workspace() {
  const { el, root, stub, WS } = await mountConsole((_method, url) => {
    if (url === '/api/me') return json(200, { agent });
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: [conversation({ id: 'c2', language: 'ru' })] });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [claimed] });
    if (url === '/api/conversations/c1')
      return json(200, {
        conversation: claimed,
        messages: [
          message({ id: 'm1', seq: 1, body: 'Hallo' }),
          message({ id: 'm2', seq: 2, author: 'system', body: 'claimed', agentName: 'Anna' }),
          message({ id: 'm3', seq: 3, author: 'agent', agentName: 'Anna', body: 'Guten Tag' }),
        ],
      });
    return undefined;
  });
  await waitUntil(() => deep(root, 'direturn-my-conversations', 'li'), 'lists not rendered');
  WS.instances[0]!.serverOpen();
  WS.instances[0]!.serverSend({ type: 'ready', agent });
  return { el, root };
}

const channel = (hex: string, at: number) => parseInt(hex.slice(at, at + 2), 16) / 255;
function luminance(colour: string): number {
  const hex = colour.trim().toLowerCase();
  expect(hex, `${colour} is not #rrggbb`).to.match(/^#[0-9a-f]{6}$/);
  const [r, g, b] = [1, 3, 5].map((i) => channel(hex, i)).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
/** Luminance of a computed `rgb(r, g, b)` colour. */
function rgbLuminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number) as [number, number, number];
  return luminance(`#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`);
}

// Every foreground token with the backgrounds the console puts it on.
const TEXT_PAIRS: [string, string[]][] = [
  ['--_text', ['--_bg', '--_surface', '--_surface-alt', '--_accent-soft', '--_warning-soft', '--_danger-soft']],
  ['--_muted', ['--_bg', '--_surface', '--_surface-alt', '--_accent-soft']],
  ['--_accent', ['--_bg', '--_surface']],
  ['--_accent-text', ['--_accent']],
  ['--_danger', ['--_surface', '--_danger-soft']],
  ['--_success', ['--_bg', '--_surface']],
];
const FOCUS_BACKGROUNDS = ['--_bg', '--_surface', '--_surface-alt', '--_accent-soft'];

describe('console in dark mode', () => {
  before(() => initI18n('en'));
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  for (const scheme of ['light', 'dark'] as const) {
    it(`meets WCAG AA with every token pair in the ${scheme} palette`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const { el } = await workspace();
      const style = getComputedStyle(el);
      const token = (name: string) => style.getPropertyValue(name);
      for (const [fg, bgs] of TEXT_PAIRS) {
        for (const bg of bgs) expect(contrast(token(fg), token(bg)), `${fg} on ${bg} (${scheme})`).to.be.at.least(4.5);
      }
      for (const bg of FOCUS_BACKGROUNDS) expect(contrast(token('--_focus'), token(bg)), `focus ring on ${bg} (${scheme})`).to.be.at.least(3);
    });
  }

  it('switches the colours with the system setting and stays accessible', async () => {
    const { el, root } = await workspace();
    (deep(root, 'direturn-my-conversations', 'li button') as HTMLElement).click();
    await waitUntil(() => deep(root, 'direturn-conversation-view', 'textarea'), 'conversation not opened');
    const view = root.querySelector('direturn-conversation-view')!;
    const colours = () => ({
      page: getComputedStyle(el).backgroundColor,
      text: getComputedStyle(el).color,
      panel: getComputedStyle(view).backgroundColor,
      textarea: getComputedStyle(view.shadowRoot!.querySelector('textarea')!).backgroundColor,
    });
    const light = colours();
    expect(getComputedStyle(el).colorScheme).to.equal('light dark');
    expect(rgbLuminance(light.page)).to.be.greaterThan(0.8);

    await emulateMedia({ colorScheme: 'dark' });
    expect(matchMedia('(prefers-color-scheme: dark)').matches).to.equal(true);
    const dark = colours();
    for (const key of Object.keys(light) as (keyof typeof light)[]) expect(dark[key], key).not.to.equal(light[key]);
    expect(rgbLuminance(dark.page)).to.be.lessThan(0.05);
    expect(rgbLuminance(dark.panel)).to.be.lessThan(0.05);
    expect(rgbLuminance(dark.text)).to.be.greaterThan(0.7);
    // axe's colour-contrast rule checks the rendered pairs, e.g. the unread badge and the own messages
    await expect(el).to.be.accessible();
  });

  it('keeps a page theme set through the public custom properties', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const { el } = await workspace();
    el.style.setProperty('--direturn-background', '#000000');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(0, 0, 0)');
  });

  it('shows an accessible login form in dark mode', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const stub = stubFetch(() => json(401, { error: { code: 'unauthorized', message: 'no session' } }));
    const el = await fixture<DireturnConsole>(html`<direturn-console .api=${new ApiClient({ fetch: stub.fetch })}></direturn-console>`);
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-login'), 'no login form');
    await expect(el).to.be.accessible();
  });

  it('shows the required TOTP setup accessibly in dark mode, the QR code still on white', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const stub = stubFetch((method, url) => {
      if (url === '/api/me') return json(200, { agent: { ...agent, totpSetupRequired: true } });
      if (method === 'POST' && url === '/api/me/totp/setup')
        return json(200, { secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/DiReturn:anna?secret=JBSWY3DPEHPK3PXP', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
      if (method === 'POST' && url === '/api/me/totp/enable') return json(200, { recoveryCodes: ['abcde-fghij', 'klmno-pqrst'] });
      return undefined;
    });
    const el = await fixture<DireturnConsole>(html`<direturn-console .api=${new ApiClient({ fetch: stub.fetch })}></direturn-console>`);
    await waitUntil(() => deep(el.shadowRoot!, 'direturn-totp-setup', 'img[part="qr"]'), 'no QR code');
    const setup = el.shadowRoot!.querySelector('direturn-totp-setup')!;
    const root = setup.shadowRoot!;
    expect(getComputedStyle(root.querySelector('img[part="qr"]')!).backgroundColor).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
    root.querySelector<HTMLInputElement>('input[name="code"]')!.value = '123456';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[part="recovery-codes"]'), 'no recovery codes');
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click(); // "Done" unconfirmed: an error shows
    await waitUntil(() => root.querySelector('[part="error"]'), 'no error');
    await expect(el).to.be.accessible();
  });

  it('shows the profile and admin screens accessibly in dark mode', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const site = { id: '22222222-2222-4222-8222-222222222222', key: 'demo', name: 'Caritas Augsburg', allowedOrigins: ['https://c.example'], defaultLanguage: 'de' };
    const stub = stubFetch((method, url) => {
      if (method !== 'GET') return undefined;
      if (url === '/api/me') return json(200, { agent: adminAgent });
      if (url.startsWith('/api/conversations?')) return json(200, { conversations: [] });
      if (url === '/api/agents') return json(200, { agents: [{ ...adminAgent, createdAt: 1, disabledAt: null, totpEnabled: true, sessions: 1 }] });
      if (url === '/api/settings') return json(200, { settings: { retentionDays: 90, requireTotp: false } });
      if (url === '/api/sites') return json(200, { sites: [site] });
      if (url === '/api/privacy-notices') return json(200, { overrides: [{ siteId: null, language: 'ar', text: 'نص', links: [] }] });
      if (url.startsWith('/api/audit')) return json(200, { entries: [{ id: 'e1', at: 1_700_000_000_000, agentId: 'a0', agentName: 'Ada', action: 'auth.login', conversationId: null, targetAgentId: null, details: {} }] });
      return undefined;
    });
    const el = await fixture<DireturnConsole>(html`<direturn-console
      .api=${new ApiClient({ fetch: stub.fetch })}
      .createSocket=${() => new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: fakeWebSocketClass(), baseDelayMs: 10_000 })}
    ></direturn-console>`);
    await waitUntil(() => el.shadowRoot!.querySelector('nav'), 'no workspace');
    // what each screen shows once its data has loaded
    const loaded = { profile: 'form', agents: 'tbody th', settings: 'form', privacy: 'tbody th', audit: 'tbody time' } as const;
    for (const [screen, selector] of Object.entries(loaded) as [keyof typeof loaded, string][]) {
      await el.showScreen(screen);
      await waitUntil(() => deep(el.shadowRoot!, '.page > *', selector), `${screen} not loaded`);
      await expect(el, screen).to.be.accessible();
    }
  });
});

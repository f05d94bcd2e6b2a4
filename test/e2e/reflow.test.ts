/**
 * Reflow and zoom (WCAG 2.2 AA, 1.4.10 Reflow and 1.4.4 Resize text).
 *
 * 1.4.10: content must work at 320 CSS px width without scrolling in two dimensions.
 * 1.4.4: text must work at 200 % zoom. Browser zoom makes every CSS px twice as large, so a
 * 1280×800 window at 200 % lays out exactly like a 640×400 CSS px viewport (media queries, `vw`,
 * `vh` and `dvh` all see 640×400). That is what we emulate. A 1280×800 viewport with
 * deviceScaleFactor 2 is NOT zoom: it only renders sharper (like a HiDPI screen); the layout
 * still has 1280 CSS px and nothing reflows.
 *
 * Screenshots of every state go to a temp dir (printed) so they can be looked at.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { ADMIN, startServerProcess, type ServerProcess } from '../support/server.js';

let server: ServerProcess;
let browser: Browser;
const SHOTS = process.env.DIRETURN_REFLOW_SHOTS || mkdtempSync(join(tmpdir(), 'direturn-reflow-'));

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchChromium();
  console.log(`reflow screenshots: ${SHOTS}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Viewport {
  name: string;
  width: number;
  height: number;
}
const NARROW: Viewport = { name: '320px', width: 320, height: 640 };
const ZOOM_200: Viewport = { name: 'zoom200', width: 640, height: 400 };

/**
 * Elements (also inside open shadow roots) that stick out of the viewport horizontally, as
 * "tag.class (left…right)". Skips what is not rendered or visually hidden (1×1 px clipped) and
 * what sits inside a box that clips it (overflow hidden/auto/scroll, e.g. a scrolling list).
 */
async function offscreenX(target: Page | Frame, within?: string): Promise<string[]> {
  return target.evaluate((within) => {
    const vw = document.documentElement.clientWidth;
    const out: string[] = [];
    const clippedBy = (el: Element): boolean => {
      for (let p: Element | null = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null); p; ) {
        const cs = getComputedStyle(p);
        if (cs.overflowX !== 'visible' && p !== document.documentElement && p !== document.body) {
          const r = p.getBoundingClientRect();
          if (r.left >= -1 && r.right <= vw + 1) return true;
        }
        p = p.parentElement ?? ((p.getRootNode() as ShadowRoot).host || null);
      }
      return false;
    };
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) continue;
        const cs = getComputedStyle(el);
        if (cs.visibility === 'hidden' || cs.display === 'none') continue;
        if (r.left < -1 || r.right > vw + 1) {
          if (clippedBy(el)) continue;
          out.push(`${el.localName}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''} (${Math.round(r.left)}…${Math.round(r.right)} of ${vw})`);
        }
      }
    };
    if (!within) visit(document);
    else for (const host of document.querySelectorAll(within)) if (host.shadowRoot) visit(host.shadowRoot);
    return out;
  }, within);
}

async function horizontalOverflow(target: Page | Frame): Promise<{ scrollWidth: number; clientWidth: number }> {
  return target.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    clientWidth: document.documentElement.clientWidth,
  }));
}

/** The element's box (in the page's CSS px) lies completely inside the viewport. */
async function expectInViewport(locator: Locator, vp: Viewport, what: string): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, `${what} has no box`).not.toBeNull();
  const b = box!;
  expect(b.width, `${what} width`).toBeGreaterThan(0);
  expect(b.height, `${what} height`).toBeGreaterThan(0);
  expect(b.x, `${what} left`).toBeGreaterThanOrEqual(-0.5);
  expect(b.y, `${what} top`).toBeGreaterThanOrEqual(-0.5);
  expect(b.x + b.width, `${what} right`).toBeLessThanOrEqual(vp.width + 0.5);
  expect(b.y + b.height, `${what} bottom`).toBeLessThanOrEqual(vp.height + 0.5);
}

async function chatFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('direturn-chat iframe').elementHandle();
  const frame = await handle!.contentFrame();
  expect(frame).not.toBeNull();
  return frame!;
}

const WIDGET_CASES: { vp: Viewport; lang?: 'ar' }[] = [{ vp: NARROW }, { vp: NARROW, lang: 'ar' }, { vp: ZOOM_200 }, { vp: ZOOM_200, lang: 'ar' }];

describe('the widget on the demo page reflows', () => {
  for (const { vp, lang } of WIDGET_CASES) {
    const label = `${vp.name}${lang ? `-${lang}` : ''}`;
    it(`at ${vp.width}×${vp.height} CSS px${lang ? ` in ${lang}` : ''}`, async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, locale: 'de-DE' });
      const page = await context.newPage();
      try {
        await page.goto(`${server.url}/demo/`);
        const host = page.locator('direturn-chat');
        const launcher = host.locator('[part="launcher"]');
        await launcher.waitFor();
        // the demo page is what partners copy: it reflows too
        expect(await offscreenX(page)).toEqual([]);
        if (lang) await page.evaluate((l) => (window as unknown as { DiReturn: (c: string, a: string) => void }).DiReturn('setLanguage', l), lang);
        await expectInViewport(launcher, vp, 'launcher');
        await page.screenshot({ path: join(SHOTS, `widget-${label}-closed.png`) });

        await launcher.click();
        const frame = await chatFrame(page);
        const textarea = frame.locator('textarea');
        await textarea.waitFor();
        if (lang) expect(await frame.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, 'rtl']);

        // the panel is entirely on screen
        await expectInViewport(host.locator('[part="panel"]'), vp, 'panel');
        expect(await offscreenX(page, 'direturn-chat')).toEqual([]);
        // the chat document does not scroll sideways, and nothing in it sticks out
        const overflow = await horizontalOverflow(frame);
        expect(overflow.scrollWidth, `chat frame scrollWidth ${overflow.scrollWidth} > clientWidth ${overflow.clientWidth}`).toBeLessThanOrEqual(overflow.clientWidth);
        expect(await offscreenX(frame)).toEqual([]);

        // composer, send and close are visible and inside the viewport
        const send = frame.locator('[part="send"]');
        const close = frame.locator('[part="close"]');
        await expectInViewport(textarea, vp, 'composer');
        await expectInViewport(send, vp, 'send button');
        await expectInViewport(close, vp, 'close button');
        await page.screenshot({ path: join(SHOTS, `widget-${label}-open.png`) });

        // usable: type, send with the button, see the message
        const text = lang ? 'مرحبا، هل يمكنني العودة إلى حلب؟ https://example.org/hilfe' : 'Kann ich mit 320 Pixeln Breite schreiben? https://example.org/rueckkehr/hilfe';
        await textarea.fill(text);
        await send.click();
        await frame.locator('[part="bubble"]', { hasText: text.slice(0, 20) }).waitFor();
        expect(await offscreenX(frame)).toEqual([]);
        const after = await horizontalOverflow(frame);
        expect(after.scrollWidth).toBeLessThanOrEqual(after.clientWidth);
        await expectInViewport(textarea, vp, 'composer after sending');
        await expectInViewport(send, vp, 'send button after sending');
        await page.screenshot({ path: join(SHOTS, `widget-${label}-message.png`) });

        // the close button is reachable and closes the panel
        await expectInViewport(close, vp, 'close button after sending');
        await close.click();
        await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
        await expectInViewport(launcher, vp, 'launcher after closing');
      } finally {
        await context.close();
      }
    });
  }
});

describe('the console reflows at 320 CSS px', () => {
  it('login, queue and an open conversation have no horizontal overflow (de and ar)', async () => {
    // a waiting conversation, so the queue is not empty
    const visitor = await browser.newContext({ locale: 'de-DE' });
    const vPage = await visitor.newPage();
    await vPage.goto(`${server.url}/demo/`);
    await vPage.locator('direturn-chat [part="launcher"]').click();
    const vFrame = await chatFrame(vPage);
    const question = 'Guten Tag, ich möchte zurück nach Tiflis. Siehe https://example.org/ein/sehr/langer/pfad/ohne/leerzeichen/der/umbrechen/muss';
    await vFrame.locator('textarea').fill(question);
    await vFrame.locator('textarea').press('Enter');
    await vFrame.locator('[part="bubble"]', { hasText: 'Tiflis' }).waitFor();

    const context = await browser.newContext({ viewport: { width: NARROW.width, height: NARROW.height }, locale: 'de-DE' });
    const page = await context.newPage();
    try {
      const check = async (state: string): Promise<void> => {
        await page.screenshot({ path: join(SHOTS, `console-${state}.png`) });
        const o = await horizontalOverflow(page);
        expect(o.scrollWidth, `${state}: scrollWidth ${o.scrollWidth} > ${o.clientWidth}`).toBeLessThanOrEqual(o.clientWidth);
        expect(await offscreenX(page), state).toEqual([]);
      };
      await page.goto(`${server.url}/console/`);
      const email = page.getByLabel(/e-mail/i);
      await email.waitFor();
      await check('320px-login');

      await email.fill(ADMIN.email);
      await page.getByLabel(/passwort|password/i).fill(ADMIN.password);
      await page.locator('direturn-login [part="submit"]').click();
      await page.locator('direturn-queue').getByText('Tiflis').waitFor();
      await check('320px-workspace');

      await page.locator('direturn-queue li', { hasText: 'Tiflis' }).locator('[part="claim"]').click();
      const reply = page.locator('direturn-conversation-view textarea');
      await reply.waitFor();
      await page.screenshot({ path: join(SHOTS, 'console-320px-claimed.png') });
      await page.locator('direturn-conversation-view [part~="message-visitor"]', { hasText: 'Tiflis' }).waitFor();
      await expectInViewport(reply, NARROW, 'console reply');
      await check('320px-conversation');
      // The internal notes follow the reply box; they never lie over it (they did when the
      // conversation's content was taller than the room its grid row gave it).
      const replyBox = (await reply.boundingBox())!;
      const notesBox = (await page.locator('direturn-conversation-work').boundingBox())!;
      expect(notesBox.y, `notes at ${notesBox.y}, reply box ends at ${replyBox.y + replyBox.height}`).toBeGreaterThanOrEqual(replyBox.y + replyBox.height);

      // right-to-left
      await page.locator('.topbar select, [part="topbar"] select').first().selectOption('ar');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await check('320px-conversation-ar');
      await page.locator('direturn-conversation-view').getByRole('button', { name: 'العودة إلى القوائم' }).click();
      await page.locator('direturn-my-conversations li').first().waitFor();
      await check('320px-workspace-ar');
      await page.locator('.topbar select, [part="topbar"] select').first().selectOption('de');
    } finally {
      await context.close();
      await visitor.close();
    }
  });
});

// Screenshots of the open widget in every shipped language (phone-sized), with one visitor
// message in that language and a German URL inside it (bidi check), into
// docs/screenshots/widget-lang-<code>.png. Run with `pnpm screenshots:languages`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../../packages/protocol/src/languages.js';
import { launchChromium } from '../support/browser.js';
import { ROOT, startServerProcess } from '../support/server.js';

const out = join(ROOT, 'docs/screenshots');
mkdirSync(out, { recursive: true });

/** "I am thinking about returning. Can you help me? https://…" in each language. */
const SAMPLE: Record<string, string> = {
  de: 'Ich überlege, zurückzukehren. Können Sie mir helfen? https://example.org/rueckkehr',
  en: 'I am thinking about returning. Can you help me? https://example.org/rueckkehr',
  tr: 'Geri dönmeyi düşünüyorum. Bana yardım edebilir misiniz? https://example.org/rueckkehr',
  ar: 'أفكر في العودة. هل يمكنكم مساعدتي؟ https://example.org/rueckkehr',
  ru: 'Я думаю о возвращении. Вы можете мне помочь? https://example.org/rueckkehr',
  fa: 'به بازگشت فکر می‌کنم. می‌توانید کمکم کنید؟ https://example.org/rueckkehr',
  uk: 'Я думаю про повернення. Ви можете мені допомогти? https://example.org/rueckkehr',
  ps: 'زه د بېرته ستنېدو په اړه فکر کوم. ایا له ما سره مرسته کولی شئ؟ https://example.org/rueckkehr',
  ku: 'Ez li ser vegerê difikirim. Hûn dikarin alîkariya min bikin? https://example.org/rueckkehr',
  sq: 'Po mendoj të kthehem. A mund të më ndihmoni? https://example.org/rueckkehr',
  sr: 'Razmišljam o povratku. Možete li da mi pomognete? https://example.org/rueckkehr',
  ka: 'ვფიქრობ დაბრუნებაზე. შეგიძლიათ დამეხმაროთ? https://example.org/rueckkehr',
  fr: 'Je pense à rentrer. Pouvez-vous m’aider ? https://example.org/rueckkehr',
};

const only = process.argv.slice(2);
const server = await startServerProcess();
const browser = await launchChromium();
try {
  for (const { code } of LANGUAGES) {
    if (only.length && !only.includes(code)) continue;
    const context = await browser.newContext({ locale: code, viewport: { width: 412, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo/`);
    const launcher = page.locator('direturn-chat [part="launcher"]');
    await launcher.waitFor();
    await page.evaluate((lang) => document.querySelector('direturn-chat')!.setAttribute('lang', lang), code);
    await launcher.click();
    const chat = page.frameLocator('direturn-chat iframe');
    await chat.locator(`html[lang="${code}"]`).waitFor();
    await chat.locator('textarea').fill(SAMPLE[code] ?? SAMPLE['en']!);
    await chat.locator('textarea').press('Enter');
    await chat.locator('[part="bubble"]').first().waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `widget-lang-${code}.png`) });
    await context.close();
  }
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}

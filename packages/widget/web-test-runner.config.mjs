import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';

/**
 * json-logic-js (the orientation check's rule engine) ships as UMD; the build converts it with
 * @rollup/plugin-commonjs, here its CommonJS branch is wrapped into an ES module with a default export.
 */
const jsonLogicAsModule = {
  name: 'direturn-json-logic-esm',
  transform(context) {
    if (!/\/json-logic-js\/logic\.js$/.test(context.path)) return undefined;
    return { body: `const module = { exports: {} }; const exports = module.exports;\n${context.body}\nexport default module.exports;` };
  },
};
import { playwrightLauncher } from '@web/test-runner-playwright';
import { HOST_TEXTS_ID, NAMESPACES, hostTextsModule, localeReport, readLocales, resolveLocale } from './build/locales.mjs';

const VIRTUAL_PATH = '/__direturn/host-texts.js';
const LOCALE_PATH = /^\/src\/i18n\/locales\/([a-z]{2,3})\.json$/;
const NAMESPACE_PATH = /^\/src\/i18n\/locales\/([a-z-]+)\/([a-z]{2,3})\.json$/;

/**
 * Serves what the build serves: the host-texts virtual module and the locales with per-key
 * fallback (`?drop=a.b,c.d` removes keys first, to test that fallback), plus the missing-key report.
 */
const locales = {
  name: 'direturn-locales',
  resolveImport({ source }) {
    if (source === HOST_TEXTS_ID) return VIRTUAL_PATH;
  },
  serve(context) {
    if (context.path === VIRTUAL_PATH) return { body: hostTextsModule(), type: 'js' };
    if (context.path === '/__direturn/locale-report.json') return { body: JSON.stringify(localeReport()), type: 'json' };
    const namespaced = NAMESPACE_PATH.exec(context.path);
    if (namespaced && NAMESPACES[namespaced[1]]) {
      const all = readLocales(NAMESPACES[namespaced[1]]);
      return all[namespaced[2]] ? { body: JSON.stringify(resolveLocale(namespaced[2], all)), type: 'json' } : undefined;
    }
    const locale = LOCALE_PATH.exec(context.path);
    if (locale) {
      const all = readLocales();
      if (!all[locale[1]]) return undefined;
      const drop = (context.URL.searchParams.get('drop') ?? '').split(',').filter(Boolean);
      return { body: JSON.stringify(resolveLocale(locale[1], all, drop)), type: 'json' };
    }
    // the shipped example rule set and the criteria cases (server content), for the orientation tests
    const orientation = /^\/__direturn\/orientation\/(example-rule-set|criteria-cases)\.json$/.exec(context.path);
    if (orientation) return { body: readFileSync(fileURLToPath(new URL(`../server/content/orientation/${orientation[1]}.json`, import.meta.url)), 'utf8'), type: 'json' };
    // stand-in for the server's frame document, so host tests do not load 404 pages
    if (context.path === '/widget/frame') return { body: '<!doctype html><title>frame</title>', type: 'html' };
  },
};

export default {
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
  plugins: [locales, jsonLogicAsModule, esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    }),
  ],
};

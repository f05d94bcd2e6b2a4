// Two bundles:
//  - dist/widget.js: the host script partner pages load. One small ES module (Lit + host element),
//    no i18next: its few texts come from a build-time virtual module generated from the locales.
//  - dist/chat.js (+ chunks): the chat app inside the frame, with locales copied to dist/locales/.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import gzip from 'rollup-plugin-gzip';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { HOST_TEXTS_ID, LOCALES_DIR, NAMESPACES, hostTextsModule, readLocales, checkLocales, resolveLocale, formatMissing, localeReport } from './build/locales.mjs';

const DIST = 'dist';
const HOST_BUDGET = 10 * 1024;

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.test.ts'],
    noEmit: false,
    declaration: false,
    sourceMap: false,
    module: 'ESNext',
    moduleResolution: 'Bundler',
  });

const minify = () =>
  terser({
    ecma: 2020,
    module: true,
    compress: { passes: 2 },
    format: { comments: false },
  });

/** Serves `virtual:direturn-host-texts` (the `host.*` texts of every locale). */
function hostTextsPlugin() {
  const resolved = '\0' + HOST_TEXTS_ID;
  return {
    name: 'direturn-host-texts',
    resolveId(id) {
      return id === HOST_TEXTS_ID ? resolved : null;
    },
    load(id) {
      if (id !== resolved) return null;
      for (const file of readdirSync(LOCALES_DIR)) this.addWatchFile(join(LOCALES_DIR, file));
      return hostTextsModule();
    },
  };
}

/**
 * Minifies the CSS inside Lit `css\`...\`` templates (terser leaves template strings alone).
 * Only templates without interpolations are touched.
 */
export function minifyCssTemplates() {
  const CSS_TEMPLATE = /\bcss\s*`([^`$]*)`/g;
  const minifyCss = (text) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'direturn-minify-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !CSS_TEMPLATE.test(code)) return null;
      CSS_TEMPLATE.lastIndex = 0;
      return { code: code.replace(CSS_TEMPLATE, (_, body) => `css\`${minifyCss(body)}\``), map: null };
    },
  };
}

/**
 * Collapses the indentation in Lit `html\`...\`` templates: a run of white space with a line break
 * in it becomes one space, which HTML renders the same outside `<pre>` and `pre` styles (the
 * templates put no literal text into those). Runs after TypeScript, on the JavaScript AST.
 */
export function collapseHtmlTemplates() {
  return {
    name: 'direturn-collapse-html',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\bhtml\s*`/.test(code)) return null;
      const edits = [];
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'html') {
          for (const quasi of node.quasi.quasis) {
            const raw = code.slice(quasi.start, quasi.end);
            const collapsed = raw.replace(/\s*\n\s*/g, ' ');
            if (collapsed !== raw) edits.push([quasi.start, quasi.end, collapsed]);
          }
        }
        for (const key of Object.keys(node)) {
          const child = node[key];
          if (Array.isArray(child)) child.forEach(visit);
          else if (child && typeof child === 'object' && key !== 'loc') visit(child);
        }
      };
      visit(this.parse(code));
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/**
 * Fails on a "reviewed" locale with missing keys, lists the missing keys of the others, and emits
 * every locale with per-key fallback filled in (English, then German) as dist/locales/<lang>.json.
 */
function localesPlugin() {
  return {
    name: 'direturn-locales',
    buildStart() {
      const sets = [['', readLocales()], ...Object.entries(NAMESPACES).map(([ns, dir]) => [`${ns}/`, readLocales(dir)])];
      for (const [ns, locales] of sets) {
        const problems = checkLocales(locales);
        if (problems.length) this.error(`locales ${ns}:\n  ${problems.join('\n  ')}`);
        const missing = formatMissing(localeReport(locales));
        if (missing) this.warn(`locales ${ns} falling back to English/German for some keys:\n${missing}`);
      }
    },
    generateBundle() {
      const locales = readLocales();
      for (const lang of Object.keys(locales)) {
        this.emitFile({ type: 'asset', fileName: `locales/${lang}.json`, source: JSON.stringify(resolveLocale(lang, locales)) });
      }
      for (const [ns, dir] of Object.entries(NAMESPACES)) {
        const texts = readLocales(dir);
        for (const lang of Object.keys(texts)) {
          this.emitFile({ type: 'asset', fileName: `locales/${ns}/${lang}.json`, source: JSON.stringify(resolveLocale(lang, texts)) });
        }
      }
    },
  };
}

function gz(path) {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

/**
 * The chunks a view loads on demand: reached from chat.js only through dynamic imports. Whatever
 * chat.js imports statically is part of opening the chat.
 */
export function splitChunks(bundle, entry = 'chat.js') {
  const open = new Set();
  const visit = (name) => {
    if (open.has(name)) return;
    open.add(name);
    for (const dep of bundle[name]?.imports ?? []) visit(dep);
  };
  visit(entry);
  const lazy = Object.values(bundle)
    .filter((c) => c.type === 'chunk' && !open.has(c.fileName))
    .map((c) => c.fileName);
  return { open: [...open], lazy };
}

/** Whether a chunk of the bundle holds a module whose path matches `re`. */
const chunkHas = (chunk, re) => !!chunk && chunk.type === 'chunk' && Object.keys(chunk.modules ?? {}).some((id) => re.test(id));

/** Prints the gzip sizes once both bundles are written (dist/sizes.json for the bench). */
function sizeReport() {
  return {
    name: 'direturn-size-report',
    writeBundle(_options, bundle) {
      const host = gz(join(DIST, 'widget.js'));
      // What opening the chat loads: chat.js and the chunks it imports statically. Views loaded
      // on demand (information, office search, ...) are their own chunks, listed apart.
      const { open, lazy } = splitChunks(bundle);
      const chat = open.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const locale = gz(join(DIST, 'locales', 'de.json'));
      // The office search: its chunks (shared ones with the consent view included) and its texts.
      const officeChunks = lazy.filter((f) => /office|referral/i.test(f));
      const offices = officeChunks.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const officeTexts = gz(join(DIST, 'locales', 'offices', 'de.json'));
      // The orientation check: its view and the shared rule engine (json-logic-js), and its texts.
      const orientationChunks = lazy.filter((f) => /orientation|logic/i.test(f));
      const orientation = orientationChunks.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const orientationTexts = gz(join(DIST, 'locales', 'orientation', 'de.json'));
      // Asking for a call back: its view with the phone rules (libphonenumber-js, min metadata), and its texts.
      const callbackChunks = lazy.filter((f) => chunkHas(bundle[f], /\/callback\/|libphonenumber/));
      const callback = callbackChunks.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const callbackTexts = gz(join(DIST, 'locales', 'callback', 'de.json'));
      // The phone rules are the callback view's alone: never part of opening the chat.
      const eager = open.filter((f) => chunkHas(bundle[f], /libphonenumber/));
      if (eager.length) this.error(`libphonenumber-js is in the open chat (${eager.join(', ')}): import it only from the callback view`);
      // Calls: the call view with the shared WebRTC session, loaded only when a call is offered, and its texts.
      const callChunks = lazy.filter((f) => /(^|\/)call-/.test(f) || (chunkHas(bundle[f], /\/call\//) && !chunkHas(bundle[f], /\/callback\//)));
      const call = callChunks.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const callTexts = gz(join(DIST, 'locales', 'call', 'de.json'));
      // E-mail notices of a waiting reply: the view (only its entry is in the open chat), and its texts.
      const replyNoticeChunks = lazy.filter((f) => chunkHas(bundle[f], /\/reply-notice\//));
      const replyNotice = replyNoticeChunks.reduce((sum, f) => sum + gz(join(DIST, f)), 0);
      const replyNoticeTexts = gz(join(DIST, 'locales', 'reply-notice', 'de.json'));
      console.log('\nGzip sizes');
      console.log(`  dist/widget.js (host, budget ${kb(HOST_BUDGET)}): ${kb(host)}`);
      console.log(`  dist/chat.js + its static chunks: ${kb(chat)} (the frame document carries the chat's texts)`);
      for (const f of lazy) console.log(`  on demand: ${f}: ${kb(gz(join(DIST, f)))}`);
      console.log(`  whole locale file (de.json, fetched by on-demand views): ${kb(locale)}`);
      console.log(`  lazy: office search and referral consent ${kb(offices)} + texts ${kb(officeTexts)} (${officeChunks.join(', ')})`);
      console.log(`  lazy: orientation check ${kb(orientation)} + texts ${kb(orientationTexts)} (${orientationChunks.join(', ')})`);
      console.log(`  lazy: callback request ${kb(callback)} + texts ${kb(callbackTexts)} (${callbackChunks.join(', ')})`);
      console.log(`  lazy: calls ${kb(call)} + texts ${kb(callTexts)} (${callChunks.join(', ')})`);
      console.log(`  lazy: reply notices by e-mail ${kb(replyNotice)} + texts ${kb(replyNoticeTexts)} (${replyNoticeChunks.join(', ')})`);
      writeFileSync(
        join(DIST, 'sizes.json'),
        JSON.stringify({ hostGzip: host, chatGzip: chat, localeGzip: locale, officesLazyGzip: offices, officesTextsGzip: officeTexts, officeChunks, orientationLazyGzip: orientation, orientationTextsGzip: orientationTexts, orientationChunks, callbackLazyGzip: callback, callbackTextsGzip: callbackTexts, callbackChunks, callLazyGzip: call, callTextsGzip: callTexts, callChunks, replyNoticeLazyGzip: replyNotice, replyNoticeTextsGzip: replyNoticeTexts, replyNoticeChunks }, null, 2),
      );
      if (host > HOST_BUDGET) this.error(`dist/widget.js is ${kb(host)} gzip, over the ${kb(HOST_BUDGET)} budget`);
    },
  };
}

/**
 * Writes `<file>.gz` and `<file>.br` beside every script and locale file; the server sends them
 * as they are (no compression work per request). Cuts what a phone downloads about 3×.
 */
const precompressed = () => [
  gzip({ gzipOptions: { level: 9 } }),
  gzip({
    fileName: '.br',
    customCompression: (content) =>
      brotliCompressSync(Buffer.from(content), { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } }),
  }),
];

export default [
  {
    input: 'src/host/widget.ts',
    output: { file: `${DIST}/widget.js`, format: 'es', inlineDynamicImports: true },
    plugins: [hostTextsPlugin(), nodeResolve({ browser: true }), ts(), minifyCssTemplates(), collapseHtmlTemplates(), minify(), ...precompressed()],
  },
  {
    input: { chat: 'src/chat/main.ts' },
    output: { dir: DIST, format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    // commonjs: json-logic-js (the orientation check's rule engine) ships as UMD.
    plugins: [nodeResolve({ browser: true }), commonjs({ include: /node_modules/ }), ts(), minifyCssTemplates(), collapseHtmlTemplates(), localesPlugin(), minify(), sizeReport(), ...precompressed()],
  },
];

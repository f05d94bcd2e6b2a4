import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import gzip from 'rollup-plugin-gzip';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const src = (p) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

/** Copies index.html, the page stylesheet and the locale files beside the bundle. */
function staticFiles() {
  return {
    name: 'direturn-static-files',
    buildStart() {
      this.addWatchFile(src('index.html'));
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'index.html', source: readFileSync(src('index.html'), 'utf8') });
      this.emitFile({ type: 'asset', fileName: 'console.css', source: readFileSync(src('console.css'), 'utf8') });
      for (const file of readdirSync(src('i18n/locales')).filter((f) => f.endsWith('.json'))) {
        // Re-serialise: validates the JSON at build time and strips whitespace.
        const json = JSON.stringify(JSON.parse(readFileSync(src(`i18n/locales/${file}`), 'utf8')));
        this.emitFile({ type: 'asset', fileName: `locales/${file}`, source: json });
      }
    },
  };
}

export default {
  input: 'src/console.ts',
  output: {
    file: 'dist/console.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    resolve({ browser: true, exportConditions: ['browser', 'production'] }),
    typescript({
      tsconfig: './tsconfig.json',
      filterRoot: fileURLToPath(new URL('.', import.meta.url)),
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/test/**', 'src/types/**'],
      compilerOptions: { outDir: 'dist', declaration: false, noEmitOnError: true, module: 'nodenext', moduleResolution: 'nodenext' },
    }),
    terser({ format: { comments: false }, ecma: 2022, module: true }),
    staticFiles(),
    // .gz and .br beside each file, sent as they are by the server (see the widget's config).
    gzip({ gzipOptions: { level: 9 } }),
    gzip({ fileName: '.br', customCompression: (c) => brotliCompressSync(Buffer.from(c), { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } }) }),
  ],
};

import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { HOST_TEXTS_ID, hostTextsModule } from './build/host-texts.mjs';

const VIRTUAL_PATH = '/__direturn/host-texts.js';

/** Same virtual module the rollup build provides to the host script. */
const hostTexts = {
  name: 'direturn-host-texts',
  resolveImport({ source }) {
    if (source === HOST_TEXTS_ID) return VIRTUAL_PATH;
  },
  serve(context) {
    if (context.path === VIRTUAL_PATH) return { body: hostTextsModule(), type: 'js' };
    // stand-in for the server's frame document, so host tests do not load 404 pages
    if (context.path === '/widget/frame') return { body: '<!doctype html><title>frame</title>', type: 'html' };
  },
};

export default {
  files: ['src/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
  plugins: [hostTexts, esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    }),
  ],
};

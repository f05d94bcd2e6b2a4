import { readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from './support/browser.js';
const [out, ...files] = process.argv.slice(2);
const b = await launchChromium();
const p = await b.newPage({ viewport: { width: 900, height: 400 } });
await p.setContent(`<body style="margin:0;background:#ccc;display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start">${files.map((f) => `<figure style="margin:0"><img src="data:image/png;base64,${readFileSync(f).toString('base64')}"><figcaption style="font:11px sans-serif">${f.split('/').pop()}</figcaption></figure>`).join('')}</body>`);
await p.screenshot({ path: out!, fullPage: true });
await b.close();

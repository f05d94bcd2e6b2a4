import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Playwright disables third-party storage partitioning, which makes this Chromium deny storage to
// the chat frame outright. Real Chrome partitions instead, so by default we launch with
// Playwright's list minus ThirdPartyStoragePartitioning (the last --disable-features wins).
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

export interface LaunchOptions {
  /** false: storage in third-party frames is denied, as in browsers that block it. */
  storagePartitioning?: boolean;
  /** Further flags for one test's browser (e.g. fake media devices). */
  args?: string[];
}

/**
 * Debian's Chromium, headless, with the flags that work on a closed network as root (playwright
 * gives each launch a fresh profile). Never downloads a browser.
 */
export function launchChromium({ storagePartitioning = true, args = [] }: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(storagePartitioning ? [`--disable-features=${DISABLED_FEATURES.join(',')}`] : []),
      ...args,
    ],
  });
}

// Launches Debian's Chromium through playwright-core with the flags known to work here as root
// (no sandbox, no GPU, no background networking: this machine's network is closed).
import { chromium } from 'playwright-core';

export async function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // two workbench windows are two tabs: keep the one behind from having its timers and rendering throttled
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
  });
}

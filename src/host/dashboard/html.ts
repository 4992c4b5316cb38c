/**
 * The dashboard page: strict CSP (`default-src 'none'`, scripts only with a per-load nonce, styles/images/fonts
 * only from the webview's own resource origin), the bundled `dist/webview.js` and `dist/webview.css`. Pure.
 */
import { randomBytes } from 'node:crypto';

export interface PageResources {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  lang: string;
  /** the dashboard's strings in the display language (app/i18n `dashboardStrings`) */
  strings?: Readonly<Record<string, string>>;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** JSON that cannot end its script element (`<` escaped) */
const jsonData = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dashboardHtml(r: PageResources, nonce: string = makeNonce()): string {
  const csp = [
    "default-src 'none'",
    `img-src ${r.cspSource} data:`,
    `style-src ${r.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${r.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${attr(r.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.styleUri)}">
<title>AgentMeter</title>
</head>
<body>
<script type="application/json" id="agentmeter-strings">${jsonData(r.strings ?? {})}</script>
<script nonce="${nonce}" src="${attr(r.scriptUri)}"></script>
</body>
</html>`;
}

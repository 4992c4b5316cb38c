/**
 * Chart colours from VS Code's theme CSS variables (`--vscode-charts-*`, `--vscode-foreground`, …), re-read when
 * the theme changes: VS Code swaps the body class (`vscode-light` / `vscode-dark` / `vscode-high-contrast`).
 */

export interface ThemeColors {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** distinct series colours, theme first */
  palette: string[];
  /** limits and over-budget marks */
  danger: string;
  highContrast: boolean;
}

// Yellow comes after red: VS Code's orange and yellow are hard to tell apart as neighbouring series.
const SERIES_VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
// used only when a variable is missing (e.g. an old host); picked to read on light and dark backgrounds
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700', '#4ec9b0', '#c586c0', '#9cdcfe'];

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ThemeColors {
  const style = getComputedStyle(document.body);
  const fg = cssVar(style, '--vscode-foreground', '#cccccc');
  const palette = SERIES_VARS.map((v, i) => cssVar(style, v, FALLBACK[i]));
  // three more so stacked bars of many models stay distinct; teal before red (red reads as an alarm, so it comes
  // late as a series colour and is kept for limits) and yellow
  palette.splice(4, 0, FALLBACK[6]);
  palette.push(FALLBACK[7], FALLBACK[8]);
  return {
    foreground: fg,
    muted: cssVar(style, '--vscode-descriptionForeground', fg),
    grid: cssVar(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar(style, '--vscode-editor-background', '#1e1e1e'),
    palette,
    danger: cssVar(style, '--vscode-charts-red', FALLBACK[4]),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` whenever the body's theme class changes. Returns a disposer. */
export function onThemeChange(onChange: () => void): () => void {
  let last = document.body.className;
  const obs = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange();
  });
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => obs.disconnect();
}

/** A readable one-liner for anything thrown (no `vscode` import: used by the parts of the usage service). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

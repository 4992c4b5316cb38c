/**
 * Message templates of the string tables (pure; shared by the app, the CLI, the host and the webview).
 * - `{name}` is replaced by `args.name` (left as written when the argument is missing, so a slip is visible);
 * - `{n, plural, one {…} other {…}}` picks a branch by the number `args.n` (`#` inside a branch is the number);
 *   Chinese needs no plural forms, so a zh-CN template is simply `{n} 天`.
 */
export type MessageArgs = Readonly<Record<string, string | number>>;

const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

export function formatMessage(template: string, args?: MessageArgs): string {
  if (!args) return template;
  const plural = template.replace(PLURAL, (m, k: string, one: string, other: string) => {
    if (!Object.hasOwn(args, k)) return m;
    const n = Number(args[k]);
    return (n === 1 ? one : other).replace(/#/g, String(args[k]));
  });
  return plural.replace(PLACEHOLDER, (m, k: string) => (Object.hasOwn(args, k) ? String(args[k]) : m));
}

/** The placeholder names a template uses (plural selectors included), for the localization check. */
export function placeholdersOf(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLURAL)) names.add(m[1]);
  for (const m of template.replace(PLURAL, '').matchAll(PLACEHOLDER)) names.add(m[1]);
  return [...names].sort();
}

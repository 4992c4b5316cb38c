import { TeamError } from './errors';

/**
 * A member or machine name as it is sent: 1–200 characters, no control characters. Quotes and anything SQL-looking
 * are plain text (every name travels as a query parameter); whether the login may write that member is the
 * database's row-level security's call.
 */
export function checkTeamName(what: 'member' | 'machine' | 'login', name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (typeof name !== 'string' || name.length === 0 || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new TeamError('bad-input', `the ${what} name must be 1 to 200 characters without control characters`);
  }
  return name;
}

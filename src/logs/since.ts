// Turns --since into journalctl's --since argument. Pure.

export const DEFAULT_SINCE = '24h';

/** `24h`, `30m`, `2d`, `1h30m` become journalctl's relative form (`-24h`); an absolute
 * `YYYY-MM-DD[ HH:MM[:SS]]` passes as written; anything else is null (not understood). */
export function journalSince(since: string): string | null {
  const text = since.trim();
  if (/^(\d+(s|m|min|h|d|w))+$/.test(text)) return `-${text}`;
  if (/^\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?$/.test(text)) return text;
  return null;
}

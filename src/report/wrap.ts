// Wrapping for a terminal of known width: continuation lines start under their own column (the
// summary under the summary, evidence under its bullet), never at column 0.
import { cellWidth, wrapToWidth } from './cells.js';

/** `prefix` + `text`, wrapped to `width` columns with continuation lines indented to where the text
 * began. Without a width (a pipe, a file) the line is left whole. */
export function hanging(prefix: string, text: string, width: number | null): string[] {
  if (width === null) return [prefix + text];
  const indent = cellWidth(prefix);
  const room = Math.max(width - indent, 16);
  const [first = '', ...rest] = wrapToWidth(text, room);
  return [prefix + first, ...rest.map((l) => ' '.repeat(indent) + l)];
}

// Terminal cells: how wide a string is, cutting it to a width, wrapping it. string-width,
// cli-truncate and wrap-ansi get any Unicode right, but loading them costs about 90 ms (string-width
// builds the RGI emoji set and an Intl.Segmenter as it loads), more than half of the budget for the
// doctor's first frame. Nearly everything this tool draws is plain: printable ASCII, the few
// single-cell glyphs of its own layout, and SGR colour codes. Plain text is measured, cut and (when
// it fits) wrapped here; anything else goes to the libraries, which load on demand.

type Libraries = {
  width: (text: string) => number;
  cut: (text: string, columns: number) => string;
  wrap: (text: string, columns: number) => string;
};

let libraries: Libraries | null = null;

/** Loads the Unicode-aware measures. Every renderer of text it did not write itself awaits this
 * first; only the first frame, drawn before anything loads, goes without (see `withoutLibraries`). */
export async function loadUnicodeCells(): Promise<void> {
  if (libraries) return;
  const [stringWidth, cliTruncate, wrapAnsi] = await Promise.all([import('string-width'), import('cli-truncate'), import('wrap-ansi')]);
  libraries = {
    width: stringWidth.default,
    cut: (text, columns) => cliTruncate.default(text, columns, { position: 'end' }),
    wrap: (text, columns) => wrapAnsi.default(text, columns, { hard: true, trim: true }),
  };
}

/** Thrown when text that is not plain has to be measured before the libraries have loaded. */
export class NeedsUnicodeCells extends Error {
  constructor(text: string) {
    super(`internal: cannot measure ${JSON.stringify(text.slice(0, 40))} before loadUnicodeCells()`);
  }
}

/** Draws with the plain measures only; if the drawing meets other text, loads the libraries and
 * draws again. For the first frame, which should not wait for them. */
export async function withoutLibraries<T>(draw: () => T): Promise<T> {
  try {
    return draw();
  } catch (err) {
    if (!(err instanceof NeedsUnicodeCells)) throw err;
    await loadUnicodeCells();
    return draw();
  }
}

function need(text: string): Libraries {
  if (!libraries) throw new NeedsUnicodeCells(text);
  return libraries;
}

// An SGR sequence (colour, bold, dim, inverse): no cells of its own.
const SGR = /\u001b\[[0-9;]*m/g;
// One cell each, as string-width counts them (East Asian ambiguous as narrow, the way ink measures):
// printable ASCII, and the layout's own glyphs · — … › ↑ ↓, box drawing and the Braille spinner.
const ONE_CELL = /^[\u0020-\u007e\u00b7\u2014\u2026\u203a\u2191\u2193\u2500-\u257f\u2800-\u28ff]*$/;

/** The text without its SGR codes when every other character is one cell wide; else null. */
function plainOf(text: string): string | null {
  const visible = text.includes('\u001b') ? text.replace(SGR, '') : text;
  return ONE_CELL.test(visible) ? visible : null;
}

export function cellWidth(text: string): number {
  return plainOf(text)?.length ?? need(text).width(text);
}

/** At most `columns` cells, ending in … when cut; a style left open at the cut is reset. */
export function cutToWidth(text: string, columns: number): string {
  if (columns < 1) return '';
  const visible = plainOf(text);
  if (visible === null) return need(text).cut(text, columns);
  if (visible.length <= columns) return text;
  if (columns === 1) return '…';
  let kept = '';
  let styled = false;
  let shown = 0;
  for (const [token] of text.matchAll(/\u001b\[[0-9;]*m|[^\u001b]/g)) {
    if (shown === columns - 1) break;
    kept += token;
    if (token.length > 1) styled = true;
    else shown++;
  }
  return styled ? `${kept}…\u001b[0m` : `${kept}…`;
}

/** Word-wrapped to `columns` (words longer than a line are broken), each line trimmed. */
export function wrapToWidth(text: string, columns: number): string[] {
  const visible = plainOf(text);
  // Plain text that fits is its own single line, as wrap-ansi leaves it; it trims outer spaces.
  if (visible !== null && visible.length <= columns && visible.trim() === visible) return [text];
  return need(text).wrap(text, columns).split('\n');
}

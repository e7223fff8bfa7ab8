// The first frame, painted before ink and react have loaded (loading them takes longer than the
// first facts do): the same layout, written once; ink erases it when it takes over. It is measured
// without the Unicode width libraries when it can be (report/cells.ts), since they load slowly too.
import { withoutLibraries } from '../report/cells.js';
import type { Style } from '../report/style.js';
import { layout, terminalSize, type View } from './layout.js';
import type { RunModel } from './model.js';

export const FIRST_VIEW: View = {
  selected: 0,
  detailsTop: 0,
  frame: 0,
  elapsedMs: 0,
  fix: null,
  notice: null,
  keys: { fix: false, bundle: false, interactive: true },
};

/** Writes the frame; returns how many lines to erase (what ink's log-update would erase). */
export async function paintFirstFrame(out: NodeJS.WriteStream, model: RunModel, style: Style): Promise<number> {
  const { lines } = await withoutLibraries(() => layout(model, FIRST_VIEW, terminalSize(out), style));
  out.write(`${lines.join('\n')}\n`);
  return lines.length;
}

/** Cursor up over `count` lines, erasing each: the terminal is as before the first frame. */
export function eraseLines(count: number): string {
  return count > 0 ? `${'\u001b[2K\u001b[1A'.repeat(count)}\u001b[2K\u001b[G` : '';
}

// Mounts the ink UI and feeds it engine events. Loaded only in pretty mode, so json/text never load
// ink. The UI runs nothing: the CLI runs the engine, pushes its events here, and is told when the
// user quits.
import { render } from 'ink';
import type { EngineEvent } from '../model/report.js';
import { loadUnicodeCells } from '../report/cells.js';
import { terminalSafe } from '../report/terminal-safe.js';
import { App, type AppProps, type QuitKey } from './App.js';
import { eraseLines } from './first-frame.js';
import { terminalSize } from './layout.js';
import { applyEvent, type RunModel } from './model.js';

export interface PrettyUi {
  push(event: EngineEvent): void;
  /** Settles with the key that ended the UI; at once when there is no keyboard (stdin not a TTY). */
  quit: Promise<QuitKey>;
  /** Erases the live region and unmounts: the terminal keeps only what was there before. */
  close(): Promise<void>;
}

export interface PrettyOptions extends Pick<AppProps, 'onFix' | 'writeBundle' | 'style'> {
  model: RunModel;
  /** Lines of the first frame the CLI painted before ink loaded. */
  painted: number;
  /** A quit key during the run: cancel it. */
  onQuitKey(how: QuitKey): void;
}

/** The terminal as ink sees it. ink writes ESC[3J (erase the scrollback) only when a frame is as tall as
 * the window; the frames never are, but a window shrunk under a frame would be: the scrollback is the
 * user's, keep it. A 0x0 terminal gets the 80x24 the frames are laid out for: ink took 0 rows as "every
 * frame fills the screen" and 0 columns as a zero-width layout, and painted blank frames forever. */
function inkTerminal(out: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(out, {
    get(target, prop) {
      if (prop === 'columns' || prop === 'rows') return terminalSize(target)[prop];
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? chunk.replaceAll('\u001b[3J', '') : chunk, ...rest);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const FRAME_MS = 33;

export async function openPretty({ model, painted, onQuitKey, style, onFix, writeBundle }: PrettyOptions): Promise<PrettyUi> {
  // Keys are ink's from here on. Raw mode now, not when ink's input hook mounts: a Ctrl-C in between
  // was a SIGINT the terminal echoed as ^C into the frame being replaced, pushing ink's first line
  // out of what ink later erased. Typed now, it waits in the input for ink as a key.
  const keyboard = process.stdin.isTTY === true;
  if (keyboard) process.stdin.setRawMode(true);
  // The UI lays out whatever the checks report (paths, log lines, any script): with the measures
  // that know all of Unicode. (Only the CLI's first frame, painted before they load, goes without.)
  await loadUnicodeCells();
  let state = model;
  const listeners = new Set<() => void>();
  const store = {
    get: () => state,
    subscribe(fn: () => void) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
  // Events come in bursts (every fact gathered, every check done); each notification is a
  // synchronous React render and layout, and while one runs no key is read. One render per frame
  // (ink paints at most about 30 a second) shows the same and keeps the keyboard answering.
  let flush: NodeJS.Timeout | null = null;
  const notify = () => {
    flush = null;
    listeners.forEach((fn) => fn());
  };
  let settle: (how: QuitKey) => void = () => {};
  const quit = new Promise<QuitKey>((resolve) => (settle = resolve));
  let quitting = false;
  const onQuit = (how: QuitKey) => {
    if (quitting) return;
    quitting = true;
    onQuitKey(how);
    settle(how);
  };
  process.stdout.write(eraseLines(painted));
  const app = render(<App store={store} style={style} onQuit={onQuit} onFix={onFix} writeBundle={writeBundle} />, {
    stdout: inkTerminal(process.stdout),
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    push(untrusted) {
      // File contents and names reach the terminal with their control characters escaped.
      const event = terminalSafe(untrusted);
      state = applyEvent(state, event);
      flush ??= setTimeout(notify, FRAME_MS);
      if (event.type === 'done' && !keyboard) settle('quit');
    },
    quit,
    async close() {
      quitting = true;
      if (flush) clearTimeout(flush);
      // An empty tree, then unmount: ink's own log-update erases its last frame. (clear() before
      // unmount raced a render ink had throttled: unmount flushed it, and the frame came back drawn
      // from where clear() had left the cursor, over the user's lines above.)
      app.rerender(<></>);
      app.unmount();
      await app.waitUntilExit();
      if (keyboard) process.stdin.setRawMode(false);
    },
  };
}

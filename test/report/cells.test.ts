// Plain text is measured, cut and wrapped without the Unicode libraries, and the terminal shows
// exactly what the libraries would have made of it; other text waits for them.
import xterm from '@xterm/headless';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { cellWidth, cutToWidth, loadUnicodeCells, NeedsUnicodeCells, withoutLibraries, wrapToWidth } from '../../src/report/cells.js';
import { makeStyle } from '../../src/report/style.js';
import { FIRST_VIEW } from '../../src/ui/first-frame.js';
import { layout, SPINNER } from '../../src/ui/layout.js';
import { initialModel } from '../../src/ui/model.js';

const color = makeStyle(true);
const GLYPHS = ['·', '—', '…', '›', '↑', '↓', '─', '│', '┌', '╿', ...SPINNER];

// Lines as the layout builds them: styled ids, dim summaries, the details rule, the key help.
const LINES = [
  color.bold('prisma-audit 0.1.0 doctor · gathering: apiserver manifest, audit orphans, audit policy · root /'),
  `›${color.dim('·       ')}${color.bold('audit-files-mounted'.padEnd(25))} ${color.dim('audit files mounted into the apiserver…')}`,
  ` ${color.status('fail', 'FAIL    ')}${color.bold('webhook-tls-chain'.padEnd(25))} ${color.status('fail', '[was pass]')} CA data does not verify`,
  color.dim(`── apiserver-manifest ${'─'.repeat(90)}`),
  color.dim('↑/↓ select · PgUp/PgDn details · q stop (keeps what finished) · Ctrl-C abort'),
  `${SPINNER[3]} 0 of 28 checks done · 0.0s`,
  'a  b   c    d, double spaces kept inside and plain words at the end',
  '',
];

/** What a terminal shows for `text` on one line: each cell's character and its attributes. */
async function shown(text: string): Promise<string[]> {
  const term = new xterm.Terminal({ cols: 140, rows: 2, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(`${text}\u001b[0mX`, resolve));
  const line = term.buffer.active.getLine(0)!;
  const cells: string[] = [];
  for (let x = 0; x < 140; x++) {
    const c = line.getCell(x)!;
    cells.push(`${c.getChars()}|${c.isBold()}${c.isDim()}${c.isInverse()}|${c.getFgColorMode()}:${c.getFgColor()}`);
  }
  term.dispose();
  return cells;
}

describe('before the libraries load (the first frame)', () => {
  it('measures plain text and the layout’s own glyphs, and refuses the rest with a clear error', () => {
    expect(cellWidth(color.bold('abc'))).toBe(3);
    for (const g of GLYPHS) expect(cellWidth(g)).toBe(1);
    for (const other of ['日本', 'café', '🙂', 'tab\there', `\u001b]8;;http://x\u0007link`]) {
      expect(() => cellWidth(other)).toThrow(NeedsUnicodeCells);
      expect(() => cutToWidth(other.repeat(50), 10)).toThrow(/cannot measure .* before loadUnicodeCells/);
    }
    expect(() => wrapToWidth('word '.repeat(30), 20)).toThrow(NeedsUnicodeCells);
  });

  it('lays out the first frame of the whole catalogue at 80x24, 100x40 and 200x60 with no library', () => {
    const model = initialModel(
      { name: 'prisma-audit', version: '0.1.0' },
      { root: 'fixtures/demo/root (bundled demo node)', demo: true },
      CHECKS.map((c) => ({ id: c.id, title: c.title, needs: c.needs })),
    );
    for (const [columns, rows] of [
      [80, 24],
      [100, 40],
      [200, 60],
    ] as const) {
      const { lines } = layout(model, FIRST_VIEW, { columns, rows }, color);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.length).toBeLessThan(rows);
      expect(lines[0]).toContain('gathering: apiserver manifest');
      for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(columns);
    }
  });

  it('loads the libraries when the drawing meets other text, and draws again', async () => {
    let draws = 0;
    const width = await withoutLibraries(() => {
      draws++;
      return cellWidth('日本');
    });
    expect([width, draws]).toEqual([4, 2]);
  });
});

describe('after they load, plain text still goes its own way and looks the same', () => {
  it('gives each glyph the width string-width gives it', async () => {
    await loadUnicodeCells();
    for (const text of [...GLYPHS, ...LINES]) expect(cellWidth(text)).toBe(stringWidth(text));
    expect(cellWidth('日本 🙂')).toBe(stringWidth('日本 🙂'));
  });

  it('cuts to the same cells, colours and attributes as cli-truncate', async () => {
    await loadUnicodeCells();
    for (const text of LINES)
      for (const columns of [1, 2, 3, 10, 26, 33, 40, 79, 80, 120]) {
        const ours = cutToWidth(text, columns);
        expect(await shown(ours), `${JSON.stringify(text)} at ${columns}`).toEqual(
          await shown(cliTruncate(text, columns, { position: 'end' })),
        );
        expect(cellWidth(ours)).toBeLessThanOrEqual(columns);
      }
  });

  it('wraps to the same lines as wrap-ansi', async () => {
    await loadUnicodeCells();
    const texts = [...LINES, '  leading spaces', 'trailing spaces  ', color.dim(' spaced inside a style '), '   '];
    for (const text of texts)
      for (const columns of [16, 30, 80, 200])
        expect(wrapToWidth(text, columns), `${JSON.stringify(text)} at ${columns}`).toEqual(
          wrapAnsi(text, columns, { hard: true, trim: true }).split('\n'),
        );
  });
});

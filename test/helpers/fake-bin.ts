// Real executables on PATH instead of mocks: each test writes tiny shell scripts named like the
// node tools (journalctl, crictl) into a temp dir and puts it first on PATH.
import { chmodSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeBin {
  dir: string;
  add(name: string, script: string, mode?: number): void;
  /** Puts the dir first on PATH (or makes it the whole PATH); returns the restore function. */
  usePath(only?: boolean): () => void;
  remove(): void;
}

export function fakeBin(): FakeBin {
  const dir = mkdtempSync(join(tmpdir(), 'prisma-audit-bin-'));
  return {
    dir,
    add(name, script, mode = 0o755) {
      // Written aside and renamed into place: exec of a file still open for writing fails (ETXTBSY).
      const file = join(dir, name);
      writeFileSync(`${file}.tmp`, `#!/bin/sh\n${script}\n`);
      chmodSync(`${file}.tmp`, mode);
      renameSync(`${file}.tmp`, file);
    },
    usePath(only = false) {
      const saved = process.env.PATH;
      process.env.PATH = only ? dir : `${dir}:${saved ?? ''}`;
      return () => {
        process.env.PATH = saved;
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

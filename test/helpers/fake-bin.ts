// Real executables on PATH instead of mocks: each test writes tiny shell scripts named like the
// node tools (journalctl, crictl) into a temp dir and puts it first on PATH.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\n${script}\n`);
      chmodSync(file, mode);
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

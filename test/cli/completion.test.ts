// The completion scripts, run by the shells themselves: bash's completion machinery is driven the
// way the shell drives it on <Tab> (COMP_WORDS/COMP_CWORD, then the registered function).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

function bashComplete(words: string[]): string[] {
  const script = `
    eval "$("${process.execPath}" "${CLI}" completion bash)"
    fn=$(complete -p prisma-audit | sed -E 's/.*-F ([^ ]+).*/\\1/')
    COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
    $fn; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('completion', () => {
  it('bash completes commands, options, check ids (also after a comma), fix ids and output modes', () => {
    expect(bashComplete(['prisma-audit', 'do'])).toEqual(['doctor']);
    expect(bashComplete(['prisma-audit', 'doctor', '--off'])).toEqual(['--offline']);
    expect(bashComplete(['prisma-audit', 'doctor', '--only', 'audit-policy-f'])).toEqual(['audit-policy-flag']);
    expect(bashComplete(['prisma-audit', 'doctor', '--skip', 'webhook-url,node-l'])).toEqual(['webhook-url,node-logs']);
    expect(bashComplete(['prisma-audit', 'fix', '--only', 'manifest-p'])).toEqual(['manifest-patch']);
    expect(bashComplete(['prisma-audit', 'doctor', '--output', 'ju'])).toEqual(['junit']);
    expect(bashComplete(['prisma-audit', 'explain', 'webhook-t'])).toEqual(['webhook-tls-chain']);
    expect(bashComplete(['prisma-audit', 'completion', 'f'])).toEqual(['fish']);
  });

  it('zsh and fish scripts name the same commands and ids', () => {
    for (const shell of ['zsh', 'fish']) {
      const out = execFileSync(process.execPath, [CLI, 'completion', shell], { encoding: 'utf8' });
      for (const word of ['doctor', 'completion', 'audit-policy-flag', 'manifest-patch', '--offline'.slice(shell === 'fish' ? 2 : 0)])
        expect(out).toContain(word);
    }
  });
});

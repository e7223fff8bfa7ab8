// Unified diffs of a planned file against the node's current one (patch -p1 / git apply format).
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(hostPath: string, current: string | null, next: string): string {
  return createTwoFilesPatch(current === null ? '/dev/null' : `a${hostPath}`, `b${hostPath}`, current ?? '', next, undefined, undefined, {
    context: 3,
  });
}

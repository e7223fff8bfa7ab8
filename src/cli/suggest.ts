// "did you mean" for mistyped commands, options, check ids and fix ids (edit distance from
// fastest-levenshtein: small, dependency-free, well kept).
import { closest, distance } from 'fastest-levenshtein';

/** "; did you mean `x`?" when a candidate is a plausible typo of `word`, else "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0 || word === '') return '';
  // A prefix (--token for --token-file) is a likelier meaning than the nearest spelling.
  const prefixed = candidates.filter((c) => c.startsWith(word));
  if (prefixed.length === 1) return ` — did you mean \`${prefixed[0]}\`?`;
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? ` — did you mean \`${best}\`?` : '';
}

// Matches one log message against the catalogue. Pure.
import { SIGNATURES } from './signatures.js';
import type { Signature } from '../model/logs.js';

/** klog's structured form quotes the error (`err="... \"x\" ..."`): undo the escaping so that one
 * pattern reads both the 1.20 `Error: ...` form and the newer `"command failed" err="..."` form. */
export function unescapeKlog(message: string): string {
  return message.includes('\\"') ? message.replace(/\\"/g, '"') : message;
}

/** Every specific signature the message matches; a generic one only when no specific one does (the
 * first generic in catalogue order, which lists the narrower ones first). */
export function matchSignatures(message: string, catalogue: readonly Signature[] = SIGNATURES): Signature[] {
  const text = unescapeKlog(message);
  const specific: Signature[] = [];
  let generic: Signature | null = null;
  for (const signature of catalogue) {
    if (!signature.pattern.test(text)) continue;
    if (!signature.generic) specific.push(signature);
    else generic ??= signature;
  }
  if (specific.length > 0) return specific;
  return generic ? [generic] : [];
}

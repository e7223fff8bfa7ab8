// Known secret values (collected from the facts, or the user's own token) and every spelling of
// them that text may carry: as written, percent-encoded (a URL in a log), and base64 (a header, a
// base64'd kubeconfig or URL). Matched with one regular expression, so a log line costs one scan
// however many secrets there are.
import { MASK } from './names.js';

/** Shorter fragments would match by chance inside certificates and other base64. */
const MIN_BASE64_FRAGMENT = 10;
export const MIN_LITERAL = 4;

/** The base64 characters that depend only on the secret's bytes, at each of the three byte offsets
 * it can have inside a longer base64 text (the characters at both ends mix in the neighbours). */
export function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const fragment = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (fragment.length >= MIN_BASE64_FRAGMENT) out.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

export function literalForms(secret: string): string[] {
  const forms = [secret];
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret)
    forms.push(
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    );
  return [...forms, ...base64Fragments(secret)];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Literals {
  /** Matches any form of any secret, longest first (a secret that contains another is masked whole). */
  readonly pattern: RegExp | null;
  readonly longest: number;

  constructor(secrets: string[]) {
    const forms = [...new Set(secrets.filter((s) => s.length >= MIN_LITERAL).flatMap(literalForms))].sort((a, b) => b.length - a.length);
    this.pattern = forms.length > 0 ? new RegExp(forms.map(escape).join('|'), 'g') : null;
    this.longest = forms[0]?.length ?? 0;
  }

  mask(text: string, count: () => void): string {
    if (this.pattern === null) return text;
    return text.replace(this.pattern, () => {
      count();
      return MASK;
    });
  }
}

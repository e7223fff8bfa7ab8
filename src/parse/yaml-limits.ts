// A linear pre-scan of YAML text, run before the parser: the `yaml` library builds a tree for every
// token, so 1 MiB of `[` costs about 1 GB and deep nesting overflows its stack. This pass counts
// flow nesting and node-like tokens in one read of the text (skipping quoted strings and comments)
// and refuses what is beyond any real configuration file, saying where.
import type { YamlProblem } from '../model/node.js';

/** Far beyond any kubeconfig, policy or pod manifest; go-yaml itself stops at 10000. */
export const MAX_FLOW_DEPTH = 100;
/** A 1 MiB manifest of ordinary YAML holds a few tens of thousands. */
export const MAX_NODES = 250_000;

export function yamlLimitProblem(text: string): YamlProblem | null {
  let depth = 0;
  let nodes = 0;
  let line = 1;
  let prev = '\n';
  const at = (message: string): YamlProblem => ({
    message: `${message} (prisma-audit's parse limit; the file was not parsed)`,
    line,
    col: null,
  });
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const boundary = prev === '\n' || prev === ' ' || prev === '\t' || prev === '[' || prev === '{' || prev === ',' || prev === ':';
    if (c === '\n') line++;
    else if (c === '#' && (prev === '\n' || prev === ' ' || prev === '\t')) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
      continue;
    } else if ((c === '"' || c === "'") && boundary) {
      // Skip the quoted scalar; a double-quoted one has backslash escapes, a single one doubles '.
      let j = i + 1;
      for (; j < text.length; j++) {
        const q = text[j]!;
        if (q === '\n') line++;
        if (c === '"' && q === '\\') j++;
        else if (q === c && !(c === "'" && text[j + 1] === "'")) break;
        else if (q === c) j++;
      }
      i = j;
      prev = c;
      continue;
    } else if (c === '[' || c === '{') {
      nodes++;
      if (++depth > MAX_FLOW_DEPTH) return at(`nested more than ${MAX_FLOW_DEPTH} levels deep`);
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' || ((c === ':' || c === '-') && (text[i + 1] === ' ' || text[i + 1] === '\n'))) {
      if (++nodes > MAX_NODES) return at(`more than ${MAX_NODES} nodes`);
    }
    prev = c;
  }
  return null;
}

// Untrusted text (file contents, pod-log names, a bundle's facts) reaches the terminal only with its
// control characters shown escaped: an ESC sequence in a manifest must not move the cursor, recolour
// or retitle the operator's terminal. The one function the text renderer and the UI use.

/** C0 controls except tab and newline, DEL, C1 controls (CSI is \x9b), and bidi overrides that
 * reorder what is displayed. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Every string inside a report, result or event, escaped (keys too: they are names from input). */
export function terminalSafe<T>(value: T): T {
  if (typeof value === 'string') return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map(terminalSafe) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeControl(k), terminalSafe(v)])) as T;
  }
  return value;
}

// Reading values that came from YAML or JSON without a schema: narrow to an object, and read a
// field as text. Pure. Shared by every parser so the two readings of "a string field" stay apart.

export type Obj = Record<string, unknown>;

/** A plain object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scalar as the string a Go struct field decodes it to: sigs.k8s.io/yaml turns `port: 8083` or
 * `enabled: true` into the text "8083" / "true". null for anything else. For files the apiserver reads. */
export const scalarText = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/** A JSON string and nothing else: for API server answers, where a number is never a string field. */
export const stringOnly = (v: unknown): string | null => (typeof v === 'string' ? v : null);

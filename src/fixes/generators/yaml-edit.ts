// Edits YAML through the yaml Document API so comments, key order and quoting survive. Scalar
// changes are also recorded as text edits: when nothing structural changed, the file is patched
// byte for byte (mixed indentation and spacing stay); otherwise the document is rendered in the
// file's own sequence indentation and flow-collection padding.
import { parseDocument, Scalar, type Document, type ToStringOptions } from 'yaml';

export interface EditableYaml {
  doc: Document;
  source: string;
  style: ToStringOptions;
  edits: { start: number; end: number; text: string }[];
  /** Items were added, removed or moved: the text edits alone no longer describe the change. */
  structural: boolean;
}

/** Block sequences written flush with their parent key (`key:\n- item`, kubeadm's style) or indented. */
function detectStyle(text: string): ToStringOptions {
  const seq = /^( *)[^\s#-][^\n]*:[ \t]*(#[^\n]*)?\r?\n(?:[ \t]*#[^\n]*\r?\n)*( *)- /m.exec(text);
  const indentSeq = seq ? seq[3]!.length > seq[1]!.length : true;
  const nested = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n(?:[ \t]*#[^\n]*\r?\n)*( +)[^\s#-]/m.exec(text);
  const indent = nested ? Math.min(8, Math.max(2, nested[2]!.length - nested[1]!.length)) : 2;
  return { indentSeq, indent, lineWidth: 0, flowCollectionPadding: /\[ \S/.test(text) };
}

export function parseForEdit(text: string): EditableYaml | { error: string } {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message.split('\n')[0]! };
  return { doc, source: text, style: detectStyle(text), edits: [], structural: false };
}

/** The scalar's new source text, in its own quoting style. */
function scalarSource(node: Scalar, value: string): string {
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (node.type === Scalar.QUOTE_DOUBLE || value === '' || /^[\s'"!&*?|>%@`#,[\]{}-]|: | #|\s$/.test(value)) return JSON.stringify(value);
  return value;
}

export function setScalar(edit: EditableYaml, node: Scalar, value: string): void {
  if (node.value === value) return;
  if (node.range) edit.edits.push({ start: node.range[0], end: node.range[1], text: scalarSource(node, value) });
  else edit.structural = true;
  node.value = value;
}

export function markStructural(edit: EditableYaml): void {
  edit.structural = true;
}

export function renderYaml(edit: EditableYaml): string {
  if (edit.structural) return edit.doc.toString(edit.style);
  let out = edit.source;
  for (const e of [...edit.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

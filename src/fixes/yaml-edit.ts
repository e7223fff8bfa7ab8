// Edits YAML through the yaml Document API so comments, key order and quoting survive, and renders
// it back in the file's own sequence indentation and flow-collection padding.
import { parseDocument, type Document, type ToStringOptions } from 'yaml';

export interface EditableYaml {
  doc: Document;
  style: ToStringOptions;
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
  return { doc, style: detectStyle(text) };
}

export function renderYaml(edit: EditableYaml): string {
  return edit.doc.toString(edit.style);
}

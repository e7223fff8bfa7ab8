// The kube-apiserver flags of one container as YAML sequence items (command and args), editable in
// place: a changed flag keeps its item (and the comment on it), a new flag goes where kubeadm's
// alphabetical list would put it.
import { Scalar, isScalar, isSeq, type YAMLSeq } from 'yaml';
import { isBoolean } from '../../parse/flags.js';
import { markStructural, setScalar, type EditableYaml } from './yaml-edit.js';

interface Item {
  seq: YAMLSeq;
  node: Scalar;
  text: string;
}

interface Occurrence {
  name: string;
  value: string | null;
  item: Item;
  /** The separate value item of `--flag value`, when the value is not inline. */
  valueItem: Item | null;
}

const FLAG = /^--?([^=\s]+)(?:=([\s\S]*))?$/;
const isBinary = (text: string) => /(^|\/)(kube-)?apiserver$/.test(text);

export class ContainerFlags {
  private readonly lists: YAMLSeq[];

  constructor(
    private readonly edit: EditableYaml,
    containerPath: (string | number)[],
  ) {
    this.lists = ['command', 'args'].map((key) => edit.doc.getIn([...containerPath, key], true)).filter((n): n is YAMLSeq => isSeq(n));
  }

  /** Items after the kube-apiserver binary (go-runner puts its own flags before it). */
  private items(): Item[] {
    const all: Item[] = this.lists.flatMap((seq) =>
      seq.items.filter(isScalar).map((node) => ({ seq, node, text: String(node.value ?? '') })),
    );
    const binary = all.findIndex((i) => isBinary(i.text));
    return binary >= 0 ? all.slice(binary + 1) : all;
  }

  occurrences(name?: string): Occurrence[] {
    const items = this.items();
    const out: Occurrence[] = [];
    for (let i = 0; i < items.length; i++) {
      const m = FLAG.exec(items[i]!.text);
      if (!m) continue;
      let value = m[2] ?? null;
      let valueItem: Item | null = null;
      const next = items[i + 1];
      if (value === null && !isBoolean(m[1]!) && next && !next.text.startsWith('-')) {
        valueItem = next;
        value = next.text;
        i++;
      }
      if (name === undefined || m[1] === name) out.push({ name: m[1]!, value, item: items[i - (valueItem ? 1 : 0)]!, valueItem });
    }
    return out;
  }

  has(name: string): boolean {
    return this.occurrences(name).length > 0;
  }

  /** Sets the value of the last occurrence (the one pflag keeps), or adds the flag. */
  set(name: string, value: string): void {
    const last = this.occurrences(name).pop();
    if (!last) return this.insert(`--${name}=${value}`);
    if (last.valueItem) setScalar(this.edit, last.valueItem.node, value);
    else setScalar(this.edit, last.item.node, `--${name}=${value}`);
  }

  remove(name: string): void {
    for (const o of this.occurrences(name).reverse()) this.drop(o);
  }

  /** Rewrites every occurrence's value; null drops that occurrence. */
  rewrite(name: string, edit: (value: string) => string | null): void {
    for (const o of this.occurrences(name).reverse()) {
      const next = edit(o.value ?? '');
      if (next === null) this.drop(o);
      else if (next !== o.value) {
        if (o.valueItem) setScalar(this.edit, o.valueItem.node, next);
        else setScalar(this.edit, o.item.node, `--${name}=${next}`);
      }
    }
  }

  private drop(o: Occurrence): void {
    markStructural(this.edit);
    for (const item of [o.valueItem, o.item]) if (item) item.seq.items.splice(item.seq.items.indexOf(item.node), 1);
  }

  private insert(text: string): void {
    const flags = this.occurrences();
    const seq = flags.at(-1)?.item.seq ?? this.lists.at(-1);
    if (!seq) throw new Error('the container has neither command nor args');
    const name = FLAG.exec(text)![1]!;
    const after = flags.find((f) => f.item.seq === seq && f.name > name);
    const at = after ? seq.items.indexOf(after.item.node) : seq.items.length;
    seq.items.splice(at, 0, new Scalar(text));
    markStructural(this.edit);
  }
}

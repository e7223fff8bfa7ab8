// Seeded random mutations of configuration text, for the robustness test.

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (text: string, rnd: () => number) => string | Buffer;
const at = (text: string, rnd: () => number) => Math.floor(rnd() * (text.length + 1));
const lines = (t: string) => t.split('\n');

export const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, at(t, r)),
  binary: (t, r) => {
    const i = at(t, r);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
    return Buffer.concat([Buffer.from(t.slice(0, i)), junk, Buffer.from(t.slice(i))]);
  },
  invalidUtf8: (t, r) => {
    const i = at(t, r);
    return Buffer.concat([Buffer.from(t.slice(0, i)), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00]), Buffer.from(t.slice(i))]);
  },
  dropLine: (t, r) => {
    const l = lines(t);
    l.splice(Math.floor(r() * l.length), 1);
    return l.join('\n');
  },
  indent: (t, r) => {
    const l = lines(t);
    const i = Math.floor(r() * l.length);
    l[i] = (r() < 0.5 ? ' ' : '\t') + l[i];
    return l.join('\n');
  },
  wrongType: (t, r) => {
    const l = lines(t);
    const i = Math.floor(r() * l.length);
    const replacements = [': {a: [1, 2]}', ': 12345', ': null', ': true', ': [x, {y: z}]', ': "' + 'q'.repeat(50) + '"'];
    l[i] = l[i]!.replace(/:.*$/, replacements[Math.floor(r() * replacements.length)]!);
    return l.join('\n');
  },
  hugeValue: (t, r) => {
    const l = lines(t);
    const i = Math.floor(r() * l.length);
    l[i] = `${l[i]}${'A'.repeat(50_000 + Math.floor(r() * 2_000_000))}`;
    return l.join('\n');
  },
  deepNesting: (t, r) => `${t}\nx: ${'['.repeat(1000 + Math.floor(r() * 20_000))}`,
  aliasBomb: (t) =>
    `${t}\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  duplicateKeys: (t) => `${t}\nkind: Pod\nkind: Policy\n`,
  empty: () => '',
  swapChars: (t, r) => {
    const i = at(t, r);
    const chars = [':', '-', '"', "'", '{', '}', '[', ']', '&', '*', '!', '%', '@', '`', '|', '>'];
    return t.slice(0, i) + chars[Math.floor(r() * chars.length)] + t.slice(i + 1);
  },
};

export function mutate(text: string, rnd: () => number): { name: string; data: string | Buffer } {
  const names = Object.keys(MUTATIONS);
  const name = names[Math.floor(rnd() * names.length)]!;
  return { name, data: MUTATIONS[name]!(text, rnd) };
}

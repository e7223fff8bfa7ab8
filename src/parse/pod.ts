// Reads the kube-apiserver container out of a static-pod manifest (already parsed YAML).
import type { EnvVar, Flag, Volume, VolumeMount } from '../model/node.js';
import { parseFlags, type ArgToken } from './flags.js';
import { isObj, scalarText, type Obj } from './json-value.js';

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The container as the manifest declares it (a running container is model/logs' ApiserverContainer). */
export interface ApiserverContainerSpec {
  index: number;
  name: string | null;
  image: string | null;
  flags: Flag[];
  binaryFound: boolean;
  mounts: VolumeMount[];
  volumes: Volume[];
  env: EnvVar[];
}

export class PodShapeError extends Error {}

function tokensOf(value: unknown, at: string, source: Flag['source'], lines: Record<string, number>): ArgToken[] {
  return asList(value).flatMap((item, i) => {
    const text = scalarText(item);
    return text === null ? [] : [{ text, line: lines[`${at}.${i}`] ?? null, source }];
  });
}

function looksLikeApiserver(c: Obj): boolean {
  const words = [...asList(c.command), ...asList(c.args)].map((w) => scalarText(w) ?? '');
  return c.name === 'kube-apiserver' || words.some((w) => /(^|\/|\s)kube-apiserver(\s|$)/.test(w));
}

export function readApiserverContainer(pod: unknown, lines: Record<string, number>): ApiserverContainerSpec {
  if (!isObj(pod)) throw new PodShapeError('the manifest is not a YAML mapping, so it is not a Pod');
  if (pod.kind !== undefined && pod.kind !== 'Pod') throw new PodShapeError(`kind is ${JSON.stringify(pod.kind)}, expected Pod`);
  const spec = isObj(pod.spec) ? pod.spec : null;
  if (!spec) throw new PodShapeError('the manifest has no spec: mapping');
  const containers = asList(spec.containers);
  const candidates = containers
    .map((c, index) => ({ c, index }))
    .filter((x): x is { c: Obj; index: number } => isObj(x.c) && looksLikeApiserver(x.c));
  if (candidates.length === 0) throw new PodShapeError('no container in spec.containers runs kube-apiserver');
  if (candidates.length > 1) {
    throw new PodShapeError(
      `${candidates.length} containers look like kube-apiserver (indexes ${candidates.map((x) => x.index).join(', ')}); cannot tell which one is real`,
    );
  }
  const { c, index } = candidates[0]!;
  const base = `spec.containers.${index}`;
  const { flags, binaryFound } = parseFlags([
    ...tokensOf(c.command, `${base}.command`, 'command', lines),
    ...tokensOf(c.args, `${base}.args`, 'args', lines),
  ]);
  const mounts: VolumeMount[] = asList(c.volumeMounts).flatMap((m, i) =>
    isObj(m) && scalarText(m.mountPath)
      ? [
          {
            name: scalarText(m.name) ?? '',
            mountPath: scalarText(m.mountPath)!,
            readOnly: m.readOnly === true,
            subPath: scalarText(m.subPath) || null,
            line: lines[`${base}.volumeMounts.${i}`] ?? null,
          },
        ]
      : [],
  );
  const volumes: Volume[] = asList(spec.volumes).flatMap((v, i) => {
    if (!isObj(v)) return [];
    const hp = isObj(v.hostPath) ? v.hostPath : null;
    const other = hp ? null : (Object.keys(v).find((k) => k !== 'name') ?? 'unknown');
    return [
      {
        name: scalarText(v.name) ?? '',
        hostPath: hp ? (scalarText(hp.path) ?? '') : null,
        hostPathType: hp ? (scalarText(hp.type) ?? '') : '',
        otherKind: other,
        line: lines[`spec.volumes.${i}`] ?? null,
      },
    ];
  });
  const env: EnvVar[] = asList(c.env).flatMap((e) =>
    isObj(e) && scalarText(e.name) ? [{ name: scalarText(e.name)!, value: scalarText(e.value) }] : [],
  );
  return { index, name: scalarText(c.name), image: scalarText(c.image), flags, binaryFound, mounts, volumes, env };
}

/** "registry.k8s.io/kube-apiserver:v1.28.2" or "rancher/hardened-kubernetes:v1.28.2-rke2r1" -> "1.28.2". */
export function versionFromImage(image: string | null): string | null {
  if (!image) return null;
  const tag = image.slice(image.lastIndexOf(':') + 1);
  const m = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(tag);
  return m ? m[1]! : null;
}

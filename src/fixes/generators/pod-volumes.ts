// hostPath volumes and volumeMounts of the apiserver container, edited in the YAML document.
import path from 'node:path';
import { isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { markStructural, type EditableYaml } from './yaml-edit.js';

export interface DirectoryMount {
  name: string;
  hostPath: string;
  mountPath: string;
  /** Directory for files that must exist (the kubelet refuses to start the pod otherwise);
   * DirectoryOrCreate only for the log directory, which the apiserver fills itself. */
  type: 'Directory' | 'DirectoryOrCreate';
  readOnly: boolean;
}

const trim = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

export class PodVolumes {
  constructor(
    private readonly edit: EditableYaml,
    private readonly containerPath: (string | number)[],
  ) {}

  private list(at: (string | number)[]): YAMLSeq {
    const node = this.edit.doc.getIn(at, true);
    if (isSeq(node)) return node;
    const seq = this.edit.doc.createNode([]) as YAMLSeq;
    this.edit.doc.setIn(at, seq);
    markStructural(this.edit);
    return seq;
  }

  private mounts(): YAMLSeq {
    return this.list([...this.containerPath, 'volumeMounts']);
  }

  private volumes(): YAMLSeq {
    return this.list(['spec', 'volumes']);
  }

  private maps(seq: YAMLSeq): YAMLMap[] {
    return seq.items.filter((i): i is YAMLMap => isMap(i));
  }

  private mountAt(mountPath: string): YAMLMap | undefined {
    return this.maps(this.mounts()).find((m) => trim(String(m.get('mountPath') ?? '')) === trim(mountPath));
  }

  /** Adds the volume and its mount; a free name is chosen when `name` is taken. */
  add(d: DirectoryMount): string {
    const names = new Set(this.maps(this.volumes()).map((v) => String(v.get('name'))));
    let name = d.name;
    for (let n = 2; names.has(name); n++) name = `${d.name}-${n}`;
    const mount: Record<string, unknown> = { mountPath: d.mountPath, name };
    if (d.readOnly) mount.readOnly = true;
    this.mounts().items.push(this.edit.doc.createNode(mount));
    this.volumes().items.push(this.edit.doc.createNode({ hostPath: { path: d.hostPath, type: d.type }, name }));
    markStructural(this.edit);
    return name;
  }

  /** Removes the mount at mountPath, and its volume when no other mount uses it. */
  removeMount(mountPath: string): void {
    const mount = this.mountAt(mountPath);
    if (!mount) return;
    const seq = this.mounts();
    seq.items.splice(seq.items.indexOf(mount), 1);
    markStructural(this.edit);
    const name = String(mount.get('name'));
    if (this.maps(seq).some((m) => String(m.get('name')) === name)) return;
    const vols = this.volumes();
    for (const v of this.maps(vols).filter((x) => String(x.get('name')) === name)) vols.items.splice(vols.items.indexOf(v), 1);
  }

  /** Drops readOnly from the mount at mountPath (the log directory must be writable). */
  makeWritable(mountPath: string): boolean {
    const mount = this.mountAt(mountPath);
    if (!mount || mount.get('readOnly') !== true) return false;
    mount.delete('readOnly');
    markStructural(this.edit);
    return true;
  }

  hasMountAt(mountPath: string): boolean {
    return this.mountAt(mountPath) !== undefined;
  }
}

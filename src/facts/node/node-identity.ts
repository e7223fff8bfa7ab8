// nodeIdentity: which machine the facts come from, so `doctor --compare` refuses to compare two
// different nodes. The machine id is kept only as a hash (systemd calls it confidential).
import { createHash } from 'node:crypto';
import type { Collector } from '../collector.js';
import { readHostText } from '../../io/host-fs.js';

const firstLine = (t: string) => t.split('\n')[0]!.trim() || null;

export const nodeIdentityCollector: Collector<'nodeIdentity'> = {
  key: 'nodeIdentity',
  deps: [],
  async collect(ctx) {
    const read = (p: string) =>
      readHostText(ctx.root, p, 4096)
        .then((r) => firstLine(r.text))
        .catch(() => null);
    const [hostname, machineId] = await Promise.all([read('/etc/hostname'), read('/etc/machine-id')]);
    return { hostname, machineId: machineId ? createHash('sha256').update(machineId).digest('hex').slice(0, 16) : null };
  },
};

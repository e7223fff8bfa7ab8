// Collectors for the files the audit flags name: where each one lives on the host, and the parsed
// policy and webhook kubeconfig.
import path from 'node:path';
import type { ApiserverConfig, AuditPath, ParsedFile } from '../../model/node.js';
import { RUN_AS_ROOT, factFailure, reasonForCode, type CollectContext, type Collector } from '../collector.js';
import { MAX_CONFIG_BYTES } from './apiserver.js';
import { ReadFailure, hostSeam, readHostText, statHost } from '../../io/host-fs.js';
import { resolveInContainer } from '../../kube/container-path.js';
import { lastFlag } from '../../parse/flags.js';
import { parseYaml } from '../../parse/yaml-file.js';
import { resolveKubeconfig } from '../../parse/kubeconfig.js';
import { flaggedAuditPaths, locate, POLICY_FLAG, WEBHOOK_FLAG } from '../../kube/audit-paths.js';

function configurable(api: ApiserverConfig): void {
  if (api.mode === 'operator-managed') {
    throw factFailure(
      'not-applicable',
      `${api.distribution} manages kube-apiserver through its operator; audit flags are not set by hand there`,
    );
  }
}

async function readParsed(ctx: CollectContext, api: ApiserverConfig, flag: string, what: string): Promise<ParsedFile> {
  configurable(api);
  const f = lastFlag(api.flags, flag);
  if (!f || !f.value) throw factFailure('not-applicable', `--${flag} is not set, so there is no ${what} to read`);
  const loc = locate(api, f.value);
  if (loc.hostPath === null) {
    throw factFailure(
      'unsupported',
      `${f.value} comes from volume "${loc.mapping?.mountName}", which is not a hostPath; its contents cannot be read from the node`,
    );
  }
  let read;
  try {
    read = await readHostText(ctx.root, loc.hostPath, MAX_CONFIG_BYTES);
  } catch (err) {
    if (!(err instanceof ReadFailure)) throw err;
    const reason = reasonForCode(err.code);
    throw factFailure(
      reason,
      `cannot read the ${what} ${loc.hostPath} (from --${flag}=${f.value}): ${err.message}`,
      reason === 'permission'
        ? RUN_AS_ROOT
        : reason === 'not-found' || err.code === 'EISDIR'
          ? 'See the audit-files-readable check for where the file should be.'
          : undefined,
    );
  }
  const parsed = parseYaml(read.text);
  return { path: loc.hostPath, containerPath: f.value, size: read.size, text: read.text, ...parsed };
}

export const policyCollector: Collector<'policy'> = {
  key: 'policy',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    return readParsed(ctx, await deps.need('apiserver'), POLICY_FLAG, 'audit policy');
  },
};

export const webhookConfigCollector: Collector<'webhookConfig'> = {
  key: 'webhookConfig',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    return readParsed(ctx, await deps.need('apiserver'), WEBHOOK_FLAG, 'webhook kubeconfig');
  },
};

export const auditPathsCollector: Collector<'auditPaths'> = {
  key: 'auditPaths',
  deps: ['apiserver', 'webhookConfig'],
  async collect(ctx, deps) {
    const api = await deps.need('apiserver');
    configurable(api);
    const wanted = flaggedAuditPaths(api);
    const webhook = await deps.fact('webhookConfig');
    if (webhook.ok && webhook.value.error === null) {
      const caFile = resolveKubeconfig(webhook.value.value).caFile;
      if (caFile) {
        // client-go resolves a relative certificate-authority against the kubeconfig's own directory.
        const containerPath = path.posix.isAbsolute(caFile)
          ? caFile
          : path.posix.join(path.posix.dirname(webhook.value.containerPath), caFile);
        const line = Object.entries(webhook.value.lines).find(([k]) => k.endsWith('.cluster.certificate-authority'))?.[1] ?? null;
        wanted.push({
          role: 'webhook-ca',
          origin: 'certificate-authority',
          originLine: line,
          originFile: webhook.value.path,
          containerPath,
        });
      }
    }
    const seam = hostSeam(ctx.root);
    return Promise.all(
      wanted.map(async (w): Promise<AuditPath> => {
        const loc = locate(api, w.containerPath);
        const host = loc.hostPath === null ? null : await statHost(ctx.root, loc.hostPath);
        const hostDir =
          w.role === 'log' && loc.hostPath !== null ? await statHost(ctx.root, path.posix.dirname(loc.hostPath), false) : null;
        if (api.mode !== 'static-pod') return { ...w, ...loc, host, hostDir };
        const container = await resolveInContainer(w.containerPath, api.mounts, api.volumes, seam);
        return { ...w, ...loc, host, hostDir, container };
      }),
    );
  },
};

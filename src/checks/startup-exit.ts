// The error kube-apiserver stops with at start-up because of its audit files, worked out the way it
// loads them: nothing without --audit-policy-file (the webhook file is then never read), the policy
// first (a bad one hides every webhook problem), then the webhook kubeconfig and its CA data.
// Exactly one check carries the line (the one that owns the problem), so that the report quotes the
// apiserver's first error once. Texts are compared with kube-apiserver 1.20.2 and Kubernetes 1.36's
// own audit code by `npm run test:versions`. Pure.
import type { CheckId, FactReader } from './check.js';
import type { Evidence } from '../model/report.js';
import type { FactValue } from '../model/facts.js';
import type { AuditPath, ParsedFile } from '../model/node.js';
import { decodeGoBase64, readPemBlocks } from '../parse/ca-data.js';
import { lastFlag } from '../parse/flags.js';
import { resolveKubeconfig } from '../parse/kubeconfig.js';
import { readPolicy, type PolicyProblem } from '../parse/policy.js';
import { versionAtLeast } from './version-rules.js';

/** The facts the exit is worked out from: every check that may carry it needs them all. */
export const EXIT_FACTS = ['apiserver', 'auditPaths', 'policy', 'webhookConfig'] as const;

export type ExitOwner = Extract<CheckId, 'audit-files-readable' | 'audit-policy-valid' | 'webhook-config-valid' | 'webhook-ca-data'>;

export interface StartupExit {
  owner: ExitOwner;
  /** kube-apiserver's error text (after `Error: ` in 1.20, inside err="…" from about 1.23). Where
   * Go's wording cannot be reproduced (YAML syntax errors), the known start and " …". */
  text: string;
}

/** The evidence message every start-up exit is reported with (test-versions reads it). */
export const EXIT_MESSAGE = 'exits at start-up: ';

const POLICY = 'loading audit policy file: ';
const WEBHOOK = 'initializing audit webhook: ';

function fact<K extends 'apiserver' | 'auditPaths' | 'policy' | 'webhookConfig'>(facts: FactReader, key: K): FactValue<K> | null {
  try {
    const f = facts.raw(key);
    return f.ok ? (f.value as FactValue<K>) : null;
  } catch {
    return null;
  }
}

/** What reading a file the apiserver cannot open says (Go's os errors on the container path). */
function unreadable(p: AuditPath | undefined): 'missing' | 'directory' | null {
  if (!p?.host) return null;
  if (p.host.kind === 'missing') return 'missing';
  if (p.host.kind === 'directory') return 'directory';
  return null;
}

/** Go's field.ErrorList.ToAggregate().Error(): one message as is, several in brackets. */
const aggregate = (messages: string[]) => (messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`);

export function policyExit(file: ParsedFile, problems: PolicyProblem[], version: string | null): string {
  const from = `: from file ${file.containerPath}`;
  if (file.error) return `${POLICY}failed decoding: yaml: …`;
  const fatal = problems.filter((p) => p.severity === 'fatal');
  const decoding = fatal.find((p) => p.message.startsWith('failed decoding'));
  // Before about 1.24 json-iterator words type errors its own way (a field path, then context).
  if (decoding?.message.startsWith('failed decoding: json: ') && versionAtLeast(version, '1.24') === false)
    return `${POLICY}failed decoding: …`;
  if (decoding) return `${POLICY}${decoding.message}${from}`;
  const invalid = fatal.filter((p) => p.message !== 'loaded illegal policy with 0 rules');
  if (invalid.length > 0) return `${POLICY}${aggregate(invalid.map((p) => p.message))}${from}`;
  return `${POLICY}loaded illegal policy with 0 rules${from}`;
}

const LISTS: Record<string, string> = { clusters: 'NamedCluster', contexts: 'NamedContext', users: 'NamedAuthInfo' };
const jsonKind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v);

/** What client-go's decoder refuses before any resolving: another kind, lists written as maps. */
function decodeError(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const cfg = value as Record<string, unknown>;
  if (typeof cfg.kind === 'string' && cfg.kind !== 'Config') {
    const version = typeof cfg.apiVersion === 'string' ? cfg.apiVersion : 'v1';
    return `no kind "${cfg.kind}" is registered for version "${version}" in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"`;
  }
  for (const [key, item] of Object.entries(LISTS)) {
    const v = cfg[key];
    if (v !== undefined && v !== null && !Array.isArray(v))
      return `json: cannot unmarshal ${jsonKind(v)} into Go struct field Config.${key} of type []v1.${item}`;
  }
  return null;
}

function webhookExit(file: ParsedFile, version: string | null, caFile: AuditPath | undefined): { owner: ExitOwner; text: string } | null {
  const loading = `${WEBHOOK}error loading config file "${file.containerPath}": `;
  if (file.error) return { owner: 'webhook-config-valid', text: `${loading}…` };
  const decode = decodeError(file.value);
  const iterator = versionAtLeast(version, '1.24') === false; // json-iterator: its own wording, see policyExit
  if (decode) return { owner: 'webhook-config-valid', text: `${loading}${iterator && decode.startsWith('json: ') ? '…' : decode}` };
  const kc = resolveKubeconfig(file.value);
  if (kc.caData !== null) {
    const decoded = decodeGoBase64(kc.caData);
    if (!decoded.ok) return { owner: 'webhook-ca-data', text: `${loading}${iterator ? '…' : decoded.apiserverError}` };
  }
  const fatal = kc.problems.filter((p) => p.fatal && p.apiserverError);
  const validation = fatal.find((p) => p.apiserverError!.startsWith('invalid configuration: '));
  if (validation) return { owner: 'webhook-config-valid', text: `${WEBHOOK}${validation.apiserverError}` };
  if (kc.caFile && caFile?.host?.kind === 'missing') {
    const cp = caFile.containerPath;
    return {
      owner: 'audit-files-readable',
      text: `${WEBHOOK}invalid configuration: unable to read certificate-authority ${cp} for ${kc.clusterName} due to open ${cp}: no such file or directory`,
    };
  }
  if (fatal.length > 0) return { owner: 'webhook-config-valid', text: `${WEBHOOK}${fatal[0]!.apiserverError}` };
  if (kc.server && !kc.server.includes('://') && kc.server.includes('/')) {
    return { owner: 'webhook-config-valid', text: `${WEBHOOK}host must be a URL or a host:port pair: ${JSON.stringify(kc.server)}` };
  }
  if (kc.caData !== null && versionAtLeast(version, '1.22') !== false) {
    const decoded = decodeGoBase64(kc.caData);
    const pem = decoded.ok ? readPemBlocks(decoded.bytes) : null;
    if (pem && pem.certs.length === 0) {
      const why = pem.otherBlocks.length > 0 ? 'no valid certificate authority data seen' : 'unable to parse bytes as PEM block';
      return { owner: 'webhook-ca-data', text: `${WEBHOOK}unable to load root certificates: ${why}` };
    }
  }
  return null;
}

/** The start-up error, or null when the audit files let kube-apiserver start (or cannot be read). */
export function startupExit(facts: FactReader): StartupExit | null {
  const api = fact(facts, 'apiserver');
  if (!api) return null;
  const policyFlag = lastFlag(api.flags, 'audit-policy-file');
  if (!policyFlag?.value) return null;
  const paths = fact(facts, 'auditPaths') ?? [];
  const cp = policyFlag.value;
  switch (unreadable(paths.find((p) => p.role === 'policy'))) {
    case 'missing':
      return { owner: 'audit-files-readable', text: `${POLICY}failed to read file path "${cp}": open ${cp}: no such file or directory` };
    case 'directory':
      return { owner: 'audit-files-readable', text: `${POLICY}failed to read file path "${cp}": read ${cp}: is a directory` };
  }
  const policy = fact(facts, 'policy');
  if (!policy) return null;
  const { problems } = policy.error
    ? { problems: [] }
    : readPolicy(policy.value, api.kubernetesVersion, versionAtLeast(api.kubernetesVersion, '1.24'));
  if (policy.error || problems.some((p) => p.severity === 'fatal'))
    return { owner: 'audit-policy-valid', text: policyExit(policy, problems, api.kubernetesVersion) };

  const webhookFlag = lastFlag(api.flags, 'audit-webhook-config-file');
  if (!webhookFlag?.value) return null;
  const wp = webhookFlag.value;
  switch (unreadable(paths.find((p) => p.role === 'webhook-config'))) {
    case 'missing':
      return { owner: 'audit-files-readable', text: `${WEBHOOK}stat ${wp}: no such file or directory` };
    case 'directory':
      return { owner: 'audit-files-readable', text: `${WEBHOOK}error loading config file "${wp}": read ${wp}: is a directory` };
  }
  const webhook = fact(facts, 'webhookConfig');
  return webhook
    ? webhookExit(
        webhook,
        api.kubernetesVersion,
        paths.find((p) => p.role === 'webhook-ca'),
      )
    : null;
}

/** The exit line for `owner`'s report, or nothing when another check (or none) owns the exit. */
export function exitEvidence(facts: FactReader, owner: ExitOwner): Evidence[] {
  const exit = startupExit(facts);
  if (exit?.owner !== owner) return [];
  const api = fact(facts, 'apiserver');
  return [{ message: `kube-apiserver${api?.kubernetesVersion ? ` ${api.kubernetesVersion}` : ''} ${EXIT_MESSAGE}${exit.text}` }];
}

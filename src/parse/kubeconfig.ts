// Resolves a webhook kubeconfig the way client-go's clientcmd does for --audit-webhook-config-file:
// only this file (ExplicitPath), current-context -> context -> cluster (+ user). Pure.
import { isObj, scalarText, type Obj } from './json-value.js';

export interface KubeconfigProblem {
  /** Exactly what kube-apiserver prints, when it has a wording (after "initializing audit webhook: "). */
  apiserverError: string | null;
  message: string;
  /** Dotted path of the offending field, for line lookup. */
  field: string | null;
  fatal: boolean;
}

export interface ResolvedKubeconfig {
  currentContext: string | null;
  contextName: string | null;
  clusterName: string | null;
  userName: string | null;
  /** Index into clusters[], for line lookup. */
  clusterIndex: number | null;
  userIndex: number | null;
  server: string | null;
  /** certificate-authority-data as written (base64 text), or null when absent/empty. */
  caData: string | null;
  /** certificate-authority path as written, or null. */
  caFile: string | null;
  insecureSkipTLSVerify: boolean;
  tlsServerName: string | null;
  proxyUrl: string | null;
  /** Which credential kinds the user entry carries (never the values). */
  credentials: string[];
  problems: KubeconfigProblem[];
}

const NO_CONFIG = 'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

/** Finds a named entry in a kubeconfig list (clusters, contexts, users). client-go keeps the last
 * entry of a repeated name, as a map would. */
function findNamed(list: unknown, name: string | null): { entry: Obj; index: number } | null {
  if (!Array.isArray(list) || name === null) return null;
  let found: { entry: Obj; index: number } | null = null;
  list.forEach((item, index) => {
    if (isObj(item) && scalarText(item.name) === name) found = { entry: item, index };
  });
  return found;
}

export function resolveKubeconfig(value: unknown): ResolvedKubeconfig {
  const out: ResolvedKubeconfig = {
    currentContext: null,
    contextName: null,
    clusterName: null,
    userName: null,
    clusterIndex: null,
    userIndex: null,
    server: null,
    caData: null,
    caFile: null,
    insecureSkipTLSVerify: false,
    tlsServerName: null,
    proxyUrl: null,
    credentials: [],
    problems: [],
  };
  const problem = (p: Omit<KubeconfigProblem, 'fatal'> & { fatal?: boolean }) => out.problems.push({ fatal: true, ...p });
  // An empty file decodes to an empty Config: client-go then has nothing to connect to.
  const cfg: Obj = isObj(value) ? value : {};
  if (value !== null && value !== undefined && !isObj(value)) {
    problem({ apiserverError: null, message: 'the file is not a kubeconfig mapping (top level is not a YAML map)', field: null });
    return out;
  }
  const kind = scalarText(cfg.kind);
  if (kind !== null && kind !== 'Config') {
    problem({ apiserverError: null, message: `kind is "${kind}", expected "Config"`, field: 'kind' });
  }
  out.currentContext = scalarText(cfg['current-context']) || null;
  if (out.currentContext === null) {
    problem({ apiserverError: NO_CONFIG, message: 'current-context is not set, so no cluster is selected', field: 'current-context' });
    return out;
  }
  const ctx = findNamed(cfg.contexts, out.currentContext);
  if (!ctx) {
    problem({
      apiserverError: `invalid configuration: [context was not found for specified context: ${out.currentContext}, cluster has no server defined]`,
      message: `current-context "${out.currentContext}" names no entry in contexts[]`,
      field: 'current-context',
    });
    return out;
  }
  out.contextName = out.currentContext;
  const context = isObj(ctx.entry.context) ? ctx.entry.context : {};
  out.clusterName = scalarText(context.cluster) || null;
  out.userName = scalarText(context.user) || null;
  const cl = findNamed(cfg.clusters, out.clusterName);
  if (!cl) {
    problem({
      apiserverError: NO_CONFIG,
      message: out.clusterName
        ? `context "${out.contextName}" refers to cluster "${out.clusterName}", which is not defined in clusters[]`
        : `context "${out.contextName}" names no cluster`,
      field: `contexts.${ctx.index}.context.cluster`,
    });
    return out;
  }
  out.clusterIndex = cl.index;
  const cluster = isObj(cl.entry.cluster) ? cl.entry.cluster : {};
  const base = `clusters.${cl.index}.cluster`;
  out.server = scalarText(cluster.server) || null;
  out.caData = scalarText(cluster['certificate-authority-data']) || null;
  out.caFile = scalarText(cluster['certificate-authority']) || null;
  out.insecureSkipTLSVerify = cluster['insecure-skip-tls-verify'] === true || scalarText(cluster['insecure-skip-tls-verify']) === 'true';
  out.tlsServerName = scalarText(cluster['tls-server-name']) || null;
  out.proxyUrl = scalarText(cluster['proxy-url']) || null;
  if (Object.keys(cluster).length === 0) {
    problem({
      apiserverError: `invalid configuration: no server found for cluster "${out.clusterName}"`,
      message: `cluster "${out.clusterName}" is empty`,
      field: base,
    });
    return out;
  }
  if (out.server === null) {
    problem({
      apiserverError: `invalid configuration: no server found for cluster "${out.clusterName}"`,
      message: `cluster "${out.clusterName}" has an empty server: (the guide's heredoc leaves it empty when $webhookurl is unset)`,
      field: `${base}.server`,
    });
  }
  if (out.caData !== null && out.caFile !== null) {
    problem({
      apiserverError: `invalid configuration: certificate-authority-data and certificate-authority are both specified for ${out.clusterName}. certificate-authority-data will override.`,
      message: 'both certificate-authority and certificate-authority-data are set; kube-apiserver refuses to start',
      field: `${base}.certificate-authority`,
    });
  }
  if (out.insecureSkipTLSVerify && (out.caData !== null || out.caFile !== null)) {
    problem({
      // Raised while the transport is built, after validation: no "invalid configuration: " prefix.
      apiserverError: 'specifying a root certificates file with the insecure flag is not allowed',
      message: 'insecure-skip-tls-verify: true together with a CA is refused by kube-apiserver',
      field: `${base}.insecure-skip-tls-verify`,
    });
  }
  if (out.userName !== null) {
    const user = findNamed(cfg.users, out.userName);
    if (user) {
      out.userIndex = user.index;
      const u = isObj(user.entry.user) ? user.entry.user : {};
      out.credentials = [
        'token',
        'tokenFile',
        'client-certificate',
        'client-certificate-data',
        'client-key',
        'client-key-data',
        'username',
        'password',
        'exec',
        'auth-provider',
      ].filter((k) => u[k] !== undefined && u[k] !== null && u[k] !== '');
    }
    // A user named but not defined is tolerated by client-go (the vendor template has no users: at all).
  }
  return out;
}

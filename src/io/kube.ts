// The only module that touches @kubernetes/client-node: it loads the kubeconfig (with its auth
// plugins) and sends raw requests with a hard deadline. Raw requests, not the generated API
// classes, because the checks need exact status codes, /metrics text and bounded log reads.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeTimeout, NoKubeconfig, type KubeClient, type KubeRequest, type KubeResponse, type KubeTarget } from './kube-client.js';

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** loadFromDefault() ends with this stand-in when it finds nothing at all. */
function isLocalhostFallback(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  return cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && kc.getCurrentUser()?.name === 'user';
}

function load(target: KubeTarget, env: NodeJS.ProcessEnv): { kc: KubeConfig; source: string } {
  const kc = new KubeConfig();
  let source: string;
  try {
    if (target.kubeconfig) {
      source = `--kubeconfig ${target.kubeconfig}`;
      kc.loadFromFile(target.kubeconfig);
    } else {
      source = env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : 'default kubeconfig (~/.kube/config or in-cluster)';
      kc.loadFromDefault();
    }
  } catch (err) {
    throw new NoKubeconfig(`cannot load the kubeconfig (${target.kubeconfig ?? 'default rules'}): ${(err as Error).message}`);
  }
  if (isLocalhostFallback(kc)) throw new NoKubeconfig('no kubeconfig found (KUBECONFIG unset, no ~/.kube/config, not running in a pod)');
  if (target.context) {
    if (!kc.getContexts().some((c) => c.name === target.context)) {
      throw new NoKubeconfig(
        `--context ${target.context}: no such context in ${source} (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(target.context);
  }
  if (!kc.getCurrentCluster()?.server)
    throw new NoKubeconfig(`${source}: the current context "${kc.getCurrentContext()}" names no cluster with a server`);
  return { kc, source };
}

/** Every context name of the kubeconfig the target names (for fleet --contexts all). */
export function kubeContexts(target: KubeTarget, env: NodeJS.ProcessEnv): string[] {
  return load({ ...target, context: null }, env)
    .kc.getContexts()
    .map((c) => c.name);
}

export function openKube(target: KubeTarget, env: NodeJS.ProcessEnv): KubeClient {
  const { kc, source } = load(target, env);
  const server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
  // client-node makes a new https.Agent on every call, so each request built its own TLS context and
  // session cache: fleet's 200 lanes at once cost over 100 MB. The first agent serves every request;
  // the headers (tokens an exec plugin may refresh) are still taken per call.
  let agent: https.RequestOptions['agent'];
  return {
    server,
    context: kc.getCurrentContext() || null,
    source,
    async request(req: KubeRequest): Promise<KubeResponse> {
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      agent ??= opts.agent;
      return send(new URL(server + req.path), { ...opts, agent }, req, target.timeoutMs);
    },
  };
}

function send(url: URL, auth: https.RequestOptions, req: KubeRequest, timeoutMs: number): Promise<KubeResponse> {
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    // The deadline covers the whole exchange: an abort while the body streams is a timeout too. The
    // run's cancel (req.signal) destroys the socket as well, and is no timeout.
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const fail = (err: Error) => reject(deadline.aborted ? new KubeTimeout(`no answer from ${url.host} within ${timeoutMs} ms`) : err);
    const headers: http.OutgoingHttpHeaders = {
      ...(auth.headers as http.OutgoingHttpHeaders),
      accept: 'application/json, text/plain, */*',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: req.method ?? 'GET', headers, auth: auth.auth, agent: auth.agent, signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (chunk.length > room) {
            truncated = true;
            res.destroy();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), truncated });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), truncated }));
        res.on('error', (err) => (truncated ? undefined : fail(err)));
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}

// Would kube-apiserver's webhook client go through a proxy? client-go uses the kubeconfig's
// proxy-url unconditionally when set; otherwise Go's http.ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy): HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs (upper
// case first), never for localhost or loopback IPs, and not for hosts matched by NO_PROXY. Pure.
import { BlockList, isIP } from 'node:net';
import type { EnvVar } from '../model/node.js';

export interface ProxyDecision {
  proxy: string;
  /** Where it came from: `proxy-url` or the environment variable's name. */
  source: string;
}

function envAny(env: EnvVar[], ...names: string[]): { name: string; value: string } | null {
  for (const name of names) {
    const found = env.find((e) => e.name === name && e.value);
    if (found?.value) return { name, value: found.value };
  }
  return null;
}

const isLoopback = (ip: string): boolean => (isIP(ip) === 4 ? ip.startsWith('127.') : ip === '::1');

/** One NO_PROXY entry against host:port, as httpproxy's matchers do. */
function noProxyEntryMatches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  const cidr = /^(.+)\/(\d+)$/.exec(entry);
  if (cidr && isIP(cidr[1]!)) {
    const family = isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6';
    if (isIP(host) !== isIP(cidr[1]!)) return false;
    const list = new BlockList();
    list.addSubnet(cidr[1]!, Number(cidr[2]), family);
    return list.check(host, family);
  }
  const hostPort = /^(\[.*\]|[^:]*):(\d+)$/.exec(entry);
  let entryHost = hostPort ? hostPort[1]!.replace(/^\[(.*)\]$/, '$1') : entry;
  const entryPort = hostPort ? hostPort[2]! : '';
  if (entryPort !== '' && entryPort !== port) return false;
  if (isIP(entryHost)) return isIP(host) > 0 && entryHost === host;
  if (entryHost === '') return false;
  if (entryHost.startsWith('*.')) entryHost = entryHost.slice(1);
  if (entryHost.startsWith('.')) return host.endsWith(entryHost);
  return host === entryHost || host.endsWith(`.${entryHost}`);
}

export function proxyFor(url: URL, env: EnvVar[], kubeconfigProxyUrl: string | null): ProxyDecision | null {
  if (kubeconfigProxyUrl) return { proxy: kubeconfigProxyUrl, source: 'proxy-url' };
  const https = url.protocol === 'https:';
  const chosen = https ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!chosen) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || (isIP(host) && isLoopback(host))) return null;
  const port = url.port || (https ? '443' : '80');
  const noProxy = envAny(env, 'NO_PROXY', 'no_proxy')?.value ?? '';
  const entries = noProxy
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (entries.some((entry) => noProxyEntryMatches(entry, host, port))) return null;
  return { proxy: chosen.value, source: chosen.name };
}

// Reads the webhook client's trust anchors the way client-go picks them: certificate-authority-data,
// else the certificate-authority file, else the system roots. Go's system roots on Linux are the
// first CA bundle file that exists plus the certificate directories (crypto/x509 root_unix.go,
// root_linux.go); on a kubeadm node the apiserver container gets the host's /etc/ssl/certs mounted,
// so the node's files under --root are the right source. Node's bundled Mozilla roots stand in only
// when nothing is found there (an image with its own bundle and no host mount).
import { posix } from 'node:path';
import { rootCertificates } from 'node:tls';
import { listHostDir, readHostText } from '../../io/host-fs.js';
import { decodeGoBase64 } from '../../parse/ca-data.js';
import type { ResolvedKubeconfig } from '../../parse/kubeconfig.js';
import { parsePemBundle, pemBlocks } from '../../tls/certificate.js';
import type { WebhookTrust } from '../../model/facts.js';
import type { EnvVar } from '../../model/node.js';

const GO_LINUX_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const GO_LINUX_CERT_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs'];
/** A system CA bundle is a few hundred KiB; anything past this is not one. */
const MAX_PEM_BYTES = 16 * 1024 * 1024;

/** Reads a node file under root (links followed inside root, as the node sees them); null if absent. */
const readNode = (root: string, nodePath: string) =>
  readHostText(root, nodePath, MAX_PEM_BYTES).then(
    (r) => r.text,
    () => null,
  );

function fromPem(source: WebhookTrust['source'], origin: string, pem: string, emptyProblem: string): WebhookTrust {
  const { certs, unparsable } = parsePemBundle(pem);
  const anchors = certs.map((c) => c.toString());
  let problem: string | null = null;
  if (anchors.length === 0) problem = emptyProblem;
  else if (unparsable > 0) problem = `${unparsable} PEM block(s) in ${origin} do not parse as certificates and are ignored`;
  return { source, origin, anchors, problem };
}

function fromCaData(field: string, caData: string): WebhookTrust {
  // Go's base64 rules (newlines skipped, spaces refused), the same decoder webhook-ca-data uses.
  const result = decodeGoBase64(caData);
  if (!result.ok) {
    return {
      source: 'ca-data',
      origin: field,
      anchors: [],
      problem: `${field} is not valid base64 (${result.apiserverError}), so kube-apiserver cannot load it`,
    };
  }
  const decoded = result.bytes.toString('latin1');
  const hint = decoded.includes('BEGIN CERTIFICATE') ? '' : ' (base64 of base64, or of DER? it must be `base64 -w0` of a PEM file)';
  return fromPem(
    'ca-data',
    field,
    decoded,
    `${field} decodes to no PEM certificate${hint}; kube-apiserver 1.20/1.21 then trusts nothing, 1.22+ refuses to start`,
  );
}

async function fromCaFile(t: TrustInputs, caFile: string): Promise<WebhookTrust> {
  // Relative paths resolve against the kubeconfig's own directory, as clientcmd does.
  const containerPath = posix.resolve(posix.dirname(t.kubeconfigContainerPath), caFile);
  const hostPath = t.hostPathOf(containerPath);
  try {
    const { text } = await readHostText(t.root, hostPath, MAX_PEM_BYTES);
    return fromPem('ca-file', hostPath, text, `${hostPath} holds no PEM certificate`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { source: 'ca-file', origin: hostPath, anchors: [], problem: `cannot read the certificate-authority file: ${message}` };
  }
}

/** The certificate blocks in the files (and links to files) of node directory `dir`: Go reads the
 * directories too. */
async function directoryBlocks(root: string, dir: string): Promise<string[]> {
  const entries = await listHostDir(root, dir).catch(() => []);
  const texts = await Promise.all(entries.filter((e) => e.stat.kind === 'file').map((e) => readNode(root, posix.join(dir, e.name))));
  return texts.flatMap((text) => (text === null ? [] : pemBlocks(text)));
}

/** Go's system pool on Linux: the first bundle file that exists (or SSL_CERT_FILE), plus every
 * certificate in the certificate directories (or SSL_CERT_DIR), as set in the apiserver's env. */
async function systemRoots({ root, hostPathOf, env }: TrustInputs): Promise<WebhookTrust> {
  const envValue = (name: string) => env.find((e) => e.name === name)?.value || null;
  const certFile = envValue('SSL_CERT_FILE');
  const certDir = envValue('SSL_CERT_DIR');
  const files = certFile ? [certFile] : GO_LINUX_CERT_FILES;
  const dirs = certDir ? certDir.split(':') : GO_LINUX_CERT_DIRS;
  const origins: string[] = [];
  // The bundle, the directory's files and their hash links repeat the same roots (Go's pool
  // dedupes them); dedupe the text before parsing, which is what costs time.
  const blocks = new Map<string, string>();
  const add = (found: string[]) => found.forEach((b) => blocks.set(b.replace(/\s+/g, ''), b));
  for (const file of files) {
    const pem = await readNode(root, hostPathOf(file));
    if (pem === null) continue;
    origins.push(hostPathOf(file));
    add(pemBlocks(pem));
    break;
  }
  for (const dir of dirs) {
    const found = await directoryBlocks(root, hostPathOf(dir));
    if (found.length > 0) origins.push(`${found.length} PEM block(s) in ${hostPathOf(dir)}`);
    add(found);
  }
  if (origins.length === 0) {
    return {
      source: 'system',
      origin: `Node's bundled Mozilla roots (no CA bundle found at ${[...files, ...dirs].map(hostPathOf).join(', ')})`,
      anchors: [...rootCertificates],
      problem: null,
    };
  }
  return fromPem(
    'system',
    origins.join(' + '),
    [...blocks.values()].join('\n'),
    `${origins.join(' + ')} hold no PEM certificate, so the system pool is empty`,
  );
}

export interface TrustInputs {
  /** The node's filesystem root (--root): every node path is read under it. */
  root: string;
  /** Maps a path as the apiserver container sees it to the node path behind it. */
  hostPathOf: (containerPath: string) => string;
  kubeconfigContainerPath: string;
  clusterField: string;
  kubeconfig: ResolvedKubeconfig;
  /** The apiserver container's env (SSL_CERT_FILE / SSL_CERT_DIR move Go's system pool). */
  env: EnvVar[];
}

export function loadTrust(t: TrustInputs): Promise<WebhookTrust> {
  if (t.kubeconfig.caData !== null) return Promise.resolve(fromCaData(`${t.clusterField}.certificate-authority-data`, t.kubeconfig.caData));
  if (t.kubeconfig.caFile !== null) return fromCaFile(t, t.kubeconfig.caFile);
  return systemRoots(t);
}

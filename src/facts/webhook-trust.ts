// Reads the webhook client's trust anchors the way client-go picks them: certificate-authority-data,
// else the certificate-authority file, else the system roots. Go's system roots on Linux are the
// first CA bundle file that exists (crypto/x509 root_linux.go); on a kubeadm node the apiserver
// container gets the host's /etc/ssl/certs mounted, so the node's bundle under --root is the right
// source. Node's bundled Mozilla roots stand in only when no bundle is found there.
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { ResolvedKubeconfig } from '../parse/kubeconfig.js';
import { parsePemBundle } from '../tls/certificate.js';
import type { WebhookTrust } from './types.js';

const GO_LINUX_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

function fromPem(source: WebhookTrust['source'], origin: string, pem: string, emptyProblem: string): WebhookTrust {
  const { certs, unparsable } = parsePemBundle(pem);
  const anchors = certs.map((c) => c.toString());
  let problem: string | null = null;
  if (anchors.length === 0) problem = emptyProblem;
  else if (unparsable > 0) problem = `${unparsable} PEM block(s) in ${origin} do not parse as certificates and are ignored`;
  return { source, origin, anchors, problem };
}

function fromCaData(field: string, caData: string): WebhookTrust {
  const compact = caData.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    return { source: 'ca-data', origin: field, anchors: [], problem: `${field} is not valid base64, so kube-apiserver cannot load it` };
  }
  const decoded = Buffer.from(compact, 'base64').toString('latin1');
  const hint = decoded.includes('BEGIN CERTIFICATE') ? '' : ' (base64 of base64, or of DER? it must be `base64 -w0` of a PEM file)';
  return fromPem('ca-data', field, decoded, `${field} decodes to no PEM certificate${hint}; kube-apiserver 1.20/1.21 then trusts nothing, 1.22+ refuses to start`);
}

async function fromCaFile(root: string, kubeconfigContainerPath: string, caFile: string): Promise<WebhookTrust> {
  // Relative paths resolve against the kubeconfig's own directory, as clientcmd does.
  const containerPath = posix.resolve(posix.dirname(kubeconfigContainerPath), caFile);
  const hostPath = join(root, containerPath);
  try {
    return fromPem('ca-file', hostPath, await readFile(hostPath, 'latin1'), `${hostPath} holds no PEM certificate`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { source: 'ca-file', origin: hostPath, anchors: [], problem: `cannot read the certificate-authority file: ${message}` };
  }
}

async function systemRoots(root: string): Promise<WebhookTrust> {
  for (const file of GO_LINUX_CERT_FILES) {
    const hostPath = join(root, file);
    const pem = await readFile(hostPath, 'latin1').catch(() => null);
    if (pem !== null) return fromPem('system', hostPath, pem, `${hostPath} holds no PEM certificate, so the system pool is empty`);
  }
  return {
    source: 'system',
    origin: `Node's bundled Mozilla roots (no CA bundle found under ${root} in ${GO_LINUX_CERT_FILES.join(', ')})`,
    anchors: [...rootCertificates],
    problem: null,
  };
}

export function loadTrust(root: string, kubeconfigContainerPath: string, clusterField: string, kc: ResolvedKubeconfig): Promise<WebhookTrust> {
  if (kc.caData !== null) return Promise.resolve(fromCaData(`${clusterField}.certificate-authority-data`, kc.caData));
  if (kc.caFile !== null) return fromCaFile(root, kubeconfigContainerPath, kc.caFile);
  return systemRoots(root);
}

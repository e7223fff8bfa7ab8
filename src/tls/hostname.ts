// Go crypto/x509 VerifyHostname and HostnameError.Error(), as built into kube-apiserver (Go >= 1.17:
// no Common Name fallback at all). Ported from go/src/crypto/x509/verify.go. Pure.
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { altNames, goIpString, nameAttribute } from './certificate.js';

const toLowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Go's validHostname: letters, digits, '-', '_' per label; a leading '*' label only in patterns. */
function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern) host = host.replace(/\.$/, '');
  if (host.length === 0) return false;
  return host.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(part);
  });
}

/** Go's matchHostnames: a '*' matches exactly one whole left-most label. */
export function matchHostnames(pattern: string, host: string): boolean {
  pattern = toLowerAscii(pattern);
  host = toLowerAscii(host.replace(/\.$/, ''));
  if (pattern.length === 0 || host.length === 0) return false;
  const patternParts = pattern.split('.');
  const hostParts = host.split('.');
  if (patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => (i === 0 && part === '*') || part === hostParts[i]);
}

function matchExactly(pattern: string, host: string): boolean {
  if (host === '' || host === '.' || pattern === '' || pattern === '.') return false;
  return toLowerAscii(pattern) === toLowerAscii(host);
}

const stripBrackets = (h: string): string => (h.length >= 3 && h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

/** null when the certificate is valid for `host`; otherwise Go's error text. */
export function verifyHostname(cert: X509Certificate, host: string): string | null {
  const names = altNames(cert);
  const candidateIp = stripBrackets(host);
  if (isIP(candidateIp)) {
    const wanted = goIpString(candidateIp);
    if (names.ipAddresses.includes(wanted)) return null;
    return hostnameError(cert, candidateIp);
  }
  const candidate = toLowerAscii(host);
  const validCandidate = validHostname(candidate, false);
  for (const pattern of names.dnsNames) {
    const matched = validCandidate && validHostname(pattern, true) ? matchHostnames(pattern, candidate) : matchExactly(pattern, candidate);
    if (matched) return null;
  }
  return hostnameError(cert, host);
}

function hostnameError(cert: X509Certificate, host: string): string {
  const names = altNames(cert);
  const commonName = nameAttribute(cert.subject, 'CN') ?? '';
  if (!names.present && matchHostnames(commonName, host)) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  let valid: string;
  if (isIP(host)) {
    if (names.ipAddresses.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    valid = names.ipAddresses.join(', ');
  } else {
    valid = names.dnsNames.join(', ');
  }
  if (valid.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

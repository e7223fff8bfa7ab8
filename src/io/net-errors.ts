// Sorts Node/undici network errors into the few kinds a user acts on differently.

import type { NetError, NetErrorKind } from '../model/probe.js';

const BY_CODE: Record<string, NetErrorKind> = {
  ENOTFOUND: 'no-such-host',
  EAI_NONAME: 'no-such-host',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
};

export function classifyNetError(err: unknown): NetError {
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : null;
  const message = err instanceof Error ? err.message : String(err);
  let kind: NetErrorKind = 'other';
  if (code && BY_CODE[code]) kind = BY_CODE[code];
  else if (code && /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_)/.test(code)) kind = 'tls';
  else if (code && code.startsWith('HPE_')) kind = 'protocol';
  return { kind, code, message };
}

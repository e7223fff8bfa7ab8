// Plain-JSON shapes of one look at the webhook endpoint: the reachability ladder (DNS, TCP, TLS,
// POST), the network errors met on it, and what Node's own verifier said of the chain.

export type NetErrorKind =
  'no-such-host' | 'dns' | 'refused' | 'unreachable' | 'timeout' | 'reset' | 'tls' | 'plain-http' | 'http-status' | 'protocol' | 'other';

export interface NetError {
  kind: NetErrorKind;
  /** The Node/undici/OpenSSL error code, when there is one (ECONNREFUSED, ERR_SSL_...). */
  code: string | null;
  message: string;
}

export type RungName = 'dns' | 'tcp' | 'tls' | 'http';

export interface Rung {
  name: RungName;
  ok: boolean;
  durationMs: number;
  /** What happened, in one line. */
  detail: string;
  error: NetError | null;
}

/** Node/OpenSSL's verdict on the presented chain with the same anchors. Go may differ. */
export interface NodeVerification {
  authorized: boolean;
  error: string | null;
}

export interface ProbeResult {
  /** What the host resolved to (the host itself for an IP), in resolver order. */
  addresses: string[];
  /** The address the TCP connection was made to (null when none was). */
  address: string | null;
  port: number;
  rungs: Rung[];
  /** PEM of each certificate the server presented, leaf first; null when no handshake happened. */
  presented: string[] | null;
  http: { status: number; bodyExcerpt: string } | null;
  nodeVerification: NodeVerification | null;
}

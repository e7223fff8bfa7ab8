// Which Go a kube-apiserver release is built with, and the crypto/tls and crypto/x509 rules that
// changed between those Go versions, so webhook-tls-chain judges a chain as that apiserver will.
// Negative serial numbers and 512-bit RSA CA keys were tried on the 1.36 oracle (Go 1.27): both are
// still accepted there, so they are no rule here. Kubernetes pins each minor's Go behaviour to the Go of its .0 release (go.mod `godebug default=`),
// so the minor decides. Confirmed on two oracles by `npm run test:versions`: kube-apiserver 1.20.2
// built with Go 1.19 and Kubernetes 1.36's webhook code built with Go 1.27. Pure.

/** Kubernetes minor -> Go minor of its official .0 build. */
const GO_OF: [number, number][] = [
  [20, 15],
  [21, 16],
  [22, 16],
  [23, 17],
  [24, 18],
  [25, 19],
  [26, 19],
  [27, 20],
  [28, 20],
  [29, 21],
  [30, 22],
  [31, 22],
  [32, 23],
  [33, 24],
  [34, 24],
  [35, 25],
  [36, 26],
];
const LATEST = GO_OF[GO_OF.length - 1]!;

export interface GoRules {
  /** "1.26": the Go these rules are for. */
  go: string;
  /** Go >= 1.18 refuses SHA-1 signatures on certificates it verifies. */
  refuseSha1: boolean;
  /** Go 1.18 to 1.23 suggest `(temporarily override with GODEBUG=x509sha1=1)`; 1.24 dropped it. */
  sha1OverrideHint: boolean;
  /** Go >= 1.20 wraps verification errors: `tls: failed to verify certificate: x509: …`. */
  wrapVerifyErrors: boolean;
  /** One sentence: which Go, and why, for evidence. */
  why: string;
}

export function goRules(kubernetesVersion: string | null): GoRules {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion ?? '');
  const minor = m && Number(m[1]) === 1 ? Number(m[2]) : null;
  const known =
    minor === null ? null : (GO_OF.find(([k]) => k === minor) ?? (minor > LATEST[0] ? LATEST : minor < GO_OF[0]![0] ? GO_OF[0]! : null));
  const go = known ? known[1] : LATEST[1];
  const why = known
    ? `kube-apiserver ${kubernetesVersion} is built with Go 1.${go}`
    : `the kube-apiserver version is ${kubernetesVersion ? `not recognised (${kubernetesVersion})` : 'unknown'}, so it is judged as the newest (Go 1.${go})`;
  return { go: `1.${go}`, refuseSha1: go >= 18, sha1OverrideHint: go >= 18 && go < 24, wrapVerifyErrors: go >= 20, why };
}

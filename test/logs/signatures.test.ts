import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CHECKS } from '../../src/checks/index.js';
import { CLUSTER_COLLECTORS } from '../../src/facts/cluster/collectors.js';
import { matchSignatures } from '../../src/logs/match.js';
import { countSignatures } from '../../src/logs/judge.js';
import { scanLog } from '../../src/logs/scan.js';
import { SIGNATURES, START_MARKER } from '../../src/logs/signatures.js';
import { NOW } from '../helpers/log-formats.js';

const POST = 'Post "https://console.example:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s"';
const plugin = (error: string) =>
  `E1127 07:12:01.000001       1 metrics.go:110] Error in audit plugin 'webhook' affecting 12 audit events: ${error}`;

/** Lines as kube-apiserver and kubelet print them, with the signature each one must be read as. */
const LINES: [string, string][] = [
  [plugin(`${POST}: x509: certificate signed by unknown authority`), 'webhook-x509-unknown-authority'],
  [plugin(`${POST}: x509: certificate is valid for console.local, twistlock-console, not console.example`), 'webhook-x509-name-mismatch'],
  [plugin(`${POST}: x509: cannot validate certificate for 10.0.0.9 because it doesn't contain any IP SANs`), 'webhook-x509-no-ip-sans'],
  [
    plugin(
      `${POST}: x509: certificate relies on legacy Common Name field, use SANs or temporarily enable Common Name matching with GODEBUG=x509ignoreCN=0`,
    ),
    'webhook-x509-legacy-cn',
  ],
  [
    plugin(`${POST}: x509: certificate has expired or is not yet valid: current time 2026-11-27T07:00:00Z is after 2026-01-01T00:00:00Z`),
    'webhook-x509-expired',
  ],
  [plugin(`${POST}: dial tcp 10.0.0.9:8083: connect: connection refused`), 'webhook-connection-refused'],
  [plugin(`${POST}: dial tcp: lookup console.example on 10.96.0.10:53: no such host`), 'webhook-no-such-host'],
  [plugin(`${POST}: dial tcp 10.0.0.9:8083: i/o timeout`), 'webhook-timeout'],
  [plugin(`${POST}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`), 'webhook-timeout'],
  [plugin(`${POST}: EOF`), 'webhook-eof'],
  [plugin(`${POST}: http: server gave HTTP response to HTTPS client`), 'webhook-http-to-https'],
  [plugin('the server could not find the requested resource'), 'webhook-http-not-found'],
  [plugin('the server has asked for the client to provide credentials'), 'webhook-http-unauthorized'],
  [plugin('an error on the server ("Internal Server Error") has prevented the request from succeeding'), 'webhook-http-server-error'],
  [plugin('something nobody has seen before'), 'webhook-delivery-failed'],
  [
    `E1127 08:01:02.000001       1 metrics.go:110] Error in audit plugin 'buffered' affecting 1 audit events: audit buffer queue blocked`,
    'audit-buffer-blocked',
  ],
  [
    `E1127 06:58:01.123456     812 file.go:187] Can't process manifest file "/etc/kubernetes/manifests/kube-apiserver.yaml": /etc/kubernetes/manifests/kube-apiserver.yaml: couldn't parse as pod(yaml: line 4: could not find expected ':'), please check config file`,
    'apiserver-manifest-unparsable',
  ],
  [
    `E1127 06:58:01.123456     812 file_linux.go:115] Unable to process watch event: can't process config file "/etc/kubernetes/manifests/kube-apiserver.yaml": /etc/kubernetes/manifests/kube-apiserver.yaml: couldn't parse as pod(yaml: line 9: mapping values are not allowed in this context), please check config file`,
    'apiserver-manifest-unparsable',
  ],
  [
    `E1127 06:58:01.123456     812 file.go:108] "Could not process manifest file" err="/etc/kubernetes/manifests/audit-policy.yaml: couldn't parse as pod(no kind \\"Policy\\" is registered for version \\"audit.k8s.io/v1\\" in scheme \\"pkg/api/legacyscheme/scheme.go:30\\"), please check config file" path="/etc/kubernetes/manifests/audit-policy.yaml"`,
    'manifests-dir-policy',
  ],
  [
    `E1127 06:58:01.123456     812 file.go:187] Can't process manifest file "/etc/kubernetes/manifests/kube-apiserver.yaml.bak": /etc/kubernetes/manifests/kube-apiserver.yaml.bak: couldn't parse as pod(yaml: line 2: did not find expected key), please check config file`,
    'manifests-dir-unparsable',
  ],
  [
    `E1127 07:00:00.000000     812 nestedpendingoperations.go:301] Operation for "{volumeName:kubernetes.io/host-path/abc-audit podName:abc nodeName:}" failed. No retries permitted until 2026-11-27 07:00:02 (durationBeforeRetry 2s). Error: "MountVolume.SetUp failed for volume \\"audit\\" (UniqueName: \\"kubernetes.io/host-path/abc-audit\\") pod \\"kube-apiserver-node1\\" (UID: \\"abc\\") : hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file"`,
    'hostpath-type-mismatch',
  ],
  [
    `E1127 07:01:00.000000     812 pod_workers.go:191] Error syncing pod 9f8e ("kube-apiserver-node1_kube-system(9f8e)"), skipping: failed to "StartContainer" for "kube-apiserver" with CrashLoopBackOff: "back-off 5m0s restarting failed container=kube-apiserver pod=kube-apiserver-node1_kube-system(9f8e)"`,
    'apiserver-crashloop',
  ],
  [
    `I1127 07:01:00.000000     812 event.go:291] "Event occurred" object="kube-system/kube-apiserver-node1" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed container"`,
    'apiserver-crashloop',
  ],
  [
    `E0806 10:00:00.000000       1 run.go:74] "command failed" err="loading audit policy file: failed decoding: no kind \\"Policy\\" is registered for version \\"audit.k8s.io/v1beta1\\" in scheme \\"k8s.io/apiserver/pkg/audit/scheme.go:30\\": from file /etc/rancher/rke2/audit-policy.yaml"`,
    'policy-version-refused',
  ],
  [
    `E0806 10:00:00.000000       1 run.go:74] "command failed" err="loading audit policy file: failed to read file path \\"/etc/kubernetes/audit/policy.yaml\\": open /etc/kubernetes/audit/policy.yaml: no such file or directory"`,
    'policy-file-missing',
  ],
  [
    `E0806 10:00:00.000000       1 run.go:74] "command failed" err="loading audit policy file: failed decoding: yaml: line 8: did not find expected key: from file /etc/kubernetes/audit/policy.yaml"`,
    'policy-yaml-invalid',
  ],
  [
    `E0806 10:00:00.000000       1 run.go:74] "command failed" err="initializing audit webhook: invalid configuration: unable to load root certificates: unable to parse bytes as PEM block"`,
    'webhook-ca-not-pem',
  ],
  [
    `E0806 10:00:00.000000       1 run.go:74] "command failed" err="initializing audit webhook: invalid configuration: no valid certificate authority data seen"`,
    'webhook-ca-not-pem',
  ],
  [
    `W0806 10:00:00.000000       1 reader.go:73] "audit.k8s.io/v1beta1" is deprecated and will be removed in a future release, use "audit.k8s.io/v1" instead`,
    'policy-version-deprecated',
  ],
  [
    `W0806 10:00:00.000000       1 reader.go:80] Audit policy contains errors, falling back to lenient decoding: strict decoding error: unknown field "rules[0].verb"`,
    'policy-lenient-decoding',
  ],
  [`Error: unknown flag: --audit-policy-file`, 'audit-flag-unknown'],
  [
    `I1127 06:55:36.203629       1 audit.go:295] No audit policy file provided, no events will be recorded for webhook backend`,
    'policy-flag-missing',
  ],
  [
    `Error: initializing audit webhook: error loading config file "/etc/kubernetes/audit/webhook.yaml": yaml: line 7: mapping values are not allowed in this context`,
    'webhook-config-unparsable',
  ],
];

const NOISE = [
  'I1127 06:55:36.203629   25917 server.go:182] Version: v1.20.2',
  'I1127 06:56:00.000000       1 httplog.go:89] "HTTP" verb="GET" URI="/api/v1/namespaces/kube-system/pods?timeout=32s" latency="900µs" resp=200',
  'I1127 06:56:00.000000       1 trace.go:205] Trace[1]: "List etcd3" key:/pods/default,resourceVersion:,limit:500 (total time: 512ms):',
  'AUDIT: id="6b1c" stage="ResponseComplete" ip="10.0.0.1" method="get" user="system:node:n1" groups="\\"system:nodes\\"" as="<self>" asgroups="<lookup>" namespace="kube-system" uri="/api/v1/pods" response="200"',
];

describe('the signature catalogue', () => {
  it.each(LINES)('%s', async (line, id) => {
    expect(matchSignatures(line).map((s) => s.id)).toEqual([id]);
    // Through the scanner too, so the raw-byte prefilter must let the line through.
    const result = await scanLog([`${line}\n`], { now: NOW });
    expect([...countSignatures(result).keys()]).toEqual([id]);
  });

  it('matches nothing in ordinary apiserver noise', () => {
    for (const line of NOISE) expect(matchSignatures(line)).toEqual([]);
  });

  it('has unique ids, an anchor in every pattern, and points each at a check of the node configuration', () => {
    // Signature.implicates is a CheckId (a misspelt id does not compile); what the type cannot say is
    // that node-logs' advice leads somewhere: to a check that reads the node's files, not to a log
    // check (itself) nor to one that needs the cluster, which a node-only run skips.
    const notConfig = new Set<string>(['nodeLogs', ...Object.keys(CLUSTER_COLLECTORS)]);
    expect(new Set(SIGNATURES.map((s) => s.id)).size).toBe(SIGNATURES.length);
    for (const s of SIGNATURES) {
      const check = CHECKS.find((c) => c.id === s.implicates)!;
      expect(
        check.needs.filter((fact) => notConfig.has(fact)),
        `${s.id} -> ${s.implicates}`,
      ).toEqual([]);
      expect(s.anchors.length, s.id).toBeGreaterThan(0);
    }
  });

  it('is written so that grep -E reads every pattern the same way', () => {
    for (const [line, id] of LINES) {
      const { pattern } = SIGNATURES.find((s) => s.id === id)!;
      const grep = spawnSync('grep', ['-E', '-c', '-e', pattern.source], { input: line.replace(/\\"/g, '"') + '\n', encoding: 'utf8' });
      expect(grep.stderr, id).toBe('');
      expect(grep.stdout.trim(), id).toBe('1');
    }
    expect(START_MARKER.pattern.test(NOISE[0]!)).toBe(true);
  });
});

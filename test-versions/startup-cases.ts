// Every policy and webhook-kubeconfig situation the doctor judges at start-up, as files. Each case is
// run through both oracles (kube-apiserver 1.20.2 and Kubernetes 1.36's audit code) and the doctor.
import { X509Certificate } from 'node:crypto';
import { makeChain } from '../test/helpers/pki.js';
import type { AuditFiles } from './oracles.js';

export interface StartupCase extends AuditFiles {
  name: string;
  /** A disagreement with the oracles that is documented in docs/version-oracle.md and not fixed:
   * the suite asserts it still holds, so fixing it makes the case fail until this mark is removed. */
  knownDisagreement?: string;
}

const chain = makeChain({ name: 'Versions' });
const CA_PEM = chain.root.cert;
const CA_B64 = Buffer.from(CA_PEM).toString('base64');
const SERVER = 'https://127.0.0.1:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';

/** The Prisma Cloud recommended policy. */
export const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
  - level: Request
    resources: [{ group: "", resources: ["pods/exec", "pods/attach"] }]
  - level: Request
    verbs: ["create"]
    resources: [{ group: "", resources: ["pods"] }]
  - level: Request
    verbs: ["create", "update", "patch", "delete"]
    namespaces: ["twistlock"]
  - level: None
`;

/** The vendor's kubeconfig template, filled in: no users: section. */
const kubeconfig = (cluster: string, top = '') => `apiVersion: v1
kind: Config
clusters:
- name: audit
  cluster:
${cluster.replace(/^/gm, '    ')}
contexts:
- name: webhook
  context:
    cluster: audit
    user: kube-apiserver
current-context: webhook
${top}`;
const WEBHOOK = kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${CA_B64}`);

const policyCase = (name: string, policy: string): StartupCase => ({
  name: `policy: ${name}`,
  files: { 'policy.yaml': policy, 'audit-webhook.yaml': WEBHOOK },
  policyFile: 'policy.yaml',
  webhookFile: 'audit-webhook.yaml',
});
const webhookCase = (name: string, webhook: string, extra: Record<string, string> = {}): StartupCase => ({
  name: `webhook: ${name}`,
  files: { 'policy.yaml': POLICY, 'audit-webhook.yaml': webhook, ...extra },
  policyFile: 'policy.yaml',
  webhookFile: 'audit-webhook.yaml',
});
const rule = (body: string) => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${body}`;

export const STARTUP_CASES: StartupCase[] = [
  policyCase('the Prisma recommended policy', POLICY),
  policyCase('apiVersion audit.k8s.io/v1beta1', POLICY.replace('audit.k8s.io/v1', 'audit.k8s.io/v1beta1')),
  policyCase('apiVersion audit.k8s.io/v1alpha1', POLICY.replace('audit.k8s.io/v1', 'audit.k8s.io/v1alpha1')),
  policyCase('apiVersion audit.k8s.io/v2', POLICY.replace('audit.k8s.io/v1', 'audit.k8s.io/v2')),
  policyCase('apiVersion missing', POLICY.replace('apiVersion: audit.k8s.io/v1\n', '')),
  policyCase('kind missing', POLICY.replace('kind: Policy\n', '')),
  policyCase('kind Pod', POLICY.replace('kind: Policy', 'kind: Pod')),
  policyCase('rules: []', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n'),
  policyCase('no rules key', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: ["RequestReceived"]\n'),
  policyCase('level: none (lowercase)', rule('  - level: none\n')),
  policyCase('level: metadata on the second rule', rule('  - level: Request\n    verbs: ["create"]\n  - level: metadata\n')),
  policyCase('level missing', rule('  - verbs: ["create"]\n')),
  policyCase('two invalid levels', rule('  - level: Everything\n  - level: none\n')),
  policyCase('policy omitStages with an unknown stage', POLICY.replace('"ResponseStarted"', '"ResponseSent"')),
  policyCase('rule omitStages with an unknown stage', rule('  - level: Metadata\n    omitStages: ["Done"]\n')),
  policyCase('nonResourceURLs without a leading /', rule('  - level: Metadata\n    nonResourceURLs: ["healthz"]\n')),
  policyCase('nonResourceURLs wildcard in the middle', rule('  - level: Metadata\n    nonResourceURLs: ["/api/*/x"]\n')),
  policyCase(
    'resources and nonResourceURLs together',
    rule('  - level: Metadata\n    resources: [{ group: "" }]\n    nonResourceURLs: ["/healthz"]\n'),
  ),
  policyCase(
    'namespaces and nonResourceURLs together',
    rule('  - level: Metadata\n    namespaces: ["default"]\n    nonResourceURLs: ["/healthz"]\n'),
  ),
  policyCase('resourceNames without resources', rule('  - level: Metadata\n    resources: [{ group: "", resourceNames: ["x"] }]\n')),
  policyCase('group "Core" (not a DNS subdomain)', rule('  - level: Metadata\n    resources: [{ group: "Core", resources: ["pods"] }]\n')),
  policyCase('group "core" (valid, never matches)', rule('  - level: Metadata\n    resources: [{ group: "core", resources: ["pods"] }]\n')),
  policyCase('unknown rule key verb:', rule('  - level: Request\n    verb: ["create"]\n  - level: None\n')),
  policyCase('unknown top-level key', `${POLICY}extra: true\n`),
  policyCase('duplicate key in a rule', rule('  - level: Request\n    level: Metadata\n')),
  policyCase('omitManagedFields on a rule', rule('  - level: Metadata\n    omitManagedFields: true\n')),
  policyCase('verbs as a string', rule('  - level: Metadata\n    verbs: create\n')),
  policyCase('rules as a mapping', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  level: Metadata\n'),
  policyCase('YAML: bad indentation', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n   verbs: ["get"]\n'),
  policyCase('YAML: a tab for indentation', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n\t- level: Metadata\n'),
  policyCase('empty file', ''),
  { name: 'policy: file missing', files: { 'audit-webhook.yaml': WEBHOOK }, policyFile: 'policy.yaml', webhookFile: 'audit-webhook.yaml' },
  {
    name: 'policy: path is a directory',
    files: { 'policy.yaml/': '', 'audit-webhook.yaml': WEBHOOK },
    policyFile: 'policy.yaml',
    webhookFile: 'audit-webhook.yaml',
  },

  webhookCase('the vendor template, CA data', WEBHOOK),
  webhookCase('with a users: entry and a token', `${WEBHOOK}users:\n- name: kube-apiserver\n  user:\n    token: abc\n`),
  webhookCase('server empty', kubeconfig(`server: ""\ncertificate-authority-data: ${CA_B64}`)),
  webhookCase('server key missing', kubeconfig(`certificate-authority-data: ${CA_B64}`)),
  webhookCase('no current-context', WEBHOOK.replace('current-context: webhook\n', '')),
  webhookCase('current-context names a missing context', WEBHOOK.replace('current-context: webhook', 'current-context: prisma')),
  webhookCase('context names a missing cluster', WEBHOOK.replace('cluster: audit\n', 'cluster: prisma\n')),
  webhookCase('cluster entry empty', kubeconfig('{}').replace('  cluster:\n    {}', '  cluster: {}')),
  webhookCase(
    'CA data and CA file both',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${CA_B64}\ncertificate-authority: ca.pem`),
    { 'ca.pem': CA_PEM },
  ),
  webhookCase(
    'insecure-skip-tls-verify with CA data',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${CA_B64}\ninsecure-skip-tls-verify: true`),
  ),
  webhookCase(
    'insecure-skip-tls-verify with a CA file',
    kubeconfig(`server: ${SERVER}\ncertificate-authority: ca.pem\ninsecure-skip-tls-verify: true`),
    { 'ca.pem': CA_PEM },
  ),
  webhookCase('insecure-skip-tls-verify alone', kubeconfig(`server: ${SERVER}\ninsecure-skip-tls-verify: true`)),
  webhookCase('CA file (relative path)', kubeconfig(`server: ${SERVER}\ncertificate-authority: ca.pem`), { 'ca.pem': CA_PEM }),
  webhookCase('CA file missing', kubeconfig(`server: ${SERVER}\ncertificate-authority: missing-ca.pem`)),
  webhookCase('CA data: raw PEM', kubeconfig(`server: ${SERVER}\ncertificate-authority-data: |\n${CA_PEM.replace(/^/gm, '  ').trimEnd()}`)),
  webhookCase(
    'CA data: base64 wrapped at 76 columns',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${CA_B64.replace(/(.{76})/g, '$1\n  ')}`),
  ),
  webhookCase(
    'CA data: base64 twice',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${Buffer.from(CA_B64).toString('base64')}`),
  ),
  webhookCase(
    'CA data: DER, not PEM',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${new X509Certificate(CA_PEM).raw.toString('base64')}`),
  ),
  webhookCase(
    'CA data: a private key',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${Buffer.from(chain.root.key.privateKeyPem).toString('base64')}`),
  ),
  webhookCase('no CA at all (system roots)', kubeconfig(`server: ${SERVER}`)),
  webhookCase('server without a scheme (host:port)', kubeconfig(`server: 127.0.0.1:8083\ncertificate-authority-data: ${CA_B64}`)),
  webhookCase(
    'server without a scheme, with a path',
    kubeconfig(`server: console.example.com/api/v1/kubernetes/webhook/abc\ncertificate-authority-data: ${CA_B64}`),
  ),
  webhookCase('server with a query string', kubeconfig(`server: ${SERVER}?x=1\ncertificate-authority-data: ${CA_B64}`)),
  webhookCase(
    'tls-server-name',
    kubeconfig(`server: ${SERVER}\ncertificate-authority-data: ${CA_B64}\ntls-server-name: console.example.com`),
  ),
  webhookCase('kind Pod', WEBHOOK.replace('kind: Config', 'kind: Pod')),
  webhookCase('clusters as a mapping', WEBHOOK.replace('clusters:\n- name: audit\n  cluster:', 'clusters:\n  audit:\n    cluster:')),
  webhookCase('YAML: bad indentation', WEBHOOK.replace('current-context: webhook', '  current-context: webhook\n bad: [')),
  webhookCase('empty file', ''),
  webhookCase('unknown top-level key', `${WEBHOOK}extra: true\n`),
  {
    ...webhookCase(
      'client certificate file missing',
      `${WEBHOOK}users:\n- name: kube-apiserver\n  user:\n    client-certificate: missing.crt\n    client-key: missing.key\n`,
    ),
    knownDisagreement: 'the doctor does not follow client-certificate/client-key paths (Prisma needs no client credentials)',
  },
  { name: 'webhook: file missing', files: { 'policy.yaml': POLICY }, policyFile: 'policy.yaml', webhookFile: 'audit-webhook.yaml' },
  {
    name: 'webhook: path is a directory',
    files: { 'policy.yaml': POLICY, 'audit-webhook.yaml/': '' },
    policyFile: 'policy.yaml',
    webhookFile: 'audit-webhook.yaml',
  },
  {
    name: 'webhook: broken, but no --audit-policy-file',
    files: { 'audit-webhook.yaml': '' },
    policyFile: null,
    webhookFile: 'audit-webhook.yaml',
  },
  {
    name: 'webhook: broken, and the policy broken too (the policy is reported)',
    files: { 'policy.yaml': rule('  - level: none\n'), 'audit-webhook.yaml': '' },
    policyFile: 'policy.yaml',
    webhookFile: 'audit-webhook.yaml',
  },
];

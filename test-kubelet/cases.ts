// The ways a person breaks a control-plane node while adding audit, each as files in one node root:
// a kube-apiserver static pod per case (own files under /etc/kubernetes/<id>, own port), so one kubelet
// runs them all at once. `real` is what kubelet 1.20.2 was seen to do; `doctor` what the doctor must say.
import { stringify } from 'yaml';
import { issue } from '../test/helpers/pki.js';

export type Outcome =
  /** /healthz answers 200 on the case's port. */
  | 'healthy'
  /** The container starts and exits, again and again. */
  | 'crash-loop'
  /** No sandbox, no container, no pod log: the kubelet refuses a volume (or the pod). */
  | 'never-created'
  /** Another file in the manifests directory replaced the edited manifest: the other one runs. */
  | 'other-file-runs'
  /** Two apiserver pods from two files: the second cannot bind the port. */
  | 'two-pods';

/** A file under the root: text, a symlink, a directory, or text with a mode. */
export type Entry = string | { link: string } | { dir: true; mode?: number } | { text: string; mode: number };

export interface Volume {
  name: string;
  hostPath: string;
  type?: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface Case {
  id: string;
  title: string;
  /** Files relative to the root (without leading slash). */
  files: Record<string, Entry>;
  flags: Record<string, string>;
  volumes: Volume[];
  /** More files in the manifests directory: name -> pod (rendered) or raw text. */
  extraManifests?: (c: RenderedCase) => Record<string, string>;
  real: { outcome: Outcome; podLog?: RegExp; kubeletLog?: RegExp };
  doctor: {
    /** Checks that must fail (the apiserver as edited will not run); empty: it runs. */
    fail: string[];
    /** Checks that must warn. */
    warn?: string[];
    /** Text the failing (or warning) findings must contain: the file and the link that breaks. */
    says?: RegExp[];
  };
}

export interface RenderedCase {
  c: Case;
  port: number;
  etcd: string;
  manifestName: string;
  podName: string;
  render(overrides?: { name?: string; port?: number; flags?: Record<string, string> }): string;
}

export const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
    verbs: ["create", "update", "patch", "delete"]
  - level: None
`;

/** A webhook kubeconfig whose endpoint is closed: batch mode buffers, so the apiserver starts regardless. */
export function webhookKubeconfig(cluster: Record<string, unknown> = { 'insecure-skip-tls-verify': true }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prisma', cluster: { server: 'https://127.0.0.1:9/api/v1/kubernetes/webhook/0123456789abcdef', ...cluster } }],
    contexts: [{ name: 'prisma', context: { cluster: 'prisma', user: 'prisma' } }],
    'current-context': 'prisma',
    users: [{ name: 'prisma', user: {} }],
  });
}

const k = (id: string) => `/etc/kubernetes/${id}`;
const rel = (p: string) => p.replace(/^\//, '');

/** The usual good layout: the audit directory mounted read-only, the log directory writable. */
function auditSetup(id: string, over: Partial<Pick<Case, 'files' | 'flags' | 'volumes'>> = {}): Pick<Case, 'files' | 'flags' | 'volumes'> {
  const dir = `${k(id)}/audit`;
  return {
    files: {
      [rel(`${dir}/policy.yaml`)]: POLICY,
      [rel(`${dir}/webhook.yaml`)]: webhookKubeconfig(),
      ...over.files,
    },
    flags: {
      'audit-policy-file': `${dir}/policy.yaml`,
      'audit-webhook-config-file': `${dir}/webhook.yaml`,
      'audit-log-path': `/var/log/kubernetes/${id}/audit/audit.log`,
      ...over.flags,
    },
    volumes: over.volumes ?? [
      { name: 'audit', hostPath: dir, type: 'Directory', mountPath: dir, readOnly: true },
      {
        name: 'audit-log',
        hostPath: `/var/log/kubernetes/${id}/audit`,
        type: 'DirectoryOrCreate',
        mountPath: `/var/log/kubernetes/${id}/audit`,
      },
    ],
  };
}

const logVolume = (id: string): Volume => ({
  name: 'audit-log',
  hostPath: `/var/log/kubernetes/${id}/audit`,
  type: 'DirectoryOrCreate',
  mountPath: `/var/log/kubernetes/${id}/audit`,
});

export const CASES: Case[] = [
  {
    id: 'c01',
    title: 'the documented layout: audit directory and log directory mounted',
    ...auditSetup('c01'),
    real: { outcome: 'healthy' },
    doctor: { fail: [] },
  },
  {
    id: 'c02',
    title: 'policy written next to the audit directory, outside every volumeMount',
    ...auditSetup('c02', {
      files: { 'etc/kubernetes/c02/audit-policy.yaml': POLICY },
      flags: { 'audit-policy-file': '/etc/kubernetes/c02/audit-policy.yaml' },
    }),
    real: {
      outcome: 'crash-loop',
      podLog:
        /loading audit policy file: failed to read file path "\/etc\/kubernetes\/c02\/audit-policy.yaml": open \/etc\/kubernetes\/c02\/audit-policy.yaml: no such file or directory/,
    },
    doctor: { fail: ['audit-files-mounted'], says: [/\/etc\/kubernetes\/c02\/audit-policy\.yaml/, /loading audit policy file/] },
  },
  {
    id: 'c03',
    title: 'webhook kubeconfig never copied to this node',
    ...auditSetup('c03'),
    files: { 'etc/kubernetes/c03/audit/policy.yaml': POLICY },
    real: {
      outcome: 'crash-loop',
      podLog: /initializing audit webhook: stat \/etc\/kubernetes\/c03\/audit\/webhook.yaml: no such file or directory/,
    },
    doctor: { fail: ['audit-files-readable'], says: [/initializing audit webhook: stat \/etc\/kubernetes\/c03\/audit\/webhook\.yaml/] },
  },
  {
    id: 'c04',
    title: 'policy mounted as a single file (hostPath type File) that is missing on the host',
    ...auditSetup('c04', {
      files: { 'etc/kubernetes/c04/audit/webhook.yaml': webhookKubeconfig() },
      volumes: [
        {
          name: 'audit-policy',
          hostPath: '/etc/kubernetes/c04/policy.yaml',
          type: 'File',
          mountPath: '/etc/kubernetes/c04/audit/policy.yaml',
          readOnly: true,
        },
        {
          name: 'audit-webhook',
          hostPath: '/etc/kubernetes/c04/audit/webhook.yaml',
          type: 'File',
          mountPath: '/etc/kubernetes/c04/audit/webhook.yaml',
          readOnly: true,
        },
        logVolume('c04'),
      ],
    }),
    files: { 'etc/kubernetes/c04/audit/webhook.yaml': webhookKubeconfig() },
    real: { outcome: 'never-created', kubeletLog: /hostPath type check failed: \/etc\/kubernetes\/c04\/policy.yaml is not a file/ },
    doctor: { fail: ['apiserver-volumes'], says: [/hostPath type check failed: \/etc\/kubernetes\/c04\/policy\.yaml is not a file/] },
  },
  {
    id: 'c05',
    title: 'audit is fine, but another volume (type Directory) names a directory that is missing',
    ...auditSetup('c05', {
      volumes: [
        { name: 'audit', hostPath: '/etc/kubernetes/c05/audit', type: 'Directory', mountPath: '/etc/kubernetes/c05/audit', readOnly: true },
        logVolume('c05'),
        { name: 'etc-pki', hostPath: '/etc/kubernetes/c05/pki-extra', type: 'Directory', mountPath: '/etc/pki', readOnly: true },
      ],
    }),
    real: { outcome: 'never-created', kubeletLog: /hostPath type check failed: \/etc\/kubernetes\/c05\/pki-extra is not a directory/ },
    doctor: {
      fail: ['apiserver-volumes'],
      says: [/etc-pki/, /hostPath type check failed: \/etc\/kubernetes\/c05\/pki-extra is not a directory/],
    },
  },
  {
    id: 'c06',
    title: 'a directory where the policy file should be (left by an untyped hostPath)',
    ...auditSetup('c06', { files: { 'etc/kubernetes/c06/audit/policy.yaml': { dir: true } } }),
    real: {
      outcome: 'crash-loop',
      podLog:
        /loading audit policy file: failed to read file path "\/etc\/kubernetes\/c06\/audit\/policy.yaml": read \/etc\/kubernetes\/c06\/audit\/policy.yaml: is a directory/,
    },
    doctor: { fail: ['audit-files-readable'], says: [/is a directory/] },
  },
  {
    id: 'c07',
    title: 'policy is an absolute symlink to a file outside the mounted directory',
    ...auditSetup('c07', {
      files: {
        'etc/kubernetes/c07/audit/policy.yaml': { link: '/etc/kubernetes/c07/policies/v2.yaml' },
        'etc/kubernetes/c07/policies/v2.yaml': POLICY,
      },
    }),
    real: {
      outcome: 'crash-loop',
      podLog:
        /loading audit policy file: failed to read file path "\/etc\/kubernetes\/c07\/audit\/policy.yaml": open \/etc\/kubernetes\/c07\/audit\/policy.yaml: no such file or directory/,
    },
    doctor: {
      fail: ['audit-files-readable'],
      says: [/\/etc\/kubernetes\/c07\/audit\/policy\.yaml -> \/etc\/kubernetes\/c07\/policies\/v2\.yaml/, /no volumeMount/],
    },
  },
  {
    id: 'c08',
    title: 'policy is a relative symlink to a versioned file inside the mounted directory',
    ...auditSetup('c08', {
      files: { 'etc/kubernetes/c08/audit/policy.yaml': { link: 'versions/v2.yaml' }, 'etc/kubernetes/c08/audit/versions/v2.yaml': POLICY },
    }),
    real: { outcome: 'healthy' },
    doctor: { fail: [] },
  },
  {
    id: 'c09',
    title: 'host directory mounted at another container path; the webhook link names the host path',
    ...auditSetup('c09', {
      files: {
        'etc/kubernetes/c09/store/policy.yaml': POLICY,
        'etc/kubernetes/c09/store/webhook-v1.yaml': webhookKubeconfig(),
        'etc/kubernetes/c09/store/webhook.yaml': { link: '/etc/kubernetes/c09/store/webhook-v1.yaml' },
      },
      volumes: [
        { name: 'audit', hostPath: '/etc/kubernetes/c09/store', type: 'Directory', mountPath: '/etc/kubernetes/c09/audit', readOnly: true },
        logVolume('c09'),
      ],
    }),
    files: {
      'etc/kubernetes/c09/store/policy.yaml': POLICY,
      'etc/kubernetes/c09/store/webhook-v1.yaml': webhookKubeconfig(),
      'etc/kubernetes/c09/store/webhook.yaml': { link: '/etc/kubernetes/c09/store/webhook-v1.yaml' },
    },
    real: {
      outcome: 'crash-loop',
      podLog: /initializing audit webhook: stat \/etc\/kubernetes\/c09\/audit\/webhook.yaml: no such file or directory/,
    },
    doctor: { fail: ['audit-files-readable'], says: [/\/etc\/kubernetes\/c09\/store\/webhook-v1\.yaml/] },
  },
  {
    id: 'c10',
    title: 'one hostPath for /etc/kubernetes/c10 with subPath audit, mounted at /etc/audit',
    ...auditSetup('c10', {
      flags: { 'audit-policy-file': '/etc/audit/policy.yaml', 'audit-webhook-config-file': '/etc/audit/webhook.yaml' },
      volumes: [
        { name: 'audit', hostPath: '/etc/kubernetes/c10', type: 'Directory', subPath: 'audit', mountPath: '/etc/audit', readOnly: true },
        logVolume('c10'),
      ],
    }),
    real: { outcome: 'healthy' },
    doctor: { fail: [] },
  },
  {
    id: 'c11',
    title: 'a byte-identical backup left in the manifests directory',
    ...auditSetup('c11'),
    extraManifests: (r) => ({ 'apiserver-c11.yaml.bak': r.render() }),
    real: { outcome: 'healthy' },
    doctor: { fail: [], warn: ['manifests-dir-clean'], says: [/apiserver-c11\.yaml\.bak/, /identical/] },
  },
  {
    id: 'c12',
    title: 'the pre-edit backup (same pod name, no audit flags) sorts after the edited manifest',
    ...auditSetup('c12'),
    extraManifests: (r) => ({ 'apiserver-c12.yaml.bak': r.render({ port: r.port + 1, flags: {} }) }),
    real: { outcome: 'other-file-runs' },
    doctor: { fail: ['manifests-dir-clean'], says: [/apiserver-c12\.yaml\.bak/, /runs the \.bak|replace/] },
  },
  {
    id: 'c13',
    title: 'a copy saved under another pod name: a second apiserver on the same port',
    ...auditSetup('c13'),
    extraManifests: (r) => ({ 'apiserver-c13-copy.yaml': r.render({ name: 'kube-apiserver-c13-copy' }) }),
    real: { outcome: 'two-pods', podLog: /address already in use/ },
    doctor: { fail: ['manifests-dir-clean'], says: [/apiserver-c13-copy\.yaml/] },
  },
  {
    id: 'c14',
    title: 'policy and its directory locked down to mode 000',
    ...auditSetup('c14', {
      files: {
        'etc/kubernetes/c14/audit/policy.yaml': { text: POLICY, mode: 0o000 },
        'etc/kubernetes/c14/audit': { dir: true, mode: 0o000 },
      },
    }),
    real: { outcome: 'healthy' },
    doctor: { fail: [] },
  },
  {
    id: 'c15',
    title: 'audit log directory volume typed Directory, never created on the host',
    ...auditSetup('c15', {
      volumes: [
        { name: 'audit', hostPath: '/etc/kubernetes/c15/audit', type: 'Directory', mountPath: '/etc/kubernetes/c15/audit', readOnly: true },
        { name: 'audit-log', hostPath: '/var/log/kubernetes/c15/audit', type: 'Directory', mountPath: '/var/log/kubernetes/c15/audit' },
      ],
    }),
    real: { outcome: 'never-created', kubeletLog: /hostPath type check failed: \/var\/log\/kubernetes\/c15\/audit is not a directory/ },
    doctor: { fail: ['apiserver-volumes'], says: [/\/var\/log\/kubernetes\/c15\/audit is not a directory/] },
  },
  {
    id: 'c16',
    title: 'webhook kubeconfig names a CA file in a directory that is not mounted',
    ...auditSetup('c16', {
      files: {
        'etc/kubernetes/c16/ca/prisma-ca.pem': issue({ commonName: 'Prisma Cloud CA', isCA: true }, null).cert,
        'etc/kubernetes/c16/audit/webhook.yaml': webhookKubeconfig({ 'certificate-authority': '/etc/kubernetes/c16/ca/prisma-ca.pem' }),
      },
    }),
    real: { outcome: 'crash-loop', podLog: /\/etc\/kubernetes\/c16\/ca\/prisma-ca.pem/ },
    doctor: { fail: ['audit-files-mounted'], says: [/\/etc\/kubernetes\/c16\/ca\/prisma-ca\.pem/] },
  },
  {
    id: 'c17',
    title: 'subPath that climbs out of its volume',
    ...auditSetup('c17', {
      volumes: [
        {
          name: 'audit',
          hostPath: '/etc/kubernetes/c17/audit',
          type: 'Directory',
          subPath: '../c17-other',
          mountPath: '/etc/kubernetes/c17/audit',
          readOnly: true,
        },
        logVolume('c17'),
      ],
    }),
    real: { outcome: 'never-created' },
    doctor: { fail: ['apiserver-volumes'], says: [/subPath/] },
  },
];

/** Checks whose \`fail\` means the apiserver as written will not run on this node. */
export const BLOCKING = [
  'apiserver-manifest',
  'apiserver-volumes',
  'audit-files-mounted',
  'audit-files-readable',
  'manifests-dir-clean',
  'audit-policy-valid',
  'webhook-config-valid',
  'audit-webhook-mode',
];

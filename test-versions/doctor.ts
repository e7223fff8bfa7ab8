// The doctor's side of the version suite: a fake kubeadm node root holding the same audit files
// under AUDIT_DIR, `prisma-audit doctor --kubernetes-version V --offline --json` run on it as a real
// process, and what it predicts for the apiserver's start-up.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.js';
import { tempDir } from '../test/helpers/node-root.js';
import type { Report } from '../src/model/report.js';
import { AUDIT_DIR, type AuditFiles } from './oracles.js';

/** The evidence line by which a check says kube-apiserver exits at start-up, with its error text. */
const EXIT = /^kube-apiserver (?:\S+ )?exits at start-up: (.*)$/s;

function manifest(files: AuditFiles): string {
  const flags = [
    ...(files.policyFile === null ? [] : [`--audit-policy-file=${AUDIT_DIR}/${files.policyFile}`]),
    ...(files.webhookFile === null ? [] : [`--audit-webhook-config-file=${AUDIT_DIR}/${files.webhookFile}`]),
  ];
  return `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: { component: kube-apiserver, tier: control-plane }
spec:
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.20.2
    command:
    - kube-apiserver
    - --advertise-address=127.0.0.1
${flags.map((f) => `    - ${f}`).join('\n')}
    volumeMounts:
    - { name: audit, mountPath: ${AUDIT_DIR}, readOnly: true }
  volumes:
  - { name: audit, hostPath: { path: ${AUDIT_DIR}, type: Directory } }
`;
}

export interface DoctorStartup {
  /** The doctor predicts that kube-apiserver exits at start-up. */
  exits: boolean;
  /** The first start-up error it quotes (checks in catalogue order). A quote the doctor can only give
   * in part ends in " …": the oracle's text must start with what comes before. */
  error: string | null;
  /** check id: status: summary, for failure messages. */
  verdicts: string;
}

export async function doctorStartup(files: AuditFiles, kubernetesVersion: string): Promise<DoctorStartup> {
  const root = await tempDir('versions');
  const audit = join(root, AUDIT_DIR);
  await mkdir(audit, { recursive: true });
  await mkdir(join(root, 'etc/kubernetes/manifests'), { recursive: true });
  await writeFile(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), manifest(files));
  for (const [name, content] of Object.entries(files.files)) {
    if (name.endsWith('/')) await mkdir(join(audit, name), { recursive: true });
    else await writeFile(join(audit, name), content);
  }
  const res = await runCli(['doctor', '--root', root, '--kubernetes-version', kubernetesVersion, '--offline', '--output', 'json']);
  if (res.code !== 0 && res.code !== 3) throw new Error(`doctor ended with ${res.code}:\n${res.stderr}\n${res.stdout.slice(0, 2000)}`);
  const report = JSON.parse(res.stdout) as Report;
  const quotes = report.checks.flatMap((c) => c.evidence.map((e) => EXIT.exec(e.message)?.[1]).filter((q): q is string => q !== undefined));
  return {
    exits: quotes.length > 0,
    error: quotes[0] ?? null,
    verdicts: report.checks.map((c) => `${c.id}: ${c.status}: ${c.summary}`).join('\n'),
  };
}

/** Does the doctor's quote match the oracle's text (exactly, or as the prefix a " …" quote gives)? */
export function sameError(doctor: string | null, oracle: string | null): boolean {
  if (doctor === null || oracle === null) return doctor === oracle;
  // The doctor masks the webhook URL suffix (the console's shared secret) in everything it prints.
  const unmasked = doctor.endsWith(' …') ? doctor.slice(0, -2) : doctor;
  const pattern = unmasked
    .split('****')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^"/\\s]+');
  return new RegExp(`^${pattern}${doctor.endsWith(' …') ? '' : '$'}`).test(oracle);
}

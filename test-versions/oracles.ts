// The two oracles of the version suite, side by side: a real kube-apiserver 1.20.2 (start-up stderr,
// built by scripts/prepare-apiserver.sh) and Kubernetes 1.36's own audit code in the audit-oracle
// probe (scripts/prepare-modern-audit.sh). Each answers "does the apiserver start with these audit
// files, and if not, with which error?" in its own era's log format.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchApiserver, type Etcd } from '../test-apiserver/cluster.js';

const CACHE = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
export const PROBE_BIN = process.env.AUDIT_ORACLE ?? join(CACHE, 'bin/audit-oracle');
export const probePresent = (): boolean => existsSync(PROBE_BIN);

/** Where the doctor's fake node keeps the audit files; the oracles' temporary paths are rewritten to
 * it so the error texts compare byte for byte. */
export const AUDIT_DIR = '/etc/kubernetes/audit';

/** The audit files of one case, as they lie in the apiserver's directory. */
export interface AuditFiles {
  /** File name -> content; a name ending in "/" is a directory. */
  files: Record<string, string>;
  /** The name --audit-policy-file points at (it may be missing or a directory); null: no flag. */
  policyFile: string | null;
  /** The name --audit-webhook-config-file points at; null: no flag. */
  webhookFile: string | null;
}

export interface StartupOutcome {
  /** The apiserver exited at start-up. */
  exited: boolean;
  /** Its error text (the `Error: ` line of 1.20, the unquoted err="…" of 1.36), paths rewritten to AUDIT_DIR. */
  error: string | null;
  /** Everything it printed, paths rewritten. */
  output: string;
}

const rewrite = (text: string, dir: string) => text.split(`${dir}/`).join(`${AUDIT_DIR}/`).split(dir).join(AUDIT_DIR);

/** 1.20 (cobra): `Error: <text>` on stderr. */
export function error120(output: string): string | null {
  return /^Error: (.*)$/m.exec(output)?.[1] ?? null;
}

/** Newer (component-base/cli.Run): `E… run.go:NN] "command failed" err="<Go-quoted text>"`. */
export function error136(output: string): string | null {
  const m = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(output);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : null;
}

async function writeAuditFiles(dir: string, files: AuditFiles): Promise<void> {
  for (const [name, content] of Object.entries(files.files)) {
    if (name.endsWith('/')) await mkdir(join(dir, name), { recursive: true });
    else await writeFile(join(dir, name), content);
  }
}

const auditFlags = (dir: string, files: AuditFiles): string[] => [
  ...(files.policyFile === null ? [] : [`--audit-policy-file=${join(dir, files.policyFile)}`]),
  ...(files.webhookFile === null ? [] : [`--audit-webhook-config-file=${join(dir, files.webhookFile)}`]),
];

export interface ProbeResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runProbe(args: string[], timeoutMs = 60_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(PROBE_BIN, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Kubernetes 1.36: the probe's `webhook` subcommand (the policy alone when there is no webhook
 * file), which runs NewAuditOptions → Validate → ApplyTo as kube-apiserver does. */
export async function startup136(files: AuditFiles): Promise<StartupOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-oracle-'));
  try {
    await writeAuditFiles(dir, files);
    const args = [files.webhookFile === null ? 'policy' : 'webhook', ...auditFlags(dir, files)];
    const res = await runProbe(args);
    const output = rewrite(res.stderr + res.stdout, dir);
    if (res.code !== 0 && res.code !== 1) throw new Error(`audit-oracle ${args.join(' ')} ended with ${res.code}:\n${output}`);
    return { exited: res.code === 1, error: error136(output), output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A start-up that got this far has built every audit backend (1.20 builds them long before it
 * serves); the apiserver is then stopped. */
const SERVING = /Serving securely on /;

/** Kubernetes 1.20.2: a real kube-apiserver on loopback with these files: exited, or serving (then
 * stopped). */
export async function startup120(etcd: Etcd, files: AuditFiles): Promise<StartupOutcome> {
  const launched = await launchApiserver(etcd, null, { policy: null, files: files.files, flags: (dir) => auditFlags(dir, files) });
  try {
    const deadline = Date.now() + 90_000;
    const { child } = launched.proc;
    while (child.exitCode === null && child.signalCode === null && !SERVING.test(launched.proc.output())) {
      if (Date.now() > deadline)
        throw new Error(`kube-apiserver neither exited nor served within 90 s:\n${launched.proc.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const output = rewrite(launched.proc.output(), launched.dir);
    const exited = child.exitCode !== null;
    return { exited, error: exited ? error120(output) : null, output };
  } finally {
    await launched.stop();
  }
}

/** With PRISMA_AUDIT_CAPTURE_LOGS=<dir>, the suites append the log lines the oracles printed to
 * <dir>/<version>.jsonl ({case, line}), from which fixtures/oracle-logs/ is made (npm test reads
 * those offline). Only error and warning lines: `E…`, `W…`, `Error: …`. */
export async function captureLines(version: string, caseName: string, output: string): Promise<void> {
  const dir = process.env.PRISMA_AUDIT_CAPTURE_LOGS;
  if (!dir) return;
  const { appendFile, mkdir: mk } = await import('node:fs/promises');
  await mk(dir, { recursive: true });
  const lines = output.split('\n').filter((l) => /^(E\d{4} |W\d{4} |Error: )/.test(l));
  const text = lines.map((line) => JSON.stringify({ case: caseName, line })).join('\n');
  if (text) await appendFile(join(dir, `${version}.jsonl`), `${text}\n`);
}

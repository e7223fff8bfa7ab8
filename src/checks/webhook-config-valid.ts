import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { resolveKubeconfig } from '../parse/kubeconfig.js';
import { fieldEvidence } from './field-evidence.js';
import { EXIT_FACTS, exitEvidence } from './startup-exit.js';

const KNOWN_TOP = ['apiVersion', 'kind', 'preferences', 'clusters', 'contexts', 'users', 'current-context', 'extensions'];

export const webhookConfigValid: Check = {
  id: 'webhook-config-valid',
  title: 'webhook kubeconfig resolves',
  reads: 'the kubeconfig named by --audit-webhook-config-file',
  needs: ['webhookConfig', ...EXIT_FACTS],
  explain: {
    why: 'kube-apiserver loads the webhook file with client-go exactly like a kubeconfig: current-context -> context -> cluster -> server. The guide\'s heredoc run with an unset $webhookurl leaves `server:` empty and the apiserver exits with "no server found for cluster"; mismatched names give the misleading "no configuration has been provided, try setting KUBERNETES_MASTER".',
    detect:
      'Parses the file and resolves it as client-go does: only this file, current-context, the named context and cluster (last entry of a repeated name), a non-empty server, not both certificate-authority and -data, not a CA together with insecure-skip-tls-verify.',
    fix: 'Regenerate the file with `prisma-audit fix --only webhook-kubeconfig` (consistent names, server, one-line CA data), or edit the reported fields. Restart kube-apiserver afterwards: the file is read only at startup.',
  },
  evaluate(facts) {
    const file = facts.get('webhookConfig');
    const prefix = 'initializing audit webhook: ';
    if (file.error) {
      const where = file.error.line ? `${file.path}:${file.error.line}` : file.path;
      return {
        status: 'fail',
        summary: `${where}: not valid YAML; kube-apiserver exits with "${prefix}error loading config file \\"${file.containerPath}\\": ..."`,
        evidence: [
          { message: file.error.message, file: file.path, ...(file.error.line ? { line: file.error.line } : {}) },
          ...exitEvidence(facts, 'webhook-config-valid'),
        ],
        remediation: {
          text: `Fix the YAML at ${where}. A raw PEM pasted into certificate-authority-data or an unquoted template variable are the usual causes.`,
          fix: 'webhook-kubeconfig',
        },
      };
    }
    const kc = resolveKubeconfig(file.value);
    const evidence: Evidence[] = [];
    if (file.value && typeof file.value === 'object' && !Array.isArray(file.value)) {
      for (const key of Object.keys(file.value)) {
        if (!KNOWN_TOP.includes(key))
          evidence.push(
            fieldEvidence(
              file,
              key,
              `unknown top-level key "${key}" is ignored by client-go${key.startsWith('-') ? ' (a stray "-" before the key?)' : ''}`,
            ),
          );
      }
    }
    if (kc.clusterName)
      evidence.push({
        message: `current-context ${kc.currentContext} -> context ${kc.contextName} -> cluster ${kc.clusterName}${kc.userName ? `, user ${kc.userName}` : ''}`,
        file: file.path,
      });
    if (kc.credentials.length > 0)
      evidence.push({
        message: `user ${kc.userName} carries ${kc.credentials.join(', ')}: Prisma's webhook needs no credentials (the URL suffix is the secret)`,
      });
    if (kc.proxyUrl) evidence.push({ message: `proxy-url ${kc.proxyUrl}: events go through this proxy`, file: file.path });
    const fatal = kc.problems.filter((p) => p.fatal);
    if (fatal.length > 0) {
      const p = fatal[0]!;
      evidence.push(...fatal.map((x) => fieldEvidence(file, x.field ?? '', x.apiserverError ? `${prefix}${x.apiserverError}` : x.message)));
      const line = evidence[evidence.length - fatal.length]!.line;
      return {
        status: 'fail',
        summary: `${file.path}${line ? `:${line}` : ''}: ${p.message}${p.apiserverError ? `; kube-apiserver exits with "${prefix}${p.apiserverError}"` : ''}`,
        evidence: [...evidence, ...exitEvidence(facts, 'webhook-config-valid')],
        remediation: {
          text: 'Make current-context name a context whose cluster has a non-empty https server; set either certificate-authority-data or certificate-authority (not both), and never together with insecure-skip-tls-verify.',
          fix: 'webhook-kubeconfig',
        },
      };
    }
    // What only building the client finds (a server that is neither a URL nor host:port).
    const exit = exitEvidence(facts, 'webhook-config-valid');
    if (exit.length > 0) {
      return {
        status: 'fail',
        summary: `${file.path}: ${exit[0]!.message}`,
        evidence: [...evidence, ...exit],
        remediation: {
          text: 'Write the server as a full URL: https://<console>:8083/api/v1/kubernetes/webhook/<suffix>.',
          fix: 'webhook-kubeconfig',
        },
      };
    }
    if (kc.insecureSkipTLSVerify) {
      return {
        status: 'warn',
        summary: `${file.path}: insecure-skip-tls-verify: true; events are sent without verifying the console's certificate`,
        evidence,
        remediation: {
          text: 'Set certificate-authority-data to the console CA (base64 -w0) and remove insecure-skip-tls-verify.',
          fix: 'webhook-kubeconfig',
        },
      };
    }
    return { status: 'pass', summary: `${file.path} resolves to cluster "${kc.clusterName}"`, evidence };
  },
};

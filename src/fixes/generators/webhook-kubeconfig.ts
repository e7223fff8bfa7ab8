// webhook-kubeconfig: a clean kubeconfig for the audit webhook, in the vendor's shape (one cluster,
// one context, current-context set, no users: section, which client-go tolerates).
import { stringify } from 'yaml';
import { decodeGoBase64, readPemBlocks } from '../../parse/ca-data.js';
import { resolveKubeconfig, type ResolvedKubeconfig } from '../../parse/kubeconfig.js';
import { isSaasHost, judgeWebhookUrl } from '../../parse/webhook-url.js';
import { otherWebhookOwner } from '../../parse/webhook-owner.js';
import { pemBlocks } from '../../tls/certificate.js';
import { anchorsFit, judgeAnchors, liveAnchor } from './live-anchor.js';
import type { AuditLayout } from './layout.js';
import type { FixOptions, GatheredFacts, GeneratorResult, Refusal } from '../types.js';

const CONTEXT = 'webhook';
const DEFAULT_CLUSTER = 'prisma-console';

function refuse(reason: string, manualSteps: string[]): Refusal {
  return { fix: 'webhook-kubeconfig', reason, manualSteps };
}

/** PEM text whose CERTIFICATE blocks all parse, or null. */
function validPem(pem: Buffer): string | null {
  const blocks = readPemBlocks(pem);
  if (blocks.certs.length === 0 || blocks.broken.length > 0 || blocks.otherBlocks.length > 0) return null;
  return pem.toString('latin1');
}

/** The existing CA data, when it holds valid certificates (even wrapped across lines or pasted as raw PEM). */
function existingPem(kc: ResolvedKubeconfig): string | null {
  if (!kc.caData) return null;
  if (kc.caData.trimStart().startsWith('-----BEGIN')) return validPem(Buffer.from(kc.caData, 'latin1'));
  const decoded = decodeGoBase64(kc.caData.replace(/\s+/g, ''));
  return decoded.ok ? validPem(decoded.bytes) : null;
}

type Trust = { caData?: string; caFile?: string; insecure?: true; why: string };

const oneLine = (pem: string) => Buffer.from(pem, 'latin1').toString('base64');

/** What the file trusts today, kept as it is (CA data re-encoded on one line). */
function keepTrust(kc: ResolvedKubeconfig, kept: string | null): Trust {
  if (kept) return { caData: oneLine(kept), why: 'the existing CA certificates, re-encoded as one base64 line' };
  if (kc.caFile) return { caFile: kc.caFile, why: `the existing certificate-authority file ${kc.caFile} is kept` };
  if (kc.insecureSkipTLSVerify)
    return { insecure: true, why: 'insecure-skip-tls-verify kept: no CA was given (pass --ca-file to verify the console)' };
  return {
    why: 'no CA data: the host system roots must trust the console; pass --ca-file console-ca.pem when it uses a self-signed certificate',
  };
}

/** --ca-file wins, but never when the live chain does not build to it. Without it, the current
 * trust stays while it verifies the live chain (or nothing live is known); otherwise the anchor
 * comes from the chain the console presents. */
function chooseTrust(host: string, kc: ResolvedKubeconfig, opts: FixOptions): Trust | Refusal {
  if (isSaasHost(host))
    return {
      why: `no CA data: ${host} is a Prisma Cloud SaaS console with a publicly trusted certificate; CA data would replace the system roots and break at its next rotation`,
    };
  const live = opts.liveChain;
  if (opts.caPem !== null) {
    const pem = validPem(Buffer.from(opts.caPem, 'latin1'));
    if (!pem)
      return refuse('the CA file holds no parseable CERTIFICATE block (or holds a private key)', [
        'Export the console CA as PEM (Manage > Authentication > System certificates) and pass it with --ca-file.',
      ]);
    if (live && !anchorsFit(live, pemBlocks(pem), opts.now)) {
      return refuse(
        `the CA in --ca-file does not verify the chain ${live.endpoint} presents: ${judgeAnchors(live, pemBlocks(pem), opts.now).error}`,
        [
          'Check that --ca-file is the CA of this console (openssl x509 -in console-ca.pem -noout -subject -fingerprint -sha256) and that the URL names this console.',
          'Rerun without --ca-file to take the anchor from the live chain.',
        ],
      );
    }
    return {
      caData: oneLine(pem),
      why: `CA data from the given CA certificate, base64 on one line${live ? `; it verifies the chain ${live.endpoint} presents` : ''}`,
    };
  }
  const kept = existingPem(kc);
  // Go does not verify at all with insecure-skip-tls-verify: the user's choice, left as it is.
  const unverified = kc.insecureSkipTLSVerify && !kept && !kc.caFile;
  const current = live?.currentAnchors ?? (kept ? pemBlocks(kept) : null);
  if (!live || unverified || (current && anchorsFit(live, current, opts.now))) return keepTrust(kc, kept);
  const anchor = liveAnchor(live, opts.now);
  return { caData: oneLine(anchor.pem), why: anchor.why };
}

export function webhookKubeconfig(facts: GatheredFacts, layout: AuditLayout, opts: FixOptions): GeneratorResult {
  const fact = facts.webhookConfig;
  const kc = resolveKubeconfig(fact?.ok && !fact.value.error ? fact.value.value : null);
  const howToGetUrl = [
    'In the Prisma Cloud console open Defend > Access > Kubernetes, enable Kubernetes auditing and copy the webhook URL.',
    'Rerun with --webhook-url https://<console>/api/v1/kubernetes/webhook/<suffix>.',
  ];
  if (opts.webhookUrl && opts.consoleWebhookUrl && opts.webhookUrl.replace(/\/+$/, '') !== opts.consoleWebhookUrl) {
    // The suffix is a credential: neither URL is printed.
    return refuse('--webhook-url differs from the webhook URL the console given with --console expects', [
      'Drop --webhook-url to write the URL the console expects, or drop --console to write --webhook-url.',
    ]);
  }
  const owner = otherWebhookOwner(kc.server);
  if (owner && !opts.replaceWebhook) {
    return refuse(
      `${fact?.ok ? fact.value.path : 'the webhook kubeconfig'} sends the apiserver's single audit webhook to ${owner.name} (${owner.endpoint}); writing Prisma's URL replaces it and ${owner.name} stops receiving audit events`,
      [
        `To replace ${owner.name}: rerun with --replace-webhook (the old file is backed up).`,
        `To keep both: forward ${owner.name}'s events to Prisma (falcosidekick, an audit router) instead of changing the apiserver.`,
      ],
    );
  }
  if (!opts.webhookUrl && opts.consoleProblem)
    return refuse(`--console was given, but ${opts.consoleProblem}`, [
      'Check --console, the token (PRISMA_TOKEN or --token-file) and --console-ca, or pass the URL with --webhook-url.',
    ]);
  // An explicit URL first, then the console's, then the file's own.
  const [given, source] = opts.webhookUrl
    ? [opts.webhookUrl, '--webhook-url']
    : opts.consoleWebhookUrl
      ? [opts.consoleWebhookUrl, 'the URL the console expects']
      : [kc.server || null, 'the current server URL'];
  if (given === null) return refuse('no webhook URL: the file has none and no --webhook-url was given', howToGetUrl);
  // The same judgment as the webhook-url check, so the fix never keeps a URL that check fails.
  const judged = judgeWebhookUrl(given);
  if ('problem' in judged) {
    return refuse(
      `${source} is unusable: ${judged.problem.summary}${source === 'the current server URL' ? '; no --webhook-url was given' : ''}`,
      [judged.problem.text, ...howToGetUrl],
    );
  }
  // client-go drops a query or fragment before posting: write the URL it actually uses.
  const url = given.replace(/[?#].*$/, '');
  const trust = chooseTrust(judged.url.host, kc, opts);
  if ('reason' in trust) return trust;
  const clusterName = kc.clusterName ?? DEFAULT_CLUSTER;
  const cluster: Record<string, unknown> = { server: url };
  if (trust.caData) cluster['certificate-authority-data'] = trust.caData;
  if (trust.caFile) cluster['certificate-authority'] = trust.caFile;
  if (trust.insecure) cluster['insecure-skip-tls-verify'] = true;
  if (kc.tlsServerName) cluster['tls-server-name'] = kc.tlsServerName;
  if (kc.proxyUrl) cluster['proxy-url'] = kc.proxyUrl;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster }],
    contexts: [{ name: CONTEXT, context: { cluster: clusterName, user: 'kube-apiserver' } }],
    'current-context': CONTEXT,
  };
  const contents =
    '# Audit webhook for Prisma Cloud Compute (generated by prisma-audit fix).\n# kube-apiserver reads it only at startup: restart it after any change.\n' +
    stringify(config, { lineWidth: 0 });
  return [
    {
      kind: 'write',
      fix: 'webhook-kubeconfig',
      hostPath: layout.webhook.hostPath,
      contents,
      description: `webhook kubeconfig for ${judged.url.host}; ${trust.why}`,
      mode: 0o600,
    },
  ];
}

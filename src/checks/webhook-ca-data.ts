import type { Check } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import { decodeGoBase64, guessNonPem, readPemBlocks, type CaCert } from '../parse/ca-data.js';
import { isSaasHost, parseWebhookUrl } from '../parse/webhook-url.js';
import { fieldEvidence } from './field-evidence.js';
import { loadWebhook } from './load-webhook.js';
import { EXIT_FACTS, exitEvidence } from './startup-exit.js';

const DAY = 86_400_000;

export function certEvidence(c: CaCert, label: string): Evidence {
  return {
    message: `${label}: subject ${c.subject}; issuer ${c.issuer}; ${c.isCA ? 'CA' : 'not a CA'}${c.sans ? `; SANs ${c.sans}` : ''}; valid ${c.validFrom.toISOString()} to ${c.validTo.toISOString()}; SHA-256 ${c.fingerprint256}`,
  };
}

const REBUILD = [
  'openssl s_client -showcerts -connect <console-host>:8083 -servername <console-host> </dev/null | openssl x509 -outform PEM > console-ca.pem   # or export the CA from Manage > Authentication > System certificates',
  'base64 -w0 console-ca.pem   # paste the single line into certificate-authority-data',
];

export const webhookCaData: Check = {
  id: 'webhook-ca-data',
  title: 'webhook CA data well-formed',
  reads: 'certificate-authority-data of the webhook kubeconfig',
  needs: ['webhookConfig', ...EXIT_FACTS],
  explain: {
    why: 'certificate-authority-data must be the base64 of PEM certificates on one line. Raw PEM or base64 wrapped at 76 columns (GNU base64 without -w0) stops kube-apiserver at startup; double base64 or DER is silently ignored by 1.20/1.21 (every batch then fails with "x509: certificate signed by unknown authority") and fatal from 1.22. When set, these certificates are the only trust anchors: system roots are no longer used.',
    detect:
      "Decodes the value with Go's base64 rules, reads the PEM CERTIFICATE blocks, parses each certificate and checks validity dates; recognises raw PEM, wrapped lines, double encoding, DER and private keys.",
    fix: 'Rebuild it from the console CA: `base64 -w0 console-ca.pem` (or `openssl base64 -A -in console-ca.pem`). For a SaaS console leave it out: its certificate is publicly trusted.',
  },
  evaluate(facts): Finding {
    const { file, kc } = loadWebhook(facts);
    const field = kc.clusterIndex !== null ? `clusters.${kc.clusterIndex}.cluster.certificate-authority-data` : '';
    const url = kc.server ? parseWebhookUrl(kc.server) : null;
    const host = url && !('error' in url) ? url.host : null;
    if (kc.caData === null) {
      if (kc.caFile)
        return {
          status: 'skip',
          summary: `certificate-authority: ${kc.caFile} is used instead of CA data (see audit-files-readable and webhook-tls-chain)`,
        };
      const saas = host !== null && isSaasHost(host);
      return {
        status: saas || kc.insecureSkipTLSVerify ? 'pass' : 'warn',
        summary: saas
          ? "no CA data: the system roots verify the SaaS console's public certificate, as they should"
          : 'no CA data: the host\'s system roots must trust the console certificate; a self-hosted console uses a self-signed certificate by default, and then every batch fails with "x509: certificate signed by unknown authority"',
        evidence: [fieldEvidence(file, field, "certificate-authority-data is empty or absent (the guide's heredoc with $cacerts unset)")],
        remediation: saas
          ? undefined
          : {
              text: 'Put the console CA in certificate-authority-data (base64 -w0), unless the console certificate chains to a public CA (webhook-tls-chain tells).',
              commands: REBUILD,
              fix: 'webhook-kubeconfig',
            },
      };
    }
    const ev: Evidence[] = [];
    const where = fieldEvidence(file, field, '');
    const loc = `${file.path}${where.line ? `:${where.line}` : ''}`;
    const fail = (summary: string, detail?: string): Finding => ({
      status: 'fail',
      summary: `${loc}: ${summary}`,
      evidence: [...ev, ...(detail ? [{ ...where, message: detail }] : []), ...exitEvidence(facts, 'webhook-ca-data')],
      remediation: {
        text: 'Rebuild certificate-authority-data as one line of base64 of the PEM CA certificate.',
        commands: REBUILD,
        fix: 'webhook-kubeconfig',
      },
    });
    const data = kc.caData;
    if (data.trimStart().startsWith('-----BEGIN')) {
      return fail(
        'certificate-authority-data holds raw PEM, not base64: kube-apiserver exits with "illegal base64 data at input byte 0"',
        'the value starts with -----BEGIN',
      );
    }
    const decoded = decodeGoBase64(data);
    if (!decoded.ok) {
      const wrapped = /\s/.test(data.trim());
      return fail(
        `certificate-authority-data is not valid base64 (${decoded.apiserverError}${wrapped ? '; it contains spaces, which is what base64 wrapped at 76 columns becomes in a YAML plain scalar' : ''}): kube-apiserver exits with "initializing audit webhook: error loading config file ... ${decoded.apiserverError}"`,
        `character ${decoded.offset}: ${JSON.stringify(data.slice(Math.max(0, decoded.offset - 5), decoded.offset + 5))}`,
      );
    }
    if (/\n/.test(data.trim()))
      ev.push({
        ...where,
        message:
          'the value spans several lines: client-go accepts it (newlines are skipped) but one line from `base64 -w0` is the safe form',
      });
    const pem = readPemBlocks(decoded.bytes);
    if (pem.otherBlocks.some((b) => b.includes('PRIVATE KEY'))) {
      return fail(
        `certificate-authority-data contains a ${pem.otherBlocks.find((b) => b.includes('PRIVATE KEY'))}: a private key does not belong here, rotate it`,
      );
    }
    if (pem.certs.length === 0) {
      const kind = guessNonPem(decoded.bytes);
      const what =
        kind === 'double-base64'
          ? 'base64 of base64 (encoded twice)'
          : kind === 'der'
            ? 'a DER certificate, not PEM'
            : kind === 'empty'
              ? 'empty'
              : 'not a PEM certificate';
      return fail(
        `certificate-authority-data decodes to ${what}: Kubernetes 1.20/1.21 ignore it and every batch fails with "x509: certificate signed by unknown authority"; 1.22+ exits with "unable to load root certificates: unable to parse bytes as PEM block"`,
        pem.broken[0] ? `certificate parse error: ${pem.broken[0]}` : undefined,
      );
    }
    pem.certs.forEach((c, i) => ev.push(certEvidence(c, `CA data certificate ${i + 1}`)));
    const now = facts.now.getTime();
    const expired = pem.certs.filter((c) => c.validTo.getTime() < now || c.validFrom.getTime() > now);
    if (pem.broken.length > 0) return fail(`a CERTIFICATE block in certificate-authority-data does not parse (${pem.broken[0]})`);
    if (expired.length === pem.certs.length) {
      return fail(
        `every certificate in certificate-authority-data is outside its validity period (${expired.map((c) => `${c.subject} until ${c.validTo.toISOString()}`).join('; ')})`,
      );
    }
    if (host && isSaasHost(host)) {
      return {
        status: 'warn',
        summary: `${loc}: CA data pins the SaaS console ${host}: it replaces the system roots that already trust it, and breaks on the console's next certificate rotation`,
        evidence: ev,
        remediation: { text: 'Remove certificate-authority-data for SaaS consoles.', fix: 'webhook-kubeconfig' },
      };
    }
    const soon = pem.certs.filter((c) => c.validTo.getTime() - now < 30 * DAY);
    if (expired.length > 0 || soon.length > 0) {
      const c = [...expired, ...soon][0]!;
      return {
        status: 'warn',
        summary: `${loc}: CA certificate ${c.subject} ${c.validTo.getTime() < now ? 'has expired' : `expires ${c.validTo.toISOString().slice(0, 10)}`}`,
        evidence: ev,
        remediation: { text: "Replace it with the console's current CA before it expires.", commands: REBUILD, fix: 'webhook-kubeconfig' },
      };
    }
    return {
      status: 'pass',
      summary: `certificate-authority-data holds ${pem.certs.length} valid PEM certificate(s) on one base64 line`,
      evidence: ev,
    };
  },
};

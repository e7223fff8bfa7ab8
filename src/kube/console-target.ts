// The Prisma Cloud console the user pointed at (--console), and the webhook URL it expects. Pure.
import { WEBHOOK_PATH } from '../parse/webhook-url.js';

export interface ConsoleTarget {
  /** Console URL as given, e.g. https://console:8083 or https://us-east1.cloud.twistlock.com/us-2-158254964 */
  url: string;
  /** API token (PRISMA_TOKEN or --token-file); registered with the redactor, never printed. */
  token: string;
  /** PEM file of the CA that signed a self-hosted console's certificate (--console-ca). */
  caFile: string | null;
  timeoutMs: number;
}

/** <console>/api/v1/kubernetes/webhook/<suffix>, keeping a SaaS tenant path segment. */
export function expectedWebhookUrl(console: string, suffix: string): string {
  return `${console.replace(/\/+$/, '')}${WEBHOOK_PATH}${suffix}`;
}

/** <console>/api/v1/settings/kubernetes-audit */
export function settingsUrl(console: string): string {
  return `${console.replace(/\/+$/, '')}/api/v1/settings/kubernetes-audit`;
}

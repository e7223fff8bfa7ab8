// prismaSettings: webhookUrlSuffix from GET <console>/api/v1/settings/kubernetes-audit.
import { factFailure, type Collector } from '../collector.js';
import { ConsoleUnreachable, getAuditSettings } from '../../io/prisma-console.js';
import { settingsUrl } from '../../kube/console-target.js';

export const prismaSettingsCollector: Collector<'prismaSettings'> = {
  key: 'prismaSettings',
  deps: [],
  async collect(ctx) {
    const target = ctx.console;
    if (!target) throw factFailure('not-applicable', 'no Prisma console given (pass --console URL with PRISMA_TOKEN or --token-file)');
    const url = settingsUrl(target.url);
    let answer;
    try {
      answer = await getAuditSettings(target, ctx.signal);
    } catch (err) {
      if (!(err instanceof ConsoleUnreachable)) throw err;
      if (err.timedOut)
        throw factFailure(
          'timeout',
          `GET ${url}: no answer within ${target.timeoutMs} ms`,
          'Raise --timeout or check the console address and port (8083 for self-hosted).',
        );
      throw factFailure(
        'io',
        `GET ${url}: ${err.message}`,
        'Check the console URL; for a self-signed console certificate pass --console-ca FILE.',
      );
    }
    if (answer.status === 401 || answer.status === 403) {
      throw factFailure(
        'permission',
        `GET ${url} was refused (${answer.status} ${answer.status === 401 ? 'Unauthorized' : 'Forbidden'})`,
        'The token is missing, expired (self-hosted tokens last 30 minutes, SaaS 60) or its role may not read Defend > Access > Kubernetes settings. Get a fresh one with POST /api/v1/authenticate, or copy it from Manage > System > Utilities.',
      );
    }
    if (answer.status !== 200) throw factFailure('io', `GET ${url} answered ${answer.status}`);
    let settings: unknown;
    try {
      settings = JSON.parse(answer.body);
    } catch {
      throw factFailure('parse', `GET ${url} did not return JSON (is --console the "Path to Console", without /api?)`);
    }
    const suffix = (settings as { webhookUrlSuffix?: unknown } | null)?.webhookUrlSuffix;
    return { console: target.url.replace(/\/+$/, ''), webhookUrlSuffix: typeof suffix === 'string' ? suffix : '' };
  },
};

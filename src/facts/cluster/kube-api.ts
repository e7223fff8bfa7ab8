// kubeApi: which API server cluster mode talks to, and its version (GET /version is readable by
// every client, so it doubles as a connectivity test).
import type { Collector } from '../collector.js';
import { call, kubeClient } from './api.js';

export const kubeApiCollector: Collector<'kubeApi'> = {
  key: 'kubeApi',
  deps: [],
  async collect(ctx) {
    const client = await kubeClient(ctx.kube);
    const res = await call(client, 'get /version', { path: '/version' });
    let gitVersion: string | null = null;
    if (res.status === 200) {
      try {
        const v = JSON.parse(res.body) as { gitVersion?: unknown };
        gitVersion = typeof v.gitVersion === 'string' ? v.gitVersion : null;
      } catch {
        // a proxy answering 200 with HTML: keep the connection facts, no version
      }
    }
    return { server: client.server, context: client.context, source: client.source, gitVersion };
  },
};

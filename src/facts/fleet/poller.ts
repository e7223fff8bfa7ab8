// One shared look at every pod of the run per interval (a single labelled LIST, and the namespace's
// events while some pod has not started), instead of one GET per pod: 200 nodes cost the API
// server two requests a second, not two hundred.
import { call, statusMessage } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import { FactFailure } from '../collector.js';
import { eventsOf, type PodEvent } from '../../kube/fleet/pod-status.js';
import { RUN_LABEL } from '../../kube/fleet/pod-spec.js';
import { isObj, type Obj } from '../../parse/json-value.js';

export class Aborted extends Error {}

export class PodPoller {
  private pods = new Map<string, unknown>();
  private eventList: unknown = null;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private stopped = false;
  /** Set when events cannot be listed (RBAC): reasons then come from pod status alone. */
  eventsProblem: string | null = null;
  /** Set while the pod list itself fails; waiting workers see it in their reason at the deadline. */
  listProblem: string | null = null;
  wantEvents = true;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly runId: string,
    private readonly intervalMs: number,
    private readonly signal: AbortSignal,
  ) {}

  start(): void {
    const loop = async () => {
      await this.tick();
      if (!this.signal.aborted && !this.stopped) this.timer = setTimeout(loop, this.intervalMs);
    };
    this.timer = setTimeout(loop, this.intervalMs);
    this.signal.addEventListener('abort', () => this.release(), { once: true });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.release();
  }

  private release(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private async tick(): Promise<void> {
    const ns = encodeURIComponent(this.namespace);
    const selector = encodeURIComponent(`${RUN_LABEL}=${this.runId}`);
    try {
      const res = await call(this.client, `list pods in ${this.namespace}`, {
        path: `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`,
        maxBytes: 64 * 1024 * 1024,
      });
      if (res.status === 200) {
        const list = JSON.parse(res.body) as Obj;
        const items = Array.isArray(list.items) ? list.items.filter(isObj) : [];
        this.pods = new Map(items.map((p) => [String((p.metadata as Obj | undefined)?.name ?? ''), p]));
        this.listProblem = null;
      } else this.listProblem = `list pods in ${this.namespace}: ${res.status} ${statusMessage(res.body)}`;
      // Events carry the kubelet's reasons (mount, pull); every other tick is often enough.
      if (this.wantEvents && this.eventsProblem === null && this.ticks++ % 2 === 0) {
        const ev = await call(this.client, `list events in ${this.namespace}`, {
          path: `/api/v1/namespaces/${ns}/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Pod')}`,
          maxBytes: 64 * 1024 * 1024,
        });
        if (ev.status === 200) this.eventList = JSON.parse(ev.body);
        else if (ev.status === 403)
          this.eventsProblem = `RBAC forbids list events in ${this.namespace}: reasons come from the pod status alone`;
      }
    } catch (err) {
      this.listProblem = err instanceof FactFailure ? err.message : (err as Error).message;
    }
    this.release();
  }

  /** Resolves after the next look (or at once when the run is aborted). */
  next(): Promise<void> {
    if (this.signal.aborted) return Promise.reject(new Aborted('interrupted'));
    return new Promise<void>((resolve, reject) =>
      this.waiters.push(() => (this.signal.aborted ? reject(new Aborted('interrupted')) : resolve())),
    );
  }

  /** The pod as last listed: undefined when it was not in the list. */
  pod(name: string): unknown {
    return this.pods.get(name);
  }

  events(name: string): PodEvent[] {
    return this.eventList === null ? [] : eventsOf(this.eventList, name);
  }
}

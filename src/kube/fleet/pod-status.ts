// What a fleet pod's status and events say: still coming, finished (read its log), a host
// directory the node does not have (drop that mount and try again), or a reason it will never run,
// in the kubelet's or scheduler's own words. Pure.
import { isObj, stringOnly, type Obj } from '../../parse/json-value.js';

export interface PodEvent {
  reason: string;
  message: string;
  type: string;
  count: number;
}

export type PodState =
  /** Not finished; `detail` is the latest thing the kubelet said, null when nothing has (no kubelet). */
  | { kind: 'pending'; detail: string | null; started: boolean }
  /** The doctor ran to its end: its log holds the report. */
  | { kind: 'finished'; exitCode: number | null }
  /** The kubelet refused a hostPath the node does not have. */
  | { kind: 'missing-mount'; hostPath: string; message: string }
  /** It will not run: category and the kubelet's or scheduler's words. */
  | { kind: 'failed'; category: FailureCategory; reason: string };

export type FailureCategory = 'unschedulable' | 'image-pull' | 'deadline' | 'evicted' | 'rejected' | 'container';

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const CONTAINER_ERRORS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PreStartHookError',
]);
const HOSTPATH_CHECK = /hostPath type check failed: (\S+) is not a (?:directory|file)/;

/** Events of one pod, from an event list (oldest first, as the API returns them). */
export function eventsOf(list: unknown, pod: string): PodEvent[] {
  const items = isObj(list) && Array.isArray(list.items) ? list.items.filter(isObj) : [];
  return items
    .filter((e) => isObj(e.involvedObject) && e.involvedObject.name === pod)
    .map((e) => ({
      reason: stringOnly(e.reason) ?? '',
      message: stringOnly(e.message) ?? '',
      type: stringOnly(e.type) ?? '',
      count: typeof e.count === 'number' ? e.count : 1,
    }));
}

function containerOf(status: Obj): Obj | null {
  const list = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObj) : [];
  return list[0] ?? null;
}

export function podState(pod: unknown, events: PodEvent[]): PodState {
  const status = isObj(pod) && isObj(pod.status) ? pod.status : {};
  const phase = stringOnly(status.phase);
  const reason = stringOnly(status.reason);
  const message = stringOnly(status.message) ?? '';
  const said = (r: string | null, m: string) => `${r ?? 'no reason given'}${m ? `: ${m}` : ''}`;
  // Without a controller-manager the container status can still say running after the deadline:
  // the phase decides.
  if (phase === 'Failed' && reason === 'DeadlineExceeded') return { kind: 'failed', category: 'deadline', reason: said(reason, message) };
  if (phase === 'Failed' && reason === 'Evicted') return { kind: 'failed', category: 'evicted', reason: said(reason, message) };
  const container = containerOf(status);
  const state = container && isObj(container.state) ? container.state : {};
  const terminated = isObj(state.terminated) ? state.terminated : null;
  if ((phase === 'Succeeded' || phase === 'Failed') && terminated) {
    return { kind: 'finished', exitCode: typeof terminated.exitCode === 'number' ? terminated.exitCode : null };
  }
  // Refused at admission by the kubelet (OutOfcpu, NodeAffinity, UnexpectedAdmissionError …).
  if (phase === 'Failed') return { kind: 'failed', category: 'rejected', reason: said(reason, message) };
  const mount = [...events].reverse().find((e) => e.reason === 'FailedMount' && HOSTPATH_CHECK.test(e.message));
  if (mount) return { kind: 'missing-mount', hostPath: HOSTPATH_CHECK.exec(mount.message)![1]!, message: mount.message };
  const waiting = isObj(state.waiting) ? state.waiting : null;
  const waitReason = waiting ? stringOnly(waiting.reason) : null;
  if (waitReason && IMAGE_PULL.has(waitReason))
    return { kind: 'failed', category: 'image-pull', reason: said(waitReason, stringOnly(waiting!.message) ?? '') };
  if (waitReason && CONTAINER_ERRORS.has(waitReason))
    return { kind: 'failed', category: 'container', reason: said(waitReason, stringOnly(waiting!.message) ?? '') };
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObj) : [];
  const unschedulable = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (unschedulable)
    return { kind: 'failed', category: 'unschedulable', reason: said('Unschedulable', stringOnly(unschedulable.message) ?? '') };
  const scheduling = [...events].reverse().find((e) => e.reason === 'FailedScheduling');
  if (scheduling) return { kind: 'failed', category: 'unschedulable', reason: said('FailedScheduling', scheduling.message) };
  const pull = [...events].reverse().find((e) => e.reason === 'Failed' && /pull/i.test(e.message));
  if (pull) return { kind: 'failed', category: 'image-pull', reason: said('Failed', pull.message) };
  const latest = events[events.length - 1];
  const detail = waitReason ? said(waitReason, stringOnly(waiting!.message) ?? '') : latest ? said(latest.reason, latest.message) : null;
  const started = container !== null || events.length > 0 || conditions.some((c) => c.type !== 'PodScheduled');
  return { kind: 'pending', detail, started };
}

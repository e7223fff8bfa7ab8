// Reads `crictl ps -a -o json` and `crictl inspect -o json` output. Pure.
import type { ApiserverContainer } from '../model/logs.js';
import { isObj } from '../parse/json-value.js';

/** kube-apiserver containers, newest first. `createdAt` in `ps` output is epoch nanoseconds. */
export function parseCrictlPs(json: string): ApiserverContainer[] {
  const doc: unknown = JSON.parse(json);
  const containers = isObj(doc) && Array.isArray(doc.containers) ? doc.containers.filter(isObj) : [];
  return containers
    .map((c) => ({
      id: String(c.id ?? ''),
      attempt: isObj(c.metadata) && typeof c.metadata.attempt === 'number' ? c.metadata.attempt : 0,
      state: stateName(c.state),
      exitCode: null,
      createdAt: nanosToIso(c.createdAt),
    }))
    .filter((c) => c.id !== '')
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.attempt - a.attempt);
}

/** Adds exit code and state from `crictl inspect -o json <id>`. */
export function withInspect(container: ApiserverContainer, json: string): ApiserverContainer {
  const doc: unknown = JSON.parse(json);
  const status = isObj(doc) && isObj(doc.status) ? doc.status : {};
  return {
    ...container,
    exitCode: typeof status.exitCode === 'number' ? status.exitCode : container.exitCode,
    state: status.state === undefined ? container.state : stateName(status.state),
  };
}

/** `CONTAINER_EXITED` -> `Exited`, as `crictl ps` prints it. */
function stateName(state: unknown): string {
  const text = String(state ?? 'unknown')
    .replace(/^CONTAINER_/, '')
    .toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nanosToIso(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  if (!/^\d+$/.test(text)) return null;
  const ms = Number(BigInt(text) / 1_000_000n);
  return new Date(ms).toISOString();
}

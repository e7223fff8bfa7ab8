// Builds a support bundle: gather every fact once, run every check on them, then put the report,
// the redacted facts, the files the checks judged and redacted log excerpts into a reproducible
// .tar.gz that stays under --max-size.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { runChecks, type RunOptions } from '../checks/run.js';
import { recordedFacts } from '../facts/gather.js';
import { gatherAll, gatherNode } from '../facts/context.js';
import type { KubeAccess } from '../io/kube-client.js';
import type { Report } from '../model/report.js';
import { secretRedactor } from '../facts/secrets.js';
import type { Facts } from '../model/facts.js';
import type { RedactionCounts, Redactor } from '../redact/redactor.js';
import { renderJson } from '../report/json.js';
import { ReadFailure } from '../io/host-fs.js';
import { bufferEntry, fileRangeEntry, tarEntryBytes, TAR_END_BYTES, writeArchive, type ArchiveEntry } from './archive.js';
import { spoolExcerpt } from './log-excerpt.js';
import { RECORDING_SCHEMA, type Recording } from './recording.js';
import { FACTS_ENTRY } from './replay.js';
import { certificatesIn, FACT_FILES, LOG_SOURCES } from './sources.js';
import { secretFileReason, secretFiles, type SecretFiles } from './secret-files.js';
import { collectVersions } from './versions.js';

export interface BundleRequest {
  root: string;
  manifest: string | null;
  out: string;
  maxBytes: number;
  /** --since as given: the node-log collector reads the same window as the excerpts. */
  since: string | null;
  sinceMs: number | null;
  includeSuffix: boolean;
  collectedAt: Date;
  /** --collected-at was given: same inputs must give the same bytes, so measured durations and
   * per-file times are not recorded (they would differ on every run). */
  reproducible: boolean;
  timeoutMs: number;
  /** --offline: no network step while gathering. */
  offline?: boolean;
  env: NodeJS.ProcessEnv;
  tool: { name: string; version: string };
  /** Aborts gathering, reading logs and writing the archive; temporary files are removed either way. */
  signal?: AbortSignal;
  /** Cluster mode (--kubeconfig, --context, --cluster): the API's facts go into facts.json too. */
  kube?: KubeAccess | null;
}

export interface IndexEntry {
  name: string;
  size: number;
  sha256: string;
  /** The host path, fact or command the contents came from. */
  source: string;
  collectedAt: string;
  trimmed?: { reason: 'max-size'; originalBytes: number; keptBytes: number };
}

export interface SkippedSource {
  source: string;
  reason: string;
}

export interface BundleSummary {
  out: string;
  archiveBytes: number;
  report: Report;
  files: IndexEntry[];
  skipped: SkippedSource[];
}

export class BundleTooLarge extends Error {}

/** Room kept for index.json and redactions.json, which are written last: per entry, one line each. */
const METADATA_BYTES_PER_ENTRY = 800;
/** gzip adds a few bytes per stored block and its header; the tar size is kept below this share. */
const GZIP_MARGIN = 0.99;

interface Planned {
  entry: ArchiveEntry;
  index: IndexEntry;
  redactions?: RedactionCounts;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function planned(
  name: string,
  contents: Buffer,
  source: string,
  collectedAt: string,
  redactions?: RedactionCounts,
  trimmed?: IndexEntry['trimmed'],
): Planned {
  return {
    entry: bufferEntry(name, contents),
    index: { name, size: contents.length, sha256: sha256(contents), source, collectedAt, ...(trimmed ? { trimmed } : {}) },
    redactions,
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2) + '\n');
const hostEntryName = (hostPath: string) => path.posix.join('files', path.posix.normalize('/' + hostPath));

/** The report, the facts, versions and certificates: never trimmed (the bundle is useless without). */
async function essentials(
  req: BundleRequest,
  facts: Partial<Facts>,
  report: Report,
  redactor: Redactor,
  stamp: () => string,
): Promise<Planned[]> {
  const reportCounts: RedactionCounts = {};
  const factCounts: RedactionCounts = {};
  const recording: Recording = {
    schemaVersion: RECORDING_SCHEMA,
    collectedAt: req.collectedAt.toISOString(),
    tool: req.tool,
    target: { root: req.root, demo: false, offline: req.offline ?? false },
    facts: redactor.value(facts, factCounts),
  };
  const out = [
    planned(
      'results.json',
      Buffer.from(renderJson(redactor.value(report, reportCounts))),
      'prisma-audit doctor: every check, run on the facts in facts.json',
      stamp(),
      reportCounts,
    ),
    planned(FACTS_ENTRY, json(recording), 'every fact prisma-audit gathers', stamp(), factCounts),
    planned(
      'versions.json',
      json(await collectVersions(req.root, req.tool, facts.apiserver)),
      'the running tool and Node, /etc/os-release, the apiserver fact',
      stamp(),
    ),
  ];
  for (const [key, fact] of Object.entries(recording.facts)) {
    const certs = certificatesIn(fact);
    if (certs.length > 0)
      out.push(planned(`certs/${key}.pem`, Buffer.from(certs.join('\n') + '\n'), `fact ${key} (public certificates only)`, stamp()));
  }
  return out;
}

interface HostFile {
  name: string;
  text: Buffer;
  source: string;
  counts: RedactionCounts;
}

/** The configuration files the checks judged, redacted; a fact that failed is a skipped source. */
async function configFiles(facts: Partial<Facts>, redactor: Redactor, secrets: SecretFiles, skipped: SkippedSource[]): Promise<HostFile[]> {
  const out: HostFile[] = [];
  for (const row of FACT_FILES) {
    const fact = facts[row.fact];
    if (!fact) continue;
    if (!fact.ok) {
      skipped.push({ source: `fact ${row.fact}`, reason: redactor.text(fact.error.message) });
      continue;
    }
    for (const file of row.files(fact.value as never)) {
      const flag = await secrets.flagFor(file.path);
      if (flag) {
        skipped.push({ source: file.path, reason: secretFileReason(flag) });
        continue;
      }
      const counts: RedactionCounts = {};
      out.push({ name: hostEntryName(file.path), text: Buffer.from(redactor.text(file.text, counts)), source: file.path, counts });
    }
  }
  return out;
}

/** Log excerpts of at most keepBytes each, spooled under tmp; unreadable logs are skipped sources. */
async function logExcerpts(
  req: BundleRequest,
  logs: string[],
  keepBytes: number,
  redactor: Redactor,
  secrets: SecretFiles,
  tmp: string,
  skipped: SkippedSource[],
  stamp: () => string,
): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const [i, hostPath] of logs.entries()) {
    const flag = await secrets.flagFor(hostPath);
    if (flag) {
      skipped.push({ source: hostPath, reason: secretFileReason(flag) });
      continue;
    }
    if (keepBytes <= 0) {
      skipped.push({ source: hostPath, reason: '--max-size leaves no room for it' });
      continue;
    }
    try {
      const excerpt = await spoolExcerpt(req.root, hostPath, path.join(tmp, `${i}.log`), {
        keepBytes,
        sinceMs: req.sinceMs,
        now: req.collectedAt,
        redactor,
        signal: req.signal,
      });
      const name = hostEntryName(hostPath);
      const keptBytes = excerpt.end - excerpt.start;
      const trimmed = excerpt.trimmed ? { trimmed: { reason: 'max-size' as const, originalBytes: excerpt.originalBytes, keptBytes } } : {};
      out.push({
        entry: fileRangeEntry(name, excerpt.spool, excerpt.start, excerpt.end),
        index: { name, size: keptBytes, sha256: excerpt.sha256, source: hostPath, collectedAt: stamp(), ...trimmed },
        redactions: excerpt.redactions,
      });
    } catch (err) {
      if (req.signal?.aborted) throw err;
      skipped.push({ source: hostPath, reason: readFailureReason(err) });
    }
  }
  return out;
}

function withoutTimings<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutTimings) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'durationMs' && typeof v === 'number' ? 0 : withoutTimings(v)]),
    ) as T;
  }
  return value;
}

export async function buildBundle(req: BundleRequest): Promise<BundleSummary> {
  const stamp = () => (req.reproducible ? req.collectedAt : new Date()).toISOString();
  const source = gatherNode({
    root: req.root,
    manifest: req.manifest,
    timeoutMs: req.timeoutMs,
    offline: req.offline ?? false,
    now: req.collectedAt,
    since: req.since,
    kube: req.kube ?? null,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  const gathered = await gatherAll(source);
  // Ctrl-C while gathering: the facts settled as interrupted at once; no bundle is made of them.
  req.signal?.throwIfAborted();
  const redactor = secretRedactor(gathered, req.env, { includeSuffix: req.includeSuffix });
  const offline = req.offline ?? false;
  const runOpts: RunOptions = { offline, now: req.collectedAt, tool: req.tool, target: { root: req.root, demo: false, offline } };
  // Timings differ run to run (checks, probe rungs): a reproducible bundle records them as 0. The
  // checks judge exactly the facts that go into facts.json, as --from-bundle will.
  const facts = req.reproducible ? withoutTimings(gathered) : gathered;
  const measured = await runChecks(CHECKS, recordedFacts(facts), runOpts);
  const report: Report = req.reproducible ? withoutTimings(measured) : measured;

  const entries = await essentials(req, facts, report, redactor, stamp);
  const skipped: SkippedSource[] = [];
  const secrets = await secretFiles(req.root, facts);
  const configs = await configFiles(facts, redactor, secrets, skipped);
  const logs = [...new Set((await Promise.all(LOG_SOURCES.map((s) => s.find(req.root)))).flat())].sort();

  const entryCount = entries.length + configs.length + logs.length + 2;
  let budget =
    Math.floor(req.maxBytes * GZIP_MARGIN) -
    TAR_END_BYTES -
    METADATA_BYTES_PER_ENTRY * entryCount -
    entries.reduce((n, p) => n + tarEntryBytes(p.entry.size), 0);
  if (budget < 0) {
    throw new BundleTooLarge(
      `--max-size ${req.maxBytes} bytes is too small: the report and facts alone need about ${req.maxBytes - budget} bytes`,
    );
  }
  // Configuration files before logs: they are small and say more. A trimmed file keeps its head.
  for (const c of configs) {
    const keep = Math.max(0, Math.min(c.text.length, budget - 512));
    const trimmed = keep < c.text.length ? { reason: 'max-size' as const, originalBytes: c.text.length, keptBytes: keep } : undefined;
    entries.push(planned(c.name, c.text.subarray(0, keep), c.source, stamp(), c.counts, trimmed));
    budget -= tarEntryBytes(keep);
  }
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prisma-audit-bundle-'));
  try {
    // Logs share what is left equally; a trimmed log keeps its newest lines.
    const perLog = logs.length > 0 ? Math.floor(budget / logs.length) - 512 : 0;
    entries.push(...(await logExcerpts(req, logs, perLog, redactor, secrets, tmp, skipped, stamp)));
    const redactions = Object.fromEntries(
      entries
        .filter((p) => p.redactions)
        .map((p) => [p.index.name, p.redactions!] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    entries.push(
      planned(
        'redactions.json',
        json(redactions),
        'what the redactor masked in each file: rule names and counts, never the values',
        stamp(),
      ),
    );
    // index.json lists every other entry; it cannot hold its own checksum.
    const files = entries.map((p) => p.index).sort((a, b) => (a.name < b.name ? -1 : 1));
    const index = bufferEntry(
      'index.json',
      json({ collectedAt: req.collectedAt.toISOString(), maxSizeBytes: req.maxBytes, sinceMs: req.sinceMs, files, skipped }),
    );
    await writeArchive(req.out, [...entries.map((p) => p.entry), index], req.collectedAt, req.signal);
    return { out: req.out, archiveBytes: (await fs.stat(req.out)).size, report: redactor.value(report), files, skipped };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function readFailureReason(err: unknown): string {
  if (err instanceof ReadFailure) return `not read: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  const plain: Record<string, string> = {
    ENOENT: 'no such file or directory (a dangling link?)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EINVAL: 'not a regular file',
    ELOOP: 'too many levels of symbolic links',
  };
  return `cannot read: ${(e.code && plain[e.code]) || e.message || String(err)}`;
}

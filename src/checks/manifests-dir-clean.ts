import path from 'node:path';
import type { Check, FactReader } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import type { ManifestsDir, ManifestsDirEntry } from '../model/node.js';
import { strayFiles } from './rules.js';

export const manifestsDirClean: Check = {
  id: 'manifests-dir-clean',
  title: 'static-pod directory holds pods only',
  reads: 'the list of files in the static-pod manifest directory',
  needs: ['apiserver', 'manifestsDir'],
  explain: {
    why: 'The kubelet loads every file in the static-pod directory whose name does not start with a dot. A backup such as kube-apiserver.yaml.bak becomes a second apiserver pod; an audit policy or webhook kubeconfig dropped there makes the kubelet log "couldn\'t parse as pod" on every sync.',
    detect:
      'Lists the directory of the apiserver manifest and flags backups of pod manifests and audit files by name. Dot-files and directories are ignored by the kubelet and here.',
    fix: 'Move backups and audit files out of the directory (for example to /var/backups/prisma-audit/ and /etc/kubernetes/audit/), or rename them with a leading dot.',
  },
  evaluate(facts) {
    const dir = facts.get('manifestsDir');
    return dir.entries.some((e) => e.pod !== undefined) ? asTheKubeletReads(facts, dir) : byNames(facts, dir);
  },
};

/** Files, findings and commands listed in full; beyond, a count. */
const MAX_LISTED = 50;

const byteOrder = (a: ManifestsDirEntry, b: ManifestsDirEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The file source's view: sorted non-dot regular files, one pod per namespace/name, the last file wins. */
function asTheKubeletReads(facts: FactReader, dir: ManifestsDir): Finding {
  const api = facts.get('apiserver');
  const manifestName = path.posix.basename(api.file);
  const files = dir.entries.filter((e) => !e.name.startsWith('.') && e.kind === 'file').sort(byteOrder);
  const me = files.find((e) => e.name === manifestName);
  const myKey = me?.pod?.key ?? null;
  const fails: { text: string; file: string }[] = [];
  const warns: { text: string; file: string }[] = [];
  const winners = new Map<string, ManifestsDirEntry>();
  for (const e of files) if (e.pod?.key) winners.set(e.pod.key, e);
  if (myKey && me) {
    const winner = winners.get(myKey)!;
    if (winner !== me) {
      if (winner.identical) {
        warns.push({
          file: winner.name,
          text: `${winner.name} is a byte-identical copy of ${manifestName} (same pod ${myKey}) and sorts after it: the kubelet runs ${winner.name}. Harmless today, but your next edit to ${manifestName} is replaced by it within 20 s`,
        });
      } else {
        fails.push({
          file: winner.name,
          text: `${winner.name} sorts after ${manifestName} and has the same pod name (${myKey}): the kubelet runs ${winner.name}, not ${manifestName}; your edits are replaced within 20 s`,
        });
      }
    }
    for (const e of files) {
      if (e.pod?.key === myKey && e !== winner && e !== me)
        warns.push({
          file: e.name,
          text: `${e.name} has the same pod name as ${manifestName} (${myKey}) and is overridden by ${winner.name}: it runs again if that file is removed`,
        });
    }
    const myPort = me.pod!.apiserverPort;
    for (const [key, e] of winners) {
      if (key === myKey || e.pod!.apiserverPort === null) continue;
      if (e.pod!.apiserverPort === myPort) {
        fails.push({
          file: e.name,
          text: `${e.name} is a second kube-apiserver pod (${key}) on the same port ${myPort}: one of the two crash-loops with "bind: address already in use"`,
        });
      } else {
        warns.push({ file: e.name, text: `${e.name} runs another kube-apiserver (${key}) on port ${e.pod!.apiserverPort}` });
      }
    }
  }
  for (const e of files) {
    if (e.pod === null) warns.push({ file: e.name, text: `${e.name} cannot be read: the kubelet skips it` });
    else if (e.pod?.parseError)
      warns.push({
        file: e.name,
        text: `${e.name} is not a pod: the kubelet logs "couldn't parse as pod(${e.pod.parseError}), please check config file" on every sync`,
      });
  }
  for (const [key, e] of winners) {
    const shadowed = files.filter((x) => x.pod?.key === key && x !== e);
    if (key !== myKey && shadowed.length > 0)
      warns.push({
        file: e.name,
        text: `${shadowed.map((x) => x.name).join(', ')} and ${e.name} define the same pod ${key}: the kubelet runs ${e.name} only`,
      });
  }
  if (dir.unread) {
    const total = files.length;
    fails.unshift({
      file: '',
      text: `${dir.dir} holds ${total} files: the kubelet parses every one on each sync (every 20 s); only the first ${total - dir.unread} were read here, so a later one may still replace ${manifestName}. Move what is not a pod out`,
    });
  }
  // A directory flooded with files (100k were tried) must still give a report a person can read.
  const named = files.slice(0, MAX_LISTED).map((e) => e.name);
  const more = files.length > MAX_LISTED ? ` and ${files.length - MAX_LISTED} more` : '';
  const evidence: Evidence[] = [{ message: `${dir.dir}, in the order the kubelet reads it: ${named.join(', ') || '(no files)'}${more}` }];
  const found = [...fails, ...warns];
  for (const f of found.slice(0, MAX_LISTED))
    evidence.push({ message: f.text, ...(f.file ? { file: path.posix.join(dir.dir, f.file) } : {}) });
  if (found.length > MAX_LISTED) evidence.push({ message: `${found.length - MAX_LISTED} more findings like these in ${dir.dir}` });
  const toMove = [...new Set(found.map((f) => f.file).filter((f) => f !== '' && f !== manifestName))];
  const moves = toMove.slice(0, MAX_LISTED).map((f) => `mv ${path.posix.join(dir.dir, f)} /var/backups/prisma-audit/`);
  if (toMove.length > MAX_LISTED) moves.push(`# and ${toMove.length - MAX_LISTED} more files of ${dir.dir} like these`);
  const remediation = {
    text: 'Keep only the pods the node should run in the static-pod directory; keep backups and audit files elsewhere (or rename them with a leading dot, which the kubelet ignores).',
    commands: ['mkdir -p /var/backups/prisma-audit', ...moves],
    fix: 'manifests-dir-cleanup',
  };
  if (fails.length > 0) return { status: 'fail', summary: fails[0]!.text, evidence, remediation };
  if (warns.length > 0)
    return { status: 'warn', summary: warns[0]!.text + (warns.length > 1 ? ` (and ${warns.length - 1} more)` : ''), evidence, remediation };
  return {
    status: 'pass',
    summary: `the kubelet runs ${manifestName} as ${myKey ?? 'a pod'}; nothing else in ${dir.dir} competes with it (${files.length} files)`,
    evidence,
  };
}

/** Recordings made before files were decoded: judged by their names. */
function byNames(facts: FactReader, dir: ManifestsDir): Finding {
  const api = facts.get('apiserver');
  const manifestName = path.posix.basename(api.file);
  const { files, backups, audit } = strayFiles(manifestName, dir.entries);
  const evidence: Evidence[] = [{ message: `${dir.dir}: ${files.map((e) => e.name).join(', ') || '(no files)'}` }];
  for (const e of backups)
    evidence.push({ message: `backup copy the kubelet loads as a pod: ${e.name}`, file: path.posix.join(dir.dir, e.name) });
  for (const e of audit)
    evidence.push({
      message: `not a pod manifest; the kubelet logs "couldn't parse as pod" for it: ${e.name}`,
      file: path.posix.join(dir.dir, e.name),
    });
  const moves = [...backups, ...audit].map((e) => `mv ${path.posix.join(dir.dir, e.name)} /var/backups/prisma-audit/`);
  if (backups.length > 0) {
    const apiserverCopy = backups.some((e) => e.name.startsWith(manifestName.replace(/\.[^.]+$/, '')));
    return {
      status: apiserverCopy ? 'fail' : 'warn',
      summary: `${backups.map((e) => e.name).join(', ')} in ${dir.dir}: the kubelet runs ${apiserverCopy ? 'it as a second kube-apiserver pod' : 'every file there as a pod'}`,
      evidence,
      remediation: {
        text: 'Move the files out of the static-pod directory; keep backups elsewhere.',
        commands: ['mkdir -p /var/backups/prisma-audit', ...moves],
        fix: 'manifests-dir-cleanup',
      },
    };
  }
  if (audit.length > 0) {
    return {
      status: 'warn',
      summary: `${audit.map((e) => e.name).join(', ')} in ${dir.dir}: the kubelet tries to run it as a pod and logs an error on every sync`,
      evidence,
      remediation: {
        text: 'Move audit files to their own directory (e.g. /etc/kubernetes/audit) and point the flags and mounts there.',
        commands: ['mkdir -p /var/backups/prisma-audit', ...moves],
        fix: 'manifests-dir-cleanup',
      },
    };
  }
  return { status: 'pass', summary: `${dir.dir} holds only pod manifests (${files.length} files)`, evidence };
}

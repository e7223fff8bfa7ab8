import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { LOG_FLAG } from '../kube/audit-paths.js';
import { lastFlag } from '../parse/flags.js';
import { configurableApiserver, flagEvidence, flagLocation } from './apiserver-flags.js';

export const auditLogPath: Check = {
  id: 'audit-log-path',
  title: 'audit log path set and kept',
  reads: '--audit-log-path and the volumeMount covering its directory',
  needs: ['apiserver', 'auditPaths'],
  explain: {
    why: 'The Prisma Cloud guide asks for --audit-log-path. It turns on the log backend only: webhook delivery does not need it (kube-apiserver source and a real 1.20.2 apiserver delivered events with no log path). A local log is still the best evidence when events do not arrive, and it must be written to a mounted host directory or it dies with the container.',
    detect: 'Reads --audit-log-path; when set (and not "-", which means stdout), maps its directory through volumeMounts to the host.',
    fix: 'Add --audit-log-path=/var/log/kubernetes/audit/audit.log with --audit-log-maxage/-maxbackup/-maxsize, and a hostPath volume of type DirectoryOrCreate for /var/log/kubernetes/audit mounted at the same path.',
  },
  evaluate(facts) {
    const api = configurableApiserver(facts);
    const flag = lastFlag(api.flags, LOG_FLAG);
    if (!flag || !flag.value) {
      return {
        status: 'warn',
        summary: `--audit-log-path is not set in ${api.file}: webhook delivery does not need it, but there is no local audit log to compare against`,
        remediation: {
          text: 'Optional. The Prisma Cloud guide asks for it; kube-apiserver does not need it to send events (only --audit-policy-file and --audit-webhook-config-file are required). Add it for a local record, in a mounted directory.',
          fix: 'manifest-patch',
        },
      };
    }
    const evidence: Evidence[] = [flagEvidence(api, flag)];
    if (flag.value === '-')
      return { status: 'pass', summary: "--audit-log-path=- writes audit events to the apiserver's stdout (its container log)", evidence };
    if (api.mode !== 'static-pod')
      return {
        status: 'pass',
        summary: `--audit-log-path=${flag.value} (host path; ${api.distribution} runs kube-apiserver on the host)`,
        evidence,
      };
    const log = facts.get('auditPaths').find((p) => p.role === 'log');
    if (!log || !log.mapping) {
      return {
        status: 'warn',
        summary: `the audit log ${flag.value} (${flagLocation(api, flag)}) is not on any volumeMount: it is written inside the container and lost when the apiserver restarts`,
        evidence,
        remediation: { text: `Mount a host directory at ${dirOf(flag.value)} (hostPath, type DirectoryOrCreate).`, fix: 'manifest-patch' },
      };
    }
    evidence.push({
      message: `covered by volumeMount "${log.mapping.mountName}" at ${log.mapping.mountPath} -> host ${log.hostPath ?? '(not a hostPath volume)'}`,
      file: api.file,
      ...(log.mapping.mountLine ? { line: log.mapping.mountLine } : {}),
    });
    if (log.mapping.readOnly) {
      return {
        status: 'warn',
        summary: `the audit log ${flag.value} is on the read-only mount "${log.mapping.mountName}": kube-apiserver cannot write it`,
        evidence,
        remediation: {
          text: `Remove readOnly: true from volumeMount "${log.mapping.mountName}", or mount a separate writable directory for the log.`,
          fix: 'manifest-patch',
        },
      };
    }
    const backups = lastFlag(api.flags, 'audit-log-maxbackup');
    if (log.mapping.mountPath.replace(/\/+$/, '') === flag.value.replace(/\/+$/, '') && backups?.value && backups.value !== '0') {
      return {
        status: 'warn',
        summary: `the audit log is mounted as a single file while --audit-log-maxbackup=${backups.value}: rotated files are written inside the container and lost on restart`,
        evidence,
        remediation: { text: `Mount the directory ${dirOf(flag.value)} instead of the file itself.`, fix: 'manifest-patch' },
      };
    }
    return {
      status: 'pass',
      summary: `--audit-log-path=${flag.value} is on volumeMount "${log.mapping.mountName}" (host ${log.hostPath ?? '?'})`,
      evidence,
    };
  },
};

function dirOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/')) || '/';
}

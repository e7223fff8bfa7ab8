import { DEFAULT_IMAGE } from './fleet-args.js';

export const MAIN_HELP = `prisma-audit: diagnose and repair the kube-apiserver audit webhook that sends audit events to Prisma Cloud Compute

Usage:
  prisma-audit doctor [options]     run the checks on this node (or --root DIR)
  prisma-audit fleet [options]      run the doctor on every control-plane node, in a pod per node (also doctor --all-nodes)
  prisma-audit fix [options]        write corrected files for what the checks found (--apply: on the node)
  prisma-audit bundle [options]     write a redacted support bundle (.tar.gz) of this node's audit setup
  prisma-audit checks [--json]      list the checks: id, title, what each reads
  prisma-audit explain ID           why a check matters, how it is detected, how to fix it by hand
  prisma-audit completion SHELL     shell completion: bash, zsh or fish (eval "$(prisma-audit completion bash)")
  prisma-audit -v, --version

Run "prisma-audit <command> --help" for a command's options.
`;

export const CHECKS_HELP = `Usage: prisma-audit checks [--json]

Lists every check: its id (for --only, --skip and explain), its title and what it reads.
  --json                     the catalogue as JSON
`;

export const EXPLAIN_HELP = `Usage: prisma-audit explain ID

Why a check matters, how it is detected and how to fix it by hand (ids: prisma-audit checks).
`;

export const COMPLETION_HELP = `Usage: prisma-audit completion bash|zsh|fish

Prints a completion script for commands, options, check ids and fix ids.
  bash:  eval "$(prisma-audit completion bash)"     (or save it under /etc/bash_completion.d/)
  zsh:   eval "$(prisma-audit completion zsh)"
  fish:  prisma-audit completion fish | source
`;

export const DOCTOR_HELP = `Usage: prisma-audit doctor [options]

Options:
  --root DIR                 the node's filesystem root (default /); every host path is read under it
  --manifest PATH            host path of the apiserver manifest (default: discovered)
  --only IDS                 comma list of check ids to run
  --skip IDS                 comma list of check ids to leave out
  -o, --output MODE          pretty | text | json | json-framed | junit (default: pretty on a terminal, text otherwise);
                             json-framed is the JSON document in checksummed base64 lines, found even in mixed output
  --json                     same as --output json
  --timeout SECONDS          deadline for each network probe (default 5)
  --offline                  no network; network checks report skip
  --kubernetes-version V     judge version-specific rules for V when the image tag does not tell
  --since DURATION           how far back to read the kubelet journal (default 24h; 30m, 2d, or a date)
  --log-file PATH            also scan this log (plain, CRI or journal format); repeatable
  --strict                   exit 4 when anything is warn or unknown
  --demo                     run on the bundled demo node (no cluster needed)
  --from-bundle FILE         re-run the checks on a support bundle's recorded facts (no node, no network)
  --compare FILE             compare with an earlier report (doctor --json output, or a support bundle):
                             regressions first, then fixes, then audit configuration changes; exit 3 on a regression
  --force                    compare even when the earlier report is of another node or cluster
  --upgrade-to VERSION       judge the node as that kube-apiserver/kubeadm version would (the version-rules
                             table: each finding names the version where it bites); see upgrade-rules
  --show-secrets             do not mask the webhook URL suffix and tokens in the output (the console token stays masked)
  -v, --verbose              show evidence for passing checks too
  --no-color                 no colour (NO_COLOR is honoured too)
  --all-nodes                fleet mode: every control-plane node (see prisma-audit fleet --help)
  --fleet-pod                set by fleet mode inside its pod: host commands are reported as out of reach, with why
  -h, --help                 this help

Cluster mode (Kubernetes API; opt-in, node checks keep running):
  --kubeconfig PATH          kubeconfig to use (KUBECONFIG is honoured too)
  --context NAME             context of that kubeconfig
  --cluster                  use the default kubeconfig rules (~/.kube/config, in-cluster)
  --canary [NAMESPACE]       create+delete one labelled ConfigMap in twistlock (or NAMESPACE), wait one
                             webhook batch and require the audit event counter to rise
  --sample SECONDS           read /metrics over this window: event rate against the webhook capacity
                             (throttle qps x batch max size, buffer, max wait; see audit-capacity)
  --console URL              Prisma console ("Path to Console") to read the webhook suffix from (read only)
  --token-file FILE          console API token (or PRISMA_TOKEN); never given as a flag value, never printed
  --console-ca FILE          CA certificate of a self-hosted console

Exit codes:
  0  no check failed
  1  internal error
  2  usage or input error (unknown option or id; --root, --manifest, --kubeconfig, --context,
     --token-file, --console-ca or --log-file that does not exist; --canary without a cluster)
  3  at least one check failed
  4  --strict and a warn or unknown
  5  nothing could be checked: no apiserver configuration found, or it is unreadable or unparsable
     (also --from-bundle without facts)
  130  interrupted (Ctrl-C); q during a run exits with the code of what finished
`;

export const FIX_HELP = `Usage: prisma-audit fix [options]

Plans corrected files for the failing and warning checks, verifies them with the same checks, and
writes them to a new folder (nothing on the node changes) or, with --apply, to the node.

Options:
  --root DIR                 the node's filesystem root (default /)
  --manifest PATH            host path of the apiserver manifest (default: discovered)
  --only IDS                 comma list of fix ids: manifest-patch, webhook-kubeconfig, audit-policy, manifests-dir-cleanup
  --out DIR                  folder for the plan (default ./prisma-audit-fix-<YYYYmmdd-HHMMSS>/; with --apply, its
                             record goes next to the backups: /var/backups/prisma-audit/<stamp>-plan/)
  --apply                    write the files on the node: atomically, backups in /var/backups/prisma-audit/, manifest last
  -y, --yes                  do not ask before --apply (required when stdin is not a terminal)
  --webhook-url URL          https://<console>/api/v1/kubernetes/webhook/<suffix> for the webhook kubeconfig
  --use FILE                 restore a dropped audit flag to this file (repeatable; see orphaned-audit-files)
  --upgrade-to VERSION       plan for that Kubernetes version (kubeadm 1.31+: v1beta4 list-form extraArgs in the snippet)
  --replace-webhook          overwrite a webhook kubeconfig that sends events to another receiver (Falco, Sysdig ...)
  --console URL              read that URL from the Prisma console instead (token from PRISMA_TOKEN or
                             --token-file FILE, never a flag; --console-ca FILE for a self-signed console)
  --ca-file PEM              the console's CA certificate, for certificate-authority-data (default:
                             keep the current CA while it verifies the live chain, else pin the
                             highest certificate the console presents that the chain verifies to)
  --offline                  do not contact the webhook endpoint: no live chain, no live verification
  --timeout SECONDS          bound of each network step (default 5)
  --json                     one JSON document on stdout
  -h, --help                 this help

Exit codes:
  0  every selected fix planned or applied (log findings then await the apiserver's restart)
  3  a fix was refused or withheld, leaves a failure it cannot change, a failing check has no fix,
     or a target changed while planning
  2  usage error (including an --out that is not a new or empty folder) or --apply not confirmed
  1  internal error
`;

export const BUNDLE_HELP = `Usage: prisma-audit bundle [options]

Writes a .tar.gz for support: results.json (the doctor report), facts.json (every gathered fact),
the apiserver manifest, audit policy and webhook kubeconfig under files/, excerpts of the
kube-apiserver logs, public certificates, versions.json, index.json (size, SHA-256, source of each
file) and redactions.json (what was masked, never the values). Secrets are masked: tokens,
passwords, private keys, JWTs, PRISMA_TOKEN and the webhook URL suffix.
Re-check a bundle anywhere with: prisma-audit doctor --from-bundle FILE

Options:
  --root DIR                 the node's filesystem root (default /)
  --manifest PATH            host path of the apiserver manifest (default: discovered)
  --out FILE                 archive to write (default ./prisma-audit-bundle-<YYYYmmdd-HHMMSS>.tar.gz, UTC)
  --since DURATION           only log lines from the last DURATION (30m, 24h, 7d), in the excerpts
                             and in the node-log scan
  --timeout SECONDS          bound of each network step while gathering (default 5)
  --offline                  no network step (TLS chain, probe): those checks say they did not look
  --max-size SIZE            cap on the archive (default 50M; e.g. 500K, 5M); logs are trimmed first
  --include-suffix           keep the webhook URL suffix visible (it lets anyone post events: share with care)
  --kubeconfig PATH          also record what the Kubernetes API shows (apiserver pods and flags, kubeadm-config,
  --context NAME             audit metrics), read-only and redacted like the node's facts; KUBECONFIG or
  --cluster                  --cluster (default kubeconfig rules) turn it on too; --offline keeps it off
  -h, --help                 this help

Exit codes: 0 bundle written (whatever the checks found)   2 usage or input error   1 internal error
            130 interrupted (Ctrl-C): temporary files and the partial archive are removed
`;

export const FLEET_HELP = `Usage: prisma-audit fleet [options]        (also: prisma-audit doctor --all-nodes [options])

Runs the doctor on every control-plane node (nodes running a kube-apiserver pod, or labelled control-plane
or master), each in a short-lived pod pinned to the node: host network, read-only hostPath mounts of only
the directories the doctor reads (under /host), read-only root filesystem, no capability but
DAC_READ_SEARCH. Reports every node, a node x check matrix, and where the nodes disagree.

Options:
  --kubeconfig PATH          kubeconfig to use (KUBECONFIG and ~/.kube/config are honoured too)
  --context NAME             context of that kubeconfig
  --contexts A,B,C | all     run on several clusters (3 at a time) with one combined report
  -n, --namespace NS         namespace of the pods (default prisma-audit; created and removed unless it exists)
  --image REF                the prisma-audit image the pods run (default ${DEFAULT_IMAGE})
  --parallel N               nodes at once (default 10)
  --deadline SECONDS         per node, from pod creation to report (default 120; also activeDeadlineSeconds)
  --timeout SECONDS          API calls, and the doctor's network probes (default 5)
  --keep                     leave the pods for debugging (kubectl -n NS logs POD); they are deleted otherwise,
                             on every exit path, Ctrl-C included
  --only IDS / --skip IDS    checks the doctor runs on each node
  --offline                  the doctor touches no network from the nodes
  --since DURATION           passed to the doctor
  -o, --output MODE          pretty | text | json | junit (default: pretty on a terminal, text otherwise)
  --json                     same as --output json
  --strict                   exit 4 when anything is warn or unknown (a node that could not be checked included)
  -v, --verbose              show passing checks of every node too
  --no-color                 no colour
  --print-manifests          print the namespace, service account, RBAC and one Job per node (GitOps), run nothing
  --nodes A,B,C              with --print-manifests: these nodes, without asking the API
  --collect                  read the reports of the Jobs --print-manifests made
  -h, --help                 this help

Needs: create/get/list/delete pods and get pods/log in the namespace, get/list nodes. Optional: list events
there (the kubelet's reasons), list pods in kube-system (the apiserver's own hostPaths), create namespaces.

Exit codes: as doctor (3 when any node fails a check, 4 with --strict), 130 when interrupted.
`;

const HELP: Record<string, string> = {
  doctor: DOCTOR_HELP,
  fix: FIX_HELP,
  bundle: BUNDLE_HELP,
  checks: CHECKS_HELP,
  explain: EXPLAIN_HELP,
  completion: COMPLETION_HELP,
  fleet: FLEET_HELP,
};

/** `prisma-audit help TOPIC` and `<command> --help`. */
export function helpFor(topic: string | null): string {
  return (topic && HELP[topic]) || MAIN_HELP;
}

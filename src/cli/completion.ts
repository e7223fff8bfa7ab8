// `prisma-audit completion bash|zsh|fish`: a completion script for commands, options, check ids
// (--only, --skip, explain), fix ids (fix --only) and output modes. Generated from the same option
// tables the parser uses, so it cannot drift from them.
import { CHECK_IDS } from '../model/check-ids.js';
import { FIX_IDS } from '../fixes/types.js';
import { COMMANDS, DOCTOR_OPTIONS, SHELLS, type Shell } from './args.js';
import { BUNDLE_OPTIONS } from './bundle-args.js';
import { FIX_OPTIONS } from './fix-args.js';

type Options = Record<string, { type: string; short?: string }>;
const flags = (o: Options) => Object.keys(o).map((k) => `--${k}`);

const OUTPUTS = ['pretty', 'text', 'json', 'junit'];
/** Options whose value is a path (the shell completes file names). */
const PATH_OPTIONS = [
  '--root',
  '--manifest',
  '--out',
  '--kubeconfig',
  '--token-file',
  '--console-ca',
  '--ca-file',
  '--log-file',
  '--from-bundle',
];
const PER_COMMAND: Record<string, string[]> = {
  doctor: flags(DOCTOR_OPTIONS),
  fix: flags(FIX_OPTIONS),
  bundle: flags(BUNDLE_OPTIONS).filter((f) => f !== '--collected-at'),
  checks: ['--json', '--help'],
  explain: ['--help'],
  completion: ['--help'],
};

function bash(): string {
  const cases = Object.entries(PER_COMMAND)
    .map(([cmd, opts]) => `    ${cmd}) words="${opts.join(' ')}" ;;`)
    .join('\n');
  return `# prisma-audit completion for bash: eval "$(prisma-audit completion bash)"
_prisma_audit() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}" words="" pre=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${COMMANDS.join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    ${PATH_OPTIONS.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --output|-o) COMPREPLY=($(compgen -W "${OUTPUTS.join(' ')}" -- "$cur")); return ;;
    --only|--skip)
      # comma lists: complete the id after the last comma
      if [[ "$cur" == *,* ]]; then pre="\${cur%,*},"; cur="\${cur##*,}"; fi
      if [ "$cmd" = fix ]; then words="${FIX_IDS.join(' ')}"; else words="${CHECK_IDS.join(' ')}"; fi
      COMPREPLY=($(compgen -P "$pre" -W "$words" -- "$cur")); return ;;
  esac
  case "$cmd" in
    explain) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${CHECK_IDS.join(' ')}" -- "$cur")); return; fi ;;
    completion) if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur")); return; fi ;;
  esac
  case "$cmd" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _prisma_audit prisma-audit
`;
}

/** zsh runs the bash function through bashcompinit (part of zsh). */
function zsh(): string {
  return `# prisma-audit completion for zsh: eval "$(prisma-audit completion zsh)"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash().split('\n').slice(1).join('\n')}`;
}

function fish(): string {
  const lines = ['# prisma-audit completion for fish: prisma-audit completion fish | source', 'complete -c prisma-audit -f'];
  lines.push(`complete -c prisma-audit -n __fish_use_subcommand -a '${COMMANDS.join(' ')}'`);
  for (const [cmd, opts] of Object.entries(PER_COMMAND)) {
    const when = `-n '__fish_seen_subcommand_from ${cmd}'`;
    for (const opt of opts) {
      const name = opt.slice(2);
      const value = PATH_OPTIONS.includes(opt)
        ? ' -rF'
        : name === 'output'
          ? ` -xa '${OUTPUTS.join(' ')}'`
          : name === 'only' || name === 'skip'
            ? ` -xa '${(cmd === 'fix' ? FIX_IDS : CHECK_IDS).join(' ')}'`
            : '';
      lines.push(`complete -c prisma-audit ${when} -l ${name}${value}`);
    }
  }
  lines.push(`complete -c prisma-audit -n '__fish_seen_subcommand_from explain' -a '${CHECK_IDS.join(' ')}'`);
  lines.push(`complete -c prisma-audit -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`);
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? bash() : shell === 'zsh' ? zsh() : fish();
}

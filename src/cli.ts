#!/usr/bin/env node
// Entry point: parse the command, run it, map the outcome to a documented exit code.
import { parseCommand } from './cli/args.js';
import { UsageError } from './cli/usage.js';
import { renderCatalogue, renderExplain } from './cli/catalogue.js';
import { helpFor } from './cli/help.js';
import { TOOL } from './cli/tool.js';
import { invokedAsPlugin, pluginDefaults } from './cli/kubectl-plugin.js';
import { EXIT } from './report/exit-codes.js';

// Each command's module is loaded only when that command runs: start-up time is a feature.
async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv);
  const command = invokedAsPlugin([process.argv0, process.argv[1]]) ? pluginDefaults(parsed) : parsed;
  switch (command.name) {
    case 'help':
      process.stdout.write(helpFor(command.topic));
      return EXIT.ok;
    case 'version':
      process.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
      return EXIT.ok;
    case 'checks':
      process.stdout.write(renderCatalogue(command.json));
      return EXIT.ok;
    case 'explain':
      process.stdout.write(renderExplain(command.id));
      return EXIT.ok;
    case 'completion':
      process.stdout.write((await import('./cli/completion.js')).completionScript(command.shell));
      return EXIT.ok;
    case 'doctor':
      return (await import('./cli/doctor.js')).doctor(command.options, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    case 'fix':
      return (await import('./cli/fix.js')).fix(command.options, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        cwd: process.cwd(),
        env: process.env,
      });
    case 'fleet':
      return (await import('./cli/fleet.js')).fleet(command.options, { stdout: process.stdout, stderr: process.stderr, env: process.env });
    case 'bundle':
      return (await import('./cli/bundle.js')).bundle(command.options, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`prisma-audit: ${err.message}\n(see prisma-audit --help)\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(
      `prisma-audit: internal error: ${err instanceof Error ? err.message : String(err)}\nPlease report this with the command you ran.\n`,
    );
    process.exitCode = EXIT.internal;
  },
);

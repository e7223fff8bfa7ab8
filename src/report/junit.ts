// JUnit XML: one testcase per check. fail -> <failure>, unknown -> <error> (the check could not
// run), skip -> <skipped>, warn -> passes with the warning in <system-out>.
import type { CheckResult, Report } from '../model/report.js';
import { evidenceLine } from './text.js';

export const esc = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function details(r: CheckResult): string {
  const lines = r.evidence.map(evidenceLine);
  if (r.remediation) lines.push(`fix: ${r.remediation.text}`, ...r.remediation.commands.map((c) => `  $ ${c}`));
  return lines.join('\n');
}

export function testcase(r: CheckResult, classname = 'prisma-audit.doctor'): string {
  const head = `    <testcase classname="${esc(classname)}" name="${esc(r.id)}: ${esc(r.title)}" time="${(r.durationMs / 1000).toFixed(3)}">`;
  const body =
    r.status === 'fail'
      ? `      <failure message="${esc(r.summary)}" type="fail">${esc(details(r))}</failure>`
      : r.status === 'unknown'
        ? `      <error message="${esc(r.summary)}" type="unknown">${esc(details(r))}</error>`
        : r.status === 'skip'
          ? `      <skipped message="${esc(r.summary)}"/>`
          : `      <system-out>${esc(`${r.status.toUpperCase()}: ${r.summary}\n${details(r)}`)}</system-out>`;
  return `${head}\n${body}\n    </testcase>`;
}

export function renderJunit(report: Report): string {
  const s = report.summary;
  const total = report.checks.length;
  const time = (report.checks.reduce((a, r) => Math.max(a, r.durationMs), 0) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prisma-audit" tests="${total}" failures="${s.fail}" errors="${s.unknown}" skipped="${s.skip}" time="${time}">`,
    `  <testsuite name="prisma-audit doctor${report.target.manifest ? ` ${esc(report.target.manifest)}` : ''}" tests="${total}" failures="${s.fail}" errors="${s.unknown}" skipped="${s.skip}" time="${time}">`,
    ...report.checks.map((r) => testcase(r)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// JUnit XML: one testcase per check. fail -> <failure>, unknown -> <error> (the check could not
// run), skip -> <skipped>, warn -> passes with the warning in <system-out>.
import type { CheckResult, Comparison, Report } from '../model/report.js';
import { evidenceLine } from './text.js';

export const esc = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

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

/** `exitCode` and, when the node could not be checked, why, as suite properties CI tools show. */
function properties(report: Report, exitCode: number): string[] {
  const props = [
    ['exitCode', String(exitCode)],
    ...(report.notChecked ? [['notChecked', report.notChecked]] : []),
    ...(report.interrupted ? [['interrupted', 'true']] : []),
  ];
  return ['    <properties>', ...props.map(([k, v]) => `      <property name="${k}" value="${esc(v!)}"/>`), '    </properties>'];
}

/** --compare as its own suite: a failing testcase per regression, fixes and configuration changes
 * as passing testcases, so CI shows the same answer as the text report. */
function comparisonSuite(c: Comparison): string[] {
  const cases = [
    ...c.regressions.map(
      (r) =>
        `    <testcase classname="prisma-audit.compare" name="regression ${esc(r.id)}">\n      <failure message="${esc(`${r.before} -> ${r.now}: ${r.summary}`)}" type="regression"/>\n    </testcase>`,
    ),
    ...c.fixes.map(
      (r) =>
        `    <testcase classname="prisma-audit.compare" name="fixed ${esc(r.id)}">\n      <system-out>${esc(`${r.before} -> ${r.now}`)}</system-out>\n    </testcase>`,
    ),
    ...c.changed.map(
      (r) =>
        `    <testcase classname="prisma-audit.compare" name="changed ${esc(r.id)}">\n      <system-out>${esc(`${r.before} -> ${r.now}`)}</system-out>\n    </testcase>`,
    ),
    ...c.config.map(
      (x) =>
        `    <testcase classname="prisma-audit.compare" name="configuration ${esc(x.name)}">\n      <system-out>${esc(`${x.before ?? '(absent)'} -> ${x.now ?? '(absent)'}`)}</system-out>\n    </testcase>`,
    ),
  ];
  const n = cases.length;
  return [
    `  <testsuite name="prisma-audit compare ${esc(c.against)}" tests="${n}" failures="${c.regressions.length}" errors="0" skipped="0" time="0.000">`,
    ...cases,
    '  </testsuite>',
  ];
}

export function renderJunit(report: Report, exitCode: number): string {
  const s = report.summary;
  const total = report.checks.length;
  const c = report.comparison;
  const extra = c ? c.regressions.length + c.fixes.length + c.changed.length + c.config.length : 0;
  const failures = s.fail + (c?.regressions.length ?? 0);
  const time = (report.checks.reduce((a, r) => Math.max(a, r.durationMs), 0) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prisma-audit" tests="${total + extra}" failures="${failures}" errors="${s.unknown}" skipped="${s.skip}" time="${time}">`,
    `  <testsuite name="prisma-audit doctor${report.target.manifest ? ` ${esc(report.target.manifest)}` : ''}" tests="${total}" failures="${s.fail}" errors="${s.unknown}" skipped="${s.skip}" time="${time}">`,
    ...properties(report, exitCode),
    ...report.checks.map((r) => testcase(r)),
    '  </testsuite>',
    ...(c ? comparisonSuite(c) : []),
    '</testsuites>',
    '',
  ].join('\n');
}

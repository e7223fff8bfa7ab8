// The fleet report as JUnit XML: one test suite per node (its checks as test cases; a node that
// could not be checked is one erroring case), and one suite for the fleet findings.
import type { CheckResult } from '../model/report.js';
import { nodeKey, type FleetReport } from '../model/fleet.js';
import { esc, testcase } from './junit.js';

function suite(name: string, cases: CheckResult[], classname: string): string {
  const count = (s: CheckResult['status']) => cases.filter((c) => c.status === s).length;
  const time = (cases.reduce((a, r) => Math.max(a, r.durationMs), 0) / 1000).toFixed(3);
  return [
    `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${count('fail')}" errors="${count('unknown')}" skipped="${count('skip')}" time="${time}">`,
    ...cases.map((c) => testcase(c, classname)),
    '  </testsuite>',
  ].join('\n');
}

export function renderFleetJunit(report: FleetReport): string {
  const suites = report.nodes.map((n) => {
    const cases: CheckResult[] = n.report?.checks ?? [
      {
        id: 'node',
        title: `the doctor ran on ${nodeKey(n)}`,
        status: 'unknown',
        summary: n.reason ?? 'not checked',
        evidence: n.evidence.map((message) => ({ message })),
        remediation: null,
        durationMs: n.durationMs,
      },
    ];
    return suite(`prisma-audit node ${nodeKey(n)}`, cases, `prisma-audit.fleet.${nodeKey(n)}`);
  });
  suites.push(suite('prisma-audit fleet', report.findings, 'prisma-audit.fleet'));
  const s = report.summary;
  const tests = report.nodes.reduce((a, n) => a + (n.report?.checks.length ?? 1), 0) + report.findings.length;
  const errors = s.unknown + report.nodes.filter((n) => !n.report).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prisma-audit fleet" tests="${tests}" failures="${s.fail}" errors="${errors}" skipped="${s.skip}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

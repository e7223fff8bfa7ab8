import { describe, expect, it } from 'vitest';
import { detectFormat, isoTime, klogTime, parseLine } from '../../src/logs/line-format.js';
import { maskSecrets } from '../../src/logs/mask.js';
import { journalSince } from '../../src/logs/since.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('line formats', () => {
  it.each([
    ['2026-11-27T06:55:36.447301000Z stderr F Error: x', 'cri', '2026-11-27T06:55:36.447Z', 'Error: x'],
    ['2026-11-27T06:55:36.447301000+01:00 stdout P part', 'cri', '2026-11-27T05:55:36.447Z', 'part'],
    ['2026-11-27T06:55:36+0000 node1 kubelet[812]: E1127 text', 'journal-iso', '2026-11-27T06:55:36.000Z', 'E1127 text'],
    ['Nov 27 06:55:36 node1 kubelet[812]: text', 'journal-short', '2026-11-27T06:55:36.000Z', 'text'],
    [
      'E1127 06:55:37.008410   25952 server.go:632] text',
      'plain',
      '2026-11-27T06:55:37.008Z',
      'E1127 06:55:37.008410   25952 server.go:632] text',
    ],
    ['Error: unknown flag: --audit-dynamic-configuration', 'plain', null, 'Error: unknown flag: --audit-dynamic-configuration'],
  ])('%s', (line, format, time, message) => {
    expect(detectFormat(line)).toBe(format);
    const parts = parseLine(detectFormat(line), line, NOW);
    expect(iso(parts.time)).toBe(time);
    expect(parts.message).toBe(message);
  });

  it('reads the CRI partial tag', () => {
    expect(parseLine('cri', '2026-11-27T06:55:36Z stderr P abc', NOW).partial).toBe(true);
    expect(parseLine('cri', '2026-11-27T06:55:36Z stderr F abc', NOW).partial).toBe(false);
  });

  it('takes the klog year from now, or the year before when that would be in the future', () => {
    expect(iso(klogTime('I1127 06:55:36.000000 1 x] y', NOW))).toBe('2026-11-27T06:55:36.000Z');
    expect(iso(klogTime('I1231 23:59:59.000000 1 x] y', new Date('2027-01-01T00:10:00Z')))).toBe('2026-12-31T23:59:59.000Z');
    expect(klogTime('I1399 06:55:36.000000 1 x] y', NOW)).toBeNull();
  });

  it('rejects malformed ISO times', () => {
    expect(isoTime('2026-13-45T99:99:99Z')).toBeNull();
  });
});

describe('maskSecrets', () => {
  it('masks the webhook URL suffix, bearer tokens and JWTs', () => {
    const line = `Post "https://c:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s": Authorization: Bearer abc.def eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl`;
    expect(maskSecrets(line)).toBe('Post "https://c:8083/api/v1/kubernetes/webhook/****?timeout=30s": Authorization: Bearer **** ****');
  });

  it('masks a kubeconfig token echoed in a decode error', () => {
    expect(maskSecrets('bigger context ...|{"token":"s3cr3t","server":"https://c"|...')).toBe(
      'bigger context ...|{"token":"****","server":"https://c"|...',
    );
    expect(maskSecrets('token: s3cr3t')).toBe('token: ****');
  });
});

describe('journalSince', () => {
  it.each([
    ['24h', '-24h'],
    ['1h30m', '-1h30m'],
    ['2d', '-2d'],
    ['2026-11-27', '2026-11-27'],
    ['2026-11-27 06:00', '2026-11-27 06:00'],
    ['yesterday; rm -rf /', null],
    ['', null],
  ])('%s -> %s', (since, arg) => expect(journalSince(since)).toBe(arg));
});

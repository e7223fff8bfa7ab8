import { describe, expect, it } from 'vitest';
import { webhookPostUrl } from '../../src/parse/webhook-post-url.js';

const none = { tls: false, custom: false };

describe('webhookPostUrl: the URL kube-apiserver POSTs to', () => {
  it.each([
    [
      'https://console:8083/api/v1/kubernetes/webhook/Rov4+TLMx/1Uia=',
      'https://console:8083/api/v1/kubernetes/webhook/Rov4+TLMx/1Uia=?timeout=30s',
    ],
    [
      'https://us-east1.cloud.twistlock.com/us-2-158254964/api/v1/kubernetes/webhook/abc=?x=1#frag',
      'https://us-east1.cloud.twistlock.com/us-2-158254964/api/v1/kubernetes/webhook/abc=?timeout=30s',
    ],
    ['https://console:8083/hook/', 'https://console:8083/hook?timeout=30s'],
    ['https://console:8083', 'https://console:8083/?timeout=30s'],
    ['http://10.0.0.5:8083//a//b', 'http://10.0.0.5:8083/a/b?timeout=30s'],
    ['https://[::1]:8443/x', 'https://[::1]:8443/x?timeout=30s'],
  ])('%s -> %s', (server, url) => {
    const result = webhookPostUrl(server, { tls: true, custom: true });
    expect(result.ok && result.value.url).toBe(url);
  });

  it('no TLS settings, credentials or proxy: client-go uses the default transport, so no ?timeout', () => {
    expect(webhookPostUrl('http://console:8083/hook?x=1', { tls: false, custom: false })).toMatchObject({
      ok: true,
      value: { url: 'http://console:8083/hook' },
    });
    expect(webhookPostUrl('https://saas.example/t/hook', { tls: false, custom: false })).toMatchObject({
      ok: true,
      value: { url: 'https://saas.example/t/hook' },
    });
  });

  it('default ports and bare IPv6 host', () => {
    expect(webhookPostUrl('https://[::1]/x', none)).toMatchObject({ ok: true, value: { scheme: 'https', host: '::1', port: 443 } });
    expect(webhookPostUrl('http://console/x', none)).toMatchObject({ ok: true, value: { scheme: 'http', port: 80 } });
  });

  it('scheme-less host:port is https only when TLS settings are present', () => {
    expect(webhookPostUrl('console:8083', { tls: true, custom: true })).toMatchObject({ ok: true, value: { scheme: 'https', port: 8083 } });
    expect(webhookPostUrl('console:8083', none)).toMatchObject({ ok: true, value: { scheme: 'http', port: 8083 } });
  });

  it('scheme-less with a path and foreign schemes are refused', () => {
    expect(webhookPostUrl('console:8083/api', { tls: true, custom: true })).toEqual({
      ok: false,
      why: 'host must be a URL or a host:port pair: "console:8083/api"',
    });
    expect(webhookPostUrl('ftp://console/x', none).ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/parse/proxy.js';

const env = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));
const console = new URL('https://console.example.com:8083/api/v1/kubernetes/webhook/x');

describe('proxyFor: the proxy the apiserver webhook client would use', () => {
  it('HTTPS_PROXY applies to https URLs, upper case first', () => {
    expect(proxyFor(console, env({ https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }), null)).toEqual({
      proxy: 'http://upper:3128',
      source: 'HTTPS_PROXY',
    });
  });

  it('HTTP_PROXY does not apply to https URLs, but does to http ones', () => {
    expect(proxyFor(console, env({ HTTP_PROXY: 'http://p:3128' }), null)).toBeNull();
    expect(proxyFor(new URL('http://console.example.com/x'), env({ http_proxy: 'http://p:3128' }), null)?.source).toBe('http_proxy');
  });

  it('kubeconfig proxy-url wins over everything', () => {
    expect(proxyFor(console, env({ NO_PROXY: '*' }), 'socks5://p:1080')).toEqual({ proxy: 'socks5://p:1080', source: 'proxy-url' });
  });

  it.each([
    ['*', null],
    ['example.com', null],
    ['.example.com', null],
    ['*.example.com', null],
    ['console.example.com:8083', null],
    ['console.example.com:443', 'HTTPS_PROXY'],
    ['other.com, ample.com', 'HTTPS_PROXY'],
  ])('NO_PROXY=%s', (noProxy, source) => {
    expect(proxyFor(console, env({ HTTPS_PROXY: 'http://p:3128', NO_PROXY: noProxy }), null)?.source ?? null).toBe(source);
  });

  it.each([
    ['https://10.1.2.3:8083/x', '10.0.0.0/8', null],
    ['https://10.1.2.3:8083/x', '10.1.2.3', null],
    ['https://10.1.2.3:8083/x', '192.168.0.0/16', 'HTTPS_PROXY'],
    ['https://127.0.0.1:8083/x', '', null],
    ['https://localhost:8083/x', '', null],
  ])('%s with NO_PROXY=%s', (url, noProxy, source) => {
    expect(proxyFor(new URL(url), env({ HTTPS_PROXY: 'http://p:3128', NO_PROXY: noProxy }), null)?.source ?? null).toBe(source);
  });
});

import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

const TOKEN = 'Zk3n4V_x9q-7pLmT2wYbR8sUe1oAiC5dHfGjKlNzXcQ';

describe('redactUrl', () => {
  it('hides invitation tokens in the link and in the API paths, keeping the route readable', () => {
    expect(redactUrl(`/invite/${TOKEN}`)).toBe('/invite/[redacted]');
    expect(redactUrl(`/api/invitations/${TOKEN}`)).toBe('/api/invitations/[redacted]');
    expect(redactUrl(`/api/invitations/${TOKEN}/accept`)).toBe('/api/invitations/[redacted]/accept');
    expect(redactUrl(`/api/invitations/${TOKEN}?ref=mail`)).toBe('/api/invitations/[redacted]?ref=mail');
  });

  it('hides hosted deposit page tokens, but not the page assets', () => {
    expect(redactUrl(`/pay/${TOKEN}`)).toBe('/pay/[redacted]');
    expect(redactUrl(`/pay/${TOKEN}/status`)).toBe('/pay/[redacted]/status');
    expect(redactUrl(`/pay/${TOKEN}?pay=USDT-TRX`)).toBe('/pay/[redacted]?pay=USDT-TRX');
    expect(redactUrl('/pay/assets/page.css')).toBe('/pay/assets/page.css');
  });

  it('hides secret query values by name (also percent-encoded names), and nothing else', () => {
    expect(redactUrl(`/login?next=%2Fteam&token=${TOKEN}`)).toBe('/login?next=%2Fteam&token=[redacted]');
    expect(redactUrl(`/x?invitationToken=${TOKEN}&a=1&api_key=k&apiKey=k&totpCode=123456&password=p`)).toBe(
      '/x?invitationToken=[redacted]&a=1&api_key=[redacted]&apiKey=[redacted]&totpCode=[redacted]&password=[redacted]',
    );
    expect(redactUrl(`/x?%74oken=${TOKEN}`)).toBe('/x?%74oken=[redacted]');
    expect(redactUrl('/x?token')).toBe('/x?token');
    expect(redactUrl('/x?%E0%A4%A=1')).toBe('/x?%E0%A4%A=1');
  });

  it('leaves ordinary URLs alone', () => {
    for (const url of [
      '/',
      '/api/bps/bp_01kdw3hh8gzq2t1j5a8v6m4c0b/invitations',
      '/v1/transactions?page=2&limit=25',
      '/api/bps/bp_1/invitations/inv_2',
      '/invitee/x',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});

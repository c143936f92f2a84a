import { describe, expect, it } from 'vitest';
import { UrlShares } from './url-shares.js';

describe('UrlShares', () => {
  it('holds about a second of a URL’s work: deep for fast endpoints, twice the slots for hanging ones', () => {
    const shares = new UrlShares(4, 1000);
    expect(shares.of('https://new.example/hook')).toBe(16);
    shares.observe('https://fast.example/hook', 20);
    expect(shares.of('https://fast.example/hook')).toBe(200);
    shares.observe('https://instant.example/hook', 0);
    expect(shares.of('https://instant.example/hook')).toBe(250); // a quarter of the worker at most
    shares.observe('https://hangs.example/hook', 5_000);
    expect(shares.of('https://hangs.example/hook')).toBe(8); // never below twice its slots
  });

  it('follows a URL that slows down, smoothing single outliers', () => {
    const shares = new UrlShares(4, 1000);
    const url = 'https://api.example/hook';
    shares.observe(url, 10);
    expect(shares.of(url)).toBe(250);
    shares.observe(url, 5_000); // one timeout: 0.8 × 10 + 0.2 × 5000 = 1008 ms
    expect(shares.of(url)).toBe(8);
    for (let i = 0; i < 30; i++) shares.observe(url, 10);
    expect(shares.of(url)).toBe(250);
  });

  it('is never smaller than the slots would need, even in a small worker', () => {
    const shares = new UrlShares(16, 10);
    expect(shares.initial).toBe(32);
    shares.observe('https://x.example/', 1);
    expect(shares.of('https://x.example/')).toBe(32);
  });
});

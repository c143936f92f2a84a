import { describe, expect, it } from 'vitest';
import { UrlSlots } from './url-slots.js';

describe('UrlSlots', () => {
  it('lets perUrl requests through per URL, queues the rest in order, and hands each freed slot on', async () => {
    const slots = new UrlSlots(2);
    expect(await slots.acquire('a')).toBe(false);
    expect(await slots.acquire('a')).toBe(false);
    expect(await slots.acquire('b')).toBe(false); // another URL is not affected
    const order: number[] = [];
    const third = slots.acquire('a').then((waited) => order.push(3) && waited);
    const fourth = slots.acquire('a').then((waited) => order.push(4) && waited);
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release('a');
    expect(await third).toBe(true);
    expect(order).toEqual([3]);
    slots.release('a');
    expect(await fourth).toBe(true);
    expect(order).toEqual([3, 4]);
    // Two hold slots now; once both are released a new request gets one at once.
    slots.release('a');
    slots.release('a');
    expect(await slots.acquire('a')).toBe(false);
  });

  it('releaseAllWaiting lets every waiter go, and their releases balance', async () => {
    const slots = new UrlSlots(1);
    await slots.acquire('a');
    const waiters = [slots.acquire('a'), slots.acquire('a')];
    slots.releaseAllWaiting();
    expect(await Promise.all(waiters)).toEqual([true, true]);
    for (let i = 0; i < 3; i++) slots.release('a');
    // All released: the next two acquisitions are one immediate, one queued.
    expect(await slots.acquire('a')).toBe(false);
    let second = false;
    void slots.acquire('a').then(() => {
      second = true;
    });
    await Promise.resolve();
    expect(second).toBe(false);
  });
});

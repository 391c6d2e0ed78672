import { describe, expect, it } from '@jest/globals';
import { fenceAfterMs, isFenced } from './instance-liveness';

describe('instance self-fencing', () => {
  const deadAfterMs = 5_000;

  it('fences an instance that has written no heartbeat yet, or has left', () => {
    expect(isFenced(undefined, 10_000, deadAfterMs)).toBe(true);
  });

  it('lets an instance act while its last successful heartbeat started within half the dead-after period', () => {
    expect(fenceAfterMs(deadAfterMs)).toBe(2_500);
    expect(isFenced(10_000, 10_000, deadAfterMs)).toBe(false);
    expect(isFenced(10_000, 12_500, deadAfterMs)).toBe(false);
  });

  it('fences it once that half is over, well before the others may take it for dead', () => {
    expect(isFenced(10_000, 12_501, deadAfterMs)).toBe(true);
    expect(isFenced(10_000, 10_000 + deadAfterMs, deadAfterMs)).toBe(true);
  });
});

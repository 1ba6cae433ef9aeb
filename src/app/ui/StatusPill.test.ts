import { expect, it } from 'vitest';
import { describeConnection } from './StatusPill';

it('says unreachable while the relay never answered, reconnecting once it had, with the wait in seconds', () => {
  const now = 1_000_000;
  const waiting = { state: 'reconnecting', nextAttemptAt: now + 2_100, attempt: 3, reason: 'x' } as const;
  expect(describeConnection(waiting, 'relay', now)).toBe('reconnecting in 3 s');
  expect(describeConnection({ ...waiting, unreachable: false }, 'relay', now)).toBe('reconnecting in 3 s');
  expect(describeConnection({ ...waiting, unreachable: true }, 'relay', now)).toBe('unreachable · retrying in 3 s');
  expect(describeConnection({ ...waiting, unreachable: true, nextAttemptAt: now - 5 }, 'relay', now)).toBe('unreachable · retrying…');
  expect(describeConnection({ state: 'live' }, 'simulation', now)).toBe('live · simulation');
  expect(describeConnection({ state: 'connecting' }, 'relay', now)).toBe('connecting…');
});

import { expect, it } from 'vitest';
import { logFormat } from './log';

it('logs for people in a terminal and JSON everywhere else, unless LOG_FORMAT says which', () => {
  expect(logFormat({}, true)).toBe('pretty');
  expect(logFormat({}, false)).toBe('json');
  expect(logFormat({}, undefined)).toBe('json'); // stdout piped or redirected
  expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
  expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  expect(logFormat({ LOG_FORMAT: 'fancy' }, false)).toBe('json');
});

import { describe, expect, it } from 'vitest';
import { parseHistoryQuery } from './historyQuery';

const query = (text: string) => parseHistoryQuery(new URLSearchParams(text));

describe('parseHistoryQuery', () => {
  it('reads an ISO range and a station list', () => {
    const result = query('from=2025-11-25T14:00:00Z&to=2025-11-25T16:30:00%2B01:00&stations=chicago,tokyo');
    expect(result).toEqual({
      ok: true,
      range: { from: Date.parse('2025-11-25T14:00:00Z'), to: Date.parse('2025-11-25T15:30:00Z'), stations: new Set(['chicago', 'tokyo']) },
    });
  });

  it('includes visitors\' touches only when asked with touches=1', () => {
    const base = 'from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z';
    expect(query(`${base}&touches=1`)).toMatchObject({ ok: true, range: { touches: true } });
    expect(query(`${base}&touches=0`)).not.toMatchObject({ range: { touches: true } });
    expect(query(`${base}&touches=yes`)).toMatchObject({ ok: false, parameter: 'touches' });
  });

  it.each([
    ['to=2025-11-25T15:00:00Z', 'from', /from: required/],
    ['from=yesterday&to=2025-11-25T15:00:00Z', 'from', /"yesterday" is not an ISO 8601 time/],
    ['from=2025-11-25&to=2025-11-26', 'from', /not an ISO 8601 time/],
    ['from=2025-11-25T14:00:00Z', 'to', /to: required/],
    ['from=2025-11-25T14:00:00Z&to=2025-11-25T13:00:00Z', 'to', /must be after from/],
    ['from=2025-11-25T14:00:00Z&to=2025-11-26T14:00:01Z', 'to', /24 h \(HISTORY_MAX_SPAN_MS\)/],
    ['from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&stations=', 'stations', /station ids separated by commas/],
    ['from=2025-11-25T14:00:00Z&to=2025-11-25T15:00:00Z&stations=chicago,Tokyo!', 'stations', /"Tokyo!" is not a station id/],
    ['from=2025-02-30T00:00:00Z&to=2025-03-02T12:00:00Z', 'from', /2025-02-30 is not a day of the calendar/],
    ['from=2025-02-28T00:00:00Z&to=2025-02-28T24:00:00Z', 'to', /not a time of day/],
    ['from=2025-11-25T14:00:00Z&to=2025-11-25T14:30:00%2B25:00', 'to', /not a time of day|not an ISO 8601 time/],
  ])('%s is refused naming %s', (text, parameter, error) => {
    const result = query(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.parameter).toBe(parameter);
    expect(result.error).toMatch(error);
  });
});

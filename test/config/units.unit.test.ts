import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  parseDuration,
  parsePercent,
  parseRate,
  parseSize,
  parseThreshold,
} from '../../src/config/units.ts';

describe('units', () => {
  it('parses durations into milliseconds, compound ones too', () => {
    expect(parseDuration('500ms')).toEqual({ ok: true, value: 500 });
    expect(parseDuration('90s')).toEqual({ ok: true, value: 90_000 });
    expect(parseDuration('10m')).toEqual({ ok: true, value: 600_000 });
    expect(parseDuration('1h30m')).toEqual({ ok: true, value: 5_400_000 });
    expect(parseDuration('7d')).toEqual({ ok: true, value: 604_800_000 });
    expect(parseDuration('1.5s')).toEqual({ ok: true, value: 1_500 });
  });

  it('refuses durations without a unit and says what it expected', () => {
    for (const text of ['10', '10 minutes', 'm', '-5s', '']) {
      const parsed = parseDuration(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('expected a number with a unit');
    }
  });

  it('parses percentages into fractions and refuses more than 100%', () => {
    expect(parsePercent('80%')).toEqual({ ok: true, value: 0.8 });
    expect(parsePercent('0.1%')).toEqual({ ok: true, value: 0.001 });
    expect(parsePercent('100%')).toEqual({ ok: true, value: 1 });
    expect(parsePercent('120%')).toEqual({
      ok: false,
      message: "'120%' is more than 100% (expected a percentage from 0% to 100%)",
    });
    expect(parsePercent('80')).toMatchObject({ ok: false });
  });

  it('parses sizes in decimal and binary units', () => {
    expect(parseSize('1KB')).toEqual({ ok: true, value: 1000 });
    expect(parseSize('2GiB')).toEqual({ ok: true, value: 2 * 1024 ** 3 });
    expect(parseSize('10 MB')).toEqual({ ok: true, value: 10_000_000 });
    expect(parseSize('10 parsecs')).toMatchObject({ ok: false });
  });

  it('parses rates into events per second and refuses zero', () => {
    expect(parseRate('2/s')).toEqual({ ok: true, value: 2 });
    expect(parseRate('30/m')).toEqual({ ok: true, value: 0.5 });
    expect(parseRate('0/s')).toMatchObject({ ok: false });
  });

  it('parses thresholds with their unit', () => {
    expect(parseThreshold('> 5%')).toEqual({
      ok: true,
      value: { op: '>', value: 0.05, unit: 'fraction', text: '> 5%' },
    });
    expect(parseThreshold('>= 2s')).toMatchObject({
      ok: true,
      value: { op: '>=', value: 2000, unit: 'milliseconds' },
    });
    expect(parseThreshold('< 0.9')).toMatchObject({
      ok: true,
      value: { op: '<', value: 0.9, unit: 'number' },
    });
    expect(parseThreshold('<= 0')).toMatchObject({ ok: true, value: { op: '<=', value: 0 } });
    expect(parseThreshold('> 150%')).toMatchObject({ ok: false });
    expect(parseThreshold('5%')).toMatchObject({ ok: false });
    expect(parseThreshold('== 0')).toMatchObject({ ok: false });
  });

  it('formats durations the way people write them', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(86_400_000)).toBe('1d');
  });
});

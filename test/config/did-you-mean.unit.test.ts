import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/config/did-you-mean.ts';

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('timeout', 'timeout')).toBe(0);
    expect(editDistance('timout', 'timeout')).toBe(1);
    expect(editDistance('timeoutt', 'timeout')).toBe(1);
    expect(editDistance('tineout', 'timeout')).toBe(1);
    expect(editDistance('versoin', 'version')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closest', () => {
  const keys = ['id', 'name', 'run', 'timeout', 'env', 'workingDirectory', 'continueOnError'];

  it('finds the key a typo meant', () => {
    expect(closest('timout', keys)).toBe('timeout');
    expect(closest('nmae', keys)).toBe('name');
    expect(closest('comand', ['command', 'http', 'tls'])).toBe('command');
  });

  it('ignores case, dashes and underscores', () => {
    expect(closest('working_directory', keys)).toBe('workingDirectory');
    expect(closest('continue-on-error', keys)).toBe('continueOnError');
    expect(closest('Timeout', keys)).toBe('timeout');
  });

  it('suggests nothing when no key is close', () => {
    expect(closest('kubernetes', ['command', 'http', 'tls', 'dns'])).toBeUndefined();
    expect(closest('x', ['id', 'run'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });

  it('allows more edits for longer words, about one in three', () => {
    expect(closest('concurency', ['concurrency'])).toBe('concurrency');
    expect(closest('workngDirectroy', keys)).toBe('workingDirectory');
    expect(closest('abc', ['xyz'])).toBeUndefined();
  });

  it('phrases a suggestion for a message', () => {
    expect(didYouMean('timout', keys)).toBe("did you mean 'timeout'? ");
    expect(didYouMean('zzz', keys)).toBe('');
  });
});

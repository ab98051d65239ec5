import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../../src/secrets.ts';

describe('SecretScrubber', () => {
  const secret = 'p@ss w0rd/+=?';
  const scrubber = SecretScrubber.fromEnv(['DB_PASSWORD', 'UNSET'], { DB_PASSWORD: secret, OTHER: 'x' });

  it('replaces the value and its URL-encoded, JSON and base64 forms', () => {
    const text = [
      `plain ${secret}`,
      `url postgres://u:${encodeURIComponent(secret)}@h/db`,
      `form ${encodeURIComponent(secret).replace(/%20/g, '+')}`,
      `json ${JSON.stringify({ password: secret })}`,
      `b64 ${Buffer.from(secret).toString('base64')}`,
      `b64url ${Buffer.from(secret).toString('base64url')}`,
    ];
    const scrubbed = scrubber.scrub(text.join('\n'));
    expect(scrubbed).toBe(
      [
        'plain ***',
        'url postgres://u:***@h/db',
        'form ***',
        'json {"password":"***"}',
        'b64 ***',
        'b64url ***',
      ].join('\n'),
    );
  });

  it('finds the value inside a longer base64 string at every alignment', () => {
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const encoded = Buffer.from(`${prefix}${secret}`).toString('base64');
      const scrubbed = scrubber.scrub(`Authorization: Basic ${encoded}`);
      expect(scrubbed, prefix).toContain('***');
      expect(scrubbed.length, prefix).toBeLessThan(`Authorization: Basic ${encoded}`.length);
    }
  });

  it('masks new values through the callback and ignores empty ones', () => {
    const masked: string[] = [];
    const s = new SecretScrubber(['', '   ', undefined], { mask: (v) => masked.push(v) });
    expect(s.size).toBe(0);
    s.add('tok3n-value');
    expect(masked).toContain('tok3n-value');
    expect(masked).toContain(Buffer.from('tok3n-value').toString('base64'));
  });

  it('does not add encoded forms for values shorter than 4 characters', () => {
    const s = new SecretScrubber(['ab/']);
    expect(s.scrub('ab/ ab%2F YWIv')).toBe('*** ab%2F YWIv');
  });

  it('scrubs each line of a multi-line secret, and strings inside evidence', () => {
    const pem = '-----BEGIN KEY-----\nAAAAsecretline1\nBBBBsecretline2\n-----END KEY-----';
    const s = new SecretScrubber([pem]);
    expect(s.scrub('got BBBBsecretline2 alone')).toBe('got *** alone');
    expect(s.scrubValue({ excerpt: 'x AAAAsecretline1', n: 3, list: ['BBBBsecretline2'] })).toEqual({
      excerpt: 'x ***',
      n: 3,
      list: ['***'],
    });
  });

  it('prefers the longest match so no fragment of a value is left', () => {
    const s = new SecretScrubber(['abcd', 'abcdefgh']);
    expect(s.scrub('abcdefgh')).toBe('***');
  });
});

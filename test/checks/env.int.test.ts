import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';

const env = {
  DATABASE_URL: 'postgresql://app:Sup3rSecretPw@db:5432/tasks',
  JWT_SECRET: 'short-secret-value',
  LOG_LEVEL: 'TRACE',
  NODE_ENV: 'production',
  EMPTY: '',
};

describe('env check', () => {
  it('checks present, equals, one-of, min-length and pattern without ever printing a value', async () => {
    const ctx = checkContext({ env });
    const results = await runChecks(
      [
        check({ kind: 'env', id: 'db', var: 'DATABASE_URL', pattern: '^postgres(ql)?://' }),
        check({ kind: 'env', id: 'node-env', var: 'NODE_ENV', equals: 'production' }),
        check({ kind: 'env', id: 'jwt', var: 'JWT_SECRET', minLength: 32 }),
        check({ kind: 'env', id: 'log', var: 'LOG_LEVEL', oneOf: ['WARNING', 'ERROR'] }),
        check({ kind: 'env', id: 'openai', var: 'OPENAI_API_KEY' }),
        check({ kind: 'env', id: 'empty', var: 'EMPTY' }),
        check({ kind: 'env', id: 'no-debug', var: 'DEBUG', present: false }),
        check({ kind: 'env', id: 'wrong-equals', var: 'DATABASE_URL', equals: 'postgresql://other' }),
        check({ kind: 'env', id: 'wrong-pattern', var: 'JWT_SECRET', pattern: '^[A-F0-9]+$' }),
      ],
      ctx,
    );
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId.db).toMatchObject({ status: 'passed', summary: 'DATABASE_URL is set (pattern ok)' });
    expect(byId['node-env']!.status).toBe('passed');
    expect(byId.jwt).toMatchObject({ status: 'failed', summary: 'JWT_SECRET is shorter than 32 characters' });
    expect(byId.log).toMatchObject({
      status: 'failed',
      summary: 'LOG_LEVEL is not one of the 2 allowed values',
    });
    expect(byId.openai).toMatchObject({
      status: 'failed',
      summary: 'OPENAI_API_KEY is not set',
      evidence: { set: false },
    });
    expect(byId.empty).toMatchObject({ status: 'failed', summary: 'EMPTY is not set' });
    expect(byId['no-debug']).toMatchObject({ status: 'passed', summary: 'DEBUG is not set' });
    expect(byId['wrong-equals']).toMatchObject({
      status: 'failed',
      summary: 'DATABASE_URL does not equal the expected value',
    });
    expect(byId['wrong-pattern']).toMatchObject({
      status: 'failed',
      summary: 'JWT_SECRET does not match /^[A-F0-9]+$/',
    });

    // No value appears anywhere, and no message gives a length. (These values are not even declared secrets.)
    const everything = JSON.stringify(results) + ctx.logger.text();
    for (const value of ['Sup3rSecretPw', 'short-secret-value', 'TRACE', 'production']) {
      expect(everything, value).not.toContain(value);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext } from '../harness/check-context.ts';
import { type RunningDnsServer, startDnsServer } from '../harness/dns-server.ts';

let dns: RunningDnsServer;

beforeAll(async () => {
  dns = await startDnsServer({
    A: { 'api.shipgate.test': ['192.0.2.10', '192.0.2.11'], 'lb.shipgate.test': ['192.0.2.20'] },
    AAAA: { 'api.shipgate.test': ['2001:db8::10'] },
    CNAME: { 'www.shipgate.test': 'lb.shipgate.test' },
    servfail: ['broken.shipgate.test'],
    silent: ['slow.shipgate.test'],
  });
});
afterAll(async () => {
  await dns?.close();
});

describe('dns check against a real DNS server on loopback', () => {
  it('passes A, AAAA and CNAME records that resolve as expected', async () => {
    const ctx = checkContext({ dnsServers: [dns.address] });
    const results = await runChecks(
      [
        check({ kind: 'dns', id: 'a', name: 'api.shipgate.test', expect: ['192.0.2.11'] }),
        check({
          kind: 'dns',
          id: 'aaaa',
          name: 'api.shipgate.test',
          type: 'AAAA',
          expect: ['2001:0db8:0:0::10'],
        }),
        check({
          kind: 'dns',
          id: 'cname',
          name: 'www.shipgate.test',
          type: 'CNAME',
          expect: ['LB.shipgate.test.'],
        }),
      ],
      ctx,
    );
    for (const result of results) expect(result.status, result.summary).toBe('passed');
    expect(results[0]!.evidence.answers).toEqual(['192.0.2.10', '192.0.2.11']);
    expect(results[0]!.summary).toBe('api.shipgate.test A → 192.0.2.10, 192.0.2.11');
  });

  it('takes the server from the check itself when it names one', async () => {
    // The schema has no `server` field yet; the check already reads one when it is there.
    const withServer = Object.assign(
      check({ kind: 'dns', name: 'lb.shipgate.test', expect: ['192.0.2.20'] }),
      {
        server: dns.address,
      },
    );
    const [result] = await runChecks([withServer], checkContext());
    expect(result!.status, result!.summary).toBe('passed');
  });

  it('fails a wrong answer or a missing name, and is inconclusive when the server cannot tell', async () => {
    const ctx = checkContext({ dnsServers: [dns.address] });
    const [wrong, missing, servfail, silent] = await runChecks(
      [
        check({ kind: 'dns', id: 'wrong', name: 'api.shipgate.test', expect: ['192.0.2.99'] }),
        check({ kind: 'dns', id: 'missing', name: 'nope.shipgate.test', expect: ['192.0.2.1'] }),
        check({ kind: 'dns', id: 'servfail', name: 'broken.shipgate.test', expect: ['192.0.2.1'] }),
        check({
          kind: 'dns',
          id: 'silent',
          name: 'slow.shipgate.test',
          expect: ['192.0.2.1'],
          timeout: '1500ms',
        }),
      ],
      ctx,
    );
    expect(wrong).toMatchObject({
      status: 'failed',
      summary: 'api.shipgate.test A is 192.0.2.10, 192.0.2.11, missing 192.0.2.99',
      evidence: { missing: ['192.0.2.99'] },
    });
    expect(missing).toMatchObject({ status: 'failed', summary: 'nope.shipgate.test has no A record' });
    expect(servfail).toMatchObject({ status: 'inconclusive', evidence: { error: 'ESERVFAIL' } });
    expect(silent!.status).toBe('inconclusive');
    expect(silent!.durationMs).toBeLessThan(2_500);
  });
});

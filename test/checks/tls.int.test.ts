import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/runner.ts';
import { check, checkContext, FixedClock } from '../harness/check-context.ts';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  type RunningTlsServer,
  startTlsServer,
} from '../harness/tls-server.ts';

let ca: CertificateAuthority;
let shortLived: RunningTlsServer;
let longLived: RunningTlsServer;

beforeAll(async () => {
  ca = await createCertificateAuthority();
  shortLived = await startTlsServer(await ca.issue({ days: 3 }));
  longLived = await startTlsServer(await ca.issue({ days: 400, commonName: 'api.localhost' }));
});
afterAll(async () => {
  await shortLived?.close();
  await longLived?.close();
  await ca?.dispose();
});

const tls = (port: number, extra: Record<string, unknown> = {}) =>
  check({ kind: 'tls', host: '127.0.0.1', servername: 'localhost', port, minDaysLeft: 14, ...extra });

describe('tls check against a real TLS server', () => {
  it('passes a certificate with a year left and fails one that expires in days', async () => {
    const ctx = checkContext({ clock: new FixedClock(new Date()), tlsCa: [ca.pem] });
    const [long, short] = await runChecks(
      [tls(longLived.port, { id: 'long' }), tls(shortLived.port, { id: 'short' })],
      ctx,
    );
    expect(long!.status, long!.summary).toBe('passed');
    expect(long!.evidence).toMatchObject({
      daysLeft: 399,
      subject: 'api.localhost',
      issuer: 'shipgate test CA',
      authorized: true,
    });
    expect(long!.summary).toBe(
      'certificate for api.localhost valid for 399 more days (issuer shipgate test CA)',
    );
    expect(short!.status).toBe('failed');
    expect(short!.evidence).toMatchObject({ daysLeft: 2, subject: 'localhost', issuer: 'shipgate test CA' });
    expect(short!.summary).toMatch(/^certificate expires in 2 days \(\d{4}-\d{2}-\d{2}\), less than 14$/);
  });

  it('measures days left on the injected clock', async () => {
    const inAYear = new Date(Date.now() + 390 * 86_400_000);
    const [result] = await runChecks(
      [tls(longLived.port)],
      checkContext({ clock: new FixedClock(inAYear), tlsCa: [ca.pem] }),
    );
    expect(result!.status).toBe('failed');
    expect(result!.evidence.daysLeft).toBe(9);
  });

  it('fails a certificate that is not trusted or not for the name asked', async () => {
    const clock = new FixedClock(new Date());
    const [untrusted] = await runChecks([tls(longLived.port)], checkContext({ clock }));
    expect(untrusted!.status).toBe('failed');
    expect(untrusted!.summary).toMatch(
      /^certificate not trusted for localhost: issued by an unknown authority \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/,
    );
    const [wrongName] = await runChecks(
      [tls(longLived.port, { servername: 'other.example' })],
      checkContext({ clock, tlsCa: [ca.pem] }),
    );
    expect(wrongName!.status).toBe('failed');
    expect(wrongName!.summary).toBe(
      'certificate not trusted for other.example: it is issued for other names (ERR_TLS_CERT_ALTNAME_INVALID)',
    );
  });

  it('fails when nothing listens and is inconclusive when the handshake never comes', async () => {
    // A plain TCP server that accepts and says nothing: the TLS handshake hangs.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const [refused, hanging] = await runChecks(
        [tls(closedPort, { id: 'refused' }), tls(silentPort, { id: 'hanging', timeout: '300ms' })],
        checkContext(),
      );
      expect(refused).toMatchObject({
        status: 'failed',
        summary: `127.0.0.1:${closedPort}: connection refused`,
      });
      expect(hanging).toMatchObject({ status: 'inconclusive', summary: 'timed out after 300ms' });
    } finally {
      silent.close();
    }
  });
});

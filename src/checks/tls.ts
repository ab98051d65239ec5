import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';
import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

type TlsCheck = Extract<Check, { kind: 'tls' }>;

const DAY_MS = 86_400_000;

/** OpenSSL's and Node's verification codes, in words. */
const TRUST_ERRORS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is issued for other names',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issued by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issued by an unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not valid yet',
};

/**
 * `tls`: connects to host:port with SNI (`servername`, else the host name), reads the
 * certificate the server presents and passes when it is trusted for that name and expires more
 * than `minDaysLeft` days from now (the injected clock). Evidence: days left, expiry, subject,
 * issuer. A refused connection fails (nothing serves TLS there); no answer before the timeout is
 * inconclusive.
 */
export async function tlsCheck(check: TlsCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const servername = check.servername ?? (isIP(check.host) ? undefined : check.host);
  let presented: { certificate: PeerCertificate; authorized: boolean; authorizationError?: string };
  try {
    presented = await peerCertificate(check.host, check.port, servername, ctx);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (ctx.signal.aborted) return { status: 'inconclusive', summary: 'no answer before the timeout' };
    const reason = code === 'ECONNREFUSED' ? 'connection refused' : (error as Error).message;
    return {
      status: code === 'ETIMEDOUT' ? 'inconclusive' : 'failed',
      summary: `${check.host}:${check.port}: ${reason}`,
      evidence: { host: check.host, port: check.port, error: reason },
    };
  }
  const { certificate, authorized, authorizationError } = presented;
  const validTo = new Date(certificate.valid_to);
  const daysLeft = Math.floor((validTo.getTime() - ctx.clock.now().getTime()) / DAY_MS);
  const evidence = {
    host: check.host,
    port: check.port,
    daysLeft,
    validTo: validTo.toISOString(),
    subject: nameOf(certificate.subject),
    issuer: nameOf(certificate.issuer),
    authorized,
    fingerprint256: certificate.fingerprint256,
  };
  const problems: string[] = [];
  if (!authorized) {
    const code = authorizationError ?? 'unknown';
    const why = TRUST_ERRORS[code];
    problems.push(
      `certificate not trusted for ${servername ?? check.host}: ${why ? `${why} (${code})` : code}`,
    );
  }
  if (daysLeft < check.minDaysLeft) {
    problems.push(
      daysLeft < 0
        ? `certificate expired ${-daysLeft} days ago (${evidence.validTo.slice(0, 10)})`
        : `certificate expires in ${daysLeft} days (${evidence.validTo.slice(0, 10)}), less than ${check.minDaysLeft}`,
    );
  }
  if (problems.length > 0) return { status: 'failed', summary: problems.join('; '), evidence };
  return {
    status: 'passed',
    summary: `certificate for ${evidence.subject} valid for ${daysLeft} more days (issuer ${evidence.issuer})`,
    evidence,
  };
}

function peerCertificate(
  host: string,
  port: number,
  servername: string | undefined,
  ctx: CheckContext,
): Promise<{ certificate: PeerCertificate; authorized: boolean; authorizationError?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ...(servername === undefined ? {} : { servername }),
      ...(ctx.tlsCa ? { ca: [...ctx.tlsCa] } : {}),
      // We read the certificate and judge it ourselves; nothing is sent over this connection.
      rejectUnauthorized: false,
    });
    const onAbort = () =>
      socket.destroy(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      ctx.signal.removeEventListener('abort', onAbort);
      const certificate = socket.getPeerCertificate();
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      const authorized = socket.authorized;
      socket.end();
      if (!certificate || Object.keys(certificate).length === 0) {
        reject(new Error('the server presented no certificate'));
        return;
      }
      resolve({ certificate, authorized, ...(authorizationError ? { authorizationError } : {}) });
    });
    socket.once('error', (error: Error) => {
      ctx.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

function nameOf(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '(none)';
  const cn = name.CN;
  if (cn) return Array.isArray(cn) ? cn.join(', ') : cn;
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(', ') : (value ?? '')}`)
    .join(', ');
}

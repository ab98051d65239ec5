import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Real certificates made with `openssl` in a temp dir: a test CA and server certificates it
 * signs, with any lifetime (one that expires in a few days, one that lasts a year), served by a
 * real `node:tls` server on 127.0.0.1, port 0.
 */
export interface CertificateAuthority {
  dir: string;
  /** PEM of the CA certificate, to trust it. */
  pem: string;
  issue(options: { days: number; commonName?: string; altNames?: string[] }): Promise<IssuedCertificate>;
  dispose(): Promise<void>;
}

export interface IssuedCertificate {
  cert: string;
  key: string;
}

export interface RunningTlsServer {
  port: number;
  close(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error('openssl is not installed (Debian package openssl); the TLS tests need it', {
        cause: error,
      });
    throw error;
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function createCertificateAuthority(name = 'shipgate test CA'): Promise<CertificateAuthority> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-tls-'));
  await openssl(
    ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', `/CN=${name}`],
    dir,
  );
  const pem = await readFile(join(dir, 'ca.crt'), 'utf8');
  let serial = 0;
  return {
    dir,
    pem,
    async issue({ days, commonName = 'localhost', altNames = ['DNS:localhost', 'IP:127.0.0.1'] }) {
      const base = `leaf-${++serial}`;
      await writeFile(join(dir, `${base}.ext`), `subjectAltName=${altNames.join(',')}\n`);
      await openssl(
        ['req', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`],
        dir,
      );
      await openssl(
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${base}.crt`,
          '-days',
          String(days),
          '-extfile',
          `${base}.ext`,
        ],
        dir,
      );
      return {
        cert: await readFile(join(dir, `${base}.crt`), 'utf8'),
        key: await readFile(join(dir, `${base}.key`), 'utf8'),
      };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function startTlsServer(certificate: IssuedCertificate): Promise<RunningTlsServer> {
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (socket) => {
    socket.end('hello\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { Resolver } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import type { Check } from '../config/schema.ts';
import type { CheckContext, CheckVerdict } from './context.ts';

/** The schema has no `server` field yet; when it gains one (`host` or `host:port`), it wins over the context. */
type DnsCheck = Extract<Check, { kind: 'dns' }> & { server?: string };

/** Errors that are an answer: the name or the record type does not exist. */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN']);

/**
 * `dns`: resolves `name` as A, AAAA or CNAME, through the check's `server` or the context's
 * `dnsServers` when given (the system's resolvers otherwise), and passes when every expected
 * value is among the answers (addresses compared in canonical form, names case-insensitively
 * without the trailing dot). NXDOMAIN or no records of that type fail; a timeout, SERVFAIL or a
 * refused query is inconclusive.
 */
export async function dnsCheck(check: DnsCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const resolver = new Resolver({ timeout: Math.max(500, Math.floor(check.timeout / 3)), tries: 2 });
  const servers = check.server ? [check.server] : ctx.dnsServers;
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  const onAbort = () => resolver.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let answers: string[];
  try {
    answers = await lookup(resolver, check.type, check.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    const answered = ANSWERED.has(code);
    return {
      status: answered ? 'failed' : 'inconclusive',
      summary: answered
        ? `${check.name} has no ${check.type} record`
        : `could not resolve ${check.name} ${check.type}: ${code}`,
      evidence: {
        name: check.name,
        type: check.type,
        error: code,
        ...(servers ? { servers: [...servers] } : {}),
      },
    };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  const normalised = new Set(answers.map((answer) => normalise(check.type, answer)));
  const missing = check.expect.filter((wanted) => !normalised.has(normalise(check.type, wanted)));
  const evidence = { name: check.name, type: check.type, answers, ...(missing.length ? { missing } : {}) };
  if (missing.length > 0) {
    return {
      status: 'failed',
      summary: `${check.name} ${check.type} is ${answers.join(', ') || 'empty'}, missing ${missing.join(', ')}`,
      evidence,
    };
  }
  return { status: 'passed', summary: `${check.name} ${check.type} → ${answers.join(', ')}`, evidence };
}

const LOOKUPS: Record<DnsCheck['type'], (resolver: Resolver, name: string) => Promise<string[]>> = {
  A: (resolver, name) => resolver.resolve4(name),
  AAAA: (resolver, name) => resolver.resolve6(name),
  CNAME: (resolver, name) => resolver.resolveCname(name),
};

function lookup(resolver: Resolver, type: DnsCheck['type'], name: string): Promise<string[]> {
  return LOOKUPS[type](resolver, name);
}

function normalise(type: DnsCheck['type'], value: string): string {
  const trimmed = value.trim().toLowerCase();
  if (type === 'CNAME') return trimmed.replace(/\.$/, '');
  if (type === 'AAAA' && isIPv6(trimmed)) return expandIPv6(trimmed);
  return trimmed;
}

/** 2001:db8::1 → 2001:0db8:0000:0000:0000:0000:0000:0001, so equal addresses compare equal. */
function expandIPv6(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.padStart(4, '0')).join(':');
}

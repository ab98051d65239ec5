import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP, port 0) for the records a test gives it.
 * An unknown name answers NXDOMAIN; names listed in `servfail` answer SERVFAIL; names in `silent`
 * get no answer at all (a resolver times out).
 */
export interface DnsZone {
  A?: Record<string, string[]>;
  AAAA?: Record<string, string[]>;
  CNAME?: Record<string, string>;
  servfail?: string[];
  silent?: string[];
}

export interface RunningDnsServer {
  /** `127.0.0.1:PORT`, for `Resolver.setServers`. */
  address: string;
  queries: number;
  close(): Promise<void>;
}

const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;

export async function startDnsServer(zone: DnsZone): Promise<RunningDnsServer> {
  const socket = createSocket('udp4');
  const state = { queries: 0 };
  socket.on('message', (message, remote) => {
    state.queries++;
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    if (zone.silent?.includes(name)) return;
    const known = [zone.A, zone.AAAA, zone.CNAME].some((records) => records && Object.hasOwn(records, name));
    const answers: dnsPacket.Answer[] = [];
    if (question.type === 'A' || question.type === 'AAAA') {
      const cname = zone.CNAME?.[name];
      if (cname) answers.push({ type: 'CNAME', name, ttl: 60, data: cname });
      for (const address of zone[question.type]?.[cname ?? name] ?? []) {
        answers.push({ type: question.type, name: cname ?? name, ttl: 60, data: address });
      }
    } else if (question.type === 'CNAME' && zone.CNAME?.[name]) {
      answers.push({ type: 'CNAME', name, ttl: 60, data: zone.CNAME[name] });
    }
    const rcode = zone.servfail?.includes(name) ? SERVFAIL : known ? NOERROR : NXDOMAIN;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | rcode,
      questions: query.questions,
      answers: rcode === NOERROR ? answers : [],
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    get queries() {
      return state.queries;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendNotification } from '../../src/report/notification.ts';
import { SecretScrubber } from '../../src/secrets.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';

/** The webhook notifier against a real local HTTP server. */

let server: Server;
let url: string;
let received: { path: string; body: unknown }[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/T0KEN-secret-path`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = 200;
});

function context(env: Record<string, string | undefined>) {
  return { env, logger: new RecordingLogger(), scrubber: new SecretScrubber(['hunter2-secret']) };
}

describe('sendNotification', () => {
  const config = { webhookUrlEnv: 'TEAM_WEBHOOK', on: ['rollback' as const] };

  it('posts Slack-compatible JSON for a configured event, scrubbed of secrets', async () => {
    const ctx = context({ TEAM_WEBHOOK: url });
    const sent = await sendNotification(
      config,
      { event: 'rollback', text: 'rolled back (token hunter2-secret)', fields: { toVersion: 'v1.1.0' } },
      ctx,
    );
    expect(sent).toBe(true);
    expect(received).toEqual([
      {
        path: '/hook/T0KEN-secret-path',
        body: { text: 'rolled back (token ***)', shipgate: { event: 'rollback', toVersion: 'v1.1.0' } },
      },
    ]);
  });

  it('sends nothing for an event the config does not ask for, or without a config', async () => {
    const ctx = context({ TEAM_WEBHOOK: url });
    expect(await sendNotification(config, { event: 'failure', text: 'x' }, ctx)).toBe(false);
    expect(await sendNotification(undefined, { event: 'rollback', text: 'x' }, ctx)).toBe(false);
    expect(received).toEqual([]);
  });

  it('never throws: an unset variable, a refusal or an unreachable URL is a warning without the URL', async () => {
    const unset = context({});
    expect(await sendNotification(config, { event: 'rollback', text: 'x' }, unset)).toBe(false);
    expect(unset.logger.text()).toBe(
      'reporting.notify: TEAM_WEBHOOK is not set; the rollback notification was not sent',
    );

    answer = 500;
    const refused = context({ TEAM_WEBHOOK: url });
    expect(await sendNotification(config, { event: 'rollback', text: 'x' }, refused)).toBe(false);
    expect(refused.logger.text()).toBe('the rollback notification was refused: HTTP 500');

    const closed = `http://127.0.0.1:1/hook/T0KEN-secret-path`;
    const unreachable = context({ TEAM_WEBHOOK: closed });
    expect(await sendNotification(config, { event: 'rollback', text: 'x' }, unreachable)).toBe(false);
    expect(unreachable.logger.text()).toMatch(/^the rollback notification could not be sent: /);
    expect(unreachable.logger.text()).not.toContain('T0KEN');
  });
});

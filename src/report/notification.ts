import type { Config } from '../config/schema.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SecretScrubber } from '../secrets.ts';

/**
 * Incoming-webhook notifications (`reporting.notify`): a Slack-compatible JSON POST
 * (`{"text": ...}`, plus shipgate's own fields) to the URL in the configured environment
 * variable. A notification is a courtesy: it never fails the phase that sends it (DESIGN 9), and
 * the URL (a secret in practice) is never logged.
 */

export type NotifyConfig = NonNullable<Config['reporting']['notify']>;
export type NotifyEvent = NotifyConfig['on'][number];

export interface Notification {
  event: NotifyEvent;
  text: string;
  /** Machine-readable facts for receivers that are not Slack. */
  fields?: Record<string, string | number | boolean>;
}

export interface NotifyContext {
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  scrubber: SecretScrubber;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Sends the notification when the config asks for this event; true when it was delivered. */
export async function sendNotification(
  config: NotifyConfig | undefined,
  notification: Notification,
  ctx: NotifyContext,
): Promise<boolean> {
  if (!config || !config.on.includes(notification.event)) return false;
  const url = ctx.env[config.webhookUrlEnv];
  if (!url) {
    ctx.logger.warning(
      `reporting.notify: ${config.webhookUrlEnv} is not set; the ${notification.event} notification was not sent`,
    );
    return false;
  }
  ctx.scrubber.add(url);
  const body = {
    text: ctx.scrubber.scrub(notification.text),
    shipgate: { event: notification.event, ...ctx.scrubber.scrubValue(notification.fields ?? {}) },
  };
  try {
    const response = await (ctx.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ctx.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      ctx.logger.warning(`the ${notification.event} notification was refused: HTTP ${response.status}`);
      return false;
    }
    return true;
  } catch (error) {
    ctx.logger.warning(
      `the ${notification.event} notification could not be sent: ${ctx.scrubber.scrub(errorMessage(error))}`,
    );
    return false;
  }
}

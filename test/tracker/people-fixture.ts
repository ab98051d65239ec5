/**
 * People on the sandbox: a person ticks a box the way a browser does (GET the issue, PATCH the body
 * with one box changed), and the gates workflow is fed the events the sandbox recorded.
 */
import { type Config, ConfigSchema, type ConfigInput } from '../../src/config/schema.ts';
import {
  handlePeopleEvent,
  type PeopleContext,
  type PeopleEvent,
  type PeopleOutcome,
} from '../../src/engine/people.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { itemMarker, withBox } from '../../src/report/ticks.ts';
import { RecordingLogger } from '../harness/recording-logger.ts';
import type { TestSandbox } from '../harness/sandbox.ts';
import { OWNER, REPO } from './record-fixture.ts';

export function trackerConfig(extra: Partial<ConfigInput> = {}): Config {
  return ConfigSchema.parse({
    version: 1,
    release: { name: 'webshop' },
    environments: { production: {} },
    deploy: { steps: [{ id: 'ship', run: ['true'] }] },
    roles: {
      qa: { title: 'QA Lead', teams: ['acme/qa'] },
      security: { title: 'Security', teams: ['acme/sre'], authorMaySignOff: false },
    },
    ...extra,
  });
}

/** Ticks (or unticks) one item as a browser does; false when the item is not in the body yet. */
export async function clickBox(person: GitHub, issue: number, id: string, ticked = true): Promise<boolean> {
  const { data } = await person.rest.issues.get({ owner: OWNER, repo: REPO, issue_number: issue });
  const body = data.body ?? '';
  const marker = itemMarker(id);
  const lines = body.split('\n');
  const at = lines.findIndex((line) => line.includes(marker));
  if (at < 0) return false;
  lines[at] = withBox(lines[at]!, ticked);
  await person.rest.issues.update({ owner: OWNER, repo: REPO, issue_number: issue, body: lines.join('\n') });
  return true;
}

export async function comment(person: GitHub, issue: number, body: string): Promise<void> {
  await person.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issue, body });
}

/**
 * The gates workflow: every `issues.edited` and `issue_comment.created` event the sandbox recorded
 * since `after` on `issue`, handed to handlePeopleEvent in order. Returns the last event id seen.
 */
export async function runGates(
  sandbox: TestSandbox,
  ctx: Omit<PeopleContext, 'logger'> & { logger?: PeopleContext['logger'] },
  after: number,
  outcomes: PeopleOutcome[] = [],
): Promise<number> {
  const issue = ctx.record.state.ids.issue;
  const events = [
    ...(await sandbox.control.events({ name: 'issues', action: 'edited', after })),
    ...(await sandbox.control.events({ name: 'issue_comment', action: 'created', after })),
  ].sort((a, b) => a.id - b.id);
  let last = after;
  for (const event of events) {
    last = Math.max(last, event.id);
    const payload = event.payload as PeopleEvent['payload'];
    if (payload.issue.number !== issue) continue;
    outcomes.push(
      await handlePeopleEvent(
        { name: event.name as PeopleEvent['name'], payload },
        { logger: new RecordingLogger(), ...ctx },
      ),
    );
  }
  return last;
}

export async function lastEventId(sandbox: TestSandbox): Promise<number> {
  return (await sandbox.control.events()).at(-1)?.id ?? 0;
}

export async function issueComments(
  octokit: GitHub,
  issue: number,
): Promise<{ user: string; body: string }[]> {
  const { data } = await octokit.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: issue });
  return data.map((c) => ({ user: c.user?.login ?? '', body: c.body ?? '' }));
}

export { withBox };

/**
 * DESIGN 2 on the sandbox: eight matrix jobs (each its own client and ReleaseRecord) update the
 * same release while a person ticks two manual items by GET + PATCH of the issue body, as a browser
 * does, and the gates workflow is fed every issues.edited event the sandbox recorded, as GitHub
 * would start it. Every round must end with every update and both ticks (attributed) in the
 * record and in the issue, one issue and one PR comment. TRACKER_ROUNDS overrides the 10 rounds.
 */
import { describe, expect, it } from 'vitest';
import {
  addItems,
  recordEvent,
  releaseKey,
  type ReleaseState,
  updateItem,
} from '../../src/engine/release-state.ts';
import type { GitHub } from '../../src/github/octokit.ts';
import { ReleaseRecord } from '../../src/github/release-record.ts';
import { commentMarker, renderPrComment } from '../../src/report/pr-comment.ts';
import { decodeStateBlock } from '../../src/report/state-block.ts';
import { readTicks } from '../../src/report/ticks.ts';
import { issueMarker } from '../../src/report/tracking-issue.ts';
import { useSandbox } from '../harness/sandbox.ts';
import { clickBox, lastEventId, runGates, trackerConfig } from './people-fixture.ts';
import {
  initialState,
  item,
  mergeCommit,
  objectsWithMarker,
  OWNER,
  openRecord,
  REPO,
} from './record-fixture.ts';

const WRITERS = 8;
const ROUNDS = Number(process.env.TRACKER_ROUNDS ?? 10);
const MANUAL = ['release-notes', 'support-briefed'];

const JOB_TOKEN_PERMISSIONS = {
  actions: 'write',
  contents: 'write',
  issues: 'write',
  members: 'read',
  metadata: 'read',
  pull_requests: 'write',
} as const;

describe('the release record under concurrent writers and a person ticking', () => {
  // Thousands of exchanges: GitHub's contract is checked on these same operations by the other
  // tracker suites; here it would make each round five times slower on a shared machine.
  const sandbox = useSandbox({ validate: false });

  /** Each matrix job has its own client (its own connection pool, caches and ETags). */
  async function jobClients(count: number): Promise<GitHub[]> {
    const clients: GitHub[] = [];
    for (let i = 0; i < count; i++) {
      const token = `ghs_sandbox_matrix_job_${i}`;
      await sandbox().control.setToken(token, {
        login: 'github-actions[bot]',
        kind: 'installation',
        permissions: JOB_TOKEN_PERMISSIONS,
        rateLimit: 1_000_000,
      });
      clients.push(sandbox().octokit({ token }));
    }
    return clients;
  }

  /** One matrix job: its own region item, running then passed with evidence, plus a shared check. */
  async function matrixJob(client: GitHub, initial: ReleaseState, region: number): Promise<void> {
    const record = await openRecord(client, initial);
    const id = `deploy:region-${region}`;
    await record.update(
      addItems([
        item(id, { phase: 'deploy', kind: 'step', text: `Deploy region ${region}`, section: 'Regions' }),
      ]),
    );
    await record.update(updateItem(id, { status: 'running', startedAt: new Date().toISOString() }));
    await record.update(
      updateItem(id, {
        status: 'passed',
        summary: `200 in ${40 + region} ms`,
        durationMs: 1000 + region,
        evidence: { status: 200, region },
      }),
      recordEvent({
        id: `region-${region}-done`,
        at: new Date().toISOString(),
        type: 'deployed',
        message: `region ${region}`,
      }),
    );
    if (region === 0)
      await record.update(updateItem('unit-tests', { status: 'passed', summary: '412 passed' }));
    if (region === 1) await record.update(updateItem('lint', { status: 'passed' }));
  }

  /** A person ticks the two manual items as soon as the issue exists, at moments of their own. */
  async function person(client: GitHub, notifications: ReleaseRecord): Promise<void> {
    const remaining = [...MANUAL];
    while (remaining.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
      const issue = (await notifications.refresh()).ids.issue;
      if (issue && (await clickBox(client, issue, remaining[0]!))) remaining.shift();
    }
  }

  it(`ends every one of ${ROUNDS} rounds with all ${WRITERS} writers' updates and both ticks, once`, async () => {
    const clients = await jobClients(WRITERS + 1);
    const gatesClient = clients.pop()!;
    const human = sandbox().octokit('maintain');
    const sha = await mergeCommit(human);
    const config = trackerConfig();

    for (let round = 0; round < ROUNDS; round++) {
      const initial = initialState(`v3.${round}.0`, sha);
      const key = releaseKey(initial.release);
      const since = await lastEventId(sandbox());

      // The gates workflow runs alongside, on every event recorded so far, as GitHub would start it.
      const gatesRecord = await openRecord(gatesClient, initial);
      let gatesDone = false;
      let seen = since;
      const gates = (async () => {
        for (;;) {
          const finished = gatesDone;
          await gatesRecord.refresh();
          if (gatesRecord.state.ids.issue) {
            seen = await runGates(
              sandbox(),
              { octokit: gatesClient, owner: OWNER, repo: REPO, config, record: gatesRecord },
              seen,
            );
          }
          if (finished) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();

      const started = performance.now();
      await sandbox().control.clearRequests();
      await Promise.all([
        ...clients.map((client, region) => matrixJob(client, initial, region)),
        person(human, await openRecord(human, initial)),
      ]);
      const writersTook = performance.now() - started;
      gatesDone = true;
      await gates;
      // TRACKER_DEBUG=1 prints what each round cost.
      if (process.env.TRACKER_DEBUG) {
        const log = await sandbox().control.requests();
        const slow = log.reduce((sum, r) => sum + r.durationMs, 0);
        console.log(
          `round ${round}: writers ${Math.round(writersTook)} ms, total ${Math.round(performance.now() - started)} ms, ${log.length} requests, server time ${Math.round(slow)} ms`,
          JSON.stringify(await sandbox().control.counts()),
        );
      }

      // What GitHub holds afterwards, read fresh.
      const reader = await openRecord(gatesClient, initial);
      const state = reader.state;
      for (let region = 0; region < WRITERS; region++) {
        const deployed = state.items.find((i) => i.id === `deploy:region-${region}`);
        expect(deployed?.status, `round ${round} region ${region}`).toBe('passed');
        expect(state.events.some((e) => e.id === `region-${region}-done`)).toBe(true);
      }
      expect(state.items.find((i) => i.id === 'unit-tests')?.status).toBe('passed');
      expect(state.items.find((i) => i.id === 'lint')?.status).toBe('passed');
      for (const id of MANUAL) {
        const manual = state.items.find((i) => i.id === id);
        expect(manual?.status, `round ${round} ${id}`).toBe('passed');
        expect(manual?.by, `round ${round} ${id} attributed`).toBe('max');
      }

      const found = await objectsWithMarker(sandbox(), issueMarker(key));
      expect(found.issues, `round ${round}: one tracking issue`).toHaveLength(1);
      expect((await objectsWithMarker(sandbox(), commentMarker(key))).comments).toHaveLength(1);

      const { data: issue } = await human.rest.issues.get({
        owner: OWNER,
        repo: REPO,
        issue_number: found.issues[0]!,
      });
      const ticks = readTicks(issue.body ?? '');
      for (let region = 0; region < WRITERS; region++)
        expect(ticks.get(`deploy:region-${region}`)).toBe(true);
      for (const id of MANUAL) expect(ticks.get(id), `round ${round}: ${id} ticked in the issue`).toBe(true);
      const block = decodeStateBlock(issue.body ?? '');
      expect(block.found && block.state.revision).toBe(state.revision);

      const { data: prComment } = await human.rest.issues.getComment({
        owner: OWNER,
        repo: REPO,
        comment_id: state.ids.comment!,
      });
      expect(prComment.body).toBe(renderPrComment(state, key, reader.issueUrl));
    }
  }, 240_000);
});

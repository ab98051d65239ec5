import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD, type SandboxEvent } from '../../src/sandbox/index.ts';
import { startTestSandbox, type TestSandbox } from '../harness/sandbox.ts';

const owner = DEFAULT_WORLD.owner;
const repo = DEFAULT_WORLD.name;

/** @octokit/webhooks-schemas: the community-kept JSON Schemas of every webhook payload. */
function webhookValidator() {
  const require = createRequire(import.meta.url);
  const schema = require('@octokit/webhooks-schemas/schema.json') as { definitions: Record<string, unknown> };
  const ajv = new Ajv({ strict: false });
  addFormats.default(ajv);
  // Only the definitions: the root's oneOf over all 344 of them is never compiled.
  ajv.addSchema({ $id: 'webhooks', definitions: schema.definitions });
  const compiled = new Map<string, ValidateFunction>();
  return (event: SandboxEvent) => {
    const name = event.action ? `${event.name}$${event.action}` : `${event.name}$event`;
    if (!schema.definitions[name]) return [`no schema for ${name}`];
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile({ $ref: `webhooks#/definitions/${name}` });
      compiled.set(name, validate);
    }
    return validate(event.payload)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${name} ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
        );
  };
}

describe('events the sandbox records, in GitHub webhook payload shape', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('records issues, issue_comment, push, create/delete, deployment, deployment_status and workflow_dispatch', async () => {
    const gh = sandbox.octokit('actions');
    const human = sandbox.octokit('triage');
    const issue = await gh.rest.issues.create({
      owner,
      repo,
      title: 'Release v1.2.0',
      body: 'before',
      labels: ['release'],
    });
    const n = issue.data.number;
    await human.rest.issues.update({ owner, repo, issue_number: n, body: 'after' });
    await gh.rest.issues.addLabels({ owner, repo, issue_number: n, labels: ['bug'] });
    const comment = await gh.rest.issues.createComment({ owner, repo, issue_number: n, body: 'first' });
    await gh.rest.issues.updateComment({ owner, repo, comment_id: comment.data.id, body: 'second' });
    await gh.rest.issues.deleteComment({ owner, repo, comment_id: comment.data.id });
    await gh.rest.issues.update({ owner, repo, issue_number: n, state: 'closed' });
    await gh.rest.issues.update({ owner, repo, issue_number: n, state: 'open' });

    const main = (await gh.rest.git.getRef({ owner, repo, ref: 'heads/main' })).data.object.sha;
    const tag = await gh.rest.git.createTag({
      owner,
      repo,
      tag: 'v1.2.0',
      message: 'v1.2.0',
      object: main,
      type: 'commit',
    });
    await gh.rest.git.createRef({ owner, repo, ref: 'refs/tags/v1.2.0', sha: tag.data.sha });
    const next = await sandbox.control.addCommit('acme/webshop', { message: 'Next', parents: [main] });
    await gh.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: next.sha });
    await gh.rest.git.createRef({ owner, repo, ref: 'refs/heads/tmp', sha: main });
    await gh.rest.git.deleteRef({ owner, repo, ref: 'heads/tmp' });

    const deployment = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'v1.2.0',
      environment: 'production',
      required_contexts: [],
    });
    if (!('id' in deployment.data)) throw new Error('expected a deployment');
    await gh.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deployment.data.id,
      state: 'failure',
      log_url: 'https://ci.acme.test/runs/1',
    });
    await gh.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'rollback.yml',
      ref: 'main',
      inputs: { reason: 'smoke failed' },
    });

    const events = await sandbox.control.events();
    const kinds = events.map((e) => (e.action ? `${e.name}.${e.action}` : e.name));
    expect(kinds).toEqual([
      'issues.opened',
      'issues.edited',
      'issues.labeled',
      'issue_comment.created',
      'issue_comment.edited',
      'issue_comment.deleted',
      'issues.closed',
      'issues.reopened',
      'push',
      'create',
      'push',
      'push',
      'create',
      'push',
      'delete',
      'deployment.created',
      'deployment_status.created',
      'workflow_dispatch',
    ]);
    const edited = events[1]!;
    expect(edited.payload).toMatchObject({
      action: 'edited',
      changes: { body: { from: 'before' } },
      sender: { login: 'tia' },
      issue: { number: n, body: 'after' },
      repository: { full_name: 'acme/webshop' },
    });
    const status = events.find((e) => e.name === 'deployment_status')!;
    expect(status.payload).toMatchObject({
      deployment_status: { state: 'failure' },
      deployment: { ref: 'v1.2.0' },
    });
    const push = events[10]!;
    expect(push.payload).toMatchObject({
      ref: 'refs/heads/main',
      before: main,
      after: next.sha,
      forced: false,
    });
    expect((push.payload.commits as unknown[]).length).toBe(1);

    const validate = webhookValidator();
    const problems = events.flatMap((e) => validate(e));
    expect(problems).toEqual([]);

    const file = await sandbox.eventFile({ name: 'issues', action: 'edited' });
    expect(file.event.name).toBe('issues');
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).toMatchObject({
      changes: { body: { from: 'before' } },
    });

    const comments = await sandbox.control.events({ name: 'issue_comment', action: 'created' });
    expect(comments).toHaveLength(1);
    const later = await sandbox.control.events({ after: events[15]!.id });
    expect(later.map((e) => e.name)).toEqual(['deployment_status', 'workflow_dispatch']);
  });
});

import { ApiError, notFound } from '../api-error.ts';
import { resolveCommitish } from '../git-objects.ts';
import { environmentJson, userJson } from '../representations.ts';
import { defineRoutes, requiredString } from '../route.ts';
import { workflowDispatchPayload } from '../webhook-payloads.ts';
import type { ApprovalRecord, EnvironmentRecord } from '../world.ts';

export const actionsRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
    operationId: 'actions/get-reviews-for-run',
    scope: 'actions',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const run = repo.workflowRuns.find((r) => String(r.id) === ctx.params.run_id);
      if (!run) throw notFound();
      const envFor = (name: string): EnvironmentRecord =>
        repo.environments.find((e) => e.name === name) ?? {
          id: 0,
          name,
          createdAt: repo.createdAt,
          updatedAt: repo.createdAt,
          reviewers: [],
          waitTimer: 0,
        };
      const body = run.approvals.map((a: ApprovalRecord) => {
        const environments = a.environments.map((name) => {
          const env = environmentJson(ctx.world, repo, envFor(name), ctx.urls);
          delete env.protection_rules;
          delete env.deployment_branch_policy;
          return env;
        });
        return {
          environments,
          state: a.state,
          user: userJson(ctx.world, a.user, ctx.urls),
          comment: a.comment,
        };
      });
      return { status: 200, body };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    operationId: 'actions/create-workflow-dispatch',
    scope: 'actions',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const id = ctx.params.workflow_id ?? '';
      const workflow = repo.workflows.find((w) => String(w.id) === id || w.path.endsWith(`/${id}`));
      if (!workflow) throw notFound();
      const ref = requiredString(ctx.body, 'ref', 'Workflow');
      if (!resolveCommitish(repo, ref)) throw new ApiError(422, `No ref found for: ${ref}`);
      const inputs = ctx.body.inputs;
      if (inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) {
        throw new ApiError(422, "Invalid request.\n\nFor 'properties/inputs', is not an object.");
      }
      ctx.emit(
        'workflow_dispatch',
        workflowDispatchPayload(
          ctx.world,
          repo,
          ref,
          (inputs as Record<string, unknown> | undefined) ?? null,
          workflow.path,
          ctx.actor,
          ctx.urls,
        ),
      );
      return { status: 204 };
    },
  },
]);

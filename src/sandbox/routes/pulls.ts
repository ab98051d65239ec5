import { notFound } from '../api-error.ts';
import { commitsBetween, resolveCommitish } from '../git-objects.ts';
import { pullJson } from '../representations.ts';
import { defineRoutes } from '../route.ts';
import type { IssueRecord, RepoRecord } from '../world.ts';

function pulls(repo: RepoRecord): IssueRecord[] {
  return repo.issues.filter((i) => i.pull !== undefined);
}

export const pullRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    operationId: 'pulls/list',
    scope: 'pull_requests',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const state = ctx.query.get('state') ?? 'open';
      const head = ctx.query.get('head');
      const base = ctx.query.get('base');
      const sort = ctx.query.get('sort') ?? 'created';
      const direction = ctx.query.get('direction') ?? (sort === 'created' ? 'desc' : 'desc');
      const key = (i: IssueRecord) => (sort === 'updated' ? i.updatedAt : i.createdAt);
      const items = pulls(repo)
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => !head || `${repo.owner}:${i.pull!.head.ref}` === head || i.pull!.head.ref === head)
        .filter((i) => !base || i.pull!.base.ref === base)
        .sort(
          (a, b) => (direction === 'asc' ? 1 : -1) * (key(a).localeCompare(key(b)) || a.number - b.number),
        );
      return {
        status: 200,
        page: { items, render: (i: IssueRecord) => pullJson(ctx.world, repo, i, ctx.urls, false) },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    operationId: 'pulls/get',
    scope: 'pull_requests',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = pulls(repo).find((i) => String(i.number) === ctx.params.pull_number);
      if (!issue) throw notFound();
      return { status: 200, body: pullJson(ctx.world, repo, issue, ctx.urls, true) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    operationId: 'repos/list-pull-requests-associated-with-commit',
    scope: 'pull_requests',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const sha = resolveCommitish(repo, ctx.params.commit_sha ?? '');
      if (!sha) {
        throw notFound();
      }
      const items = pulls(repo).filter((i) => {
        const pull = i.pull!;
        if (pull.mergeCommitSha === sha || pull.head.sha === sha) return true;
        return commitsBetween(repo, pull.base.sha, pull.head.sha).some((c) => c.sha === sha);
      });
      return {
        status: 200,
        page: { items, render: (i: IssueRecord) => pullJson(ctx.world, repo, i, ctx.urls, false) },
      };
    },
  },
]);

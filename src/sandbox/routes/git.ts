import { ApiError, notFound } from '../api-error.ts';
import { commitsBetween, isAncestor, makeCommit, objectSha, peel, resolveCommitish } from '../git-objects.ts';
import { commitJson, diffEntryJson, gitCommitJson, refJson, tagObjectJson } from '../representations.ts';
import { defineRoutes, type RouteContext, requiredString, stringArray, stringField } from '../route.ts';
import { createOrDeletePayload, pushPayload, ZERO_SHA } from '../webhook-payloads.ts';
import type { CommitRecord, GitPerson, RepoRecord, TagObjectRecord } from '../world.ts';

const unprocessable = (message: string) => new ApiError(422, message);

function objectExists(repo: RepoRecord, sha: string): boolean {
  return repo.commits[sha] !== undefined || repo.tagObjects[sha] !== undefined;
}

/** Applies a ref change and records the push (and create/delete) events GitHub would send. */
export function moveRef(
  ctx: RouteContext,
  repo: RepoRecord,
  ref: string,
  after: string,
  forced: boolean,
): void {
  const before = repo.refs[ref] ?? ZERO_SHA;
  if (after === ZERO_SHA) delete repo.refs[ref];
  else repo.refs[ref] = after;
  repo.pushedAt = ctx.now();
  const commits =
    after === ZERO_SHA || ref.startsWith('refs/tags/')
      ? []
      : commitsBetween(
          repo,
          before === ZERO_SHA ? ZERO_SHA : peel(repo, before),
          peel(repo, after),
        ).reverse();
  ctx.emit(
    'push',
    pushPayload(ctx.world, repo, { ref, before, after, forced, commits }, ctx.actor, ctx.urls),
  );
  if (before === ZERO_SHA)
    ctx.emit('create', createOrDeletePayload(ctx.world, repo, ref, 'create', ctx.actor, ctx.urls));
  if (after === ZERO_SHA)
    ctx.emit('delete', createOrDeletePayload(ctx.world, repo, ref, 'delete', ctx.actor, ctx.urls));
}

function gitPerson(value: unknown, fallback: GitPerson): GitPerson {
  if (!value || typeof value !== 'object') return fallback;
  const v = value as Record<string, unknown>;
  return {
    name: typeof v.name === 'string' ? v.name : fallback.name,
    email: typeof v.email === 'string' ? v.email : fallback.email,
    date: typeof v.date === 'string' ? v.date : fallback.date,
  };
}

function actorPerson(ctx: RouteContext): GitPerson {
  const user = ctx.world.users[ctx.actor.login];
  return {
    name: user?.name ?? ctx.actor.login,
    email: user?.email ?? `${ctx.actor.login}@users.noreply.sandbox.test`,
    date: ctx.now(),
  };
}

export const gitRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{base}...{head}',
    operationId: 'repos/compare-commits',
    scope: 'contents',
    access: 'read',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const baseRef = ctx.params.base ?? '';
      const headRef = ctx.params.head ?? '';
      const basehead = `${baseRef}...${headRef}`;
      const base = resolveCommitish(repo, baseRef);
      const head = resolveCommitish(repo, headRef);
      if (!base || !head) throw notFound();
      // Commits on head since the two diverged (oldest first), and the other way round.
      const ahead = commitsBetween(repo, base, head).reverse();
      const behind = commitsBetween(repo, head, base);
      const mergeBase =
        ahead.length === 0 ? head : ([...ahead[0]!.parents].find((p) => isAncestor(repo, p, base)) ?? base);
      const files = [...new Set(ahead.flatMap((commit) => commit.files ?? []))].sort();
      const status =
        ahead.length === 0 && behind.length === 0
          ? 'identical'
          : behind.length === 0
            ? 'ahead'
            : ahead.length === 0
              ? 'behind'
              : 'diverged';
      const html = `${ctx.urls.html}/${repo.owner}/${repo.name}`;
      return {
        status: 200,
        body: {
          url: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/compare/${basehead}`,
          html_url: `${html}/compare/${basehead}`,
          permalink_url: `${html}/compare/${base}...${head}`,
          diff_url: `${html}/compare/${basehead}.diff`,
          patch_url: `${html}/compare/${basehead}.patch`,
          base_commit: commitJson(ctx.world, repo, repo.commits[base]!, ctx.urls),
          merge_base_commit: commitJson(ctx.world, repo, repo.commits[mergeBase]!, ctx.urls),
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: ahead.map((commit) => commitJson(ctx.world, repo, commit, ctx.urls)),
          files: files.map((file) => diffEntryJson(repo, head, file, ctx.urls)),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    operationId: 'repos/list-commits',
    scope: 'contents',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const start = resolveCommitish(repo, ctx.query.get('sha') ?? repo.defaultBranch);
      if (!start) throw notFound();
      const items = commitsBetween(repo, ZERO_SHA, start).sort((a, b) =>
        b.committer.date.localeCompare(a.committer.date),
      );
      return {
        status: 200,
        page: { items, render: (c: CommitRecord) => commitJson(ctx.world, repo, c, ctx.urls) },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}',
    operationId: 'repos/get-commit',
    scope: 'contents',
    access: 'read',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = ctx.params.ref ?? '';
      const sha = resolveCommitish(repo, ref);
      if (!sha || !repo.commits[sha]) throw unprocessable(`No commit found for SHA: ${ref}`);
      return { status: 200, body: commitJson(ctx.world, repo, repo.commits[sha], ctx.urls) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    operationId: 'git/create-commit',
    scope: 'contents',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const message = requiredString(ctx.body, 'message', 'Commit');
      const tree = requiredString(ctx.body, 'tree', 'Commit');
      if (!/^[0-9a-f]{40}$/.test(tree)) throw unprocessable('Tree SHA does not exist');
      const parents = stringArray(ctx.body, 'parents', 'Commit') ?? [];
      for (const parent of parents) {
        if (!repo.commits[parent]) throw unprocessable('Parent SHA does not exist or is not a commit object');
      }
      const author = gitPerson(ctx.body.author, actorPerson(ctx));
      const commit = makeCommit({
        message,
        tree,
        parents,
        author,
        committer: gitPerson(ctx.body.committer, author),
        authorLogin: ctx.actor.login,
      });
      repo.commits[commit.sha] = commit;
      return {
        status: 201,
        body: gitCommitJson(repo, commit, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/commits/${commit.sha}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    operationId: 'git/get-commit',
    scope: 'contents',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const commit = repo.commits[ctx.params.commit_sha ?? ''];
      if (!commit) throw notFound();
      return { status: 200, body: gitCommitJson(repo, commit, ctx.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    operationId: 'git/list-matching-refs',
    scope: 'contents',
    access: 'read',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const prefix = `refs/${ctx.params.ref ?? ''}`;
      const refs = Object.keys(repo.refs)
        .filter((r) => r.startsWith(prefix))
        .sort()
        .map((r) => refJson(repo, r, repo.refs[r]!, ctx.urls));
      return { status: 200, body: refs };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    operationId: 'git/get-ref',
    scope: 'contents',
    access: 'read',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = `refs/${ctx.params.ref ?? ''}`;
      const sha = repo.refs[ref];
      if (!sha) throw notFound();
      return { status: 200, body: refJson(repo, ref, sha, ctx.urls) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    operationId: 'git/create-ref',
    scope: 'contents',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = requiredString(ctx.body, 'ref', 'Reference');
      const sha = requiredString(ctx.body, 'sha', 'Reference');
      if (!/^refs\/[^/]+\/.+/.test(ref) || ref.endsWith('/') || ref.includes('..')) {
        throw unprocessable(`Reference name is invalid: ${ref}`);
      }
      if (!objectExists(repo, sha)) throw unprocessable('Object does not exist');
      if (repo.refs[ref]) throw unprocessable('Reference already exists');
      moveRef(ctx, repo, ref, sha, false);
      return {
        status: 201,
        body: refJson(repo, ref, sha, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}` },
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    operationId: 'git/update-ref',
    scope: 'contents',
    access: 'write',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = `refs/${ctx.params.ref ?? ''}`;
      const sha = requiredString(ctx.body, 'sha', 'Reference');
      const force = ctx.body.force === true;
      const current = repo.refs[ref];
      if (!current) throw unprocessable('Reference does not exist');
      if (!objectExists(repo, sha)) throw unprocessable('Object does not exist');
      // The only compare-and-swap GitHub offers: without force, the new commit must descend from the old.
      if (!force && !isAncestor(repo, peel(repo, current), peel(repo, sha))) {
        throw unprocessable('Update is not a fast forward');
      }
      if (current !== sha) moveRef(ctx, repo, ref, sha, force);
      return { status: 200, body: refJson(repo, ref, sha, ctx.urls) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    operationId: 'git/delete-ref',
    scope: 'contents',
    access: 'write',
    greedy: true,
    handle(ctx) {
      const repo = ctx.repo!;
      const ref = `refs/${ctx.params.ref ?? ''}`;
      if (!repo.refs[ref]) throw unprocessable('Reference does not exist');
      moveRef(ctx, repo, ref, ZERO_SHA, false);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/tags',
    operationId: 'git/create-tag',
    scope: 'contents',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const tag = requiredString(ctx.body, 'tag', 'Tag');
      const message = stringField(ctx.body, 'message', 'Tag') ?? '';
      const object = requiredString(ctx.body, 'object', 'Tag');
      const type = (stringField(ctx.body, 'type', 'Tag') ?? 'commit') as TagObjectRecord['object']['type'];
      if (!objectExists(repo, object)) throw unprocessable('Object does not exist');
      const tagger = gitPerson(ctx.body.tagger, actorPerson(ctx));
      const content = `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${tagger.name} <${tagger.email}> ${tagger.date}\n\n${message}`;
      const record: TagObjectRecord = {
        sha: objectSha('tag', content),
        tag,
        message,
        tagger,
        object: { sha: object, type },
      };
      repo.tagObjects[record.sha] = record;
      return {
        status: 201,
        body: tagObjectJson(repo, record, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/tags/${record.sha}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/tags/{tag_sha}',
    operationId: 'git/get-tag',
    scope: 'contents',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const tag = repo.tagObjects[ctx.params.tag_sha ?? ''];
      if (!tag) throw notFound();
      return { status: 200, body: tagObjectJson(repo, tag, ctx.urls) };
    },
  },
]);

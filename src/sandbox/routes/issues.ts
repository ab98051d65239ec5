import { hasRole, requireOwnOrRole } from '../access.ts';
import { ApiError, checkBodyLength, notFound, validationFailed } from '../api-error.ts';
import { commentJson, issueJson, labelJson } from '../representations.ts';
import { defineRoutes, type RouteContext, requiredString, stringArray, stringField } from '../route.ts';
import { type Changes, issueCommentPayload, issuesPayload } from '../webhook-payloads.ts';
import { type CommentRecord, type IssueRecord, type LabelRecord, nextId, type RepoRecord } from '../world.ts';

function findIssue(repo: RepoRecord, value: string | undefined): IssueRecord {
  const issue = repo.issues.find((i) => String(i.number) === value);
  if (!issue) throw notFound();
  return issue;
}

function findComment(repo: RepoRecord, value: string | undefined): CommentRecord {
  const comment = repo.comments.find((c) => String(c.id) === value);
  if (!comment) throw notFound();
  return comment;
}

/** Labels named on an issue that do not exist yet are created, as GitHub does. */
function ensureLabels(ctx: RouteContext, repo: RepoRecord, names: string[]): string[] {
  for (const name of names) {
    if (!repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      repo.labels.push({ id: nextId(ctx.world), name, color: 'ededed', description: null, default: false });
    }
  }
  return names.map((name) => repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase())!.name);
}

function known(ctx: RouteContext, logins: string[]): string[] {
  for (const login of logins) {
    if (!ctx.world.users[login]) {
      throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'assignees', value: login }]);
    }
  }
  return logins;
}

const SORTS: Record<string, (a: IssueRecord, b: IssueRecord) => number> = {
  created: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number,
  updated: (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number,
  comments: (a, b) => a.comments - b.comments || a.number - b.number,
};

export const issueRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    operationId: 'issues/list-for-repo',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const q = ctx.query;
      const state = q.get('state') ?? 'open';
      const labels = (q.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const creator = q.get('creator');
      const since = q.get('since');
      const sort = SORTS[q.get('sort') ?? 'created'] ?? SORTS.created!;
      const direction = q.get('direction') ?? 'desc';
      const items = repo.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((name) => name.toLowerCase() === l)))
        .filter((i) => !creator || i.user === creator)
        .filter((i) => !since || i.updatedAt >= since)
        .sort((a, b) => (direction === 'asc' ? sort(a, b) : sort(b, a)));
      return {
        status: 200,
        page: { items, render: (i: IssueRecord) => issueJson(ctx.world, repo, i, ctx.urls) },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    operationId: 'issues/create',
    scope: 'issues',
    access: 'write',
    minimumRole: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const title = requiredString(ctx.body, 'title', 'Issue');
      const body = stringField(ctx.body, 'body', 'Issue') ?? null;
      checkBodyLength('Issue', body);
      // Only people who can triage set labels and assignees; GitHub silently drops them for others.
      const canTriage = hasRole(ctx.world, repo, ctx.actor, 'triage');
      const labels = canTriage ? ensureLabels(ctx, repo, stringArray(ctx.body, 'labels', 'Issue') ?? []) : [];
      const assignees = canTriage ? known(ctx, stringArray(ctx.body, 'assignees', 'Issue') ?? []) : [];
      const now = ctx.now();
      const issue: IssueRecord = {
        id: nextId(ctx.world),
        number: repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
        title,
        body,
        user: ctx.actor.login,
        state: 'open',
        stateReason: null,
        labels,
        assignees,
        locked: false,
        comments: 0,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closedBy: null,
      };
      repo.issues.push(issue);
      ctx.emit('issues', issuesPayload(ctx.world, repo, issue, 'opened', ctx.actor, ctx.urls));
      return {
        status: 201,
        body: issueJson(ctx.world, repo, issue, ctx.urls),
        headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments',
    operationId: 'issues/list-comments-for-repo',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const since = ctx.query.get('since');
      const key = ctx.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
      const direction = ctx.query.get('direction') ?? 'asc';
      const items = repo.comments
        .filter((c) => !since || c.updatedAt >= since)
        .sort((a, b) => (direction === 'desc' ? -1 : 1) * (a[key].localeCompare(b[key]) || a.id - b.id));
      return {
        status: 200,
        page: { items, render: (c: CommentRecord) => commentJson(ctx.world, repo, c, ctx.urls) },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    operationId: 'issues/get-comment',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      return {
        status: 200,
        body: commentJson(ctx.world, repo, findComment(repo, ctx.params.comment_id), ctx.urls),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    operationId: 'issues/update-comment',
    scope: 'issues',
    access: 'write',
    minimumRole: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const comment = findComment(repo, ctx.params.comment_id);
      requireOwnOrRole(ctx.world, repo, ctx.actor, comment.user, 'write');
      const body = requiredString(ctx.body, 'body', 'IssueComment');
      checkBodyLength('IssueComment', body);
      const from = comment.body;
      comment.body = body;
      comment.updatedAt = ctx.now();
      const issue = findIssue(repo, String(comment.issueNumber));
      ctx.emit(
        'issue_comment',
        issueCommentPayload(ctx.world, repo, issue, comment, 'edited', ctx.actor, ctx.urls, {
          body: { from },
        }),
      );
      return { status: 200, body: commentJson(ctx.world, repo, comment, ctx.urls) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    operationId: 'issues/delete-comment',
    scope: 'issues',
    access: 'write',
    minimumRole: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const comment = findComment(repo, ctx.params.comment_id);
      requireOwnOrRole(ctx.world, repo, ctx.actor, comment.user, 'write');
      repo.comments = repo.comments.filter((c) => c !== comment);
      const issue = findIssue(repo, String(comment.issueNumber));
      issue.comments = Math.max(0, issue.comments - 1);
      ctx.emit(
        'issue_comment',
        issueCommentPayload(ctx.world, repo, issue, comment, 'deleted', ctx.actor, ctx.urls),
      );
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    operationId: 'issues/get',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      return {
        status: 200,
        body: issueJson(ctx.world, repo, findIssue(repo, ctx.params.issue_number), ctx.urls),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    operationId: 'issues/update',
    scope: 'issues',
    access: 'write',
    minimumRole: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      requireOwnOrRole(ctx.world, repo, ctx.actor, issue.user, 'triage');
      const title = stringField(ctx.body, 'title', 'Issue');
      const body = ctx.body.body === null ? null : stringField(ctx.body, 'body', 'Issue');
      const state = stringField(ctx.body, 'state', 'Issue');
      const stateReason = stringField(ctx.body, 'state_reason', 'Issue');
      if (state !== undefined && state !== 'open' && state !== 'closed') {
        throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state', value: state }]);
      }
      if (title === '')
        throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
      checkBodyLength('Issue', body);
      const canTriage = hasRole(ctx.world, repo, ctx.actor, 'triage');
      const labels = stringArray(ctx.body, 'labels', 'Issue');
      const assignees = stringArray(ctx.body, 'assignees', 'Issue');
      const changes: Changes = {};
      if (title !== undefined && title !== issue.title) {
        changes.title = { from: issue.title };
        issue.title = title;
      }
      if (body !== undefined && body !== issue.body) {
        changes.body = { from: issue.body ?? '' };
        issue.body = body;
      }
      if (labels !== undefined && canTriage) issue.labels = ensureLabels(ctx, repo, labels);
      if (assignees !== undefined && canTriage) issue.assignees = known(ctx, assignees);
      const now = ctx.now();
      issue.updatedAt = now;
      let transition: 'closed' | 'reopened' | undefined;
      if (state !== undefined && state !== issue.state) {
        issue.state = state;
        transition = state === 'closed' ? 'closed' : 'reopened';
        issue.closedAt = state === 'closed' ? now : null;
        issue.closedBy = state === 'closed' ? ctx.actor.login : null;
        issue.stateReason =
          state === 'closed' ? ((stateReason as IssueRecord['stateReason']) ?? 'completed') : 'reopened';
      }
      if (changes.title || changes.body) {
        ctx.emit('issues', issuesPayload(ctx.world, repo, issue, 'edited', ctx.actor, ctx.urls, { changes }));
      }
      if (transition)
        ctx.emit('issues', issuesPayload(ctx.world, repo, issue, transition, ctx.actor, ctx.urls));
      return { status: 200, body: issueJson(ctx.world, repo, issue, ctx.urls) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/list-comments',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      const since = ctx.query.get('since');
      const items = repo.comments
        .filter((c) => c.issueNumber === issue.number)
        .filter((c) => !since || c.updatedAt >= since);
      return {
        status: 200,
        page: { items, render: (c: CommentRecord) => commentJson(ctx.world, repo, c, ctx.urls) },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/create-comment',
    scope: 'issues',
    access: 'write',
    minimumRole: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      const body = requiredString(ctx.body, 'body', 'IssueComment');
      checkBodyLength('IssueComment', body);
      if (issue.locked && !hasRole(ctx.world, repo, ctx.actor, 'write')) {
        throw new ApiError(403, 'Unable to create comment because issue is locked.');
      }
      const now = ctx.now();
      const comment: CommentRecord = {
        id: nextId(ctx.world),
        issueNumber: issue.number,
        body,
        user: ctx.actor.login,
        createdAt: now,
        updatedAt: now,
      };
      repo.comments.push(comment);
      issue.comments += 1;
      issue.updatedAt = now;
      ctx.emit(
        'issue_comment',
        issueCommentPayload(ctx.world, repo, issue, comment, 'created', ctx.actor, ctx.urls),
      );
      return {
        status: 201,
        body: commentJson(ctx.world, repo, comment, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    operationId: 'issues/add-labels',
    scope: 'issues',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      const names = stringArray(ctx.body, 'labels', 'Label') ?? [];
      const added = ensureLabels(ctx, repo, names).filter((n) => !issue.labels.includes(n));
      issue.labels.push(...added);
      issue.updatedAt = ctx.now();
      for (const name of added) {
        const label = repo.labels.find((l) => l.name === name)!;
        ctx.emit(
          'issues',
          issuesPayload(ctx.world, repo, issue, 'labeled', ctx.actor, ctx.urls, {
            label: labelJson(repo, label, ctx.urls),
          }),
        );
      }
      const labels = issue.labels.map((n) => repo.labels.find((l) => l.name === n)!);
      return { status: 200, body: labels.map((l) => labelJson(repo, l, ctx.urls)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    operationId: 'issues/list-labels-on-issue',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      const items = issue.labels
        .map((n) => repo.labels.find((l) => l.name === n))
        .filter((l) => l !== undefined);
      return { status: 200, page: { items, render: (l: LabelRecord) => labelJson(repo, l, ctx.urls) } };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
    operationId: 'issues/remove-label',
    scope: 'issues',
    access: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const issue = findIssue(repo, ctx.params.issue_number);
      const wanted = (ctx.params.name ?? '').toLowerCase();
      const name = issue.labels.find((n) => n.toLowerCase() === wanted);
      if (!name) throw new ApiError(404, 'Label does not exist');
      issue.labels = issue.labels.filter((n) => n !== name);
      issue.updatedAt = ctx.now();
      const label = repo.labels.find((l) => l.name === name);
      if (label) {
        ctx.emit(
          'issues',
          issuesPayload(ctx.world, repo, issue, 'unlabeled', ctx.actor, ctx.urls, {
            label: labelJson(repo, label, ctx.urls),
          }),
        );
      }
      const remaining = issue.labels
        .map((n) => repo.labels.find((l) => l.name === n))
        .filter((l) => l !== undefined);
      return { status: 200, body: remaining.map((l) => labelJson(repo, l, ctx.urls)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels',
    operationId: 'issues/list-labels-for-repo',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      return {
        status: 200,
        page: { items: repo.labels, render: (l: LabelRecord) => labelJson(repo, l, ctx.urls) },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/labels',
    operationId: 'issues/create-label',
    scope: 'issues',
    access: 'write',
    minimumRole: 'write',
    handle(ctx) {
      const repo = ctx.repo!;
      const name = requiredString(ctx.body, 'name', 'Label');
      const color = (stringField(ctx.body, 'color', 'Label') ?? 'ededed').replace(/^#/, '');
      if (!/^[0-9a-fA-F]{6}$/.test(color)) {
        throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color', value: color }]);
      }
      if (repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
        throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
      }
      const label: LabelRecord = {
        id: nextId(ctx.world),
        name,
        color: color.toLowerCase(),
        description: stringField(ctx.body, 'description', 'Label') ?? null,
        default: false,
      };
      repo.labels.push(label);
      return {
        status: 201,
        body: labelJson(repo, label, ctx.urls),
        headers: {
          location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels/{name}',
    operationId: 'issues/get-label',
    scope: 'issues',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const wanted = (ctx.params.name ?? '').toLowerCase();
      const label = repo.labels.find((l) => l.name.toLowerCase() === wanted);
      if (!label) throw notFound();
      return { status: 200, body: labelJson(repo, label, ctx.urls) };
    },
  },
]);

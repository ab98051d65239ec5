import { hasRole, repoRole } from '../access.ts';
import { notFound } from '../api-error.ts';
import { repoJson, teamJson, userJson } from '../representations.ts';
import { defineRoutes } from '../route.ts';
import type { RepoRole } from '../world.ts';

const PERMISSION: Record<RepoRole, 'admin' | 'write' | 'read'> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

function permissionsOf(role: RepoRole | undefined) {
  const rank = role ? ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role) : -1;
  return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: rank >= 0 };
}

export const repoRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    operationId: 'repos/get',
    scope: 'metadata',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const role =
        ctx.actor.record.kind === 'installation'
          ? hasRole(ctx.world, repo, ctx.actor, 'write')
            ? 'write'
            : 'read'
          : repoRole(ctx.world, repo, ctx.actor.login);
      return { status: 200, body: repoJson(ctx.world, repo, ctx.urls, permissionsOf(role)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    operationId: 'repos/check-collaborator',
    scope: 'metadata',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const login = ctx.params.username ?? '';
      if (!ctx.world.users[login] || !repoRole(ctx.world, repo, login)) throw notFound();
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    operationId: 'repos/get-collaborator-permission-level',
    scope: 'metadata',
    access: 'read',
    handle(ctx) {
      const repo = ctx.repo!;
      const login = ctx.params.username ?? '';
      if (!ctx.world.users[login]) throw notFound();
      const role = repoRole(ctx.world, repo, login);
      const permission = role ? PERMISSION[role] : repo.private ? 'none' : 'read';
      const user = {
        ...userJson(ctx.world, login, ctx.urls),
        permissions: permissionsOf(role),
        role_name: role ?? permission,
      };
      return { status: 200, body: { permission, role_name: role ?? permission, user } };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}',
    operationId: 'teams/get-by-name',
    handle(ctx) {
      const team = ctx.world.teams[`${ctx.params.org}/${ctx.params.team_slug}`];
      if (!team || !seesTeams(ctx.world, ctx.params.org ?? '', ctx.actor)) throw notFound();
      const org = ctx.params.org ?? '';
      return {
        status: 200,
        body: {
          ...teamJson(ctx.world, org, team.slug, ctx.urls),
          members_count: Object.values(team.members).filter((m) => m.state === 'active').length,
          repos_count: 0,
          created_at: '2026-01-05T09:00:00Z',
          updated_at: '2026-01-05T09:00:00Z',
          organization: {
            ...orgSummary(ctx.world, org, ctx.urls),
          },
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/members',
    operationId: 'teams/list-members-in-org',
    handle(ctx) {
      const team = ctx.world.teams[`${ctx.params.org}/${ctx.params.team_slug}`];
      if (!team || !seesTeams(ctx.world, ctx.params.org ?? '', ctx.actor)) throw notFound();
      const role = ctx.query.get('role') ?? 'all';
      const items = Object.entries(team.members)
        .filter(([, m]) => m.state === 'active' && (role === 'all' || m.role === role))
        .map(([login]) => login);
      return {
        status: 200,
        page: { items, render: (login: string) => userJson(ctx.world, login, ctx.urls) },
      };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/memberships/{username}',
    operationId: 'teams/get-membership-for-user-in-org',
    handle(ctx) {
      const org = ctx.params.org ?? '';
      const team = ctx.world.teams[`${org}/${ctx.params.team_slug}`];
      // GitHub answers 404 both for a missing team and for a user who is not a member, and hides
      // teams from callers outside the organisation.
      if (!team || !seesTeams(ctx.world, org, ctx.actor)) throw notFound();
      const login = ctx.params.username ?? '';
      const member = team.members[login];
      if (!member) throw notFound();
      return {
        status: 200,
        body: {
          url: `${ctx.urls.api}/organizations/${ctx.world.orgs[org]?.id ?? 0}/team/${team.id}/memberships/${login}`,
          role: member.role,
          state: member.state,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/user',
    operationId: 'users/get-authenticated',
    handle(ctx) {
      return { status: 200, body: fullUser(ctx.world, ctx.actor.login, ctx.urls) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}',
    operationId: 'users/get-by-username',
    handle(ctx) {
      const login = ctx.params.username ?? '';
      if (!ctx.world.users[login]) throw notFound();
      return { status: 200, body: fullUser(ctx.world, login, ctx.urls) };
    },
  },
]);

import type { Actor } from '../access.ts';
import type { Urls } from '../representations.ts';
import type { World } from '../world.ts';

function seesTeams(world: World, org: string, actor: Actor): boolean {
  if (actor.record.kind === 'installation') return actor.record.permissions?.members !== undefined;
  return world.orgs[org]?.members[actor.login] !== undefined;
}

function orgSummary(world: World, org: string, urls: Urls) {
  const record = world.orgs[org];
  const api = `${urls.api}/orgs/${org}`;
  return {
    login: org,
    id: record?.id ?? 0,
    node_id: Buffer.from(`Organization:${record?.id ?? 0}`).toString('base64url'),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.html}/avatars/${org}`,
    description: record?.description ?? null,
    has_organization_projects: false,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${urls.html}/${org}`,
    created_at: '2026-01-05T09:00:00Z',
    updated_at: '2026-01-05T09:00:00Z',
    type: 'Organization',
    archived_at: null,
  };
}

function fullUser(world: World, login: string, urls: Urls) {
  const user = world.users[login];
  return {
    ...userJson(world, login, urls),
    name: user?.name ?? null,
    company: null,
    blog: null,
    location: null,
    email: user?.email ?? null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

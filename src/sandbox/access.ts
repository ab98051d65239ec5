import { ApiError, forbiddenIntegration, notFound } from './api-error.ts';
import type { Access, RepoRecord, RepoRole, Scope, TokenRecord, World } from './world.ts';

/** Who is calling: the token's user and what the token may do. */
export interface Actor {
  login: string;
  token: string;
  record: TokenRecord;
}

const RANK: Record<RepoRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function roleAtLeast(role: RepoRole | undefined, minimum: RepoRole): boolean {
  return role !== undefined && RANK[role] >= RANK[minimum];
}

/** The user's role on the repository: direct collaborator, active team member, or org admin. */
export function repoRole(world: World, repo: RepoRecord, login: string): RepoRole | undefined {
  let best: RepoRole | undefined = repo.collaborators[login];
  for (const [slug, role] of Object.entries(repo.teams)) {
    const member = world.teams[`${repo.owner}/${slug}`]?.members[login];
    if (member?.state === 'active' && !roleAtLeast(best, role)) best = role;
  }
  if (world.orgs[repo.owner]?.members[login] === 'admin') best = 'admin';
  if (repo.owner === login) best = 'admin';
  return best;
}

/** The minimum role a user token needs for a scope and access, unless a route says otherwise. */
export function defaultMinimumRole(scope: Scope, access: Access): RepoRole {
  if (access === 'read') return 'read';
  if (scope === 'issues' || scope === 'pull_requests') return 'triage';
  if (scope === 'environments' || scope === 'members') return 'admin';
  return 'write';
}

/**
 * Throws GitHub's answer when the actor may not do this: 404 when the repository is private and
 * invisible to them (GitHub hides it), 403 "Resource not accessible by integration" otherwise.
 */
export function authorize(
  world: World,
  repo: RepoRecord,
  actor: Actor,
  scope: Scope,
  access: Access,
  minimumRole?: RepoRole,
): void {
  if (actor.record.kind === 'installation') {
    const granted = scope === 'metadata' ? 'read' : actor.record.permissions?.[scope];
    if (!granted) throw forbiddenIntegration();
    if (access === 'write' && (granted !== 'write' || actor.record.readOnly)) throw forbiddenIntegration();
    return;
  }
  const role = repoRole(world, repo, actor.login);
  if (!role && repo.private) throw notFound();
  const effective: RepoRole | undefined = role ?? 'read';
  if (!roleAtLeast(effective, minimumRole ?? defaultMinimumRole(scope, access))) throw forbiddenIntegration();
  if (actor.record.readOnly && access === 'write') throw forbiddenIntegration();
}

/** For handlers that allow authors to change their own objects: is the actor allowed beyond authorship? */
export function hasRole(world: World, repo: RepoRecord, actor: Actor, minimum: RepoRole): boolean {
  if (actor.record.kind === 'installation') return !actor.record.readOnly;
  return roleAtLeast(repoRole(world, repo, actor.login), minimum);
}

export function requireOwnOrRole(
  world: World,
  repo: RepoRecord,
  actor: Actor,
  author: string,
  minimum: RepoRole,
): void {
  if (actor.record.readOnly) throw forbiddenIntegration();
  if (actor.login === author || hasRole(world, repo, actor, minimum)) return;
  throw new ApiError(403, 'Resource not accessible by integration');
}

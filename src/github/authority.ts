import type { Octokit } from '@octokit/rest';
import { ConfigurationError } from '../errors.ts';

/**
 * Who may do a thing: named users, active members of teams, or anyone with at least a repository
 * role. One answer for sign-offs, manual rollbacks and breaking stale locks.
 */

export const REPO_ROLES = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RepoRole = (typeof REPO_ROLES)[number];

export interface Audience {
  users: readonly string[];
  teams: readonly string[];
  minRole?: RepoRole;
}

export type Verdict = { allowed: true; via: string } | { allowed: false; reason: string };

export interface AuthorityOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
}

export class Authority {
  private readonly options: AuthorityOptions;
  private readonly visibleTeams = new Map<string, boolean>();

  constructor(options: AuthorityOptions) {
    this.options = options;
  }

  /** Whether `login` belongs to the audience; the verdict says how, or why not. */
  async check(login: string, audience: Audience): Promise<Verdict> {
    const lower = login.toLowerCase();
    if (audience.users.some((user) => user.toLowerCase() === lower))
      return { allowed: true, via: `listed as @${login}` };
    for (const team of audience.teams) {
      if (await this.isActiveMember(team, login)) return { allowed: true, via: `member of ${team}` };
    }
    if (audience.minRole) {
      const role = await this.roleOf(login);
      if (role && rank(role) >= rank(audience.minRole))
        return { allowed: true, via: `repository role ${role}` };
    }
    return { allowed: false, reason: `@${login} is not one of: ${describeAudience(audience)}` };
  }

  /** The repository role of a user (`role_name`), or undefined when they are not a collaborator. */
  async roleOf(login: string): Promise<RepoRole | undefined> {
    const { octokit, owner, repo } = this.options;
    try {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
        owner,
        repo,
        username: login,
      });
      const name = (data as { role_name?: string }).role_name ?? data.permission;
      if ((REPO_ROLES as readonly string[]).includes(name)) return name as RepoRole;
      // A custom role: fall back on the base permission GitHub reports beside it.
      return (REPO_ROLES as readonly string[]).includes(data.permission)
        ? (data.permission as RepoRole)
        : 'read';
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private async isActiveMember(team: string, login: string): Promise<boolean> {
    const { octokit } = this.options;
    const [org, slug] = team.split('/') as [string, string];
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
        org,
        team_slug: slug,
        username: login,
      });
      return data.state === 'active';
    } catch (error) {
      if (statusOf(error) !== 404) throw teamError(team, error);
    }
    // GitHub answers 404 both for "not a member" and for "this token cannot see the team".
    // Tell the two apart: a team we cannot see is a configuration error, never a silent no.
    if (!(await this.teamVisible(org, slug))) {
      throw new ConfigurationError(
        `cannot read team ${team}: it does not exist or the token cannot see it. ` +
          'Check the team slug, and give the token organisation read access (members: read for a GitHub App, read:org for a PAT).',
      );
    }
    return false;
  }

  private async teamVisible(org: string, slug: string): Promise<boolean> {
    const key = `${org}/${slug}`;
    const known = this.visibleTeams.get(key);
    if (known !== undefined) return known;
    let visible = true;
    try {
      await this.options.octokit.rest.teams.getByName({ org, team_slug: slug });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 403) throw error;
      visible = false;
    }
    this.visibleTeams.set(key, visible);
    return visible;
  }
}

export function describeAudience(audience: Audience): string {
  const parts = [
    ...audience.users.map((user) => `@${user}`),
    ...audience.teams.map((team) => `members of ${team}`),
    ...(audience.minRole ? [`anyone with the ${audience.minRole} role or higher`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : 'nobody (the config names no one)';
}

function rank(role: RepoRole): number {
  return REPO_ROLES.indexOf(role);
}

function teamError(team: string, error: unknown): Error {
  if (statusOf(error) === 403) {
    return new ConfigurationError(
      `the token may not read the members of ${team} (403). Give it organisation read access (members: read / read:org).`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : undefined;
}

/**
 * The sandbox's state: everything GitHub would remember, as plain JSON so it can be persisted to a
 * file, seeded by a test and read back through the control API. Identifiers are GitHub's: logins,
 * `owner/name` for repositories, numbers for issues, SHAs for git objects.
 */

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type Access = 'read' | 'write';
/** The permission names of a GitHub App installation token (GITHUB_TOKEN's `permissions:` block). */
export type Scope =
  | 'actions'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'environments'
  | 'issues'
  | 'members'
  | 'metadata'
  | 'pull_requests'
  | 'statuses';

export interface UserRecord {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name?: string;
  email?: string;
}

export interface TokenRecord {
  login: string;
  /** `installation` tokens behave like GITHUB_TOKEN: explicit permissions, 1,000 requests an hour. */
  kind: 'user' | 'installation';
  /** For installation tokens: what the token may do. Missing scopes mean no access. */
  permissions?: Partial<Record<Scope, Access>>;
  /** Demotes every permission to read, like the token of a workflow run from a fork's pull request. */
  readOnly?: boolean;
  /** Primary rate limit per hour (default 5,000 for user tokens, 1,000 for installation tokens). */
  rateLimit?: number;
}

export interface OrgRecord {
  id: number;
  login: string;
  description: string | null;
  /** Active members of the organisation, by login, with their org role. */
  members: Record<string, 'admin' | 'member'>;
}

export interface TeamMember {
  role: 'member' | 'maintainer';
  state: 'active' | 'pending';
}

export interface TeamRecord {
  id: number;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  members: Record<string, TeamMember>;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface CommitRecord {
  sha: string;
  tree: string;
  message: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  /** GitHub login of the author, when the email belongs to a known user. */
  authorLogin?: string;
  /** Paths the commit changes (seeded through the control API; GitHub's `files`). */
  files?: string[];
}

export interface TagObjectRecord {
  sha: string;
  tag: string;
  message: string;
  tagger: GitPerson;
  object: { sha: string; type: 'commit' | 'tag' | 'tree' | 'blob' };
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Present when the issue is a pull request (they share GitHub's numbering). */
  pull?: PullRecord;
}

export interface PullRecord {
  id: number;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  payload: unknown;
  creator: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusRecord[];
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';

export interface DeploymentStatusRecord {
  id: number;
  state: DeploymentState;
  creator: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Logins and team slugs whose approval the environment requires (shown as a protection rule). */
  reviewers: { type: 'User' | 'Team'; name: string }[];
  waitTimer: number;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  title: string | null;
  summary: string | null;
}

export interface CommitStatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalRecord {
  environments: string[];
  state: 'approved' | 'rejected';
  user: string;
  comment: string;
}

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
}

export interface WorkflowRunRecord {
  id: number;
  workflowId: number;
  headSha: string;
  approvals: ApprovalRecord[];
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  collaborators: Record<string, RepoRole>;
  /** Org teams with access, by slug. */
  teams: Record<string, RepoRole>;
  labels: LabelRecord[];
  /** Issues and pull requests, by number. */
  issues: IssueRecord[];
  comments: CommentRecord[];
  commits: Record<string, CommitRecord>;
  tagObjects: Record<string, TagObjectRecord>;
  /** Full ref name (`refs/heads/main`, `refs/tags/v1.0.0`) to the SHA it points at. */
  refs: Record<string, string>;
  deployments: DeploymentRecord[];
  environments: EnvironmentRecord[];
  checkRuns: CheckRunRecord[];
  statuses: CommitStatusRecord[];
  workflows: WorkflowRecord[];
  workflowRuns: WorkflowRunRecord[];
}

export interface SandboxEvent {
  id: number;
  /** The `X-GitHub-Event` name: issues, issue_comment, push, deployment_status, workflow_dispatch ... */
  name: string;
  action?: string;
  /** `owner/name` the event belongs to. */
  repo: string;
  deliveredAt: string;
  payload: Record<string, unknown>;
}

export interface World {
  version: 1;
  /** Next id handed out to any object (issues, comments, deployments ...): ids are unique across kinds. */
  nextId: number;
  users: Record<string, UserRecord>;
  tokens: Record<string, TokenRecord>;
  orgs: Record<string, OrgRecord>;
  /** Keyed `org/slug`. */
  teams: Record<string, TeamRecord>;
  /** Keyed `owner/name`. */
  repos: Record<string, RepoRecord>;
  events: SandboxEvent[];
}

export function nextId(world: World): number {
  const id = world.nextId;
  world.nextId += 1;
  return id;
}

/**
 * The minimal GitHub GraphQL the gh CLI's issue commands need: gh 2.23 probes
 * `__type(name: "Issue")` to learn which fields exist, then sends `IssueList`, `IssueByNumber`,
 * `RepositoryInfo`, and the `createIssue` / `addComment` mutations. The schema is a small, faithful
 * subset of GitHub's (same type and field names); mutations run the REST operations underneath, so
 * permissions, validation, events and persistence are the REST ones. Loaded only on the first
 * GraphQL request.
 */
import {
  buildSchema,
  type ExecutionResult,
  execute,
  GraphQLError,
  OverlappingFieldsCanBeMergedRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Actor } from './access.ts';
import { repoRole } from './access.ts';
import { ApiError } from './api-error.ts';
import { association, nodeId, type Urls } from './representations.ts';
import type { SandboxServer } from './server.ts';
import type { CommentRecord, IssueRecord, LabelRecord, RepoRecord, World } from './world.ts';

const SDL = /* GraphQL */ `
  scalar DateTime
  scalar URI

  interface Node {
    id: ID!
  }
  interface Actor {
    login: String!
    avatarUrl: URI!
    url: URI!
  }
  interface RepositoryOwner {
    id: ID!
    login: String!
  }

  type Query {
    repository(owner: String!, name: String!): Repository
    viewer: User!
    node(id: ID!): Node
    search(
      query: String!
      type: SearchType!
      first: Int
      after: String
      last: Int
      before: String
    ): SearchResultItemConnection!
  }

  enum SearchType {
    ISSUE
    REPOSITORY
    USER
    DISCUSSION
  }
  union SearchResultItem = Issue | PullRequest
  type SearchResultItemConnection {
    issueCount: Int!
    nodes: [SearchResultItem]
    edges: [SearchResultItemEdge]
    pageInfo: PageInfo!
  }
  type SearchResultItemEdge {
    cursor: String!
    node: SearchResultItem
  }

  type Mutation {
    createIssue(input: CreateIssueInput!): CreateIssuePayload
    addComment(input: AddCommentInput!): AddCommentPayload
  }

  type User implements Node & Actor & RepositoryOwner {
    id: ID!
    login: String!
    name: String
    avatarUrl: URI!
    url: URI!
  }

  type Organization implements Node & Actor & RepositoryOwner {
    id: ID!
    login: String!
    name: String
    avatarUrl: URI!
    url: URI!
  }

  enum RepositoryPermission {
    ADMIN
    MAINTAIN
    WRITE
    TRIAGE
    READ
  }
  enum CommentAuthorAssociation {
    MEMBER
    OWNER
    MANNEQUIN
    COLLABORATOR
    CONTRIBUTOR
    FIRST_TIME_CONTRIBUTOR
    FIRST_TIMER
    NONE
  }
  enum IssueState {
    OPEN
    CLOSED
  }
  enum IssueStateReason {
    COMPLETED
    REOPENED
    NOT_PLANNED
    DUPLICATE
  }
  enum PullRequestState {
    OPEN
    CLOSED
    MERGED
  }
  enum IssueOrderField {
    CREATED_AT
    UPDATED_AT
    COMMENTS
  }
  enum OrderDirection {
    ASC
    DESC
  }

  input IssueOrder {
    field: IssueOrderField!
    direction: OrderDirection!
  }
  input IssueFilters {
    assignee: String
    createdBy: String
    labels: [String!]
    mentioned: String
    milestone: String
    milestoneNumber: String
    since: DateTime
    states: [IssueState!]
    viewerSubscribed: Boolean
  }

  type Ref {
    id: ID!
    name: String!
    prefix: String!
  }

  type Repository implements Node {
    id: ID!
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    description: String
    url: URI!
    isPrivate: Boolean!
    hasIssuesEnabled: Boolean!
    hasWikiEnabled: Boolean!
    hasProjectsEnabled: Boolean!
    viewerPermission: RepositoryPermission
    defaultBranchRef: Ref
    parent: Repository
    mergeCommitAllowed: Boolean!
    rebaseMergeAllowed: Boolean!
    squashMergeAllowed: Boolean!
    issues(
      first: Int
      last: Int
      after: String
      before: String
      states: [IssueState!]
      labels: [String!]
      orderBy: IssueOrder
      filterBy: IssueFilters
    ): IssueConnection!
    issue(number: Int!): Issue
    issueOrPullRequest(number: Int!): IssueOrPullRequest
    labels(first: Int, after: String, query: String): LabelConnection
    label(name: String!): Label
  }

  union IssueOrPullRequest = Issue | PullRequest

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type IssueConnection {
    totalCount: Int!
    nodes: [Issue]
    edges: [IssueEdge]
    pageInfo: PageInfo!
  }
  type IssueEdge {
    cursor: String!
    node: Issue
  }

  type Issue implements Node {
    id: ID!
    number: Int!
    title: String!
    body: String!
    url: URI!
    state: IssueState!
    stateReason: IssueStateReason
    closed: Boolean!
    closedAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    locked: Boolean!
    isPinned: Boolean
    author: Actor
    authorAssociation: CommentAuthorAssociation!
    labels(first: Int, after: String): LabelConnection
    assignees(first: Int, after: String): UserConnection!
    milestone: Milestone
    comments(first: Int, last: Int, after: String, before: String): IssueCommentConnection!
    reactionGroups: [ReactionGroup!]
    projectCards(first: Int, after: String): ProjectCardConnection!
    projectItems(first: Int, after: String): ProjectV2ItemConnection!
    repository: Repository!
  }

  type PullRequest implements Node {
    id: ID!
    number: Int!
    title: String!
    body: String!
    url: URI!
    state: PullRequestState!
    closed: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
    author: Actor
    isDraft: Boolean!
    headRefName: String!
    baseRefName: String!
    locked: Boolean!
    authorAssociation: CommentAuthorAssociation!
    labels(first: Int, after: String): LabelConnection
    assignees(first: Int, after: String): UserConnection!
    milestone: Milestone
    comments(first: Int, last: Int, after: String, before: String): IssueCommentConnection!
    reactionGroups: [ReactionGroup!]
    projectCards(first: Int, after: String): ProjectCardConnection!
    projectItems(first: Int, after: String): ProjectV2ItemConnection!
    repository: Repository!
  }

  type Label implements Node {
    id: ID!
    name: String!
    description: String
    color: String!
  }
  type LabelConnection {
    totalCount: Int!
    nodes: [Label]
    pageInfo: PageInfo!
  }
  type UserConnection {
    totalCount: Int!
    nodes: [User]
    pageInfo: PageInfo!
  }
  type Milestone {
    id: ID!
    number: Int!
    title: String!
    description: String
    dueOn: DateTime
  }

  type IssueComment implements Node {
    id: ID!
    body: String!
    url: URI!
    createdAt: DateTime!
    author: Actor
    authorAssociation: CommentAuthorAssociation!
    includesCreatedEdit: Boolean!
    isMinimized: Boolean!
    minimizedReason: String
    viewerDidAuthor: Boolean!
    reactionGroups: [ReactionGroup!]
  }
  type IssueCommentConnection {
    totalCount: Int!
    nodes: [IssueComment]
    pageInfo: PageInfo!
  }
  type IssueCommentEdge {
    cursor: String!
    node: IssueComment
  }

  type ReactingUserConnection {
    totalCount: Int!
  }
  enum ReactionContent {
    THUMBS_UP
    THUMBS_DOWN
    LAUGH
    HOORAY
    CONFUSED
    HEART
    ROCKET
    EYES
  }
  type ReactionGroup {
    content: ReactionContent!
    users: ReactingUserConnection!
  }

  type Project {
    name: String!
  }
  type ProjectColumn {
    name: String!
  }
  type ProjectCard {
    project: Project!
    column: ProjectColumn
  }
  type ProjectCardConnection {
    totalCount: Int!
    nodes: [ProjectCard]
    pageInfo: PageInfo!
  }
  type ProjectV2 {
    title: String!
  }
  type ProjectV2ItemConnection {
    totalCount: Int!
    nodes: [ProjectV2Item]
    pageInfo: PageInfo!
  }
  type ProjectV2Item {
    id: ID!
    project: ProjectV2!
  }

  input CreateIssueInput {
    repositoryId: ID!
    title: String!
    body: String
    assigneeIds: [ID!]
    labelIds: [ID!]
    milestoneId: ID
    projectIds: [ID!]
    issueTemplate: String
    clientMutationId: String
  }
  type CreateIssuePayload {
    issue: Issue
    clientMutationId: String
  }

  input AddCommentInput {
    subjectId: ID!
    body: String!
    clientMutationId: String
  }
  type AddCommentPayload {
    commentEdge: IssueCommentEdge
    subject: Node
    clientMutationId: String
  }
`;

let schema: ReturnType<typeof buildSchema> | undefined;

/** The sandbox's GraphQL schema: a subset of GitHub's (the tests check it against @octokit/graphql-schema). */
export function sandboxGraphqlSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema(SDL);
  return schema;
}

type Obj = Record<string, unknown>;

interface Context {
  sandbox: SandboxServer;
  world: World;
  actor: Actor;
  urls: Urls;
}

const EMPTY_PAGE = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

function connection<T>(
  items: T[],
  args: { first?: number | null; after?: string | null },
  render: (item: T) => unknown,
) {
  const start = args.after ? Number(Buffer.from(args.after, 'base64').toString('utf8')) + 1 : 0;
  const size = args.first ?? 100;
  const slice = items.slice(start, start + size);
  const cursor = (i: number) => Buffer.from(String(start + i)).toString('base64');
  const nodes = slice.map(render);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: cursor(i), node })),
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursor(0) : null,
      endCursor: slice.length > 0 ? cursor(slice.length - 1) : null,
    },
  };
}

function actorNode(ctx: Context, login: string): Obj {
  const user = ctx.world.users[login];
  return {
    __typename: user?.type === 'Organization' ? 'Organization' : 'User',
    id: nodeId(user?.type ?? 'User', user?.id ?? 0),
    login,
    name: user?.name ?? null,
    avatarUrl: `${ctx.urls.html}/avatars/${encodeURIComponent(login)}`,
    url: `${ctx.urls.html}/${encodeURIComponent(login)}`,
  };
}

function labelNode(label: LabelRecord): Obj {
  return {
    id: nodeId('Label', label.id),
    name: label.name,
    description: label.description,
    color: label.color,
  };
}

function commentNode(ctx: Context, repo: RepoRecord, comment: CommentRecord): Obj {
  return {
    __typename: 'IssueComment',
    id: nodeId('IssueComment', comment.id),
    body: comment.body,
    url: `${ctx.urls.html}/${repo.owner}/${repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    createdAt: comment.createdAt,
    author: actorNode(ctx, comment.user),
    authorAssociation: association(ctx.world, repo, comment.user),
    includesCreatedEdit: comment.updatedAt !== comment.createdAt,
    isMinimized: false,
    minimizedReason: null,
    viewerDidAuthor: comment.user === ctx.actor.login,
    reactionGroups: [],
  };
}

function issueNode(ctx: Context, repo: RepoRecord, issue: IssueRecord): Obj {
  const labels = issue.labels
    .map((name) => repo.labels.find((l) => l.name === name))
    .filter((l): l is LabelRecord => l !== undefined);
  const comments = repo.comments.filter((c) => c.issueNumber === issue.number);
  return {
    __typename: 'Issue',
    id: nodeId('Issue', issue.id),
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    url: `${ctx.urls.html}/${repo.owner}/${repo.name}/issues/${issue.number}`,
    state: issue.state.toUpperCase(),
    stateReason: issue.stateReason ? issue.stateReason.toUpperCase() : null,
    closed: issue.state === 'closed',
    closedAt: issue.closedAt,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    locked: issue.locked,
    isPinned: false,
    author: actorNode(ctx, issue.user),
    authorAssociation: association(ctx.world, repo, issue.user),
    labels: (args: { first?: number; after?: string }) => connection(labels, args, labelNode),
    assignees: (args: { first?: number; after?: string }) =>
      connection(issue.assignees, args, (login) => actorNode(ctx, login)),
    milestone: null,
    comments: (args: { first?: number | null; last?: number | null; after?: string | null }) => {
      if (args.last) {
        const tail = comments.slice(-args.last);
        return { ...connection(tail, {}, (c) => commentNode(ctx, repo, c)), totalCount: comments.length };
      }
      return connection(comments, args, (c) => commentNode(ctx, repo, c));
    },
    reactionGroups: [],
    projectCards: { totalCount: 0, nodes: [], pageInfo: EMPTY_PAGE },
    projectItems: { totalCount: 0, nodes: [], pageInfo: EMPTY_PAGE },
    repository: () => repositoryNode(ctx, repo),
  };
}

function pullNode(ctx: Context, repo: RepoRecord, issue: IssueRecord): Obj {
  const pull = issue.pull!;
  return {
    ...issueNode(ctx, repo, issue),
    __typename: 'PullRequest',
    id: nodeId('PullRequest', pull.id),
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    url: `${ctx.urls.html}/${repo.owner}/${repo.name}/pull/${issue.number}`,
    state: pull.merged ? 'MERGED' : issue.state.toUpperCase(),
    closed: issue.state === 'closed',
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    author: actorNode(ctx, issue.user),
    isDraft: pull.draft,
    headRefName: pull.head.ref,
    baseRefName: pull.base.ref,
  };
}

const ORDER: Record<string, (a: IssueRecord, b: IssueRecord) => number> = {
  CREATED_AT: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number,
  UPDATED_AT: (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number,
  COMMENTS: (a, b) => a.comments - b.comments || a.number - b.number,
};

interface IssuesArgs {
  first?: number | null;
  after?: string | null;
  states?: string[] | null;
  labels?: string[] | null;
  orderBy?: { field: string; direction: string } | null;
  filterBy?: {
    assignee?: string | null;
    createdBy?: string | null;
    labels?: string[] | null;
    states?: string[] | null;
  } | null;
}

function repositoryNode(ctx: Context, repo: RepoRecord): Obj {
  const role =
    ctx.actor.record.kind === 'installation' ? 'write' : repoRole(ctx.world, repo, ctx.actor.login);
  const issuesOnly = () => repo.issues.filter((i) => !i.pull);
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    owner: actorNode(ctx, repo.owner),
    description: repo.description,
    url: `${ctx.urls.html}/${repo.owner}/${repo.name}`,
    isPrivate: repo.private,
    hasIssuesEnabled: true,
    hasWikiEnabled: false,
    hasProjectsEnabled: true,
    viewerPermission: role ? role.toUpperCase() : null,
    defaultBranchRef: {
      id: nodeId('Ref', `${repo.id}:${repo.defaultBranch}`),
      name: repo.defaultBranch,
      prefix: 'refs/heads/',
    },
    parent: null,
    mergeCommitAllowed: true,
    rebaseMergeAllowed: true,
    squashMergeAllowed: true,
    issues: (args: IssuesArgs) => {
      const states = args.filterBy?.states ?? args.states ?? null;
      const labels = (args.filterBy?.labels ?? args.labels ?? []).map((l) => l.toLowerCase());
      const assignee = args.filterBy?.assignee;
      const author = args.filterBy?.createdBy;
      const order = ORDER[args.orderBy?.field ?? 'CREATED_AT'] ?? ORDER.CREATED_AT!;
      const direction = args.orderBy?.direction ?? 'ASC';
      const items = issuesOnly()
        .filter((i) => !states || states.includes(i.state.toUpperCase()))
        .filter((i) => labels.every((l) => i.labels.some((n) => n.toLowerCase() === l)))
        .filter((i) => !assignee || i.assignees.includes(assignee))
        .filter((i) => !author || i.user === author)
        .sort((a, b) => (direction === 'DESC' ? order(b, a) : order(a, b)));
      return connection(items, args, (i) => issueNode(ctx, repo, i));
    },
    issue: ({ number }: { number: number }) => {
      const issue = issuesOnly().find((i) => i.number === number);
      if (!issue) throw notFoundError(`Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(ctx, repo, issue);
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const issue = repo.issues.find((i) => i.number === number);
      if (!issue)
        throw notFoundError(`Could not resolve to an issue or pull request with the number of ${number}.`);
      return issue.pull ? pullNode(ctx, repo, issue) : issueNode(ctx, repo, issue);
    },
    labels: (args: { first?: number; after?: string; query?: string }) =>
      connection(
        repo.labels.filter((l) => !args.query || l.name.toLowerCase().includes(args.query.toLowerCase())),
        args,
        labelNode,
      ),
    label: ({ name }: { name: string }) => {
      const label = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
      return label ? labelNode(label) : null;
    },
  };
}

/**
 * GitHub's issue search, for the qualifiers gh sends (`repo:`, `is:`, `state:`, `label:`,
 * `author:`, `assignee:`, `sort:`) and free text matched against title and body.
 */
function search(
  ctx: Context,
  args: { query: string; type: string; first?: number | null; after?: string | null },
) {
  const tokens = args.query.match(/(?:[^\s"]+:"[^"]*"|"[^"]*"|\S+)/g) ?? [];
  const unquote = (v: string) => v.replace(/^"|"$/g, '');
  let repos = Object.values(ctx.world.repos);
  let kind: 'issue' | 'pr' | undefined;
  let state: string | undefined;
  const labels: string[] = [];
  let author: string | undefined;
  let assignee: string | undefined;
  let sort = 'created-desc';
  const words: string[] = [];
  for (const token of tokens) {
    const m = /^(-?)(\w+):(.*)$/.exec(token);
    if (!m) {
      words.push(unquote(token).toLowerCase());
      continue;
    }
    const [, , key, raw = ''] = m;
    const value = unquote(raw);
    if (key === 'repo')
      repos = repos.filter((r) => `${r.owner}/${r.name}`.toLowerCase() === value.toLowerCase());
    else if ((key === 'is' || key === 'type') && (value === 'issue' || value === 'pr')) kind = value;
    else if (key === 'is' || key === 'state') state = value;
    else if (key === 'label') labels.push(value.toLowerCase());
    else if (key === 'author') author = value;
    else if (key === 'assignee') assignee = value;
    else if (key === 'sort') sort = value;
  }
  const visible = repos.filter((repo) => {
    try {
      ctx.sandbox.invoke('repos/get', { owner: repo.owner, repo: repo.name }, undefined, ctx.actor, ctx.urls);
      return true;
    } catch {
      return false;
    }
  });
  const [field = 'created', direction = 'desc'] = sort.split('-');
  const order = ORDER[`${field.toUpperCase()}_AT`] ?? ORDER[field.toUpperCase()] ?? ORDER.CREATED_AT!;
  const found = visible
    .flatMap((repo) => repo.issues.map((issue) => ({ repo, issue })))
    .filter(({ issue }) => (kind === 'issue' ? !issue.pull : kind === 'pr' ? issue.pull !== undefined : true))
    .filter(({ issue }) => !state || issue.state === state)
    .filter(({ issue }) => labels.every((l) => issue.labels.some((n) => n.toLowerCase() === l)))
    .filter(({ issue }) => !author || issue.user === author)
    .filter(({ issue }) => !assignee || issue.assignees.includes(assignee))
    .filter(({ issue }) =>
      words.every((w) => `${issue.title}\n${issue.body ?? ''}`.toLowerCase().includes(w)),
    )
    .sort((a, b) => (direction === 'asc' ? order(a.issue, b.issue) : order(b.issue, a.issue)));
  const result = connection(found, args, ({ repo, issue }) =>
    issue.pull ? pullNode(ctx, repo, issue) : issueNode(ctx, repo, issue),
  );
  return { ...result, issueCount: found.length };
}

function notFoundError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });
}

/** REST errors from the operations underneath, in GitHub's GraphQL error shape. */
function fromApiError(error: unknown): GraphQLError {
  if (error instanceof ApiError) {
    const type = error.status === 404 ? 'NOT_FOUND' : error.status === 403 ? 'FORBIDDEN' : 'UNPROCESSABLE';
    const detail = error.errors?.map((e) => e.message ?? `${e.field} ${e.code}`).join(', ');
    return new GraphQLError(detail ? `${error.message}: ${detail}` : error.message, { extensions: { type } });
  }
  return error instanceof GraphQLError ? error : new GraphQLError(String(error));
}

/** Finds the repository and issue a node id refers to. */
function findByNodeId(world: World, id: string): { repo: RepoRecord; issue?: IssueRecord } | undefined {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const [kind, raw] = decoded.split(':');
  const num = Number(raw);
  for (const repo of Object.values(world.repos)) {
    if (kind === 'Repository' && repo.id === num) return { repo };
    const issue = repo.issues.find(
      (i) => (kind === 'Issue' && i.id === num) || (kind === 'PullRequest' && i.pull?.id === num),
    );
    if (issue) return { repo, issue };
  }
  return undefined;
}

function labelNamesFor(repo: RepoRecord, ids: string[] | null | undefined): string[] {
  return (ids ?? []).map((id) => {
    const numeric = Number(Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);
    const label = repo.labels.find((l) => l.id === numeric);
    if (!label)
      throw new GraphQLError(`Could not resolve to a node with the global id of '${id}'`, {
        extensions: { type: 'NOT_FOUND' },
      });
    return label.name;
  });
}

function loginsFor(world: World, ids: string[] | null | undefined): string[] {
  return (ids ?? []).map((id) => {
    const numeric = Number(Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);
    const user = Object.values(world.users).find((u) => u.id === numeric);
    if (!user)
      throw new GraphQLError(`Could not resolve to a node with the global id of '${id}'`, {
        extensions: { type: 'NOT_FOUND' },
      });
    return user.login;
  });
}

function rootValue(ctx: Context): Obj {
  return {
    node: ({ id }: { id: string }) => {
      const found = findByNodeId(ctx.world, id);
      if (!found) throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
      try {
        ctx.sandbox.invoke(
          'repos/get',
          { owner: found.repo.owner, repo: found.repo.name },
          undefined,
          ctx.actor,
          ctx.urls,
        );
      } catch {
        throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
      }
      if (!found.issue) return repositoryNode(ctx, found.repo);
      return found.issue.pull
        ? pullNode(ctx, found.repo, found.issue)
        : issueNode(ctx, found.repo, found.issue);
    },
    viewer: () => actorNode(ctx, ctx.actor.login),
    search: (args: { query: string; type: string; first?: number | null; after?: string | null }) =>
      search(ctx, args),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      try {
        // The REST operation decides visibility: a private repository the caller cannot see is a 404.
        ctx.sandbox.invoke('repos/get', { owner, repo: name }, undefined, ctx.actor, ctx.urls);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          throw notFoundError(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
        }
        throw fromApiError(error);
      }
      const repo = Object.values(ctx.world.repos).find(
        (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
      )!;
      return repositoryNode(ctx, repo);
    },
    createIssue: ({
      input,
    }: {
      input: {
        repositoryId: string;
        title: string;
        body?: string | null;
        labelIds?: string[] | null;
        assigneeIds?: string[] | null;
        clientMutationId?: string | null;
      };
    }) => {
      const found = findByNodeId(ctx.world, input.repositoryId);
      if (!found)
        throw notFoundError(`Could not resolve to a node with the global id of '${input.repositoryId}'`);
      const { repo } = found;
      let number: number;
      try {
        const reply = ctx.sandbox.invoke(
          'issues/create',
          { owner: repo.owner, repo: repo.name },
          {
            title: input.title,
            ...(input.body != null ? { body: input.body } : {}),
            labels: labelNamesFor(repo, input.labelIds),
            assignees: loginsFor(ctx.world, input.assigneeIds),
          },
          ctx.actor,
          ctx.urls,
        );
        number = (reply.body as { number: number }).number;
      } catch (error) {
        throw fromApiError(error);
      }
      const issue = repo.issues.find((i) => i.number === number)!;
      return { issue: issueNode(ctx, repo, issue), clientMutationId: input.clientMutationId ?? null };
    },
    addComment: ({
      input,
    }: {
      input: { subjectId: string; body: string; clientMutationId?: string | null };
    }) => {
      const found = findByNodeId(ctx.world, input.subjectId);
      if (!found?.issue)
        throw notFoundError(`Could not resolve to a node with the global id of '${input.subjectId}'`);
      const { repo, issue } = found;
      let id: number;
      try {
        const reply = ctx.sandbox.invoke(
          'issues/create-comment',
          { owner: repo.owner, repo: repo.name, issue_number: String(issue.number) },
          { body: input.body },
          ctx.actor,
          ctx.urls,
        );
        id = (reply.body as { id: number }).id;
      } catch (error) {
        throw fromApiError(error);
      }
      const comment = repo.comments.find((c) => c.id === id)!;
      const node = commentNode(ctx, repo, comment);
      return {
        commentEdge: { cursor: Buffer.from(String(id)).toString('base64'), node },
        subject: issue.pull ? pullNode(ctx, repo, issue) : issueNode(ctx, repo, issue),
        clientMutationId: input.clientMutationId ?? null,
      };
    },
  };
}

export async function executeGraphql(
  sandbox: SandboxServer,
  actor: Actor,
  request: { query?: string; variables?: Record<string, unknown>; operationName?: string },
  urls: Urls,
): Promise<{ body: ExecutionResult; operationName?: string }> {
  const schema = sandboxGraphqlSchema();
  const source = request.query ?? '';
  const operationName = request.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(source)?.[1];
  const ctx: Context = { sandbox, world: sandbox.world, actor, urls };
  let result: ExecutionResult;
  try {
    const document = parse(source);
    // GitHub's GraphQL (graphql-ruby) accepts `state` selected on both Issue and PullRequest in one
    // union selection although the enums differ; graphql-js's overlap rule would refuse gh's queries.
    const errors = validate(
      schema,
      document,
      specifiedRules.filter((rule) => rule !== OverlappingFieldsCanBeMergedRule),
    );
    result =
      errors.length > 0
        ? { errors }
        : await execute({
            schema,
            document,
            rootValue: rootValue(ctx),
            variableValues: request.variables ?? {},
            ...(request.operationName ? { operationName: request.operationName } : {}),
          });
  } catch (error) {
    result = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
  }
  const body: ExecutionResult = { ...result };
  if (result.errors) {
    // GitHub's shape: `type` beside the message, no `extensions` wrapper needed by clients.
    body.errors = result.errors.map((e) => {
      const json = e.toJSON() as unknown as Obj;
      const type = (e.extensions as { type?: string } | undefined)?.type;
      return (type ? { ...json, type } : json) as unknown as GraphQLError;
    });
  }
  return operationName ? { body, operationName } : { body };
}

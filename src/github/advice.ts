import { statusOf } from './authority.ts';

/**
 * Known GitHub answers turned into what to change (STYLE 6), in the style of
 * peter-evans/create-pull-request. Returns undefined for errors we have no advice for.
 */
export function adviceFor(error: unknown): string | undefined {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 && /Resource not accessible by integration/i.test(message)) {
    return (
      'The token may not do this. Give the job the permissions shipgate needs ' +
      '(permissions: contents: write, issues: write, pull-requests: write, deployments: write, actions: read). ' +
      'On a pull request from a fork the GITHUB_TOKEN is read-only whatever the workflow asks: ' +
      'run releases from pushes or workflow_dispatch, not from fork pull requests.'
    );
  }
  if (status === 401) return 'The token was refused (401 Bad credentials): check the github-token input.';
  if (status === 404 && /teams?\//.test(message)) {
    return 'A team in the config could not be read: check its slug, and give the token organisation read access.';
  }
  if (status === 422 && /Reference/i.test(message)) {
    return 'GitHub refused a git reference change: a tag or lock exists at another commit, or the ref name is invalid.';
  }
  return undefined;
}

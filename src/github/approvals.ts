import type { Octokit } from '@octokit/rest';
import type { Approval } from '../engine/release-state.ts';

/**
 * Who approved (or rejected) the deploy job at its GitHub Environment gate, with their comment:
 * `GET /repos/{o}/{r}/actions/runs/{run_id}/approvals`. GitHub does not say when a review was
 * given, so `at` is when shipgate read it; `recordApprovals` knows a review by who, what and the
 * comment, so reading the same reviews again adds nothing.
 */
export async function fetchApprovals(
  octokit: Octokit,
  target: { owner: string; repo: string; runId: number | string },
  now: Date,
): Promise<Approval[]> {
  const { data } = await octokit.rest.actions.getReviewsForRun({
    owner: target.owner,
    repo: target.repo,
    run_id: Number(target.runId),
  });
  return data.flatMap((review): Approval[] =>
    review.state === 'pending'
      ? []
      : [
          {
            user: review.user.login,
            state: review.state,
            comment: review.comment,
            environments: review.environments.map((environment) => environment.name ?? ''),
            at: now.toISOString(),
          },
        ],
  );
}

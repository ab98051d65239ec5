import type { Octokit } from '@octokit/rest';
import { statusOf } from './authority.ts';

/**
 * Creating an issue or a comment exactly once. A POST whose response was lost may still have been
 * applied, so it is never blindly retried: after a failure that is not a clear refusal, we look
 * for our marker among what was created since just before the attempt (one bounded request, not
 * a search through history), and only create again if it is not there.
 */

const CLEAR_REFUSALS = new Set([400, 401, 403, 404, 410, 422]);
const ATTEMPTS = 3;
/** How far before the attempt to look: room for a runner clock behind GitHub's, still one page. */
const SINCE_MARGIN_MS = 60_000;

interface Target {
  owner: string;
  repo: string;
}

export async function createIssueOnce(
  octokit: Octokit,
  target: Target & { title: string; body: string; labels: string[]; marker: string },
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const since = new Date(Date.now() - SINCE_MARGIN_MS).toISOString();
    try {
      const { data } = await octokit.rest.issues.create({
        owner: target.owner,
        repo: target.repo,
        title: target.title,
        body: target.body,
        labels: target.labels,
        request: { retries: 0 },
      });
      return data.number;
    } catch (error) {
      if (CLEAR_REFUSALS.has(statusOf(error) ?? 0) || attempt >= ATTEMPTS) throw error;
      const { data: recent } = await octokit.rest.issues.listForRepo({
        owner: target.owner,
        repo: target.repo,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        since,
        per_page: 30,
      });
      const found = recent.find((issue) => issue.body?.includes(target.marker));
      if (found) return found.number;
    }
  }
}

export async function createCommentOnce(
  octokit: Octokit,
  target: Target & { issue: number; body: string; marker: string },
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const since = new Date(Date.now() - SINCE_MARGIN_MS).toISOString();
    try {
      const { data } = await octokit.rest.issues.createComment({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issue,
        body: target.body,
        request: { retries: 0 },
      });
      return data.id;
    } catch (error) {
      if (CLEAR_REFUSALS.has(statusOf(error) ?? 0) || attempt >= ATTEMPTS) throw error;
      const { data: recent } = await octokit.rest.issues.listComments({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issue,
        since,
        per_page: 100,
      });
      const found = recent.find((comment) => comment.body?.includes(target.marker));
      if (found) return found.id;
    }
  }
}

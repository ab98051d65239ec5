import type { Check } from '../config/schema.ts';
import { errorMessage } from '../errors.ts';
import type { CheckContext, CheckStatus, CheckVerdict } from './context.ts';

type CiStatusCheck = Extract<Check, { kind: 'ci-status' }>;

/** GitHub's own rule for required status checks: these conclusions let a merge through. */
const GREEN = new Set(['success', 'neutral', 'skipped']);

/**
 * `ci-status`: every named check run on the release commit has completed green
 * (`GET /repos/{owner}/{repo}/commits/{ref}/check-runs`, one paginated listing; when a name ran
 * more than once, the latest run counts). Green follows GitHub's rule for required checks:
 * success, neutral or skipped.
 *
 * A named run that is missing, or completed with any other conclusion, fails. A run still queued
 * or in progress is inconclusive (not green yet, and not red either); so is an API error other
 * than 404/403, and a run without GitHub access.
 */
export async function ciStatusCheck(check: CiStatusCheck, ctx: CheckContext): Promise<CheckVerdict> {
  const github = ctx.github;
  if (!github)
    return { status: 'inconclusive', summary: 'no GitHub access in this run (no token or repository)' };
  const short = github.sha.slice(0, 7);
  let runs: {
    id: number;
    name: string;
    status: string;
    conclusion: string | null;
    html_url?: string | null;
  }[];
  try {
    runs = await github.octokit.paginate(github.octokit.rest.checks.listForRef, {
      owner: github.owner,
      repo: github.repo,
      ref: github.sha,
      per_page: 100,
      request: { signal: ctx.signal },
    });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404)
      return { status: 'failed', summary: `commit ${short} not found in ${github.owner}/${github.repo}` };
    if (status === 403) {
      return {
        status: 'failed',
        summary: `not allowed to read check runs (${errorMessage(error)}); give the workflow 'permissions: checks: read'`,
      };
    }
    return {
      status: 'inconclusive',
      summary: `could not list check runs for ${short}: ${errorMessage(error)}`,
    };
  }

  const states: Record<string, string> = {};
  const verdicts: { name: string; status: CheckStatus; state: string }[] = [];
  for (const name of check.checks) {
    const latest = runs.filter((run) => run.name === name).sort((a, b) => b.id - a.id)[0];
    const state = !latest
      ? 'missing'
      : latest.status !== 'completed'
        ? latest.status
        : (latest.conclusion ?? 'none');
    states[name] = state;
    const status: CheckStatus = !latest
      ? 'failed'
      : latest.status !== 'completed'
        ? 'inconclusive'
        : GREEN.has(latest.conclusion ?? '')
          ? 'passed'
          : 'failed';
    verdicts.push({ name, status, state });
  }
  const evidence = { sha: github.sha, ...states };
  const failed = verdicts.filter((v) => v.status === 'failed');
  const pending = verdicts.filter((v) => v.status === 'inconclusive');
  if (failed.length > 0) {
    return { status: 'failed', summary: `not green on ${short}: ${list([...failed, ...pending])}`, evidence };
  }
  if (pending.length > 0)
    return { status: 'inconclusive', summary: `still running on ${short}: ${list(pending)}`, evidence };
  return {
    status: 'passed',
    summary: `${verdicts.length} check${verdicts.length === 1 ? '' : 's'} green on ${short}`,
    evidence,
  };
}

function list(verdicts: { name: string; state: string }[]): string {
  return verdicts.map((v) => `${v.name} (${v.state})`).join(', ');
}

import * as core from '@actions/core';
import type { OutputValues } from '../actions/outputs.ts';
import type { ReleaseState } from '../engine/release-state.ts';
import { renderTrackingIssue } from './tracking-issue.ts';

/**
 * The job summary and the action outputs: the same view as the tracking issue, for the person
 * looking at the workflow run. The summary is the issue's checklist, deployment log and timeline
 * without the hidden parts (item markers and the state block), with a link to the issue.
 */

export interface SummaryLinks {
  issueUrl?: string;
  runUrl?: string;
}

/** The smallest part of `core.summary` we use, so a test can pass a real Summary on a temp file. */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  write(): Promise<unknown>;
}

// A comment on a line of its own goes with its line; one at the end of an item line (the item
// marker) goes alone, so the next item stays on its own line.
const COMMENT = String.raw`<!--(?:(?!-->)[\s\S])*-->`;
const HIDDEN_LINE = new RegExp(String.raw`^[ \t]*${COMMENT}[ \t]*\n?`, 'gm');
const HIDDEN = new RegExp(String.raw`[ \t]*${COMMENT}`, 'g');

export function renderJobSummary(state: ReleaseState, key: string, links: SummaryLinks = {}): string {
  const body = renderTrackingIssue(state, key, {
    ...(links.runUrl ? { runUrl: links.runUrl } : {}),
    limit: Number.MAX_SAFE_INTEGER,
  });
  const visible = body
    .replace(HIDDEN_LINE, '')
    .replace(HIDDEN, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const footer = links.issueUrl ? `\n\nTracking issue: ${links.issueUrl}` : '';
  return `${visible}${footer}\n`;
}

export async function writeJobSummary(
  state: ReleaseState,
  key: string,
  links: SummaryLinks = {},
  summary: SummaryWriter = core.summary,
): Promise<void> {
  await summary.addRaw(renderJobSummary(state, key, links), true).write();
}

/** The outputs every phase sets from the record: issue, PR comment, version, previous version, deployment. */
export function releaseOutputs(state: ReleaseState): Partial<OutputValues> {
  return {
    version: state.release.version,
    ...(state.release.previousVersion ? { previousVersion: state.release.previousVersion } : {}),
    ...(state.ids.issue ? { issue: state.ids.issue } : {}),
    ...(state.ids.comment ? { commentId: state.ids.comment } : {}),
    ...(state.ids.deployment ? { deploymentId: state.ids.deployment } : {}),
  };
}

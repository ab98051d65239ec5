import type { Octokit } from '@octokit/rest';

/**
 * GitHub deployments: one per release and environment, with statuses as the release moves. The
 * id is kept in the release record, so a re-run reuses the deployment instead of making another.
 */

export type DeploymentState = 'in_progress' | 'queued' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentRequest {
  owner: string;
  repo: string;
  sha: string;
  environment: string;
  version: string;
  key: string;
  production: boolean;
  description?: string;
}

export class DeploymentError extends Error {
  override readonly name = 'DeploymentError';
}

export async function createDeployment(octokit: Octokit, request: DeploymentRequest): Promise<number> {
  const response = await octokit.rest.repos.createDeployment({
    owner: request.owner,
    repo: request.repo,
    ref: request.sha,
    environment: request.environment,
    auto_merge: false,
    required_contexts: [],
    production_environment: request.production,
    description: request.description ?? `shipgate ${request.version}`,
    payload: { shipgate: { version: request.version, key: request.key } },
  });
  // 202 means GitHub merged or is merging the default branch into the ref first and made no
  // deployment. With auto_merge off that points at a protected-branch or merge setting.
  if (response.status !== 201 || !('id' in response.data)) {
    const message = 'message' in response.data ? response.data.message : `status ${response.status}`;
    throw new DeploymentError(
      `GitHub did not create a deployment for ${request.sha.slice(0, 12)} (${message}). ` +
        'Deploy a commit that is already on the target branch, or retry once the merge GitHub reports has finished.',
    );
  }
  return response.data.id;
}

export interface StatusRequest {
  owner: string;
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
}

export async function setDeploymentStatus(octokit: Octokit, request: StatusRequest): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: request.owner,
    repo: request.repo,
    deployment_id: request.deploymentId,
    state: request.state,
    ...(request.environmentUrl ? { environment_url: request.environmentUrl } : {}),
    ...(request.logUrl ? { log_url: request.logUrl } : {}),
    description: (request.description ?? '').slice(0, 140),
    // A new success makes earlier deployments of the environment inactive, as GitHub's UI expects.
    auto_inactive: request.state === 'success',
  });
}

import type { Route } from '../route.ts';
import { actionsRoutes } from './actions.ts';
import { deploymentRoutes } from './deployments.ts';
import { gitRoutes } from './git.ts';
import { issueRoutes } from './issues.ts';
import { metaRoutes } from './meta.ts';
import { pullRoutes } from './pulls.ts';
import { repoRoutes } from './repos.ts';

/** Every GitHub REST operation the sandbox serves. */
export const ROUTES: readonly Route[] = [
  ...repoRoutes,
  ...issueRoutes,
  ...pullRoutes,
  ...gitRoutes,
  ...deploymentRoutes,
  ...actionsRoutes,
  ...metaRoutes,
];

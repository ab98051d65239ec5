import { defineRoutes } from '../route.ts';

export const metaRoutes = defineRoutes([
  {
    method: 'GET',
    path: '/rate_limit',
    operationId: 'rate-limit/get',
    free: true,
    handle(ctx) {
      const core = {
        limit: ctx.rate.limit,
        used: ctx.rate.used,
        remaining: ctx.rate.remaining,
        reset: ctx.rate.reset,
      };
      const other = (limit: number) => ({ limit, used: 0, remaining: limit, reset: ctx.rate.reset });
      return {
        status: 200,
        body: {
          resources: {
            core,
            search: other(30),
            graphql: other(5000),
            integration_manifest: other(5000),
            code_search: other(10),
          },
          rate: core,
        },
      };
    },
  },
]);

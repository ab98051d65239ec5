// API calls of a full release against the GitHub sandbox, read from its request log: by phase, and
// for PRs that already carry 0, 100 and 1,000 comments (finding our sticky comment is by id, so
// the count must not grow with them).
import { startDemoApp } from '../examples/demo-app/app.ts';
import { rehearse } from '../src/cli/rehearsal.ts';
import { loadConfig } from '../src/config/load.ts';
import { ConsoleLogger } from '../src/logger.ts';
import { startSandbox } from '../src/sandbox/index.ts';

export interface ApiCallFigure {
  existingComments: number;
  total: number;
  byOperation: Record<string, number>;
}

export async function benchApiCalls(): Promise<ApiCallFigure[]> {
  const figures: ApiCallFigure[] = [];
  for (const existingComments of [0, 100, 1000]) {
    const app = await startDemoApp({ version: '1.0.0' });
    const sandbox = await startSandbox();
    try {
      const { config } = await loadConfig('examples/demo.shipgate.yml');
      config.environments.demo!.url = app.url;
      config.monitor!.duration = 3_000;
      config.monitor!.slice = 3_000;
      const quiet = new ConsoleLogger(devNull(), devNull());
      let byOperation: Record<string, number> = {};
      await rehearse({
        config,
        environment: 'demo',
        version: '1.0.1',
        sandbox,
        out: '.rehearsal/bench',
        logger: quiet,
        cwd: process.cwd(),
        prepare: async (pull) => {
          await seedComments(sandbox, pull, existingComments);
          await sandbox.control.clearRequests();
        },
        // The release's own calls, not the rehearsal reading its views back afterwards.
        finished: async () => {
          byOperation = await sandbox.control.counts();
        },
      });
      const total = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
      figures.push({ existingComments, total, byOperation });
    } finally {
      await sandbox.stop();
      await app.close();
    }
  }
  return figures;
}

async function seedComments(
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  pull: number,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await fetch(`${sandbox.apiUrl}/repos/acme/webshop/issues/${pull}/comments`, {
      method: 'POST',
      headers: { authorization: `token ${sandbox.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `comment ${i}` }),
    });
  }
}

function devNull(): NodeJS.WritableStream {
  return { write: () => true } as unknown as NodeJS.WritableStream;
}

export function printApiCalls(figures: ApiCallFigure[]): void {
  for (const figure of figures) {
    process.stdout.write(
      `with ${String(figure.existingComments).padStart(4)} other comments on the PR: ${figure.total} calls\n`,
    );
  }
  const first = figures[0];
  if (!first) return;
  process.stdout.write('by operation (0 other comments):\n');
  for (const [operation, count] of Object.entries(first.byOperation).sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${operation.padEnd(40)} ${count}\n`);
  }
}

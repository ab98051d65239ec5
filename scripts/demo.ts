// The main job: `npm run demo`. Starts the demo app and an embedded GitHub sandbox, then rehearses
// two releases of examples/demo.shipgate.yml with the real engine: a good one that ends stable,
// and a bad one (version 2.0.0 answers /api/items with 500) that smoke catches and rolls back on its
// own, with a rollback tag, a rollback issue and the PR comment saying so. It prints where to look.
import { resolve } from 'node:path';
import { startDemoApp } from '../examples/demo-app/app.ts';
import { rehearse } from '../src/cli/rehearsal.ts';
import { loadConfig } from '../src/config/load.ts';
import { ConsoleLogger } from '../src/logger.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const out = resolve('.rehearsal/demo');
const logger = new ConsoleLogger();

const app = await startDemoApp({
  version: '1.0.0',
  // The bad release: while 2.0.0 runs, the items API answers 500 (its health check still passes).
  faults: [{ version: '2.0.0', errorRate: 1, status: 500, routes: ['/api/items'] }],
});
const sandbox = await startSandbox();
let exitCode = 0;
try {
  const { config } = await loadConfig('examples/demo.shipgate.yml');
  config.environments.demo!.url = app.url;
  logger.info(`demo app ${app.version()} on ${app.url}; GitHub sandbox on ${sandbox.url}\n`);

  logger.info(`[${elapsed()}] release 1.1.0: preflight, deploy, smoke, watch`);
  const good = await rehearse({
    config,
    environment: 'demo',
    version: '1.1.0',
    sandbox,
    out,
    logger,
    cwd: process.cwd(),
  });
  logger.info(`[${elapsed()}] release 1.1.0: ${good.outcome.outcome}; the app runs ${app.version()}\n`);

  logger.info(`[${elapsed()}] release 2.0.0 (broken: /api/items answers 500)`);
  const bad = await rehearse({
    config,
    environment: 'demo',
    version: '2.0.0',
    sandbox,
    out,
    logger,
    cwd: process.cwd(),
    title: 'feat: faster checkout',
  });
  logger.info(
    `[${elapsed()}] release 2.0.0: ${bad.outcome.outcome}${bad.outcome.rolledBack ? ', rolled back automatically' : ''}; the app runs ${app.version()}\n`,
  );

  logger.info('What GitHub would show:');
  for (const file of [...good.files, ...bad.files]) logger.info(`  ${file}`);
  const ok = good.outcome.outcome === 'passed' && bad.outcome.rolledBack && app.version() === '1.1.0';
  logger.info(`\ndemo ${ok ? 'finished as expected' : 'did NOT go as expected'} in ${elapsed()}`);
  if (!ok) exitCode = 1;
} finally {
  await sandbox.stop();
  await app.close();
}
process.exitCode = exitCode;

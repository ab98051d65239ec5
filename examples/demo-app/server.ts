#!/usr/bin/env node
/**
 * Runs the demo app as a process:
 *   node examples/demo-app/server.ts --port 0 --version 1.0.0 [--token T] [--fault JSON]...
 * Prints `demo-app VERSION listening on URL` once it listens, and stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { startDemoApp } from './app.ts';
import { type FaultSpec, faultFromJson } from './faults.ts';

const usage =
  'usage: node examples/demo-app/server.ts [--port N] [--host 127.0.0.1] [--version X] [--token T] [--fault JSON]...';

let values: { port?: string; host?: string; version?: string; token?: string; fault?: string[] };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      version: { type: 'string', default: '1.0.0' },
      token: { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be 0..65535, got ${values.port}\n${usage}\n`);
  process.exit(2);
}
let faults: FaultSpec[];
try {
  faults = (values.fault ?? []).map((text) => faultFromJson(JSON.parse(text), Date.now()));
} catch (error) {
  process.stderr.write(`--fault: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

const app = await startDemoApp({
  port,
  host: values.host ?? '127.0.0.1',
  version: values.version ?? '1.0.0',
  token: values.token,
  faults,
});
process.stdout.write(`demo-app ${app.version()} listening on ${app.url}\n`);

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

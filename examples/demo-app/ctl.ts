#!/usr/bin/env node
// The demo app's control CLI; see control-client.ts for the commands.
import { runCtl } from './control-client.ts';

process.exitCode = await runCtl(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

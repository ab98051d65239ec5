#!/usr/bin/env node
import { createRequire as __shipgateRequire } from 'node:module';
const require = __shipgateRequire(import.meta.url);
import {
  ConfigurationError,
  errorMessage,
  formatProblem
} from "./shared/chunk-VO6Z6BRP.js";
import "./shared/chunk-Z7W4RE4J.js";

// src/cli/commands/index.ts
var commands = {};

// src/cli/main.ts
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(
      `shipgate: unknown command '${name}'. Known commands: ${Object.keys(commands).join(", ")}
`
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`usage: ${command.usage}

${command.summary}
`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`${error.message}
`);
      for (const problem of error.problems) io.stderr.write(`${formatProblem(problem)}
`);
      return 1;
    }
    io.stderr.write(`shipgate: internal error: ${errorMessage(error)}
`);
    if (error instanceof Error && error.stack) io.stderr.write(`${error.stack}
`);
    return 70;
  }
}
function helpText() {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: shipgate <command> [options]

commands:
${lines.join("\n")}
`;
}

// src/cli/bin.ts
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

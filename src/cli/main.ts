import { ConfigurationError, errorMessage, formatProblem } from '../errors.ts';
import type { Command, CommandIO } from './command.ts';
import { commands } from './commands/index.ts';

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    io.stderr.write(
      `shipgate: unknown command '${name}'. Known commands: ${Object.keys(commands).join(', ')}\n`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`${error.message}\n`);
      for (const problem of error.problems) io.stderr.write(`${formatProblem(problem)}\n`);
      return 1;
    }
    io.stderr.write(`shipgate: internal error: ${errorMessage(error)}\n`);
    if (error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 70;
  }
}

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: shipgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

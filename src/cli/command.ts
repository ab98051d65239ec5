/** What a `shipgate` sub-command is: parsed by the dispatcher in main.ts, one module per command. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd?: string;
}

export interface Command {
  /** One line for `shipgate --help`. */
  summary: string;
  usage: string;
  /** Returns the process exit code. Throw ConfigurationError for user mistakes. */
  run(args: string[], io: CommandIO): Promise<number>;
}

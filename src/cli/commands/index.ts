import type { Command } from '../command.ts';
import { sandboxCommand } from './sandbox.ts';

/** Every `shipgate` sub-command, by name. An unknown name is an error that lists these. */
export const commands: Record<string, Command> = {
  sandbox: sandboxCommand,
};

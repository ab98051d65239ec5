import type { Command } from '../command.ts';
import { planCommand } from './plan.ts';
import { rehearseCommand } from './rehearse.ts';
import { sandboxCommand } from './sandbox.ts';
import { schemaCommand } from './schema.ts';
import { validateCommand } from './validate.ts';

/** Every `shipgate` sub-command, by name. An unknown name is an error that lists these. */
export const commands: Record<string, Command> = {
  validate: validateCommand,
  schema: schemaCommand,
  plan: planCommand,
  rehearse: rehearseCommand,
  sandbox: sandboxCommand,
};

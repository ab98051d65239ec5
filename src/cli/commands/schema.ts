import { configJsonSchemaText } from '../../config/json-schema.ts';
import type { Command } from '../command.ts';

/** `shipgate schema`: the release config's JSON Schema, for editors and other validators. */
export const schemaCommand: Command = {
  summary: 'Print the JSON Schema of the release config',
  usage: 'shipgate schema',
  async run(args, io) {
    if (args.length > 0) {
      io.stderr.write(`shipgate schema: unexpected argument '${args[0]}'\nusage: shipgate schema\n`);
      return 2;
    }
    io.stdout.write(configJsonSchemaText());
    return 0;
  },
};

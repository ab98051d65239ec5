import { getPhaseInput } from '../inputs.ts';
import { run } from '../main.ts';

await run(getPhaseInput());

import { getPhaseInput } from '../inputs.ts';
import { post } from '../main.ts';

await post(getPhaseInput());

import { post } from '../main.ts';

await post('input');

import { describe, expect, it } from 'vitest';
import { placeholdersIn, renderTemplate } from '../../src/engine/template.ts';

// Shell syntax such as $HOME in braces is written with a dollar sign in these strings on purpose.
const HOME = '$' + '{HOME}';

describe('placeholders', () => {
  it('finds {name} and {vars.NAME}, not shell variables or literal braces', () => {
    expect(placeholdersIn('curl {url}/health?v={version}')).toEqual([
      { name: 'url', index: 5 },
      { name: 'version', index: 20 },
    ]);
    expect(placeholdersIn(`echo ${HOME} {{not}} {vars.API_HOST}`)).toEqual([
      { name: 'vars.API_HOST', index: 21 },
    ]);
    expect(placeholdersIn('{"email": "a@b"} rate(x{code=~"5.."}[5m])')).toEqual([]);
  });

  it('fills what it knows and leaves the rest visible', () => {
    expect(
      renderTemplate(`{url}/health {version} {vars.HOST} {secrets.KEY} {{x} ${HOME} {unknown}`, {
        url: 'https://example.com',
        version: 'v1.2.0',
        vars: { HOST: 'example.com' },
        secrets: {},
      }),
    ).toBe(`https://example.com/health v1.2.0 example.com {secrets.KEY} {x} ${HOME} {unknown}`);
  });
});

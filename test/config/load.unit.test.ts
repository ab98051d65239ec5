import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES, parseConfig } from '../../src/config/load.ts';
import { ConfigurationError, formatProblem, type Problem } from '../../src/errors.ts';

// Each broken config is written out in full so the line numbers in the expectations can be read
// off the text. Columns are 1-based, as editors show them.

const FILE = '.github/shipgate.yml';

function refused(text: string): ConfigurationError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

function problems(text: string): Problem[] {
  return [...refused(text).problems];
}

/** The one problem of a config with one mistake, as `line:column path: message`. */
function only(text: string): { at: string; path: string; message: string } {
  const found = problems(text);
  expect(found.map(formatProblem)).toHaveLength(1);
  const [problem] = found as [Problem];
  return {
    at: `${problem.location?.line}:${problem.location?.column}`,
    path: problem.path,
    message: problem.message,
  };
}

describe('loadConfig accepts a valid config', () => {
  it('returns the parsed config with defaults and the YAML document', () => {
    const { config, document, locate } = parseConfig(
      `version: 1
release:
  name: demo
environments:
  production:
    url: https://example.com
deploy:
  steps:
    - id: deploy-app
      run: ./deploy.sh
`,
      FILE,
    );
    expect(config.release.name).toBe('demo');
    expect(config.deploy.steps[0]?.timeout).toBe(600_000);
    expect(config.reporting.issue.labels).toEqual(['release']);
    expect(document.errors).toEqual([]);
    expect(locate(['deploy', 'steps', 0, 'run'])).toEqual({ file: FILE, line: 10, column: 12 });
    expect(locate(['deploy', 'steps', 0, 'run'], 'key')).toEqual({ file: FILE, line: 10, column: 7 });
  });

  it('allows $schema for editors, and YAML anchors in moderation', () => {
    const { config } = parseConfig(
      `$schema: ../schema/shipgate.schema.json
version: 1
release: { name: demo }
environments: { production: {} }
deploy:
  steps:
    - &step { id: one, run: ./one.sh }
    - { <<: *step, id: two }
`,
      FILE,
    );
    expect(config.deploy.steps.map((step) => step.id)).toEqual(['one', 'two']);
  });
});

describe('loadConfig refuses broken configs, each problem at its line', () => {
  it('1. a misspelt key, at the key, with did-you-mean', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps:
    - id: deploy-app
      run: ./deploy.sh
      timout: 5m
`),
    ).toEqual({
      at: '10:7',
      path: 'deploy.steps[0].timout',
      message: "unknown key 'timout' (did you mean 'timeout'?)",
    });
  });

  it('2. an unknown key with nothing close lists the keys valid there', () => {
    const problem = only(`version: 1
release:
  name: demo
  colour: blue
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
`);
    expect(problem).toEqual({
      at: '4:3',
      path: 'release.colour',
      message: "unknown key 'colour' (expected one of: name, version)",
    });
  });

  it('3. a value of the wrong type', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  concurrency: many
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({ at: '7:16', path: 'preflight.concurrency', message: "got 'many' (expected a number)" });
  });

  it('4. a duration without a unit, and a number where a duration belongs', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps:
    - id: a
      run: ./a.sh
      timeout: 10 minutes
    - id: b
      run: ./b.sh
      timeout: 30
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:10:16: deploy.steps[0].timeout: '10 minutes' is not a duration (expected a number with a unit, e.g. 500ms, 90s, 10m, 1h30m, 7d)`,
      `${FILE}:13:16: deploy.steps[1].timeout: got the number 30 (expected a duration: 500ms, 90s, 10m, 1h30m, 7d)`,
    ]);
  });

  const monitorWith = (rule: string) => `version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
monitor:
  duration: 30m
  sources:
    probe: { kind: http-probe, url: 'https://example.com/health' }
  rules:
    - id: errors
${rule}`;

  it('5. a malformed threshold', () => {
    expect(only(monitorWith("      metric: probe.error_rate\n      critical: '>> 5%'\n"))).toEqual({
      at: '15:17',
      path: 'monitor.rules[0].critical',
      message:
        "'>> 5%' is not a threshold (expected a comparison and a value, e.g. '> 5%', '>= 2s', '> 500ms', '< 0.9')",
    });
  });

  it('6. a threshold percentage over 100%', () => {
    expect(only(monitorWith("      metric: probe.error_rate\n      critical: '> 150%'\n"))).toEqual({
      at: '15:17',
      path: 'monitor.rules[0].critical',
      message: "'150%' is more than 100% (expected a percentage from 0% to 100%)",
    });
  });

  it('7. a rule whose metric names an unknown source, with did-you-mean', () => {
    expect(only(monitorWith("      metric: prob.error_rate\n      critical: '> 5%'\n"))).toEqual({
      at: '14:15',
      path: 'monitor.rules[0].metric',
      message: "unknown metric source 'prob' (did you mean 'probe'? expected one of: probe)",
    });
  });

  it('8. an unknown check kind lists the kinds', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - id: tests
      kind: comand
      run: npm test
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({
      at: '9:13',
      path: 'preflight.checks[0].kind',
      message:
        "unknown kind 'comand' (did you mean 'command'? expected one of: command, http, tls, dns, env, git-clean, ci-status, coverage, window, disk-free)",
    });
  });

  it('9. an id used twice, at the second use, naming the first', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - { id: health, kind: http, url: 'https://example.com/health' }
deploy:
  steps:
    - id: health
      run: ./deploy.sh
`),
    ).toEqual({
      at: '11:11',
      path: 'deploy.steps[0].id',
      message:
        "duplicate id 'health', already used by the check at preflight.checks[0] (expected ids unique across the whole file: they name checklist items)",
    });
  });

  it('10. a sign-off by an undeclared role', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
roles:
  qa-lead: { title: QA Lead, users: [octocat] }
preflight:
  signoffs: [qa-led]
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({
      at: '9:14',
      path: 'preflight.signoffs[0]',
      message: "unknown role 'qa-led' (did you mean 'qa-lead'? expected one of: qa-lead)",
    });
  });

  it('11. a YAML syntax error, at its position', () => {
    const problem = only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }
`);
    expect(problem.at).toBe('8:1');
    expect(problem.path).toBe('');
    expect(problem.message).toMatch(/^YAML syntax error: /);
  });

  it('12. an empty file, and one with only comments', () => {
    for (const text of ['', '# nothing yet\n']) {
      expect(only(text)).toEqual({
        at: '1:1',
        path: '',
        message: 'the file is empty (expected a mapping with version: 1, release, environments and deploy)',
      });
    }
  });

  it('13. a file over 1 MB is refused unparsed', () => {
    const text = `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(only(text)).toEqual({
      at: '1:1',
      path: '',
      message: 'the file is 1.0 MB (expected a release config under 1 MB; is this the right file?)',
    });
  });

  it('14. a list at the top level', () => {
    expect(only('- version: 1\n- deploy: {}\n')).toEqual({
      at: '1:1',
      path: '',
      message:
        'the top level is a list (expected a mapping with version: 1, release, environments and deploy)',
    });
  });

  it('15. a key written twice in one mapping', () => {
    expect(
      only(`version: 1
release:
  name: demo
  name: other
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({
      at: '4:3',
      path: '',
      message: "duplicate key 'name' (expected each key once in a mapping; the later one would silently win)",
    });
  });

  it('16. a missing required key, at the mapping it belongs in', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
`),
    ).toEqual({ at: '1:1', path: 'deploy', message: "missing required key 'deploy' (expected a mapping)" });
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
smoke:
  checks:
    - id: health
      kind: http
      timeout: 5s
`),
    ).toEqual({
      at: '10:7',
      path: 'smoke.checks[0].url',
      message: "missing required key 'url' (expected a string: URL; may use {url}, {version}, {vars.NAME})",
    });
  });

  it('17. a percentage over 100%', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - { id: cov, kind: coverage, file: coverage.lcov, format: lcov, min: 120% }
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({
      at: '8:74',
      path: 'preflight.checks[0].min',
      message: "'120%' is more than 100% (expected a percentage from 0% to 100%)",
    });
  });

  it('18. a GitHub login and a team that cannot exist', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: {}
roles:
  qa:
    title: QA
    users: [not a login]
    teams: [qa-team]
deploy:
  steps: [{ id: a, run: ./a.sh }]
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:9:13: roles.qa.users[0]: 'not a login' is not valid (expected a GitHub login such as octocat)`,
      `${FILE}:10:13: roles.qa.teams[0]: 'qa-team' is not valid (expected a team as org/team-slug)`,
    ]);
  });

  it('19. a regular expression that does not compile', () => {
    const problem = only(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - id: version
      kind: command
      run: ./app --version
      outputMatches: '([0-9]+'
deploy:
  steps: [{ id: a, run: ./a.sh }]
`);
    expect(problem.at).toBe('11:22');
    expect(problem.path).toBe('preflight.checks[0].outputMatches');
    expect(problem.message).toMatch(
      /^'\(\[0-9\]\+' is not a valid regular expression: .*Unterminated group.* \(expected a JavaScript regular expression\)$/,
    );
  });

  it('20. an unknown placeholder, and a secret that is not declared, each at the brace', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: { url: 'https://example.com' }
secrets: [API_KEY]
deploy:
  steps:
    - id: deploy-app
      run: [./deploy.sh, --version, '{verison}', --home, '\${HOME}']
smoke:
  checks:
    - id: health
      kind: http
      url: '{url}/health'
      headers: { Authorization: 'Bearer {secrets.API_TOKEN}' }
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:10:38: deploy.steps[0].run[2]: unknown placeholder '{verison}' (did you mean '{version}'? expected one of: {version}, {previousVersion}, {environment}, {url}, {date}, {time}, {name}, {vars.NAME}, {secrets.NAME}; write {{ for a literal brace)`,
      `${FILE}:16:41: smoke.checks[0].headers.Authorization: secret 'API_TOKEN' is not declared (expected it listed under secrets:, so its value is masked)`,
    ]);
  });

  it('20b. a placeholder in a shell command, which would splice a value into a shell line', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: { url: 'https://example.com' }
deploy:
  steps:
    - id: deploy-app
      run: ./deploy.sh --version {version} --home \${HOME}
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:9:34: deploy.steps[0].run: placeholder '{version}' is not filled in a shell command (expected "$SHIPGATE_VERSION" in the command, or run written as an argv list, whose elements are filled one argument each)`,
    ]);
  });

  it('21. a release window that ends before it starts, and a freeze likewise', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - id: window
      kind: window
      allow:
        - { from: '03:00', to: '02:00' }
      freeze:
        - { from: 2025-12-24, to: 2025-12-20 }
deploy:
  steps: [{ id: a, run: ./a.sh }]
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:11:32: preflight.checks[0].allow[0].to: the window ends at 02:00, not after it starts at 03:00 (expected to later than from; split a window across midnight into two)`,
      `${FILE}:13:35: preflight.checks[0].freeze[0].to: the freeze ends on 2025-12-20, before it starts on 2025-12-24 (expected to on or after from)`,
    ]);
  });

  it('22. a command backup driver without run', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
backup:
  driver: command
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({ at: '7:3', path: 'backup.run', message: "the command driver needs 'run'" });
  });

  it('23. a flag rollback without the flag step', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
rollback:
  strategy: flag
`),
    ).toEqual({ at: '9:3', path: 'rollback.flag', message: "the flag strategy needs a 'flag' step" });
  });

  it('24. an environment that skips an unknown id, overrides an unknown rule, and a check for an unknown environment', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  staging:
    skip: [smoke-helth]
    monitor:
      rules:
        latency: { warn: '> 1s' }
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
smoke:
  checks:
    - id: smoke-health
      kind: http
      url: 'https://example.com/health'
      environments: [prod]
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:6:12: environments.staging.skip[0]: unknown item id 'smoke-helth' (did you mean 'smoke-health'? expected the id of a check, step, manual item or rule in this file)`,
      `${FILE}:9:9: environments.staging.monitor.rules.latency: unknown rule 'latency' (none are declared under monitor.rules)`,
      `${FILE}:18:22: smoke.checks[0].environments[0]: unknown environment 'prod' (expected one of: staging, production)`,
    ]);
  });

  it('25. an unknown enum value, with did-you-mean and the allowed values', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
backup:
  driver: pgdump
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({
      at: '7:11',
      path: 'backup.driver',
      message: "unknown driver 'pgdump' (did you mean 'pg_dump'? expected one of: pg_dump, command)",
    });
  });

  it('26. an alias bomb is stopped, not expanded', () => {
    const problem = only(`a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
`);
    expect(problem.at).toBe('2:8');
    expect(problem.message).toMatch(/^aliases expand too many times \(expected at most 100/);
  });

  it('27. a manual item owned by an unknown role, and a prometheus metric without a query', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: {}
roles:
  devops: { title: DevOps, teams: [example/devops] }
deploy:
  steps: [{ id: a, run: ./a.sh }]
  manual:
    - { id: status-page, text: Update the status page, owner: dev-ops }
monitor:
  duration: 1h
  sources:
    prom:
      kind: prometheus
      url: 'http://prometheus:9090'
      queries: { error_rate: 'sum(rate(errors[5m]))' }
  rules:
    - { id: p95, metric: prom.p95, critical: '> 2s' }
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:11:63: deploy.manual[0].owner: unknown role 'dev-ops' (did you mean 'devops'? expected one of: devops)`,
      `${FILE}:20:26: monitor.rules[0].metric: source 'prom' has no query named 'p95' (expected one of: error_rate, or a query added under monitor.sources.prom.queries)`,
    ]);
  });

  it('28. an unsupported version', () => {
    expect(
      only(`version: 2
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
`),
    ).toEqual({ at: '1:10', path: 'version', message: 'got the number 2 (expected version: 1)' });
  });

  it('29. a command that is neither text nor a list, and an environment name that is not an id', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  Production: {}
deploy:
  steps:
    - id: a
      run: 5
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:5:3: environments.Production: 'Production' is not a valid name here (expected an id of lower-case letters, digits and dashes, e.g. db-backup)`,
      `${FILE}:9:12: deploy.steps[0].run: got the number 5 (expected command: a string for bash, or an argv list run without a shell)`,
    ]);
  });

  it('30. a missing check kind lists the kinds; an empty deploy says what it needs', () => {
    const found = problems(`version: 1
release:
  name: demo
environments:
  production: {}
preflight:
  checks:
    - id: tests
      run: npm test
deploy:
  steps: []
`);
    expect(found.map(formatProblem)).toEqual([
      `${FILE}:8:7: preflight.checks[0].kind: missing required key 'kind' (expected one of: command, http, tls, dns, env, git-clean, ci-status, coverage, window, disk-free)`,
      `${FILE}:11:10: deploy.steps: a deploy needs at least one step`,
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const error = refused(`version: 1
release:
  nmae: demo
environments:
  production: {}
deploy:
  steps:
    - id: a
      run: ./a.sh
      timeout: soon
    - id: a
      run: ./b.sh
`);
    expect(error.message).toBe(`${FILE}: 4 problems in the release config`);
    expect(error.problems.map((problem) => `${problem.location?.line} ${problem.path}`)).toEqual([
      '3 release.name',
      '3 release.nmae',
      '10 deploy.steps[0].timeout',
      '11 deploy.steps[1].id',
    ]);
  });
});

describe('loadConfig reads files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'shipgate-load-'));

  it('reads a file relative to cwd and names it as given', async () => {
    writeFileSync(
      join(directory, 'ok.yml'),
      'version: 1\nrelease: { name: x }\nenvironments: { p: {} }\ndeploy: { steps: [{ id: a, run: a }] }\n',
    );
    const { file, config } = await loadConfig('ok.yml', { cwd: directory });
    expect(file).toBe('ok.yml');
    expect(config.release.name).toBe('x');
  });

  it('says plainly when the file is missing', async () => {
    await expect(loadConfig('missing.yml', { cwd: directory })).rejects.toThrow(
      'cannot read missing.yml: no such file (expected a release config there; create it or pass --config PATH)',
    );
  });

  it('refuses a file over 1 MB from its size, before reading it', async () => {
    writeFileSync(join(directory, 'big.yml'), `# ${'x'.repeat(MAX_CONFIG_BYTES + 10)}\n`);
    const error = await loadConfig('big.yml', { cwd: directory }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems[0]?.message).toMatch(/^the file is 1\.0 MB/);
  });

  it('accepts text with a file name instead of a path', async () => {
    const { file } = await loadConfig({
      text: 'version: 1\nrelease: { name: x }\nenvironments: { p: {} }\ndeploy: { steps: [{ id: a, run: a }] }\n',
      file: 'inline.yml',
    });
    expect(file).toBe('inline.yml');
  });
});

describe('loadConfig helps with the usual YAML traps', () => {
  it('an unquoted {placeholder} that YAML reads as a mapping', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
  steps: [{ id: a, run: ./a.sh }]
  health:
    url: {url}
`),
    ).toEqual({
      at: '9:10',
      path: 'deploy.health.url',
      message: "got a mapping (expected a string; quote a {placeholder}, e.g. '{url}')",
    });
  });

  it('an unquoted {placeholder} inside a value, with the cascade of later YAML errors cut short', () => {
    const found = problems(`version: 1
release: { name: demo }
environments: { production: {} }
deploy:
  steps: [{ id: a, run: ./deploy --version {version} }]
  health: { url: '{url}/health' }
`);
    expect(found[0]).toMatchObject({
      location: { line: 5, column: 44 },
      message:
        "YAML syntax error: unexpected flow-map-start at node end (expected a quoted value where a {placeholder} is used, e.g. '{url}/health')",
    });
    expect(found.length).toBeLessThanOrEqual(4);
  });
});

describe('loadConfig points at the key when its value is missing', () => {
  it('a key with nothing after it', () => {
    expect(
      only(`version: 1
release:
  name: demo
environments:
  production: {}
deploy:
`),
    ).toEqual({ at: '6:1', path: 'deploy', message: 'got an empty value (expected a mapping)' });
  });
});

describe('loadConfig explains a key that belongs to another kind', () => {
  it('31. url on a command check points to kind: http', () => {
    expect(
      only(`version: 1
release: { name: demo }
environments: { production: {} }
deploy:
  steps: [{ id: a, run: ./a.sh }]
smoke:
  checks:
    - id: health
      kind: command
      run: curl --fail https://example.com/health
      url: 'https://example.com/health'
`),
    ).toEqual({
      at: '11:7',
      path: 'smoke.checks[0].url',
      message:
        "unknown key 'url' ('url' belongs to kind: http; expected one of: id, name, section, timeout, required, environments, kind, run, env, workingDirectory, expectExitCode, outputMatches)",
    });
  });
});

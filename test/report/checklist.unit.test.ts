import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import { buildChecklist, checklistItems } from '../../src/report/checklist.ts';
import { renderPlan } from '../../src/report/plan.ts';

const { config } = parseConfig(
  `version: 1
release: { name: demo }
environments:
  production: { url: 'https://example.com', vars: { HOST: example.com } }
roles:
  dba: { title: Database Admin, teams: [example/dba] }
  qa: { title: QA Lead, users: [octocat], quorum: 2 }
preflight:
  checks:
    - { id: tls, kind: tls, host: '{vars.HOST}', section: Security }
    - { id: unit, kind: command, run: [npm, test, --, -t, 'a b'] }
  manual:
    - { id: notes, text: Release notes written, owner: qa, required: false }
  signoffs:
    - qa
    - role: dba
      when: { paths: ['migrations/**'] }
backup:
  driver: pg_dump
  tables: [users]
  verify: { testRestore: true }
deploy:
  steps: [{ id: deploy-app, run: [./deploy.sh, --version, '{version}'], timeout: 5m }]
  health: { url: '{url}/health' }
smoke:
  checks:
    - { id: health, kind: http, url: '{url}/health', expect: { status: 200, maxLatency: 500ms } }
    - { id: no-token, kind: http, url: '{url}/api', expect: { status: 401 } }
monitor:
  duration: 30m
  sources: { probe: { kind: http-probe, url: '{url}/health' } }
  rules:
    - { id: errors, metric: probe.error_rate, warn: '> 1%', critical: '> 5%', for: 10m }
rollback:
  strategy: app
  steps: [{ id: redeploy, run: [./deploy.sh, --version, '{previousVersion}'] }]
  triggers: [Error rate above 5% for 10 minutes]
  authorize: { P1: { minRole: maintain } }
`,
  'shipgate.yml',
);

describe('buildChecklist', () => {
  it('lists phases in order with sections and stable ids', () => {
    const checklist = buildChecklist(config, 'production');
    expect(checklist.phases.map((phase) => phase.name)).toEqual([
      'preflight',
      'backup',
      'deploy',
      'smoke',
      'monitor',
      'rollback',
    ]);
    expect(checklistItems(checklist).map((item) => `${item.phase}/${item.kind}/${item.id}`)).toEqual([
      'preflight/check/tls',
      'preflight/check/unit',
      'preflight/manual/notes',
      'preflight/signoff/preflight:signoff:qa',
      'preflight/signoff/preflight:signoff:dba',
      'backup/step/backup:dump',
      'backup/check/backup:verify',
      'backup/check/backup:test-restore',
      'deploy/gate/deploy:approval',
      'deploy/step/deploy-app',
      'deploy/check/deploy:health',
      'smoke/check/health',
      'smoke/check/no-token',
      'monitor/check/errors',
      'rollback/step/redeploy',
      'rollback/check/rollback:verify-health',
      'rollback/check/rollback:verify-smoke',
      'rollback/step/rollback:tag',
    ]);
    expect(checklist.phases[0]?.sections.map((section) => section.title)).toEqual([
      'Security',
      'Checks',
      'To do',
      'Sign-off',
    ]);
  });

  it('is deterministic', () => {
    expect(buildChecklist(config, 'production')).toEqual(buildChecklist(config, 'production'));
  });

  it('fills in the environment, and the version when given', () => {
    const items = checklistItems(buildChecklist(config, 'production', { version: 'v2.0.0' }));
    const byId = Object.fromEntries(items.map((item) => [item.id, item]));
    expect(byId.tls?.text).toBe('TLS certificate of example.com valid');
    expect(byId['deploy-app']?.text).toBe('./deploy.sh --version v2.0.0');
    expect(byId.health?.text).toBe('GET https://example.com/health → 200, within 500ms');
    expect(byId.health?.detail).toBe('timeout 30s');
    expect(byId.unit?.text).toBe("`npm test -- -t 'a b'` succeeds");
    expect(byId.errors?.detail).toBe('warn > 1% → notify, critical > 5% → rollback, sustained 10m');
  });

  it('includes a sign-off limited to paths only when a changed path matches', () => {
    const ids = (changedPaths?: string[]) =>
      checklistItems(buildChecklist(config, 'production', changedPaths ? { changedPaths } : {}))
        .filter((item) => item.kind === 'signoff')
        .map((item) => `${item.id}${item.condition ? ` (${item.condition})` : ''}`);
    expect(ids()).toEqual(['preflight:signoff:qa', 'preflight:signoff:dba (if paths change: migrations/**)']);
    expect(ids(['src/app.ts'])).toEqual(['preflight:signoff:qa']);
    expect(ids(['src/app.ts', 'migrations/002_add_index.sql'])).toEqual([
      'preflight:signoff:qa',
      'preflight:signoff:dba (paths changed: migrations/**)',
    ]);
  });
});

describe('renderPlan', () => {
  it('writes GitHub Markdown task lists with owners, optional items and readable limits', () => {
    const plan = renderPlan(buildChecklist(config, 'production'));
    expect(plan).toContain('# Release plan: demo → production');
    expect(plan).toContain('## 1. Preflight');
    expect(plan).toContain('### Security');
    expect(plan).toContain(
      '- [ ] Release notes written — `notes` · manual · optional · owner QA Lead (@octocat)',
    );
    expect(plan).toContain('- [ ] QA Lead sign-off (2 people) — `preflight:signoff:qa` · by @octocat');
    expect(plan).toContain('if paths change: migrations/**');
    expect(plan).toContain('- [ ] ./deploy.sh --version {version} — `deploy-app` · timeout 5m');
    expect(plan).toContain('## 6. Rollback');
    expect(plan).toContain('- Trigger: Error rate above 5% for 10 minutes');
    expect(plan).toContain('- P1: may be rolled back by anyone with maintain access');
  });

  it('shows the task-server runbook: its sections and its sign-offs', async () => {
    const { config: taskServer } = await loadConfig('examples/task-server.shipgate.yml');
    const plan = renderPlan(buildChecklist(taskServer, 'production'));
    for (const heading of [
      '### Code Quality & Testing',
      '### Configuration',
      '### Database',
      '### Security',
      '### Infrastructure',
      '### Monitoring & Logging',
      '### Documentation',
      '### Step 4: Post-Deployment Verification',
      '### Step 5: Smoke Tests',
      '### Step 6: Monitoring Verification',
      '### Immediate (Within 1 hour)',
      '### Within 24 Hours',
      '### Within 1 Week',
      '### Success Criteria',
      '### Sign-off',
    ]) {
      expect(plan).toContain(heading);
    }
    expect(plan).toContain('DevOps Lead sign-off — `preflight:signoff:devops-lead` · by @example-org/devops');
    expect(plan).toContain(
      'Database Admin sign-off — `preflight:signoff:database-admin` · by @example-org/dba · if paths change: backend/alembic/**',
    );
    expect(plan).toContain('Security Lead sign-off');
    expect(plan).toContain('On-Call Engineer sign-off — `monitor:signoff:on-call`');
    expect(plan).toContain('MCP tools accessible (a list of 6 tools)');
    expect(plan).toContain('$.tools has 6 entries');
    expect(plan).toContain('- Trigger: Health checks failing for >2 minutes');
  });

  it('leaves a path-limited sign-off out when the changed paths do not touch it', async () => {
    const { config: taskServer } = await loadConfig('examples/task-server.shipgate.yml');
    const plan = renderPlan(
      buildChecklist(taskServer, 'production', { changedPaths: ['backend/src/auth/jwt.py'] }),
    );
    expect(plan).toContain(
      'Security Lead sign-off — `preflight:signoff:security-lead` · by @security-lead-example · paths changed',
    );
    expect(plan).not.toContain('Database Admin sign-off');
  });
});

describe('renderPlan counts', () => {
  it('counts the release items apart from the rollback ones', () => {
    const plan = renderPlan(buildChecklist(config, 'production'));
    expect(plan).toContain(
      'Environment **production** at https://example.com: 14 items, 13 of them required before the release is done; 4 more if a rollback is triggered.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { newReleaseState, type ReleaseState } from '../../src/engine/release-state.ts';
import {
  DEFAULT_AUDIENCE,
  deploymentVersion,
  failureReason,
  finishedRollback,
  refusedTarget,
  requestFromInputs,
  rollbackAudience,
  rollbackKind,
  RollbackRefused,
  rollbackTagName,
} from '../../src/engine/rollback-plan.ts';

const none = {
  targetVersion: undefined,
  severity: undefined,
  reason: undefined,
  drill: undefined,
  strategy: undefined,
};

describe('requestFromInputs', () => {
  it('is automatic without a reason, severity or target, and manual with any of them', () => {
    expect(requestFromInputs(none)).toEqual({ trigger: 'automatic' });
    expect(requestFromInputs({ ...none, reason: 'broken', severity: 'P1' })).toEqual({
      trigger: 'manual',
      reason: 'broken',
      severity: 'P1',
    });
    expect(requestFromInputs({ ...none, targetVersion: 'v1.0.0', strategy: 'full' })).toEqual({
      trigger: 'manual',
      targetVersion: 'v1.0.0',
      strategy: 'full',
    });
    expect(requestFromInputs({ ...none, drill: true })).toEqual({ trigger: 'manual', drill: true });
    expect(requestFromInputs({ ...none, drill: false })).toEqual({ trigger: 'automatic' });
    // release.yml's rollback job: the tracking issue, and a severity and reason for the incident.
    expect(requestFromInputs({ ...none, reason: 'the release job failed', severity: 'P1' }, 12)).toEqual({
      trigger: 'automatic',
      reason: 'the release job failed',
      severity: 'P1',
    });
  });

  it('a drill is a drill whether the trigger or the flag says so', () => {
    expect(rollbackKind({ trigger: 'drill' })).toBe('drill');
    expect(rollbackKind({ trigger: 'manual', drill: true })).toBe('drill');
    expect(rollbackKind({ trigger: 'manual' })).toBe('manual');
  });
});

describe('rollbackAudience', () => {
  const authorize = {
    P0: { users: ['oncall'], teams: ['acme/sre'] },
    P2: { users: [], teams: [], minRole: 'admin' as const },
    P3: { users: ['ada'], teams: [], minRole: 'maintain' as const },
  };

  it('is the entry for the severity', () => {
    expect(rollbackAudience(authorize, 'manual', 'P0')).toEqual(authorize.P0);
  });

  it('refuses a severity the config does not list, naming who may at the listed ones', () => {
    expect(() => rollbackAudience(authorize, 'manual', 'P1')).toThrow(RollbackRefused);
    expect(() => rollbackAudience(authorize, 'manual', 'P1')).toThrow(
      'nobody may dispatch a P1 rollback: rollback.authorize lists P0, P2, P3 (P0: @oncall, members of acme/sre; P2: anyone with the admin role or higher; P3: @ada, anyone with the maintain role or higher)',
    );
  });

  it('needs a severity for a manual rollback; a drill without one may be run by anyone listed', () => {
    expect(() => rollbackAudience(authorize, 'manual', undefined)).toThrow(
      "a manual rollback needs a severity (input 'severity': one of P0, P2, P3, as rollback.authorize lists)",
    );
    expect(rollbackAudience(authorize, 'drill', undefined)).toEqual({
      users: ['oncall', 'ada'],
      teams: ['acme/sre'],
      minRole: 'maintain',
    });
  });

  it('falls back on maintainers when the config names no one', () => {
    expect(rollbackAudience({}, 'manual', undefined)).toEqual(DEFAULT_AUDIENCE);
    expect(DEFAULT_AUDIENCE.minRole).toBe('maintain');
  });
});

function state(patch: Partial<ReleaseState> = {}): ReleaseState {
  return {
    ...newReleaseState(
      {
        repo: 'acme/webshop',
        name: 'webshop',
        environment: 'production',
        version: 'v1.2.0',
        sha: 'abc',
        startedBy: 'wes',
      },
      [],
      new Date('2026-11-21T14:00:00Z'),
    ),
    ...patch,
  };
}

describe('failureReason', () => {
  it('names the decision and the failing items, not preflight or optional ones', () => {
    const failed = state({
      items: [
        { id: 'lint', phase: 'preflight', kind: 'check', text: 'Lint', required: true, status: 'failed' },
        { id: 'docs', phase: 'smoke', kind: 'check', text: 'Docs', required: false, status: 'failed' },
        {
          id: 'smoke-health',
          phase: 'smoke',
          kind: 'check',
          text: 'Health',
          required: true,
          status: 'failed',
          summary: 'expected 200, got 500',
        },
      ],
      events: [{ id: 'e', at: '2026-11-21T14:02:00Z', type: 'rollback required', message: 'smoke failed' }],
    });
    expect(failureReason(failed)).toBe('smoke failed; smoke: Health: expected 200, got 500');
  });

  it('is undefined for a release that did not fail, and says so for a failed phase without items', () => {
    expect(failureReason(state())).toBeUndefined();
    expect(failureReason(state({ phases: { deploy: { status: 'failed' } } }))).toBe('deploy failed');
  });
});

describe('refusedTarget', () => {
  it('refuses the version being left and one rolled back from', () => {
    expect(refusedTarget('v1.2.0', 'v1.2.0', [])).toBe('v1.2.0 is the version being rolled back');
    expect(refusedTarget('v1.1.0', 'v1.2.0', ['v1.1.0'])).toMatch(/^v1\.1\.0 was itself rolled back from/);
    expect(refusedTarget('v1.0.0', 'v1.2.0', ['v1.1.0'])).toBeUndefined();
  });
});

describe('rollbackTagName', () => {
  it('fills every placeholder and keeps the name valid for git', () => {
    const now = new Date('2026-11-21T14:02:31Z');
    expect(rollbackTagName('rollback-{environment}-{date}-{time}', { environment: 'production', now })).toBe(
      'rollback-production-20261121-1402',
    );
    expect(
      rollbackTagName('{name}/rollback-{version}-to-{previousVersion}', {
        name: 'web shop',
        version: 'v1.2.0',
        previousVersion: 'v1.1.0',
        environment: 'production',
        now,
      }),
    ).toBe('web-shop/rollback-v1.2.0-to-v1.1.0');
    expect(() => rollbackTagName('rollback-{when}', { now })).toThrow(/unknown placeholder \{when\}/);
  });
});

describe('deploymentVersion', () => {
  it("reads shipgate's payload, else the ref", () => {
    expect(deploymentVersion({ ref: 'abc123', payload: { shipgate: { version: 'v1.2.0' } } })).toBe('v1.2.0');
    expect(deploymentVersion({ ref: 'v1.1.0', payload: {} })).toBe('v1.1.0');
    expect(deploymentVersion({ ref: 'v1.1.0', payload: '{"shipgate":{"version":"v2"}}' })).toBe('v2');
    expect(deploymentVersion({ ref: 'v1.1.0', payload: 'not json' })).toBe('v1.1.0');
  });
});

describe('finishedRollback', () => {
  const rollback = {
    trigger: 'automatic' as const,
    strategy: 'app' as const,
    fromVersion: 'v1.2.0',
    toVersion: 'v1.1.0',
    toSha: 'def',
    by: 'wes',
    reason: 'smoke failed',
    startedAt: '2026-11-21T14:03:00Z',
    firstStartedAt: '2026-11-21T14:03:00Z',
    attempts: 1,
    finishedAt: '2026-11-21T14:04:00Z',
    verified: true,
  };

  it('is true for a verified rollback of the same kind, not after a re-deploy or a failed one', () => {
    const deployed = { deploy: { status: 'passed' as const, startedAt: '2026-11-21T14:00:00Z' } };
    expect(finishedRollback(state({ rollback, phases: deployed }), 'automatic')).toBe(true);
    expect(finishedRollback(state({ rollback, phases: deployed }), 'drill')).toBe(false);
    expect(finishedRollback(state({ rollback: { ...rollback, verified: false } }), 'automatic')).toBe(false);
    const redeployed = { deploy: { status: 'passed' as const, startedAt: '2026-11-22T09:00:00Z' } };
    expect(finishedRollback(state({ rollback, phases: redeployed }), 'manual')).toBe(false);
  });
});

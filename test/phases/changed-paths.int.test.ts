import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.ts';
import { changedPaths, releaseChangedPaths } from '../../src/engine/changed-paths.ts';
import { RefDocuments } from '../../src/github/ref-document.ts';
import { StableMarker } from '../../src/github/stable-marker.ts';
import { OWNER, openTestRelease, REPO, testRunContext } from '../harness/release.ts';
import { useSandbox } from '../harness/sandbox.ts';

const sandbox = useSandbox();
const target = (sha: string) => ({ owner: OWNER, repo: REPO, sha });

describe('the files a release changes', () => {
  it("are the release commit's files when the environment has no stable version", async () => {
    const sb = sandbox();
    const commit = await sb.control.addCommit('acme/webshop', {
      message: 'auth fix',
      files: ['src/auth/session.ts', 'README.md'],
    });
    expect(await changedPaths(sb.octokit('actions'), target(commit.sha))).toEqual([
      'README.md',
      'src/auth/session.ts',
    ]);
  });

  it('are every file changed since the stable version, and decide which path-conditioned sign-offs apply', async () => {
    const sb = sandbox();
    const stable = await sb.control.addCommit('acme/webshop', {
      message: 'stable',
      files: ['src/auth/old.ts'],
    });
    const a = await sb.control.addCommit('acme/webshop', {
      message: 'a',
      parents: [stable.sha],
      files: ['src/cart.ts'],
    });
    const b = await sb.control.addCommit('acme/webshop', {
      message: 'b',
      parents: [a.sha],
      files: ['docs/cart.md'],
    });
    const documents = new RefDocuments({
      octokit: sb.octokit('admin'),
      owner: OWNER,
      repo: REPO,
      baseCommit: b.sha,
    });
    await new StableMarker(documents, systemClock).mark({
      environment: 'paths',
      version: '1.0.0',
      sha: stable.sha,
      releaseKey: 'paths/1.0.0',
    });

    const ctx = await testRunContext({ sandbox: sb, environment: 'paths', sha: b.sha });
    const paths = await releaseChangedPaths(ctx);
    expect(paths).toEqual(['docs/cart.md', 'src/cart.ts']);

    const configText = `version: 1
release: { name: shop }
environments: { paths: {} }
roles:
  security: { title: Security, users: [ada] }
  docs: { title: Docs, users: [wes] }
deploy:
  steps: [{ id: deploy-app, run: 'true' }]
  signoffs:
    - { role: security, when: { paths: ['src/auth/**'] } }
    - { role: docs, when: { paths: ['docs/**'] } }
`;
    const { release } = await openTestRelease({
      sandbox: sb,
      environment: 'paths',
      sha: b.sha,
      configText,
      changedPaths: paths!,
    });
    const ids = release.record.state.items.map((item) => item.id);
    expect(ids).toContain('deploy:signoff:docs');
    expect(ids).not.toContain('deploy:signoff:security');
  });

  it('are unknown (every sign-off applies) when GitHub may have cut the list short or cannot compare', async () => {
    const sb = sandbox();
    const many = Array.from({ length: 300 }, (_, index) => `src/generated/file-${index}.ts`);
    const big = await sb.control.addCommit('acme/webshop', { message: 'generated', files: many });
    expect(await changedPaths(sb.octokit('actions'), target(big.sha))).toBeUndefined();

    const documents = new RefDocuments({
      octokit: sb.octokit('admin'),
      owner: OWNER,
      repo: REPO,
      baseCommit: big.sha,
    });
    await new StableMarker(documents, systemClock).mark({
      environment: 'gone',
      version: '1.0.0',
      sha: '0123456789abcdef0123456789abcdef01234567',
      releaseKey: 'gone/1.0.0',
    });
    const ctx = await testRunContext({ sandbox: sb, environment: 'gone', sha: big.sha });
    expect(await releaseChangedPaths(ctx)).toBeUndefined();
    expect((ctx.logger as unknown as { text(): string }).text()).toContain(
      'every path-conditioned sign-off applies',
    );
  });
});

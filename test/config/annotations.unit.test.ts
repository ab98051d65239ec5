import { describe, expect, it } from 'vitest';
import { annotateProblems, reportConfigurationError } from '../../src/config/annotations.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { ConfigurationError } from '../../src/errors.ts';
import type { AnnotationLocation, Logger } from '../../src/logger.ts';

class RecordingLogger implements Logger {
  readonly errors: { message: string; location?: AnnotationLocation }[] = [];
  readonly infos: string[] = [];
  debug(): void {}
  info(message: string): void {
    this.infos.push(message);
  }
  warning(): void {}
  error(message: string, location?: AnnotationLocation): void {
    this.errors.push(location ? { message, location } : { message });
  }
  untrusted(): void {}
  async group<T>(_name: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

describe('config problems as annotations', () => {
  it('puts each problem on its line and column of the config file', () => {
    let error: ConfigurationError | undefined;
    try {
      parseConfig(
        'version: 1\nrelease: { name: x }\nenvironments: { p: {} }\ndeploy:\n  stepz: []\n',
        '.github/shipgate.yml',
      );
    } catch (caught) {
      error = caught as ConfigurationError;
    }
    const logger = new RecordingLogger();
    reportConfigurationError(logger, error!);
    expect(logger.infos).toEqual(['.github/shipgate.yml: 2 problems in the release config']);
    expect(logger.errors).toEqual([
      {
        message: "deploy.steps: missing required key 'steps' (expected a list)",
        location: { file: '.github/shipgate.yml', line: 5, column: 3, title: 'shipgate config' },
      },
      {
        message: "deploy.stepz: unknown key 'stepz' (did you mean 'steps'?)",
        location: { file: '.github/shipgate.yml', line: 5, column: 3, title: 'shipgate config' },
      },
    ]);
  });

  it('names files relative to the workspace, and logs problems without a place plainly', () => {
    const logger = new RecordingLogger();
    annotateProblems(
      logger,
      [
        {
          path: 'deploy',
          message: 'x',
          location: { file: '/home/runner/work/repo/.github/shipgate.yml', line: 3, column: 1 },
        },
        { path: '', message: 'cannot read' },
      ],
      { workspace: '/home/runner/work/repo' },
    );
    expect(logger.errors).toEqual([
      {
        message: 'deploy: x',
        location: { file: '.github/shipgate.yml', line: 3, column: 1, title: 'shipgate config' },
      },
      { message: 'cannot read' },
    ]);
  });
});

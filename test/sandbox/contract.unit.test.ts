import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/sandbox/index.ts';
import { ContractChecker } from '../harness/openapi-contract.ts';

function exchange(overrides: Partial<Exchange>): Exchange {
  return {
    method: 'GET',
    path: '/repos/acme/webshop/labels/bug',
    query: {},
    route: '/repos/{owner}/{repo}/labels/{name}',
    operationId: 'issues/get-label',
    requestHeaders: {},
    requestBody: undefined,
    status: 200,
    responseHeaders: {},
    responseBody: {
      id: 1,
      node_id: 'x',
      url: 'http://127.0.0.1/repos/acme/webshop/labels/bug',
      name: 'bug',
      color: 'd73a4a',
      default: true,
      description: null,
    },
    ...overrides,
  };
}

describe('the OpenAPI contract checker (the layer the tests switch on)', () => {
  it('accepts a response that matches GitHub’s description', async () => {
    const checker = new ContractChecker();
    checker.record(exchange({}));
    await expect(checker.assertClean()).resolves.toBeUndefined();
    expect([...checker.validatedSuccess]).toEqual(['issues/get-label']);
  });

  it('rejects a response that breaks the schema, a wrong operationId and an undocumented 2xx', async () => {
    const checker = new ContractChecker();
    checker.record(exchange({ responseBody: { id: 'one', name: 'bug' } }));
    checker.record(exchange({ operationId: 'issues/get' }));
    checker.record(exchange({ status: 201 }));
    checker.record(
      exchange({
        method: 'POST',
        path: '/repos/acme/webshop/issues',
        requestBody: { title: 7, labels: 'x' },
        operationId: 'issues/create',
        status: 201,
        responseBody: undefined,
      }),
    );
    expect(checker.violations.map((v) => v.where)).toEqual(['response', 'routing', 'response', 'request']);
    await expect(checker.assertClean()).rejects.toThrow(/broke GitHub's OpenAPI contract 4 time/);
  });

  it('notes statuses GitHub does not document (injected faults) without failing', async () => {
    const checker = new ContractChecker();
    checker.record(exchange({ status: 502, responseBody: { message: 'Server Error' } }));
    await expect(checker.assertClean()).resolves.toBeUndefined();
    expect(checker.undocumented).toEqual([{ operationId: 'issues/get-label', status: 502 }]);
  });
});

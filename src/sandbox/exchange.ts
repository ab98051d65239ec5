/** One request and its answer, handed to an `onExchange` hook (the tests validate these against GitHub's OpenAPI description). */
export interface Exchange {
  method: string;
  /** Path without the `/api/v3` prefix and without the query string. */
  path: string;
  query: Record<string, string>;
  route: string;
  operationId: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  /** Parsed JSON, or undefined for empty answers (204, 304). */
  responseBody: unknown;
}

export type ExchangeHook = (exchange: Exchange) => void;

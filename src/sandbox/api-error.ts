/** GitHub's error bodies: `{ message, documentation_url, errors?, status }`. */

export interface FieldError {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
  value?: unknown;
}

export const DOCUMENTATION_URL = 'https://docs.github.com/rest';

export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, errors?: FieldError[], headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.errors = errors;
    this.headers = headers;
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, documentation_url: DOCUMENTATION_URL };
    if (this.errors) body.errors = this.errors;
    body.status = String(this.status);
    return body;
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found');
export const badCredentials = (): ApiError => new ApiError(401, 'Bad credentials');
export const forbiddenIntegration = (): ApiError =>
  new ApiError(403, 'Resource not accessible by integration');

export function validationFailed(errors: FieldError[]): ApiError {
  return new ApiError(422, 'Validation Failed', errors);
}

export function missingField(resource: string, field: string): ApiError {
  return validationFailed([{ resource, code: 'missing_field', field }]);
}

/** GitHub stores at most 65,536 characters in an issue or comment body. */
export const MAX_BODY_LENGTH = 65_536;

export function checkBodyLength(resource: string, body: unknown): void {
  if (typeof body === 'string' && body.length > MAX_BODY_LENGTH) {
    throw validationFailed([
      {
        resource,
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${MAX_BODY_LENGTH} characters)`,
      },
    ]);
  }
}

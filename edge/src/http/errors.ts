import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode } from '@stream-fighter/core/error-codes';

/** The one way handlers fail: a status, a stable machine code and a message a person can act on. */
export class ApiException extends HTTPException {
  readonly code: ApiErrorCode;
  readonly issues: unknown[] | undefined;
  constructor(status: ContentfulStatusCode, code: ApiErrorCode, message: string, issues?: unknown[]) {
    super(status, { message });
    this.code = code;
    this.issues = issues;
  }
}

export const badRequest = (code: ApiErrorCode, message: string, issues?: unknown[]) => new ApiException(400, code, message, issues);

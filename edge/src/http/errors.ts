import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one way handlers fail: a status, a stable machine code and a message a person can act on. */
export class ApiException extends HTTPException {
  readonly code: string;
  readonly issues: unknown[] | undefined;
  constructor(status: ContentfulStatusCode, code: string, message: string, issues?: unknown[]) {
    super(status, { message });
    this.code = code;
    this.issues = issues;
  }
}

export const badRequest = (code: string, message: string, issues?: unknown[]) => new ApiException(400, code, message, issues);

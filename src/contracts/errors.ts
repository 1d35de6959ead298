/**
 * paypipe's typed errors: a stable string code and whether retrying can help. Expected outcomes (a failed
 * verification, a dead letter) are values, not errors; these are for failures.
 */
export const ERRORS = {
  PAYPIPE_ERR_CONFIG: { retryable: false, summary: 'invalid configuration' },
  PAYPIPE_ERR_USAGE: { retryable: false, summary: 'invalid command-line usage' },
  PAYPIPE_ERR_UNKNOWN_PROVIDER: { retryable: false, summary: 'unknown provider' },
  PAYPIPE_ERR_SIGNING: { retryable: false, summary: 'cannot sign this payload' },
  PAYPIPE_ERR_LOG_UNAVAILABLE: { retryable: true, summary: 'the event log cannot take writes' },
  PAYPIPE_ERR_LOG_CLOSED: { retryable: false, summary: 'the event log or the consumer was closed' },
  PAYPIPE_ERR_STORE_UNAVAILABLE: { retryable: true, summary: 'the store cannot take writes' },
  PAYPIPE_ERR_STORE_REFUSED: { retryable: false, summary: 'the store refused the row (a constraint or a type)' },
  PAYPIPE_ERR_INFERENCE_UNAVAILABLE: { retryable: true, summary: 'the inference service did not answer' },
  PAYPIPE_ERR_INFERENCE_REJECTED: { retryable: false, summary: 'the inference service refused the event' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class PaypipeError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaypipeError';
    this.code = code;
    this.retryable = ERRORS[code].retryable;
  }
}

export function isPaypipeError(error: unknown, code?: ErrorCode): error is PaypipeError {
  return error instanceof PaypipeError && (code === undefined || error.code === code);
}

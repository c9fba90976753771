/**
 * Every error the API can answer, by code. The HTTP status of each lives in
 * `errorHttpStatus` (http layer) keyed by this type, so a new code without a
 * status fails to compile.
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'ACTION_NOT_ALLOWED'
  | 'AMOUNT_OVER_CAP'
  | 'PARTIAL_REFUND_NEEDS_RECEIPT'
  | 'NOT_ESCROW'
  | 'ORDER_CLOSED'
  | 'ORDER_EXISTS'
  | 'ORDER_STATE'
  | 'ORDER_HAS_OPEN_REFUND'
  | 'REFUND_ALREADY_OPEN'
  | 'REFUSE_BEFORE_SHIPMENT'
  | 'REFUSAL_NEEDS_EVIDENCE'
  | 'RETURN_ADDRESS_REQUIRED'
  | 'TYPE_GOODS_MISMATCH'
  | 'INTERVENTION_TOO_EARLY'
  | 'INTERVENTION_NOT_REQUESTED'
  | 'CALENDAR_OUT_OF_RANGE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'SIGN_IN_FAILED'
  | 'SIGN_IN_THROTTLED'
  | 'CSRF_FAILED'
  | 'PASSWORD_REJECTED'
  | 'USERNAME_TAKEN'
  | 'GUARD_REASON_NEEDS_CHANGE'
  | 'GUARD_RETURN_NOT_CHECKED'
  | 'GUARD_UNSHIPPED_NOT_VOIDED'
  | 'GUARD_AMOUNT_NOT_CONFIRMED'
  | 'GUARD_ALREADY_REFUNDED'
  | 'GUARD_REFUSAL_FACTS_MISSING'
  | 'GUARD_OVERRIDE_REFUSED'
  | 'RULE_SET_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'EVIDENCE_TYPE_MISMATCH'
  | 'ASSIGNEE_NOT_ELIGIBLE'
  | 'REFUND_ALREADY_ASSIGNED'
  | 'DEVICE_EXISTS'
  | 'WARRANTY_POLICY_INVALID'
  | 'SERVICE_POINTS_INVALID'
  | 'ARCHIVE_EXISTS'
  | 'PLATFORM_OWNS_IT'
  | 'PLATFORM_SYNC_PENDING'
  | 'INTERNAL'
  | 'GUARD_DAMAGED_REFUND_ONLY'
  | 'GUARD_UNSHIPPED_REASON_NEEDS_CHANGE'
  | 'GUARD_INVOICE_NOT_REGISTERED'
  | 'EVIDENCE_NOT_FOUND'
  | 'EVIDENCE_IN_USE'
  | 'BATCH_AGREE_NOT_ALLOWED'
  | 'EXPORT_TOO_LARGE';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

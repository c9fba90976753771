/** Errors as JSON {error: {code, message, details}} with the fitting status. No input yields a 500. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError, type AppErrorCode } from '../core/errors.ts';

export const errorHttpStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  ACTION_NOT_ALLOWED: 409,
  ORDER_EXISTS: 409,
  ORDER_STATE: 409,
  ORDER_HAS_OPEN_REFUND: 409,
  REFUND_ALREADY_OPEN: 409,
  REFUSE_BEFORE_SHIPMENT: 409,
  INTERVENTION_TOO_EARLY: 409,
  INTERVENTION_NOT_REQUESTED: 409,
  ORDER_CLOSED: 409,
  AMOUNT_OVER_CAP: 422,
  PARTIAL_REFUND_NEEDS_RECEIPT: 422,
  NOT_ESCROW: 422,
  REFUSAL_NEEDS_EVIDENCE: 422,
  RETURN_ADDRESS_REQUIRED: 422,
  TYPE_GOODS_MISMATCH: 422,
  CALENDAR_OUT_OF_RANGE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  SIGN_IN_FAILED: 401,
  SIGN_IN_THROTTLED: 429,
  CSRF_FAILED: 403,
  PASSWORD_REJECTED: 422,
  USERNAME_TAKEN: 409,
  GUARD_REASON_NEEDS_CHANGE: 409,
  GUARD_RETURN_NOT_CHECKED: 409,
  GUARD_UNSHIPPED_NOT_VOIDED: 409,
  GUARD_AMOUNT_NOT_CONFIRMED: 409,
  GUARD_ALREADY_REFUNDED: 409,
  GUARD_REFUSAL_FACTS_MISSING: 409,
  GUARD_OVERRIDE_REFUSED: 403,
  RULE_SET_INVALID: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  EVIDENCE_TYPE_MISMATCH: 415,
  ASSIGNEE_NOT_ELIGIBLE: 422,
  REFUND_ALREADY_ASSIGNED: 409,
  DEVICE_EXISTS: 409,
  WARRANTY_POLICY_INVALID: 422,
  SERVICE_POINTS_INVALID: 422,
  ARCHIVE_EXISTS: 409,
  PLATFORM_OWNS_IT: 409,
  PLATFORM_SYNC_PENDING: 409,
  INTERNAL: 500,
  GUARD_DAMAGED_REFUND_ONLY: 409,
  GUARD_UNSHIPPED_REASON_NEEDS_CHANGE: 409,
  GUARD_INVOICE_NOT_REGISTERED: 409,
  EVIDENCE_NOT_FOUND: 422,
  EVIDENCE_IN_USE: 422,
  BATCH_AGREE_NOT_ALLOWED: 422,
  EXPORT_TOO_LARGE: 422,
} as const satisfies Record<AppErrorCode, number>;

export function sendError(
  reply: FastifyReply,
  code: AppErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(errorHttpStatus[code]).type('application/json; charset=utf-8').send({ error: { code, message, details } });
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isAppError(err)) return sendError(reply, err.code, err.message, err.details ?? {});
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      where: err.validationContext ?? 'body',
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: v.message ?? 'invalid',
    }));
    const first = issues[0];
    return sendError(
      reply,
      'VALIDATION_FAILED',
      first ? `The ${first.where}${first.path ? ` field ${first.path}` : ''} is not valid: ${first.message}` : 'The request is not valid.',
      { issues },
    );
  }
  if (isResponseSerializationError(err)) {
    request.log.error({ err: err.cause }, 'answer does not match its schema');
    return sendError(reply, 'INTERNAL', 'The server could not form its answer.');
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'VALIDATION_FAILED', 'The request body is empty; send a JSON object.');
    default:
      break;
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendError(reply, 'VALIDATION_FAILED', 'The request body is not valid JSON.');
  }
  // a unique key hit by two requests at the same moment (the check-then-insert lost the race)
  const dbCode = (err as { code?: unknown }).code;
  if (dbCode === '23505' || dbCode === 'SQLITE_CONSTRAINT_UNIQUE' || dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return sendError(reply, 'VERSION_CONFLICT', 'Somebody else made the same change at the same moment; reload and try again.');
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return sendError(reply, 'VALIDATION_FAILED', err.message);
  }
  request.log.error({ err }, 'unexpected error');
  return sendError(reply, 'INTERNAL', 'Something went wrong on the server; nothing was changed.');
}

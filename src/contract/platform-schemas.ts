/** Issue 12: the platform binding, sync state, sync problems and outbox, as the API answers them (the web app types its pages with these). */
import { z } from 'zod';
import { ZIsoDate } from './schemas.ts';

export const platformChoices = ['taobao', 'tmall'] as const;
/** TOP's signing methods (the same list as src/platform/taobao/top-sign.ts; the web app must not import node code) */
export const signMethods = ['md5', 'hmac', 'hmac-sha256'] as const;

export const ZNewShopRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'A shop code is 2–32 lowercase letters, digits or "-", starting with a letter or digit'),
  name: z.string().trim().min(1).max(64),
  platform: z.enum(platformChoices).nullable().default(null).describe('the platform the shop sells on (bind it afterwards)'),
});
export type TNewShopRequest = z.infer<typeof ZNewShopRequest>;

export const ZShopCreated = z.object({ code: z.string(), name: z.string(), role: z.literal('admin') });

const secret = (what: string) => z.string().trim().min(4).max(512).describe(`${what} (write only: answered by its last four characters)`);

export const ZBindingRequest = z.strictObject({
  platform: z.enum(platformChoices),
  sellerNick: z.string().trim().min(1).max(64).describe("the seller's nick on the platform"),
  appKey: z.string().trim().regex(/^[0-9A-Za-z_-]{4,64}$/, 'An app key is 4–64 letters or digits'),
  appSecret: secret('the app secret').optional().describe('required when binding; absent keeps the stored one'),
  sessionKey: secret("the seller's session key (access token)").optional().describe('required when binding; a new one re-authorises the shop'),
  sessionExpiresAt: ZIsoDate.nullable().optional().describe('when the session key expires (a warning shows from 7 days before)'),
  gatewayUrl: z.string().trim().max(300).optional().describe('default https://eco.taobao.com/router/rest; the simulator\'s for tests and demos'),
  signMethod: z.enum(signMethods).optional(),
  ratePerSecond: z.number().int().min(1).max(1000).optional().describe('calls per second at most (shared by every worker of a process)'),
  backfillDays: z.number().int().min(0).max(90).optional().describe('how many days the first binding pulls (TOP keeps three months)'),
});
export type TBindingRequest = z.infer<typeof ZBindingRequest>;

export const ZStreamView = z.object({
  stream: z.enum(['orders', 'refunds', 'tmc']),
  phase: z.enum(['backfill', 'incremental', 'paused']),
  windowsDone: z.number().int(),
  windowsTotal: z.number().int(),
  records: z.number().int(),
  ratePerMinute: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  watermark: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextRunAt: z.string(),
});
export type TStreamView = z.infer<typeof ZStreamView>;

export const ZBindingView = z.object({
  platform: z.enum(platformChoices),
  sellerNick: z.string(),
  appKey: z.string(),
  appSecretLast4: z.string(),
  sessionKeyLast4: z.string(),
  sessionExpiresAt: z.string().nullable(),
  sessionExpiresSoon: z.boolean(),
  sessionExpired: z.boolean(),
  gatewayUrl: z.string(),
  signMethod: z.enum(signMethods),
  ratePerSecond: z.number().int(),
  backfillDays: z.number().int(),
  status: z.enum(['active', 'needs_reauth', 'revoked']),
  statusReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  streams: z.array(ZStreamView),
  problemsOpen: z.number().int(),
  outbox: z.object({ pending: z.number().int(), failed: z.number().int() }),
});
export type TBindingView = z.infer<typeof ZBindingView>;

export const ZProblem = z.object({
  id: z.number().int(),
  source: z.string(),
  code: z.string(),
  objectType: z.string().nullable(),
  platformId: z.string().nullable(),
  message: z.string(),
  payload: z.unknown().describe('the payload as received, secrets and personal data masked'),
  status: z.string(),
  occurrences: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type TProblem = z.infer<typeof ZProblem>;

export const ZOutboxRow = z.object({
  id: z.number().int(),
  refundId: z.number().int().nullable(),
  orderNo: z.string().nullable(),
  kind: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type TOutboxRow = z.infer<typeof ZOutboxRow>;

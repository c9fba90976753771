/** Issue 14: the event feed and webhook endpoints as the API answers them. */
import { z } from 'zod';

/** The events a webhook endpoint can ask for, and the feed's types (the server and the web app both read this list). */
export const eventTypeChoices = [
  'refund.created',
  'refund.status_changed',
  'refund.deadline_soon',
  'refund.deadline_missed',
  'refund.assigned',
  'guard.overridden',
  'record.created',
  'record.changed',
  'warranty.decided',
  'sendback.changed',
  'service.record_changed',
  'service.dispatch_late',
  'sync.problem',
] as const;

export const ZFeedEvent = z.object({
  id: z.number().int().describe('the cursor: ask again with after=<the last id>'),
  type: z.string(),
  at: z.string(),
  object: z.object({ type: z.string(), id: z.string(), version: z.number().int().nullable() }),
  data: z.record(z.string(), z.unknown()).describe('what changed (from, to, the action …)'),
});

export const ZEndpoint = z.object({
  id: z.number().int(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type TEndpoint = z.infer<typeof ZEndpoint>;

export const ZEndpointRequest = z.strictObject({
  url: z.string().trim().min(8).max(500),
  description: z.string().trim().max(200).default(''),
  eventTypes: z.array(z.enum(eventTypeChoices)).min(1).max(eventTypeChoices.length),
});

export const ZEndpointPatch = z
  .strictObject({
    url: z.string().trim().min(8).max(500),
    description: z.string().trim().max(200),
    eventTypes: z.array(z.enum(eventTypeChoices)).min(1).max(eventTypeChoices.length),
    enabled: z.boolean(),
    rotateSecret: z.literal(true).describe('a new secret, answered once; the old one stops at once'),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Say what to change' });

export const ZDelivery = z.object({
  id: z.number().int(),
  webhookId: z.string().describe('webhook-id: the same on every try of this event to this endpoint'),
  eventId: z.number().int(),
  eventType: z.string(),
  status: z.enum(['pending', 'sending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  responseStatus: z.number().int().nullable(),
  responseBody: z.string().nullable().describe("the endpoint's answer, its first 1 KB"),
  error: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type TDelivery = z.infer<typeof ZDelivery>;

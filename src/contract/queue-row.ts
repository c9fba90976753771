/** Issue 15 §2: the chips of a queue row (src/app/queue-rows.ts fills them; the queue shows them). No zod: the web imports it. */
/** What other people did about a refund, shown as chips on its row. */
export const rowMarks = [
  /** the warehouse recorded the return's arrival (S1.13) */
  'arrived',
  /** in today's unshipped batch, waiting for the warehouse (S1.1) */
  'batched',
  /** the warehouse voided the unshipped order (S1.1) */
  'voided',
  /** the warehouse says the order had already left (S2.2) */
  'already_shipped',
  /** a claim form is open on the order (S1.7) */
  'claim',
  /** the order is in the invoice book (S1.8) */
  'invoice',
  /** the return postage is requested or paid (S1.14) */
  'postage',
  /** the courier is asked for a trace or a recall and has not answered (S1.6, S1.19) */
  'courier',
  /** design and merchandise are verifying (S1.10) */
  'department',
] as const;
export type RowMark = (typeof rowMarks)[number];

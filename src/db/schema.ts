/**
 * The tables, as Kysely sees them. Times are ISO-8601 UTC text
 * ('2026-11-27T02:53:15.000Z', fixed width, so text order is time order);
 * booleans are 0/1 integers; JSON is text. The same on SQLite and PostgreSQL.
 */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

export interface ShopTable {
  id: Generated<number>;
  code: string;
  name: string;
  settings: string;
  created_at: string;
}

export interface ActorTable {
  id: Generated<number>;
  shop_id: number;
  role: string;
  name: string;
  buyer_nick: string | null;
  created_at: string;
  /** set when the actor is a user's role in this shop */
  user_id: number | null;
  disabled_at: string | null;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** sha256 of the session id the cookie carries */
  id_hash: string;
  kind: string;
  user_id: number | null;
  actor_id: number;
  /** a buyer session reaches this one order only */
  order_id: number | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
  ip: string | null;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  kind: string;
  account: string;
  ip: string;
  outcome: string;
  at: string;
}

export interface AuditLogTable {
  id: number;
  at: string;
  shop_id: number | null;
  actor_kind: string;
  actor_id: number | null;
  actor_name: string;
  role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  /** the chain the row is in (1 on SQLite; 1…AUDIT_CHAINS on PostgreSQL) and its place in it, from 1 */
  chain: ColumnType<number, number | undefined, number>;
  chain_seq: number | null;
}

export interface AuditHeadTable {
  id: number;
  last_id: number;
  last_hash: string;
  head_mac: string;
  /** the place of the chain's last row */
  last_seq: ColumnType<number, number | undefined, number>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  actor_id: number;
  token_hash: string;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface OrderTable {
  id: Generated<number>;
  shop_id: number;
  order_no: string;
  buyer_nick: string;
  buyer_name: string;
  buyer_phone: string;
  /** the database's key of buyer_phone (migration 016; src/core/refund/buyer-phone.ts): the phone filter compares on it */
  buyer_phone_key: GeneratedAlways<string>;
  province: string;
  city: string;
  district: string;
  address_detail: string;
  paid_fen: number;
  postage_fen: number;
  escrow: number;
  status: string;
  courier: string | null;
  tracking_no: string | null;
  shipped_at: string | null;
  signed_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** where the order came from: api | taobao | tmall | import */
  source: Generated<string>;
  platform_status: string | null;
  /** the platform's modified time of the snapshot held: an older snapshot never overwrites it */
  platform_modified: string | null;
}

export interface OrderLineTable {
  order_id: number;
  line_no: number;
  sku: string;
  title: string;
  style: string;
  size: string;
  unit_price_fen: number;
  quantity: number;
  platform_line_id?: string | null;
  /** the line's share of what was paid after discounts (TOP divide_order_fee) */
  paid_fen?: number | null;
}

export interface OrderRemarkTable {
  id: Generated<number>;
  shop_id: number;
  order_id: number;
  actor_id: number | null;
  author: string;
  flag: number;
  text: string;
  created_at: string;
}

export interface OrderEventTable {
  id: Generated<number>;
  shop_id: number;
  order_id: number;
  at: string;
  actor_id: number | null;
  actor_role: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  data: string;
}

export interface RefundTable {
  id: Generated<number>;
  shop_id: number;
  order_id: number;
  order_no: string;
  line_no: number | null;
  type: string;
  goods_status: string;
  phase: string;
  reason: string;
  amount_fen: number;
  description: string;
  evidence: string;
  status: string;
  is_open: number;
  intervention_state: string;
  intervention_requested_at: string | null;
  intervention_outcome: string | null;
  intervention_decided_at: string | null;
  intervention_note: string | null;
  return_address: string | null;
  return_courier: string | null;
  return_tracking_no: string | null;
  return_shipped_at: string | null;
  refusal_reason: string | null;
  refusal_evidence: string | null;
  refused_at: string | null;
  deadline_kind: string | null;
  deadline_at: string | null;
  deadline_effect: string | null;
  deadline_problem: string | null;
  /** deadline_at, or '9999…' when there is none: the queue's sort key, nulls last on both databases */
  sort_deadline: string;
  close_reason: string | null;
  /** the internal root cause, apart from the platform reason (S1.2) */
  root_cause: string | null;
  root_cause_note: string | null;
  /** the version of the shop's rule set the refund was last handled under */
  rule_set_version: number | null;
  /** S1.13: who pays the return postage (buyer | shop) and how much, who decided it and when (migration 012) */
  return_postage_payer?: string | null;
  return_postage_fen?: number | null;
  return_postage_note?: string | null;
  return_postage_by?: string | null;
  return_postage_at?: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** issue 12: a platform refund's id, status word, version (refund_version), modified time and timeout */
  platform_refund_id?: string | null;
  platform_status?: string | null;
  platform_version?: string | null;
  platform_modified?: string | null;
  platform_timeout_at?: string | null;
  platform_timeout_kind?: string | null;
  platform_reason?: string | null;
  /** the last decision sent to the platform: pending | synced | failed, with the platform's words */
  sync_state?: string | null;
  sync_message?: string | null;
}

export interface ShopBindingTable {
  shop_id: number;
  platform: string;
  seller_nick: string;
  app_key: string;
  app_secret_enc: string;
  app_secret_last4: string;
  session_key_enc: string;
  session_key_last4: string;
  session_expires_at: string | null;
  gateway_url: string;
  sign_method: string;
  rate_per_second: number;
  backfill_days: number;
  status: string;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface SyncStreamTable {
  shop_id: number;
  stream: string;
  watermark: string | null;
  backfill_from: string | null;
  backfill_to: string | null;
  backfill_next: string | null;
  backfill_done: number;
  windows_done: number;
  windows_total: number;
  records: number;
  backfill_started_at: string | null;
  backfill_finished_at: string | null;
  next_run_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_ok_at: string | null;
  last_error: string | null;
  error_count: number;
  updated_at: string;
}

export interface PlatformOutboxTable {
  id: Generated<number>;
  shop_id: number;
  refund_id: number | null;
  order_id: number | null;
  kind: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  actor_id: number | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface SyncProblemTable {
  id: Generated<number>;
  shop_id: number;
  source: string;
  code: string;
  object_type: string | null;
  platform_id: string | null;
  message: string;
  payload: string;
  fingerprint: string | null;
  status: string;
  occurrences: number;
  outbox_id: number | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

/** Issue 14: the event feed, derived from the audit trail (and from deadlines as they come near or pass). */
export interface EventTable {
  id: Generated<number>;
  shop_id: number;
  type: string;
  object_type: string;
  object_id: string;
  object_version: number | null;
  data: string;
  at: string;
  dedupe_key: string;
}

export interface EventPumpTable {
  id: number;
  last_audit_id: number;
  updated_at: string;
}

export interface WebhookEndpointTable {
  id: Generated<number>;
  shop_id: number;
  url: string;
  description: string;
  event_types: string;
  secret_enc: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  endpoint_id: number;
  shop_id: number;
  event_id: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface RefundEventTable {
  id: Generated<number>;
  shop_id: number;
  refund_id: number;
  version: number;
  at: string;
  actor_id: number | null;
  actor_role: string;
  action: string;
  from_status: string | null;
  to_status: string;
  changes: string;
  data: string;
}

export interface PayoutTable {
  refund_id: number;
  shop_id: number;
  order_id: number;
  amount_fen: number;
  at: string;
}

export interface IdempotencyKeyTable {
  actor_id: number;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

/** Issue 11: a shop's admin invites a user of another shop; the user accepts or declines. */
export interface ShopInvitationTable {
  id: Generated<number>;
  shop_id: number;
  username: string;
  user_id: number | null;
  role: string;
  invited_by: number;
  /** pending | accepted | declined | revoked */
  status: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
}

export interface RuleSetTable {
  id: Generated<number>;
  shop_id: number;
  version: number;
  name: string;
  text: string;
  created_at: string;
  actor_id: number | null;
}

export interface ProductTable {
  id: Generated<number>;
  shop_id: number;
  sku: string;
  title: string;
  style_category: string;
  hot_selling: number;
  main_promoted: number;
  rating: string;
  updated_at: string;
}

export interface ChecklistTickTable {
  refund_id: number;
  item_id: string;
  rule_id: string;
  actor_id: number;
  at: string;
}

export interface RecordTable {
  id: Generated<number>;
  shop_id: number;
  kind: string;
  status: string;
  order_id: number | null;
  refund_id: number | null;
  data: string;
  amount_fen: number | null;
  created_at: string;
  updated_at: string;
  actor_id: number | null;
  version: number;
  /** a send-back's device (S4.3); null for the other kinds */
  device_id: number | null;
}

export interface RecordEventTable {
  id: Generated<number>;
  record_id: number;
  version: number;
  at: string;
  actor_id: number | null;
  actor_role: string;
  action: string;
  from_status: string | null;
  to_status: string;
  data: string;
}

export interface BatchLineTable {
  batch_id: number;
  refund_id: number;
  order_id: number;
  order_no: string;
  amount_fen: number;
  status: string;
  marked_at: string | null;
  actor_id: number | null;
}

/** Who works a refund now (the queue's claim and assign); no row: nobody. */
export interface RefundAssignmentTable {
  refund_id: number;
  shop_id: number;
  user_id: number;
  /** the actor who assigned it */
  assigned_by: number;
  assigned_at: string;
}

/** An uploaded photo or PDF; a refund's evidence names it as `evidence:<id>`. */
export interface EvidenceFileTable {
  id: Generated<number>;
  shop_id: number;
  /** the actor who uploaded it (a buyer reads back only their own) */
  uploaded_by: number;
  content_type: string;
  size_bytes: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}

/** A device sale (S4): a phone by its IMEI or MEID, with its accessories, dates and the buyer's region. */
export interface DeviceTable {
  id: Generated<number>;
  shop_id: number;
  order_id: number | null;
  order_no: string | null;
  brand: string;
  model: string;
  /** IMEI: 15 digits; MEID: 14 uppercase hex digits */
  device_id: string;
  id_kind: string;
  /** 'YYYY-MM-DD' (Asia/Shanghai) */
  purchase_date: string;
  delivery_date: string | null;
  region: string;
  buyer_name: string | null;
  buyer_phone: string | null;
  /** JSON: [{kind, name, origin}] */
  accessories: string;
  created_at: string;
  updated_at: string;
  actor_id: number | null;
  version: number;
  /** issue 13: 开具发票之日 ('YYYY-MM-DD'); null: the purchase date counts */
  invoice_date?: string | null;
  /** issue 13: an exchanged host: the device it replaced (S4.5) */
  previous_device_id?: number | null;
  /** issue 13: an exchanged host: the day its 三包 periods start again */
  host_periods_from?: string | null;
}

/** The shop's 三包 policy ('policy') and service-point directory ('service_points'), one row per saved version. */
export interface WarrantySettingTable {
  id: Generated<number>;
  shop_id: number;
  kind: string;
  version: number;
  /** JSON */
  data: string;
  created_at: string;
  actor_id: number | null;
}

/** S5.1 a service archive (售后档案): the core's archive as JSON, with the columns the search and the lists use. */
export interface ServiceArchiveTable {
  id: Generated<number>;
  shop_id: number;
  serial_no: string;
  /** folded customer, contact, site, contract, product, serial and phone digits */
  search_text: string;
  product: string;
  market: string;
  warranty_end: string | null;
  /** JSON: the core's ServiceArchive */
  data: string;
  created_at: string;
  updated_at: string;
  actor_id: number | null;
  version: number;
}

/** S5.3–S5.8 a service and repair record (售后服务及维修记录单): the core's record as JSON. */
export interface ServiceRecordTable {
  id: Generated<number>;
  shop_id: number;
  archive_id: number | null;
  status: string;
  assignee_user_id: number | null;
  /** 1 while an emergency's paperwork is missing (S5.8) */
  incomplete: number;
  called_at: string;
  caller_organisation: string | null;
  /** S5.7: 'pending' | 'done' | 'unreached'; null before the record returned to the clerk */
  follow_up_status: string | null;
  follow_up_due_at: string | null;
  /** JSON: the core's RepairRecord */
  data: string;
  created_at: string;
  updated_at: string;
  actor_id: number | null;
  version: number;
}

/** S5.4, S5.6, S5.8 a dispatch (售后派出登记): the core's dispatch as JSON. */
export interface ServiceDispatchTable {
  id: Generated<number>;
  shop_id: number;
  record_id: number;
  lead_user_id: number;
  status: string;
  clock_starts_at: string;
  /** JSON: the core's Dispatch and the clerk's note */
  data: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The history of the service desk's archives, records and dispatches. */
export interface ServiceEventTable {
  id: Generated<number>;
  shop_id: number;
  /** 'archive' | 'record' | 'dispatch' */
  subject: string;
  subject_id: number;
  /** the record a record's or a dispatch's event belongs to */
  record_id: number | null;
  version: number;
  at: string;
  actor_id: number | null;
  actor_role: string;
  actor_name: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  /** JSON */
  data: string;
}

/** Issue 13: a 三包 repair of a device (S4.2): its days extend the period, two of the same fault give an exchange. */
export interface DeviceRepairTable {
  id: Generated<number>;
  shop_id: number;
  device_id: number;
  /** 'host' or a 三包 accessory */
  part: string;
  fault_code: string | null;
  fault: string;
  /** send_back | service_centre */
  source: string;
  send_back_id: number | null;
  centre_name: string | null;
  /** 'YYYY-MM-DD' */
  started_on: string;
  finished_on: string | null;
  note: string | null;
  created_at: string;
  actor_id: number | null;
}

/** Issue 14 §1: a spreadsheet import of the platform's order or refund report. */
export interface ImportJobTable {
  id: Generated<number>;
  shop_id: number;
  /** orders | refunds */
  kind: string;
  file_name: string;
  file_size: number;
  file_sha256: string;
  /** csv | xlsx */
  format: string;
  /** a CSV's encoding; null for XLSX */
  encoding: string | null;
  header_row: number;
  /** JSON: the headers as written */
  headers: string;
  /** JSON: field → header */
  mapping: string;
  mapping_source: string;
  exported_at: string;
  /** uploaded | previewing | previewed | committing | committed | failed | cancelled */
  status: string;
  /** preview | commit */
  stage: string;
  total_rows: number;
  processed_rows: number;
  count_new: number;
  count_updated: number;
  count_unchanged: number;
  count_skipped: number;
  count_error: number;
  /** JSON {zh-CN, en} */
  failure: string | null;
  actor_id: number;
  actor_name: string;
  created_at: string;
  updated_at: string;
  previewed_at: string | null;
  committed_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

/** Issue 14 §1: an import's file, in chunks. */
export interface ImportFileTable {
  job_id: number;
  seq: number;
  bytes: Buffer;
}

/** Issue 14 §1: each data row's outcome in an import (the preview, then what the commit did). */
export interface ImportRowTable {
  job_id: number;
  row_no: number;
  /** new | updated | unchanged | skipped | error */
  outcome: string;
  platform_id: string | null;
  /** JSON [{code, column, message}] */
  errors: string | null;
  /** JSON {zh-CN, en} */
  note: string | null;
  committed: number;
}

/** Issue 14 §1: a shop's mapping of another layout's headers, saved by name. */
export interface ImportMappingTable {
  id: Generated<number>;
  shop_id: number;
  kind: string;
  name: string;
  /** JSON: field → header */
  mapping: string;
  actor_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  shops: ShopTable;
  actors: ActorTable;
  api_tokens: ApiTokenTable;
  orders: OrderTable;
  order_lines: OrderLineTable;
  order_remarks: OrderRemarkTable;
  order_events: OrderEventTable;
  refunds: RefundTable;
  refund_events: RefundEventTable;
  payouts: PayoutTable;
  idempotency_keys: IdempotencyKeyTable;
  shop_invitations: ShopInvitationTable;
  shop_bindings: ShopBindingTable;
  sync_streams: SyncStreamTable;
  platform_outbox: PlatformOutboxTable;
  sync_problems: SyncProblemTable;
  events: EventTable;
  event_pump: EventPumpTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  users: UserTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  rule_sets: RuleSetTable;
  products: ProductTable;
  checklist_ticks: ChecklistTickTable;
  records: RecordTable;
  record_events: RecordEventTable;
  batch_lines: BatchLineTable;
  refund_assignments: RefundAssignmentTable;
  evidence_files: EvidenceFileTable;
  devices: DeviceTable;
  warranty_settings: WarrantySettingTable;
  service_archives: ServiceArchiveTable;
  service_records: ServiceRecordTable;
  service_dispatches: ServiceDispatchTable;
  service_events: ServiceEventTable;
  device_repairs: DeviceRepairTable;
  import_jobs: ImportJobTable;
  import_files: ImportFileTable;
  import_rows: ImportRowTable;
  import_mappings: ImportMappingTable;
}

/** The sort key of a refund without a deadline: after every real one. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

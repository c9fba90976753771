/** Configuration from the environment (documented in README.md). */
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  sqliteFile: string;
  testClock: boolean;
  sweepIntervalMs: number;
  calendarFile: string | undefined;
  demo: boolean;
  logLevel: string;
  trustProxy: boolean;
  /** build the web app at start when its sources changed (SHOUHOU_WEB_BUILD=0: serve what dist/web holds) */
  buildWeb: boolean;
  /** issue 12: run the connected shops' pulls, TMC and outbox in this process (SHOUHOU_PLATFORM_WORKERS=0: not) */
  platformWorkers: boolean;
  /** the incremental pull's period */
  pullIntervalMs: number;
  /** a binding may name a gateway on this machine: the simulator (SHOUHOU_ALLOW_LOCAL_GATEWAY=1; demos and tests only) */
  allowLocalGateway: boolean;
  /** issue 14: webhook endpoints may be on private addresses (SHOUHOU_WEBHOOK_ALLOW_PRIVATE=1) */
  allowPrivateWebhooks: boolean;
  /** how long the event feed keeps events (days) */
  eventsKeepDays: number;
  /** refund.deadline_soon this many minutes before the deadline */
  deadlineSoonMinutes: number;
  /** issue 15 §3: a courier-tracking service's base URL (SHOUHOU_PARCEL_TRACKING_URL; GET <url>/trace?company=…&number=…) */
  parcelTrackingUrl: string | undefined;
  /** how long it is waited for (SHOUHOU_PARCEL_TRACKING_TIMEOUT_MS) */
  parcelTrackingTimeoutMs: number;
}

function intFrom(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not "${value}"`);
  return n;
}

function httpUrlFrom(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`${name} must be an http(s) URL, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL, not "${value}"`);
  return url.toString().replace(/\/+$/, '');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.SHOUHOU_DATA_DIR || 'data');
  return {
    host: env.HOST || '127.0.0.1',
    port: intFrom('PORT', env.PORT, 8080, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    sqliteFile: path.join(dataDir, 'shouhou.sqlite'),
    testClock: env.SHOUHOU_TEST_CLOCK === '1',
    sweepIntervalMs: intFrom('SHOUHOU_SWEEP_INTERVAL_MS', env.SHOUHOU_SWEEP_INTERVAL_MS, 10_000, 100, 3_600_000),
    calendarFile: env.SHOUHOU_CALENDAR_FILE || undefined,
    demo: env.SHOUHOU_DEMO !== '0',
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: env.SHOUHOU_TRUST_PROXY === '1',
    buildWeb: env.SHOUHOU_WEB_BUILD !== '0',
    platformWorkers: env.SHOUHOU_PLATFORM_WORKERS !== '0',
    allowLocalGateway: env.SHOUHOU_ALLOW_LOCAL_GATEWAY === '1',
    allowPrivateWebhooks: env.SHOUHOU_WEBHOOK_ALLOW_PRIVATE === '1',
    eventsKeepDays: intFrom('SHOUHOU_EVENTS_KEEP_DAYS', env.SHOUHOU_EVENTS_KEEP_DAYS, 30, 1, 3650),
    deadlineSoonMinutes: intFrom('SHOUHOU_DEADLINE_SOON_MINUTES', env.SHOUHOU_DEADLINE_SOON_MINUTES, 120, 5, 10_080),
    pullIntervalMs: intFrom('SHOUHOU_PULL_INTERVAL_MS', env.SHOUHOU_PULL_INTERVAL_MS, 300_000, 1000, 86_400_000),
    parcelTrackingUrl: httpUrlFrom('SHOUHOU_PARCEL_TRACKING_URL', env.SHOUHOU_PARCEL_TRACKING_URL),
    parcelTrackingTimeoutMs: intFrom('SHOUHOU_PARCEL_TRACKING_TIMEOUT_MS', env.SHOUHOU_PARCEL_TRACKING_TIMEOUT_MS, 5000, 100, 60_000),
  };
}

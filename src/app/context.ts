/** What every use case runs with: the database, the clock and the working-day calendar. */
import type { WorkingCalendar } from '../core/calendar/working-days.ts';
import type { Db } from '../db/connection.ts';
import type { AuthSettings } from './auth/sessions.ts';
import type { ConnectorFactory } from './platform/bindings.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests set (SHOUHOU_TEST_CLOCK=1); it starts at the real time. */
export class SettableClock implements Clock {
  private fixed: Date | null = null;
  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }
  set(at: Date): void {
    this.fixed = new Date(at);
  }
}

export interface AppContext {
  db: Db;
  clock: Clock;
  calendar: WorkingCalendar;
  /** session lifetimes and sign-in throttling; the defaults when absent */
  auth?: AuthSettings;
  /** how a shop's platform binding is reached (the default: the Taobao adapter over its gateway URL) */
  connectors?: ConnectorFactory;
  /** a platform binding may name a gateway on this machine (the simulator; SHOUHOU_ALLOW_LOCAL_GATEWAY=1) */
  allowLocalGateway?: boolean;
  /** a webhook endpoint may be on a private, loopback or link-local address (SHOUHOU_WEBHOOK_ALLOW_PRIVATE=1) */
  allowPrivateWebhooks?: boolean;
  /** issue 15 §3: a courier-tracking service asked for parcel traces (SHOUHOU_PARCEL_TRACKING_URL); none: the platform only */
  parcelTracking?: { url: string; timeoutMs: number; /** tests: a stand-in for the service's HTTP */ fetch?: typeof fetch };
}

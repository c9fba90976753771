/**
 * The 三包 / send-back API's shapes (issue 6; src/http/routes/warranty.ts),
 * for the staff app's warranty page and the buyer portal's warranty request.
 * The decision, the send-back and the guided step are the pure core's shapes
 * (src/core/warranty/*) as the server answers them; types only, no code.
 */
import type { WarrantyDecision } from '../../../src/core/warranty/decide.ts';
import type { GuidedStep } from '../../../src/core/warranty/guided-flow.ts';
import type { SendBack, SendBackAction, SendBackStatus } from '../../../src/core/warranty/send-back.ts';
import type { ReturnContact, ServicePoint } from '../../../src/core/warranty/service-points.ts';
import type { WarrantyPolicy } from '../../../src/core/warranty/policy.ts';

export type { WarrantyDecision, GuidedStep, SendBack, SendBackAction, SendBackStatus, WarrantyPolicy, ServicePoint, ReturnContact };

/** The accessories a device sale lists (the core's 三包 kinds, plus a data cable and others, which 三包 does not cover). */
export const deviceAccessoryKinds = ['battery', 'charger', 'wired_earphones', 'bluetooth_headset', 'memory_card', 'data_cable', 'other'] as const;
export type DeviceAccessoryKind = (typeof deviceAccessoryKinds)[number];

export interface DeviceAccessory {
  kind: DeviceAccessoryKind;
  name: string | null;
  origin: 'original' | 'gift';
}

/** A device sale (GET /devices, POST /devices). */
export interface Device {
  id: number;
  orderNo: string | null;
  model: string;
  brand: string;
  deviceId: string;
  idKind: 'imei' | 'meid';
  /** 'YYYY-MM-DD', Shanghai */
  purchaseDate: string;
  deliveryDate: string | null;
  /** 开具发票之日: the 三包 periods count from it when given */
  invoiceDate: string | null;
  /** an exchanged host: the device (row id) it replaced */
  previousDeviceId: number | null;
  /** an exchanged host: the day its 三包 periods start again */
  hostPeriodsFrom: string | null;
  region: string;
  buyerName?: string | null;
  buyerPhone?: string | null;
  accessories: DeviceAccessory[];
  createdAt: string;
  version: number;
}

/** A send-back as the device lists it. */
export interface SendBackSummary {
  id: number;
  status: SendBackStatus;
  /** the item: 'host' or an accessory kind */
  part: string | null;
  chosenRemedy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A 三包 repair of a device (issue 13). */
export interface DeviceRepair {
  id: number;
  deviceId: number;
  part: string;
  faultCode: string | null;
  fault: string;
  source: 'send_back' | 'service_centre';
  sendBackId: number | null;
  centreName: string | null;
  startedOn: string;
  finishedOn: string | null;
  note: string | null;
  createdAt: string;
}

/** Another host of the chain of exchanges (S4.5). */
export interface LinkedDevice {
  id: number;
  deviceId: string;
  idKind: string;
  exchangedOn: string | null;
}

export interface DeviceDetail extends Device {
  sendBacks: SendBackSummary[];
  repairs: DeviceRepair[];
  exchangedFrom: LinkedDevice | null;
  exchangedTo: LinkedDevice | null;
}

export interface DeviceList {
  items: Device[];
  nextCursor: string | null;
}

/** POST /devices/{id}/decide */
export type DecisionAnswer = WarrantyDecision & { policyVersion: number };

export interface SendBackView {
  id: number;
  status: SendBackStatus;
  device: Device;
  sendBack: SendBack;
  /** what the caller may do now */
  allowedActions: SendBackAction[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SendBackEvent {
  version: number;
  at: string;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data?: Record<string, unknown>;
}

export type SendBackDetail = SendBackView & {
  events: SendBackEvent[];
  /** at reported, for whoever may decide: the decision the server will make, and what is still refundable on the order */
  preview?: { decision: WarrantyDecision; refundable: { defaultFen: number; maxFen: number } | null } | null;
};

/** GET /warranty-policy */
export interface PolicyAnswer {
  version: number;
  policy: WarrantyPolicy;
  updatedAt: string | null;
}

/** GET /devices/{id}/card?format=json */
export interface CardContent {
  policyClauses: { id: string; titleZh: string; titleEn?: string; textZh: string }[];
  servicePoints: ServicePoint[];
  selfFixes: { id?: string; zh: string; en: string }[];
  hotline: string | null;
  returnContact: ReturnContact;
  device: Device;
}

/** The statuses in the order a send-back goes through them (S4.3). */
export const sendBackFlow: readonly SendBackStatus[] = ['requested', 'terms_accepted', 'received', 'tested', 'reported', 'decided', 'shipped_back', 'closed'];

/** The card's printable page (S4.1): the server's HTML, printed or saved as PDF from the browser. */
export function cardHref(deviceId: number): string {
  return `/api/v1/devices/${deviceId}/card`;
}

/** Issue 15 §3: the parcel sources and the reasons a trace is missing, with their zh-CN and en words (no zod: the buyer portal imports these). */
import type { Label } from './labels.ts';

export const parcelSources = ['platform', 'courier_service'] as const;
export type ParcelSourceCode = (typeof parcelSources)[number];
/** the same list as src/app/tracking.ts (the web app must not import server code) */
export const parcelUnavailable = ['no_source', 'not_found', 'timeout', 'unauthorized', 'failed'] as const;
export type ParcelUnavailable = (typeof parcelUnavailable)[number];

export const parcelSourceLabels = {
  platform: { 'zh-CN': '平台物流', en: 'the platform' },
  courier_service: { 'zh-CN': '快递查询服务', en: 'the courier-tracking service' },
} as const satisfies Record<ParcelSourceCode, Label>;

/** Why there is no trace, in words for the person looking. */
export const parcelUnavailableLabels = {
  no_source: { 'zh-CN': '暂未接入物流查询，可复制单号到快递公司官网查询。', en: 'No parcel tracking is set up: copy the number and look it up on the courier’s website.' },
  not_found: {
    'zh-CN': '快递公司还没有这个单号的物流信息（可能刚发出，或单号有误），请稍后再看。',
    en: 'The courier has no scans for this number yet (just sent, or a wrong number): look again later.',
  },
  timeout: { 'zh-CN': '物流查询没有及时回应，请稍后刷新再看。', en: 'Parcel tracking did not answer in time: reload in a while.' },
  unauthorized: { 'zh-CN': '店铺的平台授权已失效，查不到平台物流；请管理员重新授权。', en: 'The shop’s platform authorisation has lapsed: an admin re-authorises it.' },
  failed: { 'zh-CN': '物流查询暂时出错，请稍后再试。', en: 'Parcel tracking failed for now: try again later.' },
} as const satisfies Record<ParcelUnavailable, Label>;

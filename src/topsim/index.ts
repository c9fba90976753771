/**
 * topsim: a local look-alike of the Taobao Open Platform (TOP gateway and TMC
 * over HTTP) for tests and demos; never used in production. See server.ts for
 * the HTTP side and the control API, gateway.ts for the methods and errors,
 * state.ts for the logic without HTTP.
 */
export { startTopSim, type TopSim, type TopSimOptions } from './server.ts';
export {
  createSimState,
  Sim,
  SimError,
  type ApplyRefundInput,
  type CreateOrderInput,
  type FailKind,
  type FaultOptions,
  type FaultState,
  type Id,
  type ModifyRefundInput,
  type RefundResult,
  type SimControl,
  type SimMessageView,
  type SimOptions,
  type SimSnapshot,
  type SimStats,
  type SimChange,
} from './state.ts';
export { handleGateway, responseKey, supportedMethods, type GatewayOutcome, type GatewayRequest, type SimFile } from './gateway.ts';
export { writeTopJson } from './json.ts';
export { SimLoad, loadScenarios, defaultLoadMix, type LoadLogEntry, type LoadScenario, type LoadStatus } from './load.ts';
export { knownTopics, PLATFORM_APP_KEY, type Topic } from './topics.ts';
export type { ShopType } from './model.ts';

/**
 * The demo shoe shop (小周鞋铺, shop code 'demo') that the server loads on the
 * first start: about 200 orders over every trade status and 60 refunds over
 * every refund status, type, phase and reason, with the remarks of the SOP
 * (S1.1 "已经提交未发退", S1.7 "索赔单已开", S1.16 "客户申请了售后退款").
 *
 * Everything goes through the real use cases (orders.ts, refunds.ts), so the
 * events, deadlines, payouts and trade statuses are the engine's own. A
 * settable clock places each action at a past time over the last ~30 days
 * before `ctx.clock.now()`; the actions of all orders run in time order, and
 * each order's timeline is laid out backwards from where its last action
 * lands, so that most open refunds have their deadline ahead of "now" (a few
 * are deliberately just past: the sweeper applies them on the first start).
 *
 * Deterministic: a seeded PRNG (mulberry32) draws every buyer, shoe, amount
 * and time offset; only the API tokens are random.
 */
import { AppError } from '../core/errors.ts';
import { defaultRuleSetText, platformOnlyRuleSetText } from '../core/playbook/default-rule-set.ts';
import { Rand } from '../core/random.ts';
import type { ShipBasis } from '../core/refund/order-transitions.ts';
import type { Address, InterventionOutcome, Order, ReasonCode, Refund, RefundType } from '../core/refund/refund-model.ts';
import { staffRoles, type Actor } from '../core/roles.ts';
import type { ShopSettings } from '../core/shop-settings.ts';
import { insertActor, type Shop } from '../db/shop-repository.ts';
import { SettableClock, type AppContext } from './context.ts';
import {
  addRemark,
  closeOrderAction,
  confirmOrderAction,
  createOrder,
  shipOrderAction,
  signOrderAction,
  type NewOrder,
} from './orders.ts';
import { actOnRefund, applyRefund, type PublicRefundCommand } from './refunds.ts';
import { changeShopSettings, createActorToken, createShop, shopByCode } from './shops.ts';
import { createUser } from './users.ts';
import { completeImei } from '../core/warranty/device-ids.ts';
import { shanghaiDateOf } from '../core/warranty/periods.ts';
import { createDevice } from './warranty/devices.ts';

export type DemoTokenRole = 'buyer' | 'agent' | 'platform' | 'system';

export interface DemoSeedResult {
  shop: Shop;
  tokens: Record<DemoTokenRole, string>;
  orders: number;
  refunds: number;
}

export const DEMO_SHOP_CODE = 'demo';

export const DEMO_SHOP_NAME = '小周鞋铺（演示）';
/** The buyer whose token the seed hands out: several orders, some with refunds. */
export const DEMO_BUYER_NICK = '小鹿爱买鞋';

const SEED = 20_261_127;
const HOUR_MS = 3_600_000;
/** How far back the demo history reaches. */
const HISTORY_HOURS = 30 * 24;


// ---------------------------------------------------------------------------
// The shop's goods and buyers

type Gender = 'f' | 'm';

interface Shoe {
  sku: string;
  title: string;
  style: string;
  gender: Gender;
  priceFen: number;
}

const shoes: readonly Shoe[] = [
  { sku: 'XZ-2061', title: '春季新款真皮单鞋女 尖头细跟浅口', style: '单鞋', gender: 'f', priceFen: 19_900 },
  { sku: 'XZ-2075', title: '法式复古玛丽珍鞋 方头粗跟单鞋', style: '单鞋', gender: 'f', priceFen: 16_900 },
  { sku: 'XZ-2088', title: '软底平底单鞋 舒适豆豆鞋', style: '单鞋', gender: 'f', priceFen: 12_900 },
  { sku: 'XZ-1032', title: '一字带细跟高跟鞋 8cm 婚鞋伴娘鞋', style: '高跟鞋', gender: 'f', priceFen: 25_900 },
  { sku: 'XZ-1058', title: '漆皮尖头高跟鞋 职场通勤 6cm', style: '高跟鞋', gender: 'f', priceFen: 22_900 },
  { sku: 'XZ-3110', title: '百搭小白鞋女 真皮休闲板鞋', style: '板鞋', gender: 'f', priceFen: 12_900 },
  { sku: 'XZ-3126', title: '厚底增高松糕板鞋 ins潮', style: '板鞋', gender: 'f', priceFen: 15_900 },
  { sku: 'XZ-4201', title: '切尔西短靴女 粗跟弹力靴', style: '靴子', gender: 'f', priceFen: 32_900 },
  { sku: 'XZ-4230', title: '过膝长靴 弹力瘦瘦靴 冬季加绒', style: '靴子', gender: 'f', priceFen: 45_900 },
  { sku: 'XZ-5012', title: '仙女风平底罗马凉鞋', style: '凉鞋', gender: 'f', priceFen: 11_900 },
  { sku: 'XZ-5038', title: '一字扣带粗跟凉鞋 百搭', style: '凉鞋', gender: 'f', priceFen: 13_900 },
  { sku: 'XZ-6015', title: '英伦风软皮乐福鞋女 一脚蹬', style: '乐福鞋', gender: 'f', priceFen: 21_900 },
  { sku: 'XZ-7008', title: '轻便飞织运动鞋女 透气跑步鞋', style: '运动鞋', gender: 'f', priceFen: 18_900 },
  { sku: 'XZ-6102', title: '男士真皮商务乐福鞋 一脚蹬', style: '乐福鞋', gender: 'm', priceFen: 29_900 },
  { sku: 'XZ-7120', title: '男款减震跑步鞋 透气网面运动鞋', style: '运动鞋', gender: 'm', priceFen: 26_900 },
  { sku: 'XZ-7135', title: '男士复古老爹鞋 增高运动鞋', style: '运动鞋', gender: 'm', priceFen: 23_900 },
  { sku: 'XZ-3150', title: '男士百搭帆布板鞋 低帮', style: '板鞋', gender: 'm', priceFen: 9_900 },
  { sku: 'XZ-4250', title: '男士高帮马丁靴 工装靴', style: '靴子', gender: 'm', priceFen: 35_900 },
  { sku: 'XZ-5066', title: '男士防滑沙滩凉鞋 魔术贴', style: '凉鞋', gender: 'm', priceFen: 8_900 },
  { sku: 'XZ-8010', title: '男士雕花布洛克皮鞋 商务正装', style: '皮鞋', gender: 'm', priceFen: 39_900 },
];

/** Women's sizes 34–40, men's 38–44, the middle ones more common. */
const sizeWeights: Record<Gender, readonly (readonly [string, number])[]> = {
  f: [['34', 1], ['35', 3], ['36', 6], ['37', 7], ['38', 5], ['39', 2], ['40', 1]],
  m: [['38', 1], ['39', 3], ['40', 5], ['41', 7], ['42', 6], ['43', 3], ['44', 1]],
};

interface Person {
  name: string;
  nick: string;
  gender: Gender;
}

const people: readonly Person[] = [
  { name: '李晓梅', nick: DEMO_BUYER_NICK, gender: 'f' },
  { name: '王芳', nick: 'wangfang_1990', gender: 'f' },
  { name: '张敏', nick: '敏敏的小窝', gender: 'f' },
  { name: '刘婷婷', nick: 'tingting0612', gender: 'f' },
  { name: '陈静', nick: '静静看海', gender: 'f' },
  { name: '杨丽', nick: 'yangli88', gender: 'f' },
  { name: '赵雪', nick: '雪落无声_zx', gender: 'f' },
  { name: '黄丹丹', nick: 'dandan小可爱', gender: 'f' },
  { name: '周佳怡', nick: 'jiayi_zhou', gender: 'f' },
  { name: '吴倩', nick: '倩倩不吃辣', gender: 'f' },
  { name: '徐莉', nick: 'xuli_2008', gender: 'f' },
  { name: '孙悦', nick: '悦悦的衣橱', gender: 'f' },
  { name: '马晓燕', nick: 'tb_maxy520', gender: 'f' },
  { name: '朱琳', nick: '琳琳爱逛街', gender: 'f' },
  { name: '胡雅婷', nick: 'hyt_1995', gender: 'f' },
  { name: '郭蕾', nick: '蕾蕾tb', gender: 'f' },
  { name: '何佳', nick: '何小佳happy', gender: 'f' },
  { name: '林小雨', nick: '小雨点点滴滴', gender: 'f' },
  { name: '罗敏', nick: 'luomin_cd', gender: 'f' },
  { name: '高洁', nick: '高高兴兴_gj', gender: 'f' },
  { name: '郑雯', nick: 'zhengwen0303', gender: 'f' },
  { name: '梁晓红', nick: '红红火火梁', gender: 'f' },
  { name: '宋佳琪', nick: 'jiaqi_song', gender: 'f' },
  { name: '谢婉婷', nick: '婉婷的鞋柜', gender: 'f' },
  { name: '韩露', nick: 'hanlu_bj', gender: 'f' },
  { name: '唐雨欣', nick: 'yuxin糖糖', gender: 'f' },
  { name: '冯静怡', nick: '静怡fjy', gender: 'f' },
  { name: '曹琪', nick: 'caoqi_1998', gender: 'f' },
  { name: '王磊', nick: 'wanglei_sh', gender: 'm' },
  { name: '张伟', nick: '伟哥爱跑步', gender: 'm' },
  { name: '刘洋', nick: 'liuyang_007', gender: 'm' },
  { name: '陈浩', nick: '浩子hz', gender: 'm' },
  { name: '杨帆', nick: '一帆风顺yf', gender: 'm' },
  { name: '赵鹏', nick: 'zhaopeng1987', gender: 'm' },
  { name: '黄俊杰', nick: '俊杰jj', gender: 'm' },
  { name: '周强', nick: 'zq_跑者', gender: 'm' },
  { name: '吴昊', nick: 'wuhao_gz', gender: 'm' },
  { name: '孙志刚', nick: '老孙头sz', gender: 'm' },
  { name: '李明', nick: 'liming_2020', gender: 'm' },
  { name: '马超', nick: '马超不是超人', gender: 'm' },
];

interface Place {
  province: string;
  city: string;
  district: string;
  streets: readonly string[];
}

const places: readonly Place[] = [
  { province: '浙江省', city: '杭州市', district: '西湖区', streets: ['文三路', '古墩路', '天目山路'] },
  { province: '浙江省', city: '杭州市', district: '余杭区', streets: ['文一西路', '五常大道'] },
  { province: '浙江省', city: '宁波市', district: '鄞州区', streets: ['天童南路', '四明中路'] },
  { province: '浙江省', city: '温州市', district: '鹿城区', streets: ['车站大道', '锦绣路'] },
  { province: '上海市', city: '上海市', district: '浦东新区', streets: ['张杨路', '世纪大道', '锦绣路'] },
  { province: '上海市', city: '上海市', district: '徐汇区', streets: ['漕溪北路', '田林路'] },
  { province: '北京市', city: '北京市', district: '朝阳区', streets: ['阜通东大街', '朝阳北路', '建国路'] },
  { province: '北京市', city: '北京市', district: '海淀区', streets: ['中关村大街', '学院路'] },
  { province: '天津市', city: '天津市', district: '南开区', streets: ['鞍山西道', '红旗南路'] },
  { province: '重庆市', city: '重庆市', district: '渝北区', streets: ['新牌坊一路', '金开大道'] },
  { province: '广东省', city: '广州市', district: '天河区', streets: ['天河北路', '黄埔大道西', '林和西路'] },
  { province: '广东省', city: '深圳市', district: '南山区', streets: ['科技南十二路', '南海大道', '桃园路'] },
  { province: '广东省', city: '佛山市', district: '南海区', streets: ['桂澜北路', '海八路'] },
  { province: '江苏省', city: '南京市', district: '鼓楼区', streets: ['中山北路', '湖南路'] },
  { province: '江苏省', city: '苏州市', district: '姑苏区', streets: ['干将西路', '人民路'] },
  { province: '江苏省', city: '无锡市', district: '梁溪区', streets: ['中山路', '解放南路'] },
  { province: '四川省', city: '成都市', district: '武侯区', streets: ['人民南路四段', '科华北路', '武侯祠大街'] },
  { province: '湖北省', city: '武汉市', district: '洪山区', streets: ['珞喻路', '雄楚大道'] },
  { province: '湖南省', city: '长沙市', district: '岳麓区', streets: ['麓山南路', '枫林三路'] },
  { province: '山东省', city: '青岛市', district: '市南区', streets: ['香港中路', '山东路'] },
  { province: '山东省', city: '济南市', district: '历下区', streets: ['泉城路', '经十路'] },
  { province: '福建省', city: '厦门市', district: '思明区', streets: ['莲前西路', '湖滨南路'] },
  { province: '福建省', city: '福州市', district: '鼓楼区', streets: ['五四路', '杨桥中路'] },
  { province: '河南省', city: '郑州市', district: '金水区', streets: ['花园路', '农业路'] },
  { province: '河北省', city: '石家庄市', district: '长安区', streets: ['中山东路', '建设北大街'] },
  { province: '陕西省', city: '西安市', district: '雁塔区', streets: ['小寨东路', '科技路'] },
  { province: '安徽省', city: '合肥市', district: '蜀山区', streets: ['长江西路', '潜山路'] },
  { province: '江西省', city: '南昌市', district: '红谷滩区', streets: ['红谷中大道', '丰和中大道'] },
  { province: '辽宁省', city: '沈阳市', district: '和平区', streets: ['南京北街', '三好街'] },
  { province: '云南省', city: '昆明市', district: '五华区', streets: ['人民中路', '青年路'] },
  { province: '广西壮族自治区', city: '南宁市', district: '青秀区', streets: ['民族大道', '东葛路'] },
  { province: '黑龙江省', city: '哈尔滨市', district: '南岗区', streets: ['西大直街', '红军街'] },
];

const communities = ['阳光花园', '翠苑一区', '金色家园', '锦绣华庭', '万科城', '世纪花园', '绿地新都会', '龙湖春江郦城', '保利香槟国际', '华润二十四城', '碧桂园', '中海国际社区'];

/** Mainland mobile prefixes (China Mobile, Unicom, Telecom). */
const mobilePrefixes = ['134', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '198', '130', '131', '132', '155', '156', '166', '185', '186', '133', '153', '177', '180', '181', '189', '199'];

interface DemoBuyer {
  nick: string;
  name: string;
  gender: Gender;
  phone: string;
  address: Address;
}

function makeBuyers(r: Rand): DemoBuyer[] {
  return people.map((p) => {
    const place = r.pick(places);
    const detail = `${r.pick(place.streets)}${r.int(1, 999)}号${r.pick(communities)}${r.int(1, 28)}幢${r.int(1, 4)}单元${r.int(1, 30)}0${r.int(1, 4)}室`;
    return {
      nick: p.nick,
      name: p.name,
      gender: p.gender,
      phone: `${r.pick(mobilePrefixes)}${r.digits(8)}`,
      address: { province: place.province, city: place.city, district: place.district, detail },
    };
  });
}

interface Courier {
  name: string;
  trackingNo(r: Rand): string;
}

const couriers: readonly Courier[] = [
  { name: '中通快递', trackingNo: (r) => `7${r.int(3, 8)}${r.digits(12)}` },
  { name: '圆通速递', trackingNo: (r) => `YT${r.int(1, 9)}${r.digits(12)}` },
  { name: '韵达快递', trackingNo: (r) => `43${r.digits(13)}` },
  { name: '申通快递', trackingNo: (r) => `77${r.digits(13)}` },
  { name: '极兔速递', trackingNo: (r) => `JT${r.int(1, 9)}${r.digits(12)}` },
  { name: '顺丰速运', trackingNo: (r) => `SF${r.int(1, 9)}${r.digits(12)}` },
];

// ---------------------------------------------------------------------------
// What happens to an order, and when

type Stage = 'paid' | 'shipped' | 'signed' | 'finished';
type Hours = readonly [number, number];

type Step =
  | { do: 'create' }
  | { do: 'ship'; basis?: ShipBasis; by?: 'agent' | 'warehouse' }
  | { do: 'sign' }
  | { do: 'confirm' }
  | { do: 'close'; reason: string }
  | { do: 'remark'; text: string; flag: number; by?: 'agent' | 'warehouse' }
  | { do: 'apply' }
  | { do: 'agree' }
  | { do: 'refuse'; reason: string; evidence: string[] }
  /** hours: the gap before it when not the usual (a change made on the phone, at once) */
  | { do: 'modify'; type?: RefundType; reason?: ReasonCode; description?: string; hours?: Hours }
  | { do: 'withdraw' }
  | { do: 'return' }
  | { do: 'receive' }
  | { do: 'intervene'; note: string }
  | { do: 'decide'; outcome: InterventionOutcome; note: string };

/** Hours between a step and the one before it; each stays inside the deadline then running. */
const gapHours: Record<Exclude<Step['do'], 'create' | 'apply'>, Hours> = {
  ship: [2, 36],
  sign: [20, 80],
  confirm: [6, 120],
  close: [1, 30],
  remark: [0.2, 3],
  agree: [0.5, 24],
  refuse: [1, 36],
  modify: [2, 36],
  withdraw: [1, 48],
  return: [6, 96],
  receive: [30, 120],
  // S2.8: intervention only after interventionWaitHours (24 h) of trying to agree
  intervene: [25, 96],
  decide: [20, 120],
};

/** Hours from the order reaching a stage to the buyer applying. */
const applyGapHours: Record<Stage, Hours> = {
  paid: [0.5, 20],
  // shipped, and after some days still not arrived
  shipped: [40, 110],
  signed: [3, 72],
  // after-sale: some days after the trade succeeded
  finished: [24, 300],
};

const stageSteps: Record<Stage, Step[]> = {
  paid: [{ do: 'create' }],
  shipped: [{ do: 'create' }, { do: 'ship' }],
  signed: [{ do: 'create' }, { do: 'ship' }, { do: 'sign' }],
  finished: [{ do: 'create' }, { do: 'ship' }, { do: 'sign' }, { do: 'confirm' }],
};

// Where the last step of an order lands, in hours before now. For an open
// refund this keeps the deadline ahead of now (the settings' defaults: answer
// 48 h unshipped / 120 h shipped / 72 h received; return 168 h; confirm 240 h;
// after a refusal 168 h; the platform 7 working days).
const OPEN_UNSHIPPED: Hours = [1, 40];
const OPEN_NOT_RECEIVED: Hours = [2, 100];
const OPEN_RECEIVED: Hours = [2, 64];
const OPEN_RETURN: Hours = [4, 150];
const OPEN_CONFIRM: Hours = [4, 200];
const OPEN_REFUSED: Hours = [3, 150];
const OPEN_INTERVENTION: Hours = [2, 150];
const DONE: Hours = [4, 480];

// The SOP's remarks, in its words.
const VOIDED = '已经提交未发退'; // S1.1
const AFTER_SALE = '客户申请了售后退款'; // S1.16, S1.20
const CLAIM = '索赔单已开'; // S1.7

interface RefundScenario {
  n: number;
  stage: Stage;
  type: RefundType;
  goods: 'not_received' | 'received';
  reason: ReasonCode;
  /** full: the whole order (S3.2); line: one line's price; [min, max]: a partial amount in fen */
  amount: 'full' | 'line' | Hours;
  steps: Step[];
  age: Hours;
  /** how many of the n orders belong to the demo buyer */
  mine?: number;
}

const refusedNotReceived: Step = {
  do: 'refuse',
  reason: '物流显示买家本人已签收，已联系快递核实派送记录并电话告知买家',
  evidence: ['快递官网签收记录截图：本人签收', '快递员派送说明（含派送时间与签收照片）'],
};
const refusedWrongType: Step = {
  do: 'refuse',
  reason: 'S1.9 收到商品破损请选择“退货退款”重新申请，仅退款不予支持；已电话告知买家操作方法',
  evidence: ['旺旺聊天记录截图', '发货前质检照片：鞋面完好'],
};
const interveneNote = '卖家拒绝退款，协商未果，申请淘宝客服介入';
const warehouseGotIt: Step = { do: 'remark', text: '仓库已收到退货，鞋盒吊牌完好，可二次销售', flag: 3, by: 'warehouse' };

const refundScenarios: readonly RefundScenario[] = [
  // --- 未发退: unshipped, refund only, full amount (S1.1, S1.3, S2.1–S2.4)
  { n: 1, stage: 'paid', type: 'refund_only', goods: 'not_received', reason: 'unwanted', amount: 'full', steps: [{ do: 'remark', text: VOIDED, flag: 4 }], age: OPEN_UNSHIPPED },
  { n: 1, stage: 'paid', type: 'refund_only', goods: 'not_received', reason: 'wrong_order', amount: 'full', steps: [], age: OPEN_UNSHIPPED },
  { n: 1, stage: 'paid', type: 'refund_only', goods: 'not_received', reason: 'late_shipment', amount: 'full', steps: [], age: OPEN_UNSHIPPED },
  { n: 1, stage: 'paid', type: 'refund_only', goods: 'not_received', reason: 'out_of_stock', amount: 'full', steps: [{ do: 'remark', text: VOIDED, flag: 4 }], age: OPEN_UNSHIPPED },
  ...(['unwanted', 'wrong_order', 'late_shipment'] as const).map(
    (reason): RefundScenario => ({
      n: 1,
      stage: 'paid',
      type: 'refund_only',
      goods: 'not_received',
      reason,
      amount: 'full',
      steps:
        reason === 'late_shipment'
          ? // S1.3: 未按约定时间发货 counts against the shop: phoned at once, the buyer changes the reason before the refund
            [
              { do: 'modify', reason: 'unwanted', description: '客服来电说明质检还要等两天，不想等了，改为不想要了', hours: [0.2, 3] },
              { do: 'remark', text: VOIDED, flag: 4 },
              { do: 'agree' },
            ]
          : [{ do: 'remark', text: VOIDED, flag: 4 }, { do: 'remark', text: '仓库已确认作废，核对金额无误后退款', flag: 4, by: 'warehouse' }, { do: 'agree' }],
      age: DONE,
    }),
  ),
  {
    // S2.4: really out of stock → the buyer changes the reason to 与卖家协商一致
    n: 1,
    stage: 'paid',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'out_of_stock',
    amount: 'full',
    steps: [
      { do: 'remark', text: '该码确实缺货，已电话请买家把原因改为“与卖家协商一致”', flag: 2 },
      { do: 'modify', reason: 'negotiated', description: '和客服协商一致，缺码退款' },
      { do: 'remark', text: VOIDED, flag: 4 },
      { do: 'agree' },
    ],
    age: DONE,
  },
  {
    // S2.3: the buyer agreed to keep the order; shipping closes the refund
    n: 1,
    stage: 'paid',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'unwanted',
    amount: 'full',
    steps: [
      { do: 'remark', text: '已电话沟通，推荐了同款加绒款，买家同意继续发货（旺旺有记录）', flag: 3 },
      { do: 'ship', basis: 'buyer_agreed', by: 'agent' },
      { do: 'sign' },
      { do: 'confirm' },
    ],
    age: DONE,
  },
  {
    // S2.2: the parcel had already left the warehouse
    n: 1,
    stage: 'paid',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'late_shipment',
    amount: 'full',
    steps: [{ do: 'ship', basis: 'already_shipped', by: 'agent' }, { do: 'sign' }],
    age: DONE,
  },
  { n: 1, stage: 'paid', type: 'refund_only', goods: 'not_received', reason: 'wrong_order', amount: 'full', steps: [{ do: 'withdraw' }, { do: 'ship' }, { do: 'sign' }], age: DONE },

  // --- shipped, not received (S1.6, S1.7, S1.19, S3.2)
  { n: 2, stage: 'shipped', type: 'refund_only', goods: 'not_received', reason: 'not_received', amount: 'full', steps: [], age: OPEN_NOT_RECEIVED },
  {
    n: 2,
    stage: 'shipped',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'not_received',
    amount: 'full',
    steps: [
      { do: 'remark', text: '快递掉件，已向快递要物流追踪记录，已电话告知买家最新情况', flag: 2 },
      { do: 'remark', text: CLAIM, flag: 2 },
      { do: 'agree' },
    ],
    age: DONE,
  },
  {
    n: 1,
    stage: 'shipped',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'not_received',
    amount: 'full',
    steps: [{ do: 'remark', text: '买家拒签，已联系快递追件；已告知买家，请对班和售前留意', flag: 1 }, { do: 'agree' }],
    age: DONE,
  },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'not_received', reason: 'not_received', amount: 'full', steps: [refusedNotReceived], age: OPEN_REFUSED },
  {
    n: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'not_received',
    reason: 'not_received',
    amount: 'full',
    steps: [refusedNotReceived, { do: 'intervene', note: interveneNote }],
    age: OPEN_INTERVENTION,
  },

  // --- received, on sale: partial refund only (S3.3, S3.5, S1.11)
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'postage', amount: [800, 1500], steps: [{ do: 'agree' }], age: DONE },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'postage', amount: [800, 1500], steps: [], age: OPEN_RECEIVED },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'price_difference', amount: [1000, 4000], steps: [{ do: 'agree' }], age: DONE },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'price_difference', amount: [1000, 4000], steps: [], age: OPEN_RECEIVED },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'negotiated', amount: [2000, 5000], steps: [{ do: 'agree' }], age: DONE },

  // --- received, on sale: returns (S1.12, S1.13, S2.5, S3.4)
  {
    n: 2,
    mine: 1,
    stage: 'signed',
    type: 'return_and_refund',
    goods: 'received',
    reason: 'no_reason_7d',
    amount: 'line',
    steps: [{ do: 'agree' }, { do: 'return' }, warehouseGotIt, { do: 'receive' }],
    age: DONE,
  },
  { n: 2, mine: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [{ do: 'agree' }], age: OPEN_RETURN },
  // one buyer never sent the return: its deadline has just passed, the sweeper closes it
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [{ do: 'agree' }], age: [170, 185] },
  { n: 2, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [{ do: 'agree' }, { do: 'return' }], age: OPEN_CONFIRM },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [], age: OPEN_RECEIVED },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [{ do: 'agree' }, { do: 'withdraw' }, { do: 'confirm' }], age: DONE },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'wrong_order', amount: 'line', steps: [{ do: 'agree' }, { do: 'return' }], age: OPEN_CONFIRM },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'negotiated', amount: 'line', steps: [{ do: 'agree' }, { do: 'return' }, warehouseGotIt, { do: 'receive' }], age: DONE },
  // S1.10: not as described: design and merchandise verify, the shop pays the return postage
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'not_as_described', amount: 'line', steps: [], age: OPEN_RECEIVED },
  ...[
    { steps: [{ do: 'return' }] as Step[], age: OPEN_CONFIRM },
    { steps: [{ do: 'return' }, warehouseGotIt, { do: 'receive' }] as Step[], age: DONE },
  ].map(
    ({ steps, age }): RefundScenario => ({
      n: 1,
      stage: 'signed',
      type: 'return_and_refund',
      goods: 'received',
      reason: 'not_as_described',
      amount: 'line',
      steps: [
        { do: 'remark', text: '鞋跟高度与详情页不符，已转设计部和货品部核实改页面；退货运费由店铺承担', flag: 1 },
        { do: 'agree' },
        ...steps,
      ],
      age,
    }),
  ),
  // S1.5: quality is not agreed as it stands: phone, change the reason, Wangwang trace
  {
    n: 1,
    stage: 'signed',
    type: 'return_and_refund',
    goods: 'received',
    reason: 'quality',
    amount: 'line',
    steps: [
      { do: 'remark', text: '已电话联系买家，试穿偏小非质量问题，买家同意改为7天无理由，旺旺已留言', flag: 2 },
      { do: 'modify', reason: 'no_reason_7d', description: '试穿偏小半码，改为七天无理由退货' },
      { do: 'agree' },
    ],
    age: OPEN_RETURN,
  },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'quality', amount: 'line', steps: [], age: OPEN_RECEIVED },
  { n: 1, stage: 'signed', type: 'return_and_refund', goods: 'received', reason: 'quality', amount: 'line', steps: [{ do: 'agree' }, { do: 'return' }, { do: 'receive' }], age: DONE },
  {
    n: 1,
    stage: 'signed',
    type: 'return_and_refund',
    goods: 'received',
    reason: 'quality',
    amount: 'line',
    steps: [
      { do: 'agree' },
      { do: 'return' },
      { do: 'remark', text: '仓库验货：鞋底明显外穿磨损，无质量问题，不能二次销售', flag: 1, by: 'warehouse' },
      {
        do: 'refuse',
        reason: '退回的鞋子鞋底有明显穿着磨损，不属于质量问题，影响二次销售；已电话告知买家',
        evidence: ['仓库验货照片3张：鞋底磨损', '旺旺聊天记录：买家称已外穿一天'],
      },
      { do: 'intervene', note: interveneNote },
      { do: 'decide', outcome: 'reject', note: '经核实，卖家提供的验货照片显示鞋底有明显穿着磨损，不支持退款。' },
    ],
    age: DONE,
  },
  // S1.9: damaged goods as refund only is the wrong type
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'damaged', amount: 'line', steps: [refusedWrongType, { do: 'modify', type: 'return_and_refund', description: '鞋头有压痕，改为退货退款' }], age: OPEN_RECEIVED },
  {
    n: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'received',
    reason: 'damaged',
    amount: 'line',
    steps: [refusedWrongType, { do: 'modify', type: 'return_and_refund', description: '鞋头有压痕，改为退货退款' }, { do: 'agree' }],
    age: OPEN_RETURN,
  },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'damaged', amount: 'line', steps: [refusedWrongType, { do: 'intervene', note: interveneNote }], age: OPEN_INTERVENTION },
  {
    n: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'received',
    reason: 'damaged',
    amount: 'line',
    steps: [
      refusedWrongType,
      { do: 'intervene', note: interveneNote },
      { do: 'decide', outcome: 'refund', note: '卖家未能提供商品发出时完好的有效凭证，支持买家退款。' },
    ],
    age: DONE,
  },
  {
    n: 1,
    mine: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'received',
    reason: 'not_as_described',
    amount: 'line',
    steps: [
      {
        do: 'refuse',
        reason: '鞋子与详情页图片一致，买家未提供不符的照片；已电话说明，可改为7天无理由退货',
        evidence: ['详情页截图与发货实拍对比', '旺旺聊天记录'],
      },
    ],
    // at least a day ago, so the demo buyer may ask for intervention now
    age: [30, 140],
  },
  // S1.8: invoice problems
  {
    n: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'received',
    reason: 'invoice',
    amount: 'line',
    steps: [{ do: 'refuse', reason: '电子发票已开具并发送至买家邮箱，不影响商品使用', evidence: ['电子发票开具记录', '旺旺聊天记录：买家已确认收到发票'] }],
    age: OPEN_REFUSED,
  },
  {
    n: 1,
    stage: 'signed',
    type: 'refund_only',
    goods: 'received',
    reason: 'invoice',
    amount: 'line',
    steps: [{ do: 'remark', text: '买家需要个人抬头发票，已登记发票本，转财务开具', flag: 3 }, { do: 'withdraw' }, { do: 'confirm' }],
    age: DONE,
  },
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'invoice', amount: 'line', steps: [], age: OPEN_RECEIVED },
  // a platform reason shouhou has no code for, withdrawn by the buyer
  { n: 1, stage: 'signed', type: 'refund_only', goods: 'received', reason: 'other', amount: 'line', steps: [{ do: 'withdraw' }], age: DONE },

  // --- after sale: the trade succeeded first (S1.16, S1.17, S1.20, S3.6)
  { n: 1, mine: 1, stage: 'finished', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [], age: OPEN_RECEIVED },
  { n: 1, stage: 'finished', type: 'return_and_refund', goods: 'received', reason: 'no_reason_7d', amount: 'line', steps: [{ do: 'remark', text: AFTER_SALE, flag: 1 }, { do: 'agree' }], age: OPEN_RETURN },
  {
    n: 2,
    stage: 'finished',
    type: 'return_and_refund',
    goods: 'received',
    reason: 'no_reason_7d',
    amount: 'line',
    steps: [{ do: 'remark', text: AFTER_SALE, flag: 1 }, { do: 'agree' }, { do: 'return' }, warehouseGotIt, { do: 'receive' }],
    age: DONE,
  },
  {
    n: 1,
    stage: 'finished',
    type: 'return_and_refund',
    goods: 'received',
    reason: 'quality',
    amount: 'line',
    steps: [{ do: 'remark', text: AFTER_SALE, flag: 1 }, { do: 'agree' }, { do: 'return' }],
    age: OPEN_CONFIRM,
  },
  {
    n: 1,
    stage: 'finished',
    type: 'refund_only',
    goods: 'received',
    reason: 'quality',
    amount: [3000, 6000],
    steps: [{ do: 'remark', text: `${AFTER_SALE}；鞋面轻微开胶，协商补偿部分货款`, flag: 1 }, { do: 'agree' }],
    age: DONE,
  },
  {
    n: 1,
    stage: 'finished',
    type: 'refund_only',
    goods: 'received',
    reason: 'quality',
    amount: 'line',
    steps: [
      {
        do: 'refuse',
        reason: '签收后二十多天反馈鞋底磨损，照片显示为正常穿着磨损，非质量问题',
        evidence: ['签收时间记录', '买家提供的照片：前掌正常磨损'],
      },
      { do: 'intervene', note: interveneNote },
    ],
    age: OPEN_INTERVENTION,
  },
  // S1.14: a quality return's postage paid back as a partial refund (S3.5)
  { n: 1, stage: 'finished', type: 'refund_only', goods: 'received', reason: 'postage', amount: [1000, 1500], steps: [{ do: 'agree' }], age: DONE },
  { n: 1, stage: 'finished', type: 'return_and_refund', goods: 'received', reason: 'damaged', amount: 'line', steps: [{ do: 'withdraw' }], age: DONE },
  { n: 1, stage: 'finished', type: 'refund_only', goods: 'received', reason: 'price_difference', amount: [1000, 3000], steps: [], age: OPEN_RECEIVED },
  {
    n: 1,
    stage: 'finished',
    type: 'refund_only',
    goods: 'received',
    reason: 'invoice',
    amount: 'line',
    steps: [{ do: 'refuse', reason: '公司抬头发票已补开并寄出，商品无问题，不支持退款', evidence: ['发票快递单号', '旺旺聊天记录'] }],
    age: OPEN_REFUSED,
  },
];

type PlainStage = Stage | 'closed';

interface PlainScenario {
  n: number;
  stage: PlainStage;
  age: Hours;
  mine?: number;
  remark?: { text: string; flag: number };
}

const plainScenarios: readonly PlainScenario[] = [
  { n: 13, stage: 'paid', age: [0.5, 36] },
  { n: 1, stage: 'paid', age: [0.5, 20], remark: { text: '买家留言：周末在家，请周五后发货', flag: 3 } },
  { n: 21, mine: 1, stage: 'shipped', age: [2, 72] },
  { n: 1, stage: 'shipped', age: [1, 24], remark: { text: '买家拒签，已联系快递追件；已告知买家，请对班和售前留意', flag: 1 } },
  { n: 22, mine: 1, stage: 'signed', age: [1, 150] },
  { n: 70, mine: 2, stage: 'finished', age: [3, 550] },
  { n: 2, stage: 'finished', age: [3, 400], remark: { text: '买家咨询换码，已推荐同款加绒款和当前满减活动', flag: 3 } },
  { n: 10, stage: 'closed', age: [6, 600] },
];

const closeReasons = ['买家重复下单，已协商关闭重复的订单', '收货地址无法送达，与买家协商关闭交易', '买家要求换款重拍，关闭原订单'];

const descriptions: Record<ReasonCode, readonly string[]> = {
  no_reason_7d: ['穿着有点挤脚，想退掉', '颜色和想象的不一样，不太喜欢', '试穿了一下不合适，鞋盒吊牌都在', '尺码偏大半码，退了重新拍'],
  not_as_described: ['鞋跟比图片上高很多', '鞋头形状和详情页不一样', '颜色有色差，实物偏黄'],
  quality: ['鞋面开胶了', '穿了两天鞋跟松动', '走路鞋底有响声', '内里线头很多，有胶水味'],
  damaged: ['收到时鞋盒压坏，鞋头有压痕', '拆开发现左脚鞋面有划痕', '鞋跟掉了一块漆'],
  postage: ['退货运费请补给我', '说好运费由店铺承担，运费请退回'],
  not_received: ['物流好几天没更新了', '显示签收但我没有收到', '快递一直没送到'],
  invoice: ['需要开发票，商家没有提供', '要公司抬头的增值税普通发票'],
  unwanted: ['不想要了', '买多了，不要了'],
  wrong_order: ['拍错尺码了', '颜色拍错了', '拍重复了'],
  late_shipment: ['说好48小时发货，三天了还没发', '等太久了不想等了'],
  out_of_stock: ['客服说这个码没货了', '卖家缺货'],
  negotiated: ['已经和客服协商好了', '鞋子有点小瑕疵，和客服协商退部分款'],
  price_difference: ['刚买就降价了，申请退差价', '活动价比我买的便宜，客服同意退差价'],
  other: ['鞋子和之前买的同款大小不一样'],
};

const buyerEvidence: Partial<Record<ReasonCode, readonly string[]>> = {
  not_as_described: ['实物与详情页对比照片'],
  quality: ['问题部位照片2张'],
  damaged: ['开箱照片', '破损部位照片'],
  price_difference: ['活动页面截图'],
};

// ---------------------------------------------------------------------------
// The plan: every order with its timed steps

interface OrderPlan {
  input: NewOrder;
  steps: Step[];
  /** the refund's application, when the order has one */
  refund: RefundScenario | null;
  courier: Courier;
}

interface OrderState {
  order: Order | null;
  refund: Refund | null;
}

interface Timed {
  at: number;
  seq: number;
  plan: OrderPlan;
  state: OrderState;
  step: Step;
}

function gapOf(step: Step, stage: Stage): Hours {
  if (step.do === 'create') return [0, 0];
  if (step.do === 'apply') return applyGapHours[stage];
  // shipping while a refund is pending is the agent's quick reaction (S2.2/S2.3)
  if (step.do === 'ship' && step.basis) return [0.5, 8];
  if (step.do === 'modify' && step.hours) return step.hours;
  return gapHours[step.do];
}

/** Lays the steps out backwards from the last one, `age` hours before now, inside the history window. */
function schedule(r: Rand, gaps: readonly Hours[], age: Hours, nowMs: number): number[] {
  const ageH = r.range(age[0], age[1]);
  const drawn = gaps.map(([min, max]) => r.range(min, max));
  const mins = gaps.map(([min]) => min);
  const span = drawn.reduce((s, g) => s + g, 0);
  const minSpan = mins.reduce((s, g) => s + g, 0);
  // orders whose history would reach further back start 0–4 days inside the window
  const budget = HISTORY_HOURS - r.range(0, 96) - ageH;
  // too long a history: shrink every gap towards its minimum
  const k = span > budget && span > minSpan ? Math.max(0, (budget - minSpan) / (span - minSpan)) : 1;
  const hours = drawn.map((g, i) => (mins[i] ?? 0) + (g - (mins[i] ?? 0)) * k);
  const times: number[] = new Array<number>(gaps.length);
  let t = nowMs - ageH * HOUR_MS;
  for (let i = gaps.length - 1; i >= 0; i -= 1) {
    times[i] = Math.round(t / 1000) * 1000;
    t -= (hours[i] ?? 0) * HOUR_MS;
  }
  return times;
}

function orderLines(r: Rand, buyer: DemoBuyer): NewOrder['lines'] {
  const count = r.chance(0.15) ? 2 : 1;
  const lines: NewOrder['lines'] = [];
  const taken = new Set<string>();
  while (lines.length < count) {
    const gender: Gender = r.chance(0.88) ? buyer.gender : buyer.gender === 'f' ? 'm' : 'f';
    const shoe = r.pick(shoes.filter((s) => s.gender === gender && !taken.has(s.sku)));
    taken.add(shoe.sku);
    lines.push({ sku: shoe.sku, title: shoe.title, style: shoe.style, size: r.weighted(sizeWeights[gender]), unitPriceFen: shoe.priceFen, quantity: 1 });
  }
  return lines;
}

function makeOrderInput(r: Rand, buyer: DemoBuyer, orderNos: Set<string>): NewOrder {
  let orderNo = '';
  do orderNo = `${r.pick(['2', '3', '4'])}${r.digits(18)}`;
  while (orderNos.has(orderNo));
  orderNos.add(orderNo);
  const lines = orderLines(r, buyer);
  const goodsFen = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
  // mostly 包邮; a coupon (店铺优惠券) off some orders
  const postageFen = r.chance(0.1) ? r.pick([600, 800, 1000]) : 0;
  const couponFen = r.chance(0.25) ? r.pick([500, 1000, 2000]) : 0;
  return {
    orderNo,
    buyer: { nick: buyer.nick, name: buyer.name, phone: buyer.phone, address: buyer.address },
    lines,
    paidFen: goodsFen + postageFen - couponFen,
    postageFen,
    escrow: true,
  };
}

function buildPlans(r: Rand, buyers: readonly DemoBuyer[], nowMs: number): Timed[] {
  const me = buyers.find((b) => b.nick === DEMO_BUYER_NICK);
  if (!me) throw new Error('the demo buyer is missing');
  // the demo buyer gets exactly the orders marked `mine`; among the others,
  // the earlier ones of the list are repeat customers
  const others = buyers.filter((b) => b !== me);
  const someBuyer = () => others[Math.floor(r.float() ** 1.2 * others.length)] ?? me;
  const orderNos = new Set<string>();
  const timed: Timed[] = [];
  const add = (plan: OrderPlan, stage: Stage, age: Hours) => {
    const times = schedule(r, plan.steps.map((s) => gapOf(s, stage)), age, nowMs);
    const state: OrderState = { order: null, refund: null };
    plan.steps.forEach((step, i) => timed.push({ at: times[i] ?? nowMs, seq: timed.length, plan, state, step }));
  };
  for (const s of refundScenarios) {
    for (let i = 0; i < s.n; i += 1) {
      const buyer = i < (s.mine ?? 0) ? me : someBuyer();
      const plan: OrderPlan = {
        input: makeOrderInput(r, buyer, orderNos),
        steps: [...stageSteps[s.stage], { do: 'apply' }, ...s.steps],
        refund: s,
        courier: r.pick(couriers),
      };
      add(plan, s.stage, s.age);
    }
  }
  for (const s of plainScenarios) {
    for (let i = 0; i < s.n; i += 1) {
      const buyer = i < (s.mine ?? 0) ? me : someBuyer();
      const stage: Stage = s.stage === 'closed' ? 'paid' : s.stage;
      const steps: Step[] = [...stageSteps[stage]];
      if (s.stage === 'closed') steps.push({ do: 'close', reason: r.pick(closeReasons) });
      if (s.remark) steps.push({ do: 'remark', ...s.remark });
      add({ input: makeOrderInput(r, buyer, orderNos), steps, refund: null, courier: r.pick(couriers) }, stage, s.age);
    }
  }
  return timed.sort((a, b) => a.at - b.at || a.seq - b.seq);
}

// ---------------------------------------------------------------------------
// Running the plan through the use cases

interface Cast {
  ctx: AppContext;
  r: Rand;
  agent: Actor;
  warehouse: Actor;
  platform: Actor;
  system: Actor;
  buyers: Map<string, Actor>;
}

function refundAmount(r: Rand, s: RefundScenario, order: Order): { lineNo: number | null; amountFen: number | undefined } {
  if (s.amount === 'full') return { lineNo: null, amountFen: undefined };
  const line = r.pick(order.lines);
  // a line gives back at most its share of what was paid (a coupon lowers it, issue 13 §7)
  const lineFen = line.paidFen ?? line.unitPriceFen * line.quantity;
  if (s.amount === 'line') return { lineNo: line.lineNo, amountFen: Math.min(lineFen, order.paidFen) };
  const [min, max] = s.amount;
  const asked = Math.round(r.range(min, max) / 100) * 100;
  return { lineNo: line.lineNo, amountFen: Math.min(asked, lineFen, order.paidFen - 100) };
}

async function runStep(c: Cast, t: Timed): Promise<void> {
  const { plan, state, step } = t;
  const { ctx, r } = c;
  const orderNo = plan.input.orderNo;
  const buyer = c.buyers.get(plan.input.buyer.nick);
  if (!buyer) throw new Error(`no actor for the buyer ${plan.input.buyer.nick}`);
  const act = async (actor: Actor, command: PublicRefundCommand) => {
    if (!state.refund) throw new Error('no refund to act on');
    state.refund = await actOnRefund(ctx, { actor, refundId: state.refund.id, version: state.refund.version, command });
  };
  switch (step.do) {
    case 'create':
      state.order = await createOrder(ctx, { actor: c.system, order: plan.input });
      return;
    case 'ship': {
      const shipped = await shipOrderAction(ctx, {
        actor: step.by === 'agent' ? c.agent : c.warehouse,
        orderNo,
        courier: plan.courier.name,
        trackingNo: plan.courier.trackingNo(r),
        basis: step.basis,
      });
      state.order = shipped.order;
      if (shipped.closedRefunds.length > 0) state.refund = null;
      return;
    }
    case 'sign':
      state.order = await signOrderAction(ctx, { actor: c.system, orderNo });
      return;
    case 'confirm':
      state.order = await confirmOrderAction(ctx, { actor: buyer, orderNo });
      return;
    case 'close':
      state.order = await closeOrderAction(ctx, { actor: c.agent, orderNo, reason: step.reason });
      return;
    case 'remark':
      await addRemark(ctx, { actor: step.by === 'warehouse' ? c.warehouse : c.agent, orderNo, text: step.text, flag: step.flag });
      return;
    case 'apply': {
      const s = plan.refund;
      if (!s || !state.order) throw new Error('no refund scenario');
      const { lineNo, amountFen } = refundAmount(r, s, state.order);
      state.refund = await applyRefund(ctx, {
        actor: buyer,
        orderNo,
        application: {
          lineNo,
          type: s.type,
          goodsStatus: s.goods,
          reason: s.reason,
          amountFen,
          description: r.pick(descriptions[s.reason]),
          evidence: [...(buyerEvidence[s.reason] ?? [])],
        },
      });
      return;
    }
    case 'agree':
      return act(c.agent, { action: 'agree' });
    case 'refuse':
      return act(c.agent, { action: 'refuse', reason: step.reason, evidence: step.evidence });
    case 'modify':
      return act(buyer, { action: 'modify', type: step.type, reason: step.reason, description: step.description });
    case 'withdraw':
      return act(buyer, { action: 'withdraw' });
    case 'return': {
      const courier = r.pick(couriers);
      return act(buyer, { action: 'return_shipment', courier: courier.name, trackingNo: courier.trackingNo(r) });
    }
    case 'receive':
      return act(c.agent, { action: 'confirm_receipt' });
    case 'intervene':
      return act(buyer, { action: 'request_intervention', note: step.note });
    case 'decide':
      return act(c.platform, { action: 'platform_decision', outcome: step.outcome, note: step.note });
  }
}

/** Loads the demo shoe shop into a database that does not have it yet. */
export async function seedDemo(ctx: AppContext): Promise<DemoSeedResult> {
  if (await shopByCode(ctx, DEMO_SHOP_CODE)) {
    throw new AppError('VALIDATION_FAILED', `The shop "${DEMO_SHOP_CODE}" already exists; the demo loads only once.`, { code: DEMO_SHOP_CODE });
  }
  const nowMs = ctx.clock.now().getTime();
  const r = new Rand(SEED);
  const buyers = makeBuyers(r);
  const timeline = buildPlans(r, buyers, nowMs);

  const clock = new SettableClock();
  const seedCtx: AppContext = { ...ctx, clock };
  // the shop and its people exist a little before the first order
  clock.set(new Date((timeline[0]?.at ?? nowMs) - 2 * 24 * HOUR_MS));
  const shop = await createShop(seedCtx, {
    code: DEMO_SHOP_CODE,
    name: DEMO_SHOP_NAME,
    settings: { returnAddress: '浙江省温州市鹿城区双屿街道鞋都大道 188 号 小周鞋铺售后组 收 0577-88886666' },
  });
  // the demo's past month was handled before the shop adopted the SOP as rules (version 1 names no guards);
  // the default rule set (S1, with its guards) is version 2, in force from now on
  const ruleSetAt = clock.now().toISOString();
  await ctx.db.kysely
    .insertInto('rule_sets')
    .values({ shop_id: shop.id, version: 1, name: '平台规则（采用 SOP 之前）', text: platformOnlyRuleSetText, created_at: ruleSetAt, actor_id: null })
    .execute();
  const tokens = {} as Record<DemoTokenRole, string>;
  const actors = {} as Record<DemoTokenRole, Actor>;
  const names: Record<DemoTokenRole, string> = {
    buyer: DEMO_BUYER_NICK,
    agent: '售后客服-小周',
    platform: '淘宝客服小二',
    system: '订单同步（演示）',
  };
  for (const role of ['buyer', 'agent', 'platform', 'system'] as const) {
    const { actor, token } = await createActorToken(seedCtx, {
      shopId: shop.id,
      role,
      name: names[role],
      buyerNick: role === 'buyer' ? DEMO_BUYER_NICK : null,
      label: `demo ${role}`,
    });
    actors[role] = actor;
    tokens[role] = token;
  }
  // the other people act without tokens: the warehouse, and each buyer for their own orders
  const at = clock.now();
  const warehouse = await insertActor(ctx.db.kysely, { shopId: shop.id, role: 'agent', name: '仓库-老陈', buyerNick: null, at });
  const buyerActors = new Map<string, Actor>([[DEMO_BUYER_NICK, actors.buyer]]);
  for (const b of buyers) {
    if (buyerActors.has(b.nick)) continue;
    buyerActors.set(b.nick, await insertActor(ctx.db.kysely, { shopId: shop.id, role: 'buyer', name: b.nick, buyerNick: b.nick, at }));
  }

  const cast: Cast = { ctx: seedCtx, r, agent: actors.agent, warehouse, platform: actors.platform, system: actors.system, buyers: buyerActors };
  for (const t of timeline) {
    clock.set(new Date(t.at));
    try {
      await runStep(cast, t);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`demo seed: step ${t.step.do} of order ${t.plan.input.orderNo} at ${new Date(t.at).toISOString()} failed: ${message}`, { cause: e });
    }
  }

  const db = ctx.db.kysely;
  const orders = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shop.id).executeTakeFirstOrThrow();
  const refunds = await db.selectFrom('refunds').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shop.id).executeTakeFirstOrThrow();
  await ctx.db.kysely
    .insertInto('rule_sets')
    .values({ shop_id: shop.id, version: 2, name: '默认规则集（S1、S2）', text: defaultRuleSetText, created_at: ctx.clock.now().toISOString(), actor_id: null })
    .execute();
  return { shop, tokens, orders: Number(orders.n), refunds: Number(refunds.n) };
}

/** The demo password of the demo users (demo data only; README.md shows it). */
export const DEMO_PASSWORD = 'shouhou-demo-2026';

/** One demo user per staff role in the demo shop, username = the role (admin excepted: the first start makes it). */
export async function seedDemoUsers(ctx: AppContext, shopId: number): Promise<string[]> {
  const names: Record<string, string> = {
    supervisor: '主管-周姐',
    agent: '售后客服-小周',
    presales: '售前客服-小林',
    warehouse: '仓库-老陈',
    finance: '财务-王会计',
    design: '设计部-阿杰',
    merchandise: '货品部-小美',
    clerk: '市场部内勤-刘姐',
    field_lead: '项目负责人-张工',
    leadership: '领导-周总',
  };
  const made: string[] = [];
  for (const role of staffRoles) {
    if (role === 'admin') continue;
    await createUser(ctx, { actor: null, username: role.replace('_', '-'), displayName: names[role] ?? role, password: DEMO_PASSWORD, role, shopId });
    made.push(role.replace('_', '-'));
  }
  return made;
}

/** The demo shop's products (S1.15 asks for hot-selling / main-promoted flags and the rating) and its postage table (S1.14). */
export async function seedDemoProducts(ctx: AppContext, shopId: number): Promise<number> {
  const lines = await ctx.db.kysely
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .select(['order_lines.sku', 'order_lines.title', 'order_lines.style'])
    .where('orders.shop_id', '=', shopId)
    .distinct()
    .execute();
  const seen = new Set<string>();
  const at = ctx.clock.now().toISOString();
  let i = 0;
  for (const l of lines) {
    if (seen.has(l.sku)) continue;
    seen.add(l.sku);
    i += 1;
    await ctx.db.kysely
      .insertInto('products')
      .values({
        shop_id: shopId,
        sku: l.sku,
        title: l.title,
        style_category: l.style,
        hot_selling: i % 3 === 0 ? 1 : 0,
        main_promoted: i % 4 === 0 ? 1 : 0,
        rating: (4.5 + (i % 5) / 10).toFixed(1),
        updated_at: at,
      })
      .execute();
  }
  const styles = [...new Set(lines.map((l) => l.style))];
  const rows = ['浙江省', '江苏省', '上海市'].flatMap((province) => styles.map((styleCategory) => ({ province, styleCategory, amountFen: 1000 })));
  await changeShopSettingsAsSystem(ctx, shopId, { postageTable: { rows, defaultFen: 1500 } });
  return seen.size;
}

async function changeShopSettingsAsSystem(ctx: AppContext, shopId: number, changes: Partial<ShopSettings>): Promise<void> {
  const system: Actor = { id: 0, shopId, role: 'system', name: 'demo', buyerNick: null, kind: 'system' };
  await changeShopSettings(ctx, { actor: system, changes });
}

/** The demo buyer's phones (S4): one bought 10 days ago, one 5 days ago, one 200 days ago, each shipped to a Hebei city. */
const demoPhones = [
  {
    daysAgo: 10,
    orderNo: '5017283940561728301',
    line: { sku: 'HW-MATE60-256', title: '华为 Mate 60 8GB+256GB 雅川青 全网通', style: '手机', size: '8+256G', unitPriceFen: 549_900, quantity: 1 },
    brand: '华为',
    model: 'Mate 60',
    tac: '86921405',
    serial: '318274',
    address: { province: '河北省', city: '石家庄市', district: '长安区', detail: '中山东路 188 号 润都公寓 3 幢 1201 室' },
    accessories: [
      { kind: 'battery', name: '内置电池', origin: 'original' },
      { kind: 'charger', name: '华为 66W 超级快充充电器', origin: 'original' },
      { kind: 'data_cable', name: 'USB-C 数据线', origin: 'original' },
      { kind: 'bluetooth_headset', name: '蓝牙耳机', origin: 'gift' },
    ],
  },
  {
    daysAgo: 5,
    orderNo: '5017283940561728302',
    line: { sku: 'MI-K70-512', title: '小米 Redmi K70 12GB+512GB 墨羽 5G', style: '手机', size: '12+512G', unitPriceFen: 279_900, quantity: 1 },
    brand: '小米',
    model: 'Redmi K70',
    tac: '86888104',
    serial: '527301',
    address: { province: '河北省', city: '保定市', district: '竞秀区', detail: '朝阳北大街 66 号 2 单元 502 室' },
    accessories: [
      { kind: 'battery', name: '内置电池', origin: 'original' },
      { kind: 'charger', name: '小米 120W 充电器', origin: 'original' },
      { kind: 'wired_earphones', name: '有线耳机', origin: 'gift' },
      { kind: 'memory_card', name: '64G 存储卡', origin: 'gift' },
    ],
  },
  {
    daysAgo: 200,
    orderNo: '5017283940561728303',
    line: { sku: 'SS-S24-256', title: '三星 Galaxy S24 8GB+256GB 水墨黑', style: '手机', size: '8+256G', unitPriceFen: 499_900, quantity: 1 },
    brand: '三星',
    model: 'Galaxy S24',
    tac: '35467211',
    serial: '640918',
    address: { province: '河北省', city: '唐山市', district: '路北区', detail: '新华东道 120 号 7 幢 301 室' },
    accessories: [
      { kind: 'battery', name: '内置电池', origin: 'original' },
      { kind: 'charger', name: '三星 25W 充电器', origin: 'original' },
      { kind: 'bluetooth_headset', name: 'Galaxy Buds 蓝牙耳机', origin: 'gift' },
    ],
  },
] as const;

/**
 * S4: phone sales of the demo buyer, each an order (bought, shipped, signed
 * and confirmed) with its device registered: IMEI, accessories (one a gift),
 * the buyer's Hebei city for the warranty card's service points.
 */
export async function seedDemoDevices(ctx: AppContext, shopId: number): Promise<number> {
  const db = ctx.db.kysely;
  const buyer = await db
    .selectFrom('orders')
    .select(['buyer_name', 'buyer_phone'])
    .where('shop_id', '=', shopId)
    .where('buyer_nick', '=', DEMO_BUYER_NICK)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const row = await db.selectFrom('actors').select(['id', 'name']).where('shop_id', '=', shopId).where('role', '=', 'system').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const system: Actor = { id: row.id, shopId, role: 'system', name: row.name, buyerNick: null, kind: 'token' };
  const nowMs = ctx.clock.now().getTime();
  const clock = new SettableClock();
  const seedCtx: AppContext = { ...ctx, clock };
  for (const phone of demoPhones) {
    const boughtAt = nowMs - phone.daysAgo * 24 * HOUR_MS;
    const at = (hours: number) => clock.set(new Date(boughtAt + hours * HOUR_MS));
    at(0);
    await createOrder(seedCtx, {
      actor: system,
      order: {
        orderNo: phone.orderNo,
        buyer: { nick: DEMO_BUYER_NICK, name: buyer.buyer_name, phone: buyer.buyer_phone, address: phone.address },
        lines: [phone.line],
        paidFen: phone.line.unitPriceFen,
        postageFen: 0,
        escrow: true,
      },
    });
    at(5);
    await shipOrderAction(seedCtx, { actor: system, orderNo: phone.orderNo, courier: '顺丰速运', trackingNo: `SF${phone.orderNo.slice(-12)}` });
    at(40);
    await signOrderAction(seedCtx, { actor: system, orderNo: phone.orderNo });
    at(44);
    await confirmOrderAction(seedCtx, { actor: system, orderNo: phone.orderNo });
    await createDevice(seedCtx, {
      actor: system,
      input: {
        orderNo: phone.orderNo,
        brand: phone.brand,
        model: phone.model,
        deviceId: completeImei(`${phone.tac}${phone.serial}`),
        purchaseDate: shanghaiDateOf(new Date(boughtAt)),
        deliveryDate: shanghaiDateOf(new Date(boughtAt + 40 * HOUR_MS)),
        region: `${phone.address.province}${phone.address.city}${phone.address.district}`,
        buyerName: buyer.buyer_name,
        buyerPhone: buyer.buyer_phone,
        accessories: phone.accessories,
      },
    });
  }
  return demoPhones.length;
}

/**
 * The fixed data the sim's shoe shop is drawn from: items with their SKUs,
 * buyers' names and addresses, couriers, refund reasons as Taobao words them,
 * and the seller's refusal reasons. Plain data; the drawing is in seed.ts.
 */

export interface CatalogueItem {
  numIid: number;
  outerIid: string;
  title: string;
  priceFen: number;
  /** [colour name, colour code for the outer SKU id] */
  colours: readonly (readonly [string, string])[];
  sizes: readonly number[];
  cid: number;
}

export const catalogue: readonly CatalogueItem[] = [
  { numIid: 612_045_318_201, outerIid: 'XZ-2061', title: '步履 女士真皮小白鞋 春季新款平底百搭板鞋', priceFen: 19_900, colours: [['米白', 'MB'], ['白绿', 'BL']], sizes: [35, 36, 37, 38, 39, 40], cid: 50_012_027 },
  { numIid: 612_045_318_375, outerIid: 'XZ-2075', title: '步履 男士商务休闲皮鞋 头层牛皮系带正装鞋', priceFen: 32_900, colours: [['黑色', 'HS'], ['棕色', 'ZS']], sizes: [38, 39, 40, 41, 42, 43, 44], cid: 50_011_740 },
  { numIid: 613_208_774_102, outerIid: 'XZ-3102', title: '步履 透气网面跑步鞋 男女同款轻便缓震运动鞋', priceFen: 25_900, colours: [['黑白', 'HB'], ['灰蓝', 'HL'], ['粉色', 'FS']], sizes: [36, 37, 38, 39, 40, 41, 42, 43, 44], cid: 50_012_029 },
  { numIid: 613_208_771_188, outerIid: 'XZ-1188', title: '步履 细跟尖头高跟鞋 女通勤单鞋 6厘米', priceFen: 26_900, colours: [['黑色', 'HS'], ['裸色', 'LS'], ['酒红', 'JH']], sizes: [34, 35, 36, 37, 38, 39], cid: 50_012_027 },
  { numIid: 614_550_125_203, outerIid: 'XZ-5203', title: '步履童鞋 儿童运动鞋 魔术贴防滑软底', priceFen: 13_900, colours: [['蓝色', 'LS'], ['粉色', 'FS']], sizes: [26, 27, 28, 29, 30, 31, 32, 33, 34, 35], cid: 50_012_340 },
  { numIid: 614_550_124_410, outerIid: 'XZ-4410', title: '步履 男士马丁靴 英伦风高帮工装靴', priceFen: 39_900, colours: [['黑色', 'HS'], ['棕色', 'ZS']], sizes: [38, 39, 40, 41, 42, 43, 44], cid: 50_011_745 },
  { numIid: 615_871_904_420, outerIid: 'XZ-4420', title: '步履 女士切尔西短靴 弹力绒面平底靴', priceFen: 35_900, colours: [['黑色', 'HS'], ['卡其', 'KQ']], sizes: [35, 36, 37, 38, 39, 40], cid: 50_012_028 },
  { numIid: 615_871_906_301, outerIid: 'XZ-6301', title: '步履 经典帆布鞋 低帮学生情侣款', priceFen: 8_900, colours: [['白色', 'BS'], ['黑色', 'HS'], ['红色', 'HO']], sizes: [35, 36, 37, 38, 39, 40, 41, 42, 43, 44], cid: 50_012_042 },
  { numIid: 616_302_557_015, outerIid: 'XZ-7015', title: '步履 老北京布鞋 千层底一脚蹬', priceFen: 6_900, colours: [['黑色', 'HS']], sizes: [38, 39, 40, 41, 42, 43, 44], cid: 50_012_042 },
  { numIid: 616_302_558_120, outerIid: 'XZ-8120', title: '步履 女士乐福鞋 软皮一脚蹬豆豆鞋', priceFen: 22_900, colours: [['黑色', 'HS'], ['米色', 'MS']], sizes: [35, 36, 37, 38, 39, 40], cid: 50_012_027 },
  { numIid: 617_440_219_001, outerIid: 'XZ-9001', title: '步履 居家棉拖鞋 冬季保暖防滑', priceFen: 3_990, colours: [['灰色', 'HU'], ['粉色', 'FS']], sizes: [36, 37, 38, 39, 40, 41, 42, 43], cid: 50_012_033 },
  { numIid: 617_440_212_088, outerIid: 'XZ-2088', title: '步履 女士一字带凉鞋 夏季平底罗马鞋', priceFen: 15_900, colours: [['米白', 'MB'], ['黑色', 'HS']], sizes: [35, 36, 37, 38, 39, 40], cid: 50_012_032 },
];

/** Taobao's own sku_id for an item's colour and size (a decimal string, as TOP gives it). */
export function skuIdOf(item: CatalogueItem, colourIndex: number, size: number): string {
  return String(4_800_000_000_000 + (item.numIid % 1_000_000) * 1000 + colourIndex * 100 + size);
}

export function outerSkuIdOf(item: CatalogueItem, colourIndex: number, size: number): string {
  return `${item.outerIid}-${item.colours[colourIndex]?.[1] ?? 'XX'}-${size}`;
}

export function skuPropertiesOf(item: CatalogueItem, colourIndex: number, size: number): string {
  return `颜色:${item.colours[colourIndex]?.[0] ?? ''};尺码:${size}`;
}

export const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐'] as const;
export const givenNames = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '婷婷', '子涵', '雨欣', '浩然', '梓萱', '思远', '佳怡'] as const;
export const nickWords = ['小鱼儿', '快乐的猫', '阳光', '星星', '晚风', '橘子汽水', '木子', '小熊', '追风少年', '奶茶不加糖', '糖糖', '大白'] as const;

export interface Place {
  state: string;
  city: string;
  districts: readonly (readonly [string, string])[]; // [district, town]
  zip: string;
  streets: readonly string[];
}

export const places: readonly Place[] = [
  { state: '浙江省', city: '杭州市', districts: [['西湖区', '西溪街道'], ['余杭区', '五常街道'], ['滨江区', '长河街道']], zip: '310000', streets: ['文三路', '天目山路', '文一西路', '江南大道'] },
  { state: '浙江省', city: '温州市', districts: [['鹿城区', '五马街道'], ['瓯海区', '娄桥街道']], zip: '325000', streets: ['人民路', '车站大道', '学院中路'] },
  { state: '广东省', city: '广州市', districts: [['天河区', '石牌街道'], ['白云区', '三元里街道'], ['海珠区', '赤岗街道']], zip: '510000', streets: ['天河路', '中山大道', '广州大道北'] },
  { state: '广东省', city: '深圳市', districts: [['南山区', '粤海街道'], ['福田区', '华强北街道']], zip: '518000', streets: ['深南大道', '科技园路', '华强北路'] },
  { state: '江苏省', city: '南京市', districts: [['鼓楼区', '湖南路街道'], ['玄武区', '新街口街道']], zip: '210000', streets: ['中山北路', '北京东路', '汉中路'] },
  { state: '江苏省', city: '苏州市', districts: [['姑苏区', '平江街道'], ['吴中区', '长桥街道']], zip: '215000', streets: ['干将路', '人民路', '东吴北路'] },
  { state: '北京', city: '北京市', districts: [['朝阳区', '望京街道'], ['海淀区', '中关村街道']], zip: '100000', streets: ['望京西路', '中关村大街', '建国路'] },
  { state: '上海', city: '上海市', districts: [['浦东新区', '陆家嘴街道'], ['徐汇区', '徐家汇街道']], zip: '200000', streets: ['世纪大道', '漕溪北路', '张杨路'] },
  { state: '四川省', city: '成都市', districts: [['武侯区', '玉林街道'], ['锦江区', '春熙路街道']], zip: '610000', streets: ['人民南路', '玉林北路', '红星路'] },
  { state: '湖北省', city: '武汉市', districts: [['洪山区', '珞南街道'], ['江汉区', '民族街道']], zip: '430000', streets: ['珞喻路', '解放大道', '武珞路'] },
  { state: '山东省', city: '青岛市', districts: [['市南区', '香港中路街道'], ['崂山区', '中韩街道']], zip: '266000', streets: ['香港中路', '山东路', '海尔路'] },
  { state: '河南省', city: '郑州市', districts: [['金水区', '花园路街道'], ['中原区', '建设路街道']], zip: '450000', streets: ['花园路', '农业路', '建设西路'] },
  { state: '福建省', city: '厦门市', districts: [['思明区', '鼓浪屿街道'], ['湖里区', '殿前街道']], zip: '361000', streets: ['湖滨南路', '厦禾路', '嘉禾路'] },
  { state: '陕西省', city: '西安市', districts: [['雁塔区', '小寨路街道'], ['碑林区', '南院门街道']], zip: '710000', streets: ['长安南路', '小寨东路', '南大街'] },
  { state: '湖南省', city: '长沙市', districts: [['岳麓区', '望月湖街道'], ['芙蓉区', '五里牌街道']], zip: '410000', streets: ['麓山南路', '五一大道', '芙蓉中路'] },
];

export const estateNames = ['华星小区', '阳光花园', '翠苑一区', '金色家园', '锦绣江南', '紫金公寓', '东方名城', '和平里小区', '绿城桂花园', '碧桂园'] as const;

export interface Courier {
  name: string;
  code: string;
  /** waybill number: prefix + this many digits */
  prefix: string;
  digits: number;
}

export const couriers: readonly Courier[] = [
  { name: '中通快递', code: 'ZTO', prefix: '75', digits: 12 },
  { name: '圆通速递', code: 'YTO', prefix: 'YT', digits: 13 },
  { name: '韵达快递', code: 'YUNDA', prefix: '43', digits: 11 },
  { name: '申通快递', code: 'STO', prefix: '77', digits: 11 },
  { name: '顺丰速运', code: 'SF', prefix: 'SF', digits: 13 },
  { name: '极兔速递', code: 'JTSD', prefix: 'JT', digits: 13 },
  { name: '邮政快递包裹', code: 'POSTB', prefix: '98', digits: 11 },
];

/** Where the shop ships from and takes returns (温州: a shoe town). */
export const shopAddress = {
  name: '周晓',
  mobile: '13957712061',
  state: '浙江省',
  city: '温州市',
  district: '鹿城区',
  detail: '双屿街道 鞋都大道 88号 步履鞋业仓库',
  zip: '325007',
} as const;

export function shopAddressText(): string {
  const a = shopAddress;
  return `${a.name}，${a.mobile}，${a.state}${a.city}${a.district}${a.detail}，${a.zip}`;
}

/**
 * How a buyer's situation limits a refund:
 * - unshipped: the seller has not shipped (refund only, goods not received);
 * - in_transit: shipped, not received (refund only);
 * - received: signed for, trade not finished (onsale);
 * - finished: the buyer confirmed receipt (aftersale).
 */
export type GoodsSituation = 'unshipped' | 'in_transit' | 'received' | 'finished';

export interface RefundReason {
  text: string;
  situations: readonly GoodsSituation[];
  /** how often a return of the goods goes with it (0–1) */
  returnRate: number;
  weight: number;
  descriptions: readonly string[];
}

/** Refund reasons as Taobao words them, and when a buyer gives them. */
export const refundReasons: readonly RefundReason[] = [
  { text: '七天无理由退换货', situations: ['received', 'finished'], returnRate: 1, weight: 16, descriptions: ['鞋子不太合脚，想退了', '颜色和想象的不一样', '买大了一码'] },
  { text: '商品质量问题', situations: ['received', 'finished'], returnRate: 0.6, weight: 10, descriptions: ['穿了两天鞋底开胶了', '鞋面有线头，走线歪了', '鞋跟松动'] },
  { text: '收到商品破损', situations: ['received', 'finished'], returnRate: 0.5, weight: 6, descriptions: ['鞋盒压坏了，鞋头有划痕', '左脚鞋面有破口'] },
  { text: '商品与描述不符', situations: ['received', 'finished'], returnRate: 0.7, weight: 7, descriptions: ['说是真皮，实际是人造革', '尺码偏小，和详情页写的不一样', '颜色色差很大'] },
  { text: '未收到货', situations: ['in_transit'], returnRate: 0, weight: 6, descriptions: ['物流好几天没更新了', '显示签收了但我没收到'] },
  { text: '退运费', situations: ['received', 'finished'], returnRate: 0, weight: 4, descriptions: ['退货运费说好由卖家承担', '运费险没赔付'] },
  { text: '发票问题', situations: ['received', 'finished'], returnRate: 0, weight: 2, descriptions: ['一直没开发票', '发票抬头开错了'] },
  { text: '不想要了', situations: ['unshipped', 'in_transit', 'received'], returnRate: 0.8, weight: 14, descriptions: ['不想要了', '家里人买了同款'] },
  { text: '拍错了', situations: ['unshipped', 'in_transit', 'received'], returnRate: 0.8, weight: 10, descriptions: ['尺码拍错了', '颜色拍错了，想要黑色'] },
  { text: '缺货', situations: ['unshipped'], returnRate: 0, weight: 4, descriptions: ['客服说这个码没货了'] },
  { text: '未按约定时间发货', situations: ['unshipped', 'in_transit'], returnRate: 0, weight: 5, descriptions: ['说好48小时发货，现在还没发', '等太久了'] },
  { text: '协商一致退款', situations: ['unshipped', 'in_transit', 'received', 'finished'], returnRate: 0.3, weight: 4, descriptions: ['和客服协商好了退款'] },
  { text: '其他', situations: ['received', 'finished'], returnRate: 0.3, weight: 1, descriptions: ['其他原因'] },
];

export function reasonByText(text: string): RefundReason | undefined {
  return refundReasons.find((r) => r.text === text);
}

/** taobao.refund.refusereason.get: the reasons a seller may give for refusing. */
export const refuseReasons: readonly { id: number; text: string; tips: string }[] = [
  { id: 10_001, text: '买家已签收商品，商品完好无质量问题', tips: '请上传买家签收凭证及商品完好的照片' },
  { id: 10_002, text: '退回的商品影响二次销售', tips: '请上传退回商品的实拍照片' },
  { id: 10_003, text: '买家未退货或退货单号无效', tips: '请上传物流查询截图' },
  { id: 10_004, text: '申请金额高于可退金额', tips: '请与买家协商修改退款金额' },
  { id: 10_005, text: '商品与描述相符', tips: '请上传商品详情页截图及实物照片' },
  { id: 10_006, text: '已与买家协商一致不退款', tips: '请上传旺旺聊天记录截图' },
  { id: 10_007, text: '超过七天无理由退换货期限', tips: '请上传签收时间凭证' },
];

/** What a seller writes when refusing (seeded data). */
export const refuseMessages = [
  '商品已检查无质量问题，不影响穿着，不同意退款',
  '退回的鞋子已穿着磨损，影响二次销售',
  '未收到退货，请提供有效的退货单号',
  '已与买家沟通，按约定补偿运费，不再退款',
] as const;

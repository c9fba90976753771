/**
 * The default rule set: the shoe shop's SOP (MISSION.md S1, seed 第一篇
 * 售后退款流程) and the platform's seller-side refund rules (S2, 第二篇 卖家退款流程),
 * as YAML. A shop starts with it (version 0) and may export, change and
 * import it. Titles and checklist texts keep the seed's words.
 */
export const defaultRuleSetText = `# 默认售后规则集，依据 S1（第一篇 售后退款流程）和 S2（第二篇 卖家退款流程）。
#
# 每条规则：
#   when       匹配条件；不写的条件匹配任何退款。可用：type、reason、phase、status、
#              goodsStatus（列表）、shipped、signed、warehouseReceived（true/false）、
#              reasonCorrectedFrom（列表：登记过请买家修改的原来的退款原因）、
#              remarkIncludes / remarkExcludes（订单备注里有/没有这段文字）
#   checklist  要做的步骤；id 在整个规则集里唯一。doneWhen（contact.phone、
#              contact.wangwang、warehouse.received、warehouse.remarked、
#              return_postage.recorded、void.confirmed、invoice.registered）或
#              doneWhenRemark（备注里有这段文字）满足时自动完成，否则打勾；
#              warehouse.received（仓库到货登记）和 return_postage.recorded
#              （邮费承担方和金额）只能由记录完成，打勾不算
#   actions    可以提供的操作；guards 拦截；templates 旺旺话术
# 条件越多的规则越具体，排在越前面；一样具体的按本文件的顺序。
name: 鞋店默认售后规则

rules:
  # S1.21 先看备注和聊天记录，再处理任何退款
  - id: S1.21
    title: 先需要看备注、聊天记录
    when:
      status: [WAIT_SELLER_AGREE, WAIT_BUYER_RETURN_GOODS, WAIT_SELLER_CONFIRM_GOODS, SELLER_REFUSE_BUYER]
    checklist:
      - id: S1.21.remarks
        text: 先看订单备注
      - id: S1.21.chat
        text: 看聊天记录，先了解问题后才好准确地处理好问题
    actions: [order.remark]
    note: 有不符客户会旺旺联系售后客服，但是协商下来不顺利，客户会去申请全额仅退款。

  # S1.4 两大类退款类型：仅退款、退货退款
  - id: S1.4
    title: 看清楚客户所申请的退款类型
    when:
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.4.type
        text: 看清楚客户所申请的退款类型：我需退款无需退货（仅退款），还是我需退货并退款（退货退款）

  # S1.1 未发退：仓库每天早上打单，打单前提交仓库作废；仓库确认后售后自己核对金额再退款
  - id: S1.1
    title: 未发退：打单前提交仓库作废订单，仓库确认后看清楚金额再退款
    when:
      phase: [on_sale]
      shipped: false
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.1.submit
        text: 每天早上仓库打单前，将订单编号提交仓库，要仓库作废订单
      - id: S1.1.remark
        text: 提交仓库后在订单上备注“已经提交未发退”
        doneWhenRemark: 已经提交未发退
      - id: S1.1.void
        text: 仓库确认已作废订单
        doneWhen: void.confirmed
      - id: S1.1.amount
        text: 看清楚退款的金额，不要盲目看到仓库的备注就操作退款
    actions: [batch.add, order.remark, refund.agree]
    guards: [GUARD_UNSHIPPED_NOT_VOIDED, GUARD_AMOUNT_NOT_CONFIRMED]
    note: 未发退的退款肯定是属于仅退款。仓库已发出的订单不能作废，按 S2.2 点击“立即发货”。

  # S1.2 聆听客户的需求，推荐别的款式或现在的活动，促进再次销售；原因统计提交主管
  - id: S1.2
    title: 聆听客户的需求，推荐别的款式或现在的活动，促进再次销售
    when:
      shipped: false
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.2.why
        text: 问客户为什么申请退款，根据客户所说的做一个统计提交主管
      - id: S1.2.recommend
        text: 根据客户所说的推荐别的款式，或者告知客户最近的活动让客户换别的款式
    actions: [contact.phone, contact.wangwang, retention.offer]

  # S1.3 未按约定时间发货、缺货：对店铺不利，电话通知客户修改
  - id: S1.3
    title: 客户选择未按约定时间发货和缺货，需要电话通知客户修改
    when:
      shipped: false
      reason: [late_shipment, out_of_stock]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.3.phone
        text: 电话通知客户修改退款原因
        doneWhen: contact.phone
      - id: S1.3.wait
        text: 质检鞋有问题等不能按照客户订单发出的，准确告知客户需要等待的时间，尽可能不要客户选择这2种退款原因
    actions: [contact.phone, reason.correction, batch.add]
    guards: [GUARD_UNSHIPPED_REASON_NEEDS_CHANGE, GUARD_UNSHIPPED_NOT_VOIDED, GUARD_AMOUNT_NOT_CONFIRMED]
    templates: [ask_change_reason]
    note: 这2种退款原因对店铺不利：买家修改原因之前不同意退款；修改之后按未发退（S1.1）提交仓库作废，仓库确认后核对金额再退款。

  # S2.4 卖家缺货，实际是仓库缺货的：尽量联系买家修改为与卖家协商一致
  - id: S2.4
    title: 退款原因为卖家缺货，实际是仓库缺货的，要尽量联系买家修改为与卖家协商一致
    when:
      shipped: false
      reason: [out_of_stock]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S2.4.negotiated
        text: 联系买家把退款原因修改为“与卖家协商一致”
    actions: [contact.phone, contact.wangwang, reason.correction]
    templates: [ask_change_reason]

  # S2.1 卖家未操作发货前，买家申请的退款没有拒绝退款的按钮
  - id: S2.1
    title: 卖家未操作发货前买家申请的退款，是没有拒绝退款的按钮的
    when:
      shipped: false
      status: [WAIT_SELLER_AGREE]
    actions: [refund.agree]
    note: 未发货不能拒绝退款：作废订单后同意退款（S1.1），或者按 S2.2、S2.3 发货。

  # S2.2 实际已发货，只是网上忘记操作发货
  - id: S2.2
    title: 实际已发货，只是网上忘记操作完成发货：联系买家说明并点击“立即发货”
    when:
      shipped: false
      status: [WAIT_SELLER_AGREE]
    actions: [contact.phone, contact.wangwang, order.ship]
    note: 交易状态变更为“卖家已发货”后，买家之前进行的退款申请即已关闭。

  # S2.3 实际未发货但想继续交易：先协商，买家同意后再发货
  - id: S2.3
    title: 实际未发货但想继续交易：先联系买家协商，待买家同意后再发货
    when:
      shipped: false
      status: [WAIT_SELLER_AGREE]
    actions: [contact.phone, contact.wangwang, retention.offer, order.ship]
    note: 买家同意卖家继续发货后，先联系仓库发货，再点击“立即发货”，并保存好旺旺聊天记录。提醒：如卖家未经过买家同意强行发货，若后续买家拒绝收货再次申请退款，后果需要您自行承担。

  # S1.5 收到商品不符、商品质量问题不能同意：电话联系客户修改退款原因，其次旺旺留言
  - id: S1.5
    title: 收到商品不符、商品质量问题不能同意退款：电话联系客户要其修改退款原因，其次在旺旺留言
    when:
      reason: [not_as_described, quality]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.5.phone
        text: 电话联系客户，要其修改退款原因
        doneWhen: contact.phone
      - id: S1.5.wangwang
        text: 在旺旺留言客户让修改退款原因
        doneWhen: contact.wangwang
    actions: [contact.phone, contact.wangwang, reason.correction]
    guards: [GUARD_REASON_NEEDS_CHANGE]
    templates: [ask_change_reason]

  # S1.5 客户修改了退款原因之后，旺旺留言仍要留作书面记录（先电话通知，之后旺旺留言）
  - id: S1.5.changed
    title: 客户已按我们的建议修改退款原因：旺旺留言要留作书面记录
    when:
      reasonCorrectedFrom: [not_as_described, quality]
      reason: [no_reason_7d, damaged, postage, not_received, invoice, unwanted, wrong_order, late_shipment, out_of_stock, negotiated, price_difference, other]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.5.changed.wangwang
        text: 电话联系之后在旺旺留言客户让修改退款原因，作为书面记录
        doneWhen: contact.wangwang
    actions: [contact.wangwang, refund.agree]
    guards: [GUARD_REASON_NEEDS_CHANGE]
    templates: [ask_change_reason]

  # S1.6 仅退款 + 未收到货：电话和聊天记录核实；快递问题查物流并告知客户；掉件开索赔单（S1.7）
  - id: S1.6
    title: 仅退款、未收到货：电话联系和查看聊天记录看客户是否收到宝贝
    when:
      type: [refund_only]
      reason: [not_received]
      shipped: true
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.6.phone
        text: 电话联系客户，看客户是否收到宝贝
        doneWhen: contact.phone
      - id: S1.6.chat
        text: 查看聊天记录，看客户是否收到宝贝
      - id: S1.6.trace
        text: 快递问题：电话联系快递，要快递查询宝贝的物流信息
        doneWhen: courier.traced
      - id: S1.6.tell
        text: 得知最新的物流信息后，电话告知客户或者旺旺留言客户
        doneWhen: courier.traced
    actions: [contact.phone, contact.wangwang, courier.trace, claim.open, refund.agree]
    templates: [tell_courier_trace]
    note: 如得知快件掉件，那就需要开索赔单（S1.7）。快递件丢失、买家已经拒收快递的，可以按正常情况退款（S2.7）。

  # S1.7 索赔单已开：原单给财务盖章，复印；原单给仓库，复印给财务；电话问客户补发还是退款重新拍
  - id: S1.7
    title: 索赔单已开：原单给财务盖章，电话联系客户是要补发还是退款重新拍
    when:
      remarkIncludes: 索赔单已开
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.7.stamp
        text: 原单给财务盖章，盖章后复印；原单给仓库，复印给财务
      - id: S1.7.ask
        text: 电话联系客户，是要补发还是退款重新拍
    actions: [contact.phone, refund.agree]
    note: 索赔单的开法：订单编号，货号编码尺码大小，物流单号及公司，宝贝价位。

  # S1.8 仅退款 + 发票问题：电话问是否需要开具发票
  - id: S1.8
    title: 仅退款、发票问题：电话联系客户是否是需要开具发票
    when:
      type: [refund_only]
      reason: [invoice]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.8.phone
        text: 电话联系客户是否是需要开具发票
        doneWhen: contact.phone
      - id: S1.8.change
        text: 不是要开具发票只是不要了：需要客户修改退款原因和类型
      - id: S1.8.title
        text: 客户需要开具发票：客户提供发票抬头（个人还是公司），登记发票本，提交财务开
        doneWhen: invoice.registered
    actions: [contact.phone, reason.correction, invoice.request]
    guards: [GUARD_INVOICE_NOT_REGISTERED]
    templates: [ask_invoice_title, ask_change_reason]
    note: 发票问题的仅退款，同意之前先登记发票本；只是不要了的，请客户修改退款原因和类型。

  # S1.9 仅退款 + 收到商品破损：刚收到发现还是穿着后发现；仅退款会被拒绝，告知重新申请；穿着后要照片
  - id: S1.9
    title: 仅退款、收到商品破损：电话联系客户是刚刚收到鞋发现的问题还是穿着后发现的问题
    when:
      type: [refund_only]
      reason: [damaged]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.9.phone
        text: 电话联系客户：是客户刚刚收到鞋发现的问题，还是穿着后发现的问题
        doneWhen: contact.phone
      - id: S1.9.tell
        text: 告知客户我们这边会拒绝仅退款，并告知客户怎么重新申请退款类型和原因
      - id: S1.9.photos
        text: 穿着后发现的问题：需要客户提供鞋的问题照片，根据客户所提供的照片来处理问题
    actions: [contact.phone, contact.wangwang, reason.correction, refund.refuse]
    guards: [GUARD_DAMAGED_REFUND_ONLY]
    templates: [explain_refusal, ask_change_reason]
    note: 收到商品破损选择仅退款的不同意退款：告知客户我们这边会拒绝，并告知怎么重新申请（退货退款）。

  # S1.10 仅退款 + 收到商品不符：发错还是与页面不符；设计部、货品部门核实；我们承担寄回邮费；备注详细问题
  - id: S1.10
    title: 仅退款、收到商品不符：电话联系客户，是发错宝贝还是跟页面展示的照片不符
    when:
      type: [refund_only]
      reason: [not_as_described]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.10.phone
        text: 电话联系客户：是否是我们这边发错宝贝，还是鞋跟、鞋面花纹、鞋头跟页面展示出的照片有所不符
        doneWhen: contact.phone
      - id: S1.10.verify
        text: 提交设计部和货品部门核实问题、修改页面，再来处理退款
        doneWhen: department.answered
      - id: S1.10.reason
        text: 引导客户修改退款原因
      - id: S1.10.postage
        text: 客户所寄回的邮费我们承担
      - id: S1.10.remark
        text: 在订单上备注清楚鞋的详细问题，以便后期的处理
    actions: [contact.phone, department.task, reason.correction, postage.compensate, order.remark]
    templates: [ask_change_reason]

  # S1.10 引导客户修改了退款原因的，客户所寄回的邮费仍由我们承担（按 S1.14 退邮费）
  - id: S1.10.corrected
    title: 引导客户修改了退款原因的退货：客户所寄回的邮费我们承担
    when:
      reasonCorrectedFrom: [not_as_described, quality, damaged]
      type: [return_and_refund]
      status: [SUCCESS]
    checklist:
      - id: S1.10.corrected.postage
        text: 旺旺留言客户，要其提供支付宝账号和对应的姓名，退还客户所寄回的邮费
    actions: [contact.wangwang, postage.compensate]
    templates: [ask_alipay_account]
    note: 邮费跟着真实原因走，不看平台上现在的退款原因；记录真实原因（S1.2）为质量问题、与页面不符、发错货或运输破损的，也由我们承担。

  # S1.11 仅退款 + 退运费：结合聊天记录处理，联系客户修改退款类型和原因
  - id: S1.11
    title: 仅退款、退运费：结合聊天记录来处理退款
    when:
      type: [refund_only]
      reason: [postage]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.11.chat
        text: 结合聊天记录来处理退款
      - id: S1.11.change
        text: 联系客户修改退款类型和退款原因
    actions: [contact.phone, contact.wangwang, reason.correction, refund.agree]
    templates: [ask_change_reason]
    note: 没有单独的退运费，只退邮费的按部分退款处理（S3.5）。

  # S1.12 退货退款已同意：旺旺留言客户填写寄回的单号；单号错误或没有：电话联系，旺旺告知正确单号作为证据
  - id: S1.12
    title: 退货退款：旺旺留言客户在退款里填写寄回的单号
    when:
      type: [return_and_refund]
      status: [WAIT_BUYER_RETURN_GOODS]
    checklist:
      - id: S1.12.tracking
        text: 旺旺留言客户，在退款里填写寄回的单号，以便我们后期收到鞋后退款
      - id: S1.12.wrong
        text: 物流信息错误或者没有物流信息：电话联系客户，以旺旺的形式告知我们正确的单号，以便后期作为证据
    actions: [contact.wangwang, contact.phone]
    templates: [ask_return_tracking]

  # S1.13 三看：（1）签收时间、款式、是否质量问题、聊天记录（2）仓库收到寄回鞋的备注（3）类型、原因、金额
  - id: S1.13
    title: 退货退款：根据三看了解订单后再处理退款
    when:
      type: [return_and_refund]
      status: [WAIT_SELLER_CONFIRM_GOODS]
    checklist:
      - id: S1.13.look1
        text: 第一先看客户签收时间、鞋的款式、鞋是否是质量问题寄回退换和聊天记录
      - id: S1.13.look2
        text: 第二看备注是否有仓库的备注收到客户寄回鞋，鞋是否不影响二次销售
        doneWhen: warehouse.remarked
      - id: S1.13.look3
        text: 第三看客户所申请的类型和退款原因及金额
      - id: S1.13.arrived
        text: 仓库已收到客户寄回的鞋
        doneWhen: warehouse.received
      - id: S1.13.postage
        text: 寄回的邮费是我们承担还是客户承担
        doneWhen: return_postage.recorded
    actions: [refund.confirm_receipt, contact.phone, contact.wangwang, reason.correction, refund.refuse]
    guards: [GUARD_RETURN_NOT_CHECKED]
    templates: [ask_change_reason]
    note: 如退款的原因选择错误，那就需要客户修改退款原因，先其电话通知之后旺旺留言。

  # S1.14 质量问题退货退款成功后：旺旺要支付宝账号和姓名，从支付宝退邮费
  - id: S1.14
    title: 鞋有质量问题，操作退款后旺旺留言客户要其提供支付宝账号和对应的姓名，退邮费
    when:
      type: [return_and_refund]
      reason: [quality]
      status: [SUCCESS]
    checklist:
      - id: S1.14.alipay
        text: 旺旺留言客户，要其提供支付宝账号和对应的姓名
      - id: S1.14.pay
        text: 根据客户的地址和鞋的款式综合考虑邮费的金额，从支付宝退邮费给客户
    actions: [contact.wangwang, postage.compensate]
    templates: [ask_alipay_account]

  # S1.15 拒绝退款（降低退款率）：先了解订单的基本信息，根据聊天记录拒绝，同时电话说明原因
  - id: S1.15
    title: 拒绝退款前需要了解订单的基本信息，拒绝的同时电话联系客户说明原因
    when:
      shipped: true
      status: [WAIT_SELLER_AGREE, WAIT_SELLER_CONFIRM_GOODS]
    checklist:
      - id: S1.15.facts
        text: 了解订单的基本信息：客户签收时间、款式是否热卖款、单款评分
      - id: S1.15.problem
        text: 了解客户的问题，根据客户的聊天记录来拒绝退款
      - id: S1.15.phone
        text: 拒绝退款的同时电话联系客户，跟客户讲明确的原因为何拒绝退款，以免后期产生不必要的纠纷
    actions: [refund.refuse, contact.phone]
    guards: [GUARD_REFUSAL_FACTS_MISSING]
    templates: [explain_refusal]
    note: 拒绝时填写拒绝理由，并上传有效凭证（S2.8）。

  # S1.16 售后退款（交易成功后，降低退款的纠纷率）；S1.20 鞋是否穿着过，有什么问题，引导修改原因
  - id: S1.16
    title: 售后退款：切记退款的金额和退款的类型需要看清楚
    when:
      phase: [after_sale]
      status: [WAIT_SELLER_AGREE, WAIT_SELLER_CONFIRM_GOODS]
    checklist:
      - id: S1.16.amount
        text: 看清楚退款的金额和退款的类型
      - id: S1.16.facts
        text: 看客户签收时间、款式是否主推款式、客户之前的聊天记录
      - id: S1.16.problem
        text: 鞋是否穿着过：是质量问题，还是客户收到鞋发现的问题，还是穿着后出现的问题；根据客户的订单引导客户修改退款原因
    actions: [contact.phone, contact.wangwang, reason.correction, refund.agree, order.remark]
    guards: [GUARD_ALREADY_REFUNDED]
    templates: [ask_change_reason]

  # S1.16 售后退款 + 7天无理由：同意后备注“客户申请了售后退款”，以免后期重复退款（S1.20）
  - id: S1.16.7d
    title: 售后退款、7天无理由：同意退款申请后在订单上备注“客户申请了售后退款”
    when:
      phase: [after_sale]
      reason: [no_reason_7d]
      status: [WAIT_SELLER_AGREE, WAIT_BUYER_RETURN_GOODS, WAIT_SELLER_CONFIRM_GOODS, SUCCESS]
    checklist:
      - id: S1.16.remark
        text: 在订单上备注“客户申请了售后退款”，以免后期重复退款
        doneWhenRemark: 客户申请了售后退款
    actions: [refund.agree, order.remark]

  # S1.17 投诉：交易成功或交易关闭都可以投诉；最后的防线
  - id: S1.17
    title: 投诉：根据客户的基本信息结合客户申请退款原因来回复，回复官方不要说些多余的话
    when:
      status: [SELLER_REFUSE_BUYER, CLOSED, SUCCESS]
    actions: [complaint.open]
    note: 投诉也是根据客户的基本信息（客户签收时间，款式是否热卖款，单款评分，客户的问题，聊天记录）再结合客户申请退款原因针对来回复客户，不要很盲目地处理投诉。投诉是最后的防线。

  # S1.18 退变换：了解为什么不要了，推荐别的款式和活动，尽可能退变换
  - id: S1.18
    title: 退变换：了解客户为什么不要了，尽可能退变换来促进销售
    when:
      goodsStatus: [received]
      reason: [no_reason_7d, unwanted, wrong_order]
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.18.why
        text: 了解客户为什么不要了
      - id: S1.18.recommend
        text: 根据客户所需要的款式推荐、价格推荐、上脚效果推荐，告知店铺现在的活动
    actions: [contact.phone, contact.wangwang, retention.offer]

  # S1.19 客户未收到鞋拒签了：联系快递追件，联系客户说明清楚，备注以便对班和售前看
  - id: S1.19
    title: 客户拒签：联系快递追件，跟客户说明清楚之后再备注
    when:
      shipped: true
      remarkIncludes: 拒签
      status: [WAIT_SELLER_AGREE]
    checklist:
      - id: S1.19.recall
        text: 联系快递追件
        doneWhen: courier.recalled
      - id: S1.19.tell
        text: 联系客户，跟其客户说明清楚
        doneWhen: courier.recalled
      - id: S1.19.remark
        text: 在订单上备注追件，以便售后客服对班或者是售前看
        doneWhenRemark: 追件
    actions: [courier.recall, contact.phone, contact.wangwang, order.remark, refund.agree]

  # S2.8 卖家已拒绝：积极联系买家协商，关注退款状态和退款超时
  - id: S2.8
    title: 已拒绝退款：积极联系买家协商，并关注退款状态和退款超时
    when:
      shipped: true
      status: [SELLER_REFUSE_BUYER]
    checklist:
      - id: S2.8.negotiate
        text: 积极联系买家协商
    actions: [contact.phone, contact.wangwang, retention.offer]
    note: 若一直未协商一致，规定时间后可在退款详情页面点击“要求客服介入处理”，淘宝客服会在7个工作日内介入处理。
`;

/**
 * A rule set that names no guards: the platform's rules alone (S2, S3). The
 * demo shop's history was made under it, the engine's tests and the benchmark
 * run under it.
 */
export const platformOnlyRuleSetText = `name: 只用平台规则
rules:
  - id: S1.21
    title: 先看订单备注和聊天记录
    when: {}
    checklist:
      - id: S1.21.read
        text: 先看订单备注和聊天记录
`;

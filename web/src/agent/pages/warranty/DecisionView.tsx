/**
 * A 三包 decision as the agent shows it to the buyer (S4.2–S4.5): the remedy
 * first and big, the clause that decides it (id, title, the text quoted), the
 * period counted, the explanation in the reader's language (the other one a
 * click away), who pays which leg of the postage (S4.3), what the buyer must
 * send (S4.4), the host-only notice of an exchange (S4.5), the warnings, and
 * the rules considered (collapsed). Issue 13: the period says what it counts
 * from (the invoice, an exchange) and how it was extended (repair days, a
 * holiday), each with its clause and the article it rests on.
 */
import { Alert, Card, Collapse, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { WarrantyDecision } from '../../../shared/warranty-types.ts';
import { warrantyMessages } from './messages.ts';

type Clause = WarrantyDecision['clause'];

export const remedyColours: Record<string, string> = {
  return: 'green',
  exchange_host: 'green',
  exchange_accessory: 'green',
  free_repair: 'blue',
  paid_repair: 'orange',
  no_remedy: 'red',
};

export function ClauseBlock({ clause, testId, compact }: { clause: Clause; testId?: string; compact?: boolean }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  return (
    <div data-testid={testId} className="warranty-clause" style={{ borderLeft: '3px solid #1677ff', padding: '4px 12px', margin: '4px 0 8px', background: '#f5f9ff' }}>
      <Space wrap size={4}>
        <Typography.Text strong>{lang === 'en' ? clause.titleEn : clause.titleZh}</Typography.Text>
        <Tag>{clause.rule}</Tag>
        <Typography.Text type="secondary" code data-testid={testId ? `${testId}-id` : undefined}>
          {clause.id}
        </Typography.Text>
        {!compact ? <Tag color={clause.source === 'seed' ? 'geekblue' : clause.source === 'national' ? 'purple' : 'default'}>{m[`source_${clause.source}`]}</Tag> : null}
      </Space>
      <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} lang="zh-CN">
        {clause.textZh}
      </Typography.Paragraph>
      {clause.citation ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={testId ? `${testId}-citation` : undefined}>
          {fmt(m.citation, { citation: clause.citation })}
        </Typography.Text>
      ) : null}
    </div>
  );
}

export function DecisionView({ decision }: { decision: WarrantyDecision }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const en = lang === 'en';
  const remedyName = (r: string) => m[`remedy_${r}` as 'remedy_return'] ?? r;
  const explanation = en ? decision.explanation.en : decision.explanation.zh;
  const otherExplanation = en ? decision.explanation.zh : decision.explanation.en;

  return (
    <div data-testid="decision">
      <Card size="small" style={{ marginBottom: 12, borderColor: decision.remedy === 'no_remedy' ? '#ffa39e' : '#b7eb8f' }}>
        <Typography.Text type="secondary">{m.decisionRemedy}</Typography.Text>
        <Typography.Title level={2} style={{ margin: '4px 0 8px' }} data-testid="decision-remedy">
          <Tag color={remedyColours[decision.remedy]} style={{ fontSize: 20, padding: '4px 12px', lineHeight: '30px' }}>
            {remedyName(decision.remedy)}
          </Tag>
          {decision.status === 'needs_confirmation' ? <Tag color="gold">{m.needsConfirmation}</Tag> : null}
        </Typography.Title>
        {decision.options.length > 1 ? (
          <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="decision-options">
            {m.buyerMayChoose}{' '}
            {decision.options.map((o) => (
              <Tag key={o} color={remedyColours[o]}>
                {remedyName(o)}
              </Tag>
            ))}
          </Typography.Paragraph>
        ) : null}
        <Typography.Text type="secondary">{m.decidingClause}</Typography.Text>
        <ClauseBlock clause={decision.clause} testId="decision-clause" />
        {decision.period ? (
          <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="decision-period">
            {fmt(m.periodLine, {
              from: m[`from_${decision.period.startsAt ?? decision.period.from}` as 'from_purchase'],
              start: decision.period.start,
              day: decision.period.dayNumber,
              period: en ? decision.period.labelEn : decision.period.labelZh,
              last: decision.period.lastDay,
            })}{' '}
            <Tag color={decision.period.within ? 'green' : 'red'}>{decision.period.within ? m.withinPeriod : m.pastPeriod}</Tag>
            {decision.period.extended && decision.period.extended.nominalLastDay !== decision.period.lastDay ? (
              <Typography.Text type="secondary">{fmt(m.periodExtended, { nominal: decision.period.extended.nominalLastDay })}</Typography.Text>
            ) : null}
          </Typography.Paragraph>
        ) : null}
        {decision.periodBasis?.length ? (
          <div data-testid="decision-period-basis" style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary">{m.periodBasisTitle}</Typography.Text>
            {decision.periodBasis.map((b) => (
              <div key={b.code}>
                <Typography.Paragraph style={{ margin: '4px 0 0' }}>{en ? b.en : b.zh}</Typography.Paragraph>
                <ClauseBlock clause={b.clause} compact testId={`period-basis-${b.code}`} />
              </div>
            ))}
          </div>
        ) : null}
        <Typography.Paragraph style={{ marginBottom: 4 }} data-testid="decision-explanation">
          {explanation}
        </Typography.Paragraph>
        <Collapse
          size="small"
          ghost
          items={[{ key: 'other', label: en ? m.explanationZh : m.explanationEn, children: <Typography.Paragraph lang={en ? 'zh-CN' : 'en'}>{otherExplanation}</Typography.Paragraph> }]}
        />
      </Card>

      {decision.ifConfirmed ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="decision-if-confirmed"
          title={fmt(m.ifConfirmed, {
            by: decision.ifConfirmed.acceptedBy.map((b) => m[`confirmer_${b}`]).join(m.or),
            remedy: remedyName(decision.ifConfirmed.remedy),
          })}
          description={<ClauseBlock clause={decision.ifConfirmed.clause} compact />}
        />
      ) : null}

      {decision.warnings.map((w) => (
        <Alert key={w.code} type="warning" showIcon style={{ marginBottom: 12 }} title={en ? w.en : w.zh} description={<ClauseBlock clause={w.clause} compact />} />
      ))}

      {decision.hostOnly ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="decision-host-only"
          title={m.hostOnlyTitle}
          description={
            <>
              <ClauseBlock clause={decision.hostOnly.clause} compact />
              <ClauseBlock clause={decision.hostOnly.boxNotice} compact />
            </>
          }
        />
      ) : null}

      <Card size="small" title={m.postageTitle} style={{ marginBottom: 12 }} data-testid="decision-postage">
        <Typography.Paragraph style={{ marginBottom: 8 }}>
          {en ? decision.postage.en : decision.postage.zh}{' '}
          <Typography.Text type="secondary" code>
            {decision.postage.clauseId}
          </Typography.Text>
        </Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="leg"
          dataSource={[...decision.postage.legs]}
          columns={[
            { key: 'leg', title: m.postageLeg, render: (_, l) => m[`leg_${l.leg}`] },
            { key: 'payer', title: m.postagePayer, render: (_, l) => <Tag color={l.payer === 'shop' ? 'green' : l.payer === 'buyer' ? 'orange' : 'blue'}>{m[`payer_${l.payer}`]}</Tag> },
            { key: 'buyer', title: m.postageBuyerShare, align: 'right', render: (_, l) => `${l.buyerPercent}%` },
            { key: 'shop', title: m.postageShopShare, align: 'right', render: (_, l) => `${l.shopPercent}%` },
          ]}
        />
      </Card>

      <Card size="small" title={m.mustSendTitle} style={{ marginBottom: 12 }} data-testid="decision-must-send">
        {decision.mustSend.items.length === 0 ? (
          <Typography.Paragraph type="secondary">{m.mustSendNothing}</Typography.Paragraph>
        ) : (
          <ul style={{ paddingInlineStart: 20, margin: '0 0 8px' }}>
            {decision.mustSend.items.map((i) => (
              <li key={i.item}>{en ? i.en : i.zh}</li>
            ))}
          </ul>
        )}
        <ClauseBlock clause={decision.mustSend.clause} compact />
      </Card>

      <Collapse
        size="small"
        data-testid="decision-considered"
        items={[
          {
            key: 'considered',
            label: fmt(m.consideredTitle, { n: decision.considered.length }),
            children:
              decision.considered.length === 0 ? (
                <Typography.Text type="secondary">{m.consideredNone}</Typography.Text>
              ) : (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {decision.considered.map((c) => (
                    <Descriptions
                      key={c.ruleId}
                      size="small"
                      bordered
                      column={1}
                      title={
                        <Space>
                          <Typography.Text code>{c.ruleId}</Typography.Text>
                          <Tag color={c.holds ? 'green' : 'default'}>{c.holds ? m.ruleHolds : m.ruleFails}</Tag>
                        </Space>
                      }
                      items={[
                        { key: 'clause', label: m.clause, children: <Typography.Text code>{c.clauseId}</Typography.Text> },
                        ...(c.period
                          ? [{ key: 'period', label: m.period, children: fmt(m.periodShort, { day: c.period.dayNumber, start: c.period.start, last: c.period.lastDay }) }]
                          : []),
                        ...(c.reasons.length
                          ? [
                              {
                                key: 'reasons',
                                label: m.reasons,
                                children: (
                                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                                    {c.reasons.map((r) => (
                                      <li key={r.code}>{en ? r.en : r.zh}</li>
                                    ))}
                                  </ul>
                                ),
                              },
                            ]
                          : []),
                      ]}
                    />
                  ))}
                </Space>
              ),
          },
        ]}
      />
    </div>
  );
}

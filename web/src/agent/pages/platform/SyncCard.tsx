/** 同步状态: one card per stream (orders, refunds, push messages) — its phase, the backfill's progress, records, rate, time left, last success and error. */
import { Card, Col, Empty, Progress, Row, Space, Tag, Typography } from 'antd';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { platformMessages } from './messages.ts';
import { durationWords, type StreamView } from './model.ts';

const order = { orders: 0, refunds: 1, tmc: 2 } as const;
const phaseColour = { backfill: 'processing', incremental: 'green', paused: 'default' } as const;

export function SyncCard({ streams, polling }: { streams: StreamView[]; polling: boolean }) {
  const m = useMessages(platformMessages);
  return (
    <Card
      size="small"
      title={m.syncTitle}
      style={{ marginBottom: 16 }}
      data-testid="sync-card"
      extra={polling ? <Typography.Text type="secondary">{m.polling}</Typography.Text> : null}
    >
      {streams.length === 0 ? (
        <Empty description={m.noStreams} />
      ) : (
        <Row gutter={[12, 12]}>
          {[...streams]
            .sort((a, b) => order[a.stream] - order[b.stream])
            .map((s) => (
              <Col xs={24} md={8} key={s.stream}>
                <StreamCard stream={s} />
              </Col>
            ))}
        </Row>
      )}
    </Card>
  );
}

function StreamCard({ stream: s }: { stream: StreamView }) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const percent = s.windowsTotal > 0 ? Math.min(100, Math.floor((s.windowsDone / s.windowsTotal) * 100)) : 0;
  return (
    <Card
      type="inner"
      size="small"
      title={m[`stream_${s.stream}`]}
      extra={
        <Tag color={phaseColour[s.phase]} data-testid={`phase-${s.stream}`}>
          {m[`phase_${s.phase}`]}
        </Tag>
      }
      data-testid={`stream-${s.stream}`}
      style={{ height: '100%' }}
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        {s.phase === 'backfill' && (
          <>
            <Progress percent={percent} size="small" status="active" aria-label={fmt(m.progress, { done: s.windowsDone, total: s.windowsTotal })} />
            <Typography.Text>{fmt(m.progress, { done: s.windowsDone, total: s.windowsTotal })}</Typography.Text>
            <Typography.Text type="secondary">{s.etaSeconds !== null ? fmt(m.eta, { text: durationWords(s.etaSeconds, lang) }) : m.etaUnknown}</Typography.Text>
          </>
        )}
        {s.stream === 'tmc' && <Typography.Text type="secondary">{m.tmcHelp}</Typography.Text>}
        <Typography.Text>
          {fmt(m.records, { n: s.records.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN') })}
          {s.ratePerMinute !== null && s.ratePerMinute > 0 ? ` · ${fmt(m.rate, { n: s.ratePerMinute })}` : ''}
        </Typography.Text>
        <Typography.Text type="secondary">{s.lastOkAt ? fmt(m.lastOk, { time: dateTime(s.lastOkAt, lang, true) }) : s.stream === 'tmc' ? m.tmcNoneYet : m.lastOkNever}</Typography.Text>
        {s.lastError && (
          <Typography.Text type="danger" style={{ wordBreak: 'break-word' }}>
            {fmt(m.lastError, { text: s.lastError })}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}

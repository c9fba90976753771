/**
 * S1.1 the batch on paper for the warehouse's morning: a clean table of the
 * orders to void, with a box per order to tick and a signature line. The menu
 * and header do not print (base.css); the buttons here are "no-print".
 */
import { Alert, Button, Space, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { batchFileUrl, batchStateText, lineStatusText, type Batch } from './batch.ts';
import { warehouseMessages } from './messages.ts';

export const printSheetCss = `
.print-sheet { max-width: 960px; margin: 0 auto; background: #fff; padding: 24px; color: #000; }
.print-sheet h1 { font-size: 22px; margin: 0 0 6px; text-align: center; letter-spacing: 2px; }
.print-sheet .print-meta { text-align: center; margin-bottom: 16px; font-size: 13px; }
.print-sheet table { width: 100%; border-collapse: collapse; font-size: 14px; }
.print-sheet th, .print-sheet td { border: 1px solid #000; padding: 6px 8px; text-align: left; vertical-align: top; }
.print-sheet th { background: #f2f2f2; font-weight: 600; }
.print-sheet td.num, .print-sheet th.num { text-align: right; font-variant-numeric: tabular-nums; }
.print-sheet .print-foot { margin-top: 24px; display: flex; justify-content: space-between; gap: 16px; font-size: 13px; flex-wrap: wrap; }
.print-sheet .print-box { display: inline-block; width: 12px; height: 12px; border: 1px solid #000; margin: 0 4px 0 10px; vertical-align: -1px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body, .ant-layout, .ant-layout-content { background: #fff !important; }
  .ant-message, .ant-notification { display: none !important; }
  .print-sheet { max-width: none; padding: 0; }
  .print-sheet th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .print-sheet tr { break-inside: avoid; }
}
`;

export function BatchPrint() {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const { id } = useParams();
  const batchId = Number(id);
  const { data: batch, error, loading } = useLoad(
    (signal) => (Number.isInteger(batchId) && batchId > 0 ? get<Batch>(`/unshipped-batches/${batchId}`, undefined, signal) : Promise.resolve(null)),
    [batchId],
  );

  const toolbar = (
    <Space className="no-print" style={{ marginBottom: 16 }} wrap>
      <Link to="/warehouse?tab=batch">{m.back}</Link>
      {batch && (
        <>
          <Button type="primary" onClick={() => window.print()}>
            {m.print}
          </Button>
          <Button href={batchFileUrl(batch.id, 'csv')} download>
            {m.downloadCsv}
          </Button>
          <Button href={batchFileUrl(batch.id, 'xlsx')} download>
            {m.downloadXlsx}
          </Button>
        </>
      )}
    </Space>
  );

  if (loading && !batch) return <Spin style={{ margin: 48 }} />;
  if (error || !batch) {
    return (
      <>
        {toolbar}
        <Alert type="error" showIcon title={error ? errorText(error, lang) : m.printNotFound} />
      </>
    );
  }

  const total = batch.lines.reduce((sum, l) => sum + l.amountFen, 0);
  return (
    <>
      <style>{printSheetCss}</style>
      {toolbar}
      <article className="print-sheet" data-testid="batch-print">
        <h1>{fmt(m.printTitle, { date: batch.businessDate })}</h1>
        <div className="print-meta">
          {fmt(m.printMeta, { cutoff: dateTime(batch.cutoffAt, lang), state: batchStateText(batch.status, m), count: batch.lines.length, total: yuan(total) })}
        </div>
        <table>
          <thead>
            <tr>
              <th className="num">{m.printIndex}</th>
              <th>{m.lineOrderNo}</th>
              <th>{m.lineRefund}</th>
              <th className="num">{m.lineAmount}</th>
              <th>{m.printWarehouse}</th>
            </tr>
          </thead>
          <tbody>
            {batch.lines.map((line, i) => (
              <tr key={line.refundId}>
                <td className="num">{i + 1}</td>
                <td>{line.orderNo}</td>
                <td>#{line.refundId}</td>
                <td className="num">{yuan(line.amountFen)}</td>
                <td>
                  {line.status === 'pending' ? (
                    <span>
                      <span className="print-box" aria-hidden />
                      {m.lineVoided}
                      <span className="print-box" aria-hidden />
                      {m.lineShipped} ____________
                    </span>
                  ) : (
                    `${lineStatusText(line.status, m)} ${dateTime(line.markedAt, lang)}`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="print-foot">
          <span>{m.printSigned}</span>
          <span>{fmt(m.printPrintedAt, { at: dateTime(new Date().toISOString(), lang) })}</span>
        </div>
        <p style={{ fontSize: 12, marginTop: 12 }}>{m.printNote}</p>
      </article>
    </>
  );
}

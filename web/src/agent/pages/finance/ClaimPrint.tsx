/**
 * S1.7 the claim form (索赔单) on paper, as the seed lays it out: order number,
 * item code and size, tracking number and courier, item price; a box for
 * finance's stamp; original to the warehouse, copy to finance; the buyer's
 * choice (reship or refund and re-order). The menu and buttons do not print.
 */
import { Alert, Button, Space, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { buyerChoiceText, statusText } from './describe.tsx';
import { financeMessages } from './messages.ts';
import type { Claim, SideRecordDetail } from './records.ts';

const css = `
.claim-sheet { max-width: 760px; margin: 0 auto; background: #fff; color: #000; padding: 28px 32px; border: 1px solid #d9d9d9; }
.claim-sheet h1 { text-align: center; font-size: 26px; letter-spacing: 8px; margin: 0 0 4px; }
.claim-sheet .shop { text-align: center; font-size: 14px; margin-bottom: 14px; }
.claim-sheet .meta { display: flex; justify-content: space-between; font-size: 13px; margin-bottom: 8px; }
.claim-sheet table { width: 100%; border-collapse: collapse; font-size: 15px; }
.claim-sheet th, .claim-sheet td { border: 1px solid #000; padding: 10px 12px; text-align: left; }
.claim-sheet th { width: 28%; background: #f5f5f5; font-weight: 600; }
.claim-sheet .mono { font-family: ui-monospace, Menlo, Consolas, monospace; letter-spacing: .5px; }
.claim-sheet .stamp { height: 110px; position: relative; }
.claim-sheet .stamp-note { position: absolute; right: 12px; bottom: 8px; font-size: 12px; }
.claim-sheet .flow { font-size: 12px; margin-top: 14px; line-height: 1.7; }
.claim-sheet .signs { display: flex; justify-content: space-between; flex-wrap: wrap; gap: 12px; margin-top: 22px; font-size: 14px; }
@media print {
  @page { size: A5 landscape; margin: 10mm; }
  body, .ant-layout, .ant-layout-content { background: #fff !important; }
  .ant-message, .ant-notification { display: none !important; }
  .claim-sheet { border: none; padding: 0; max-width: none; }
  .claim-sheet th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export function ClaimPrint() {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const { shop } = useSignedIn();
  const { id } = useParams();
  const claimId = Number(id);
  const { data, error, loading } = useLoad(
    (signal) => (Number.isInteger(claimId) && claimId > 0 ? get<SideRecordDetail<'claim'>>(`/records/claim/${claimId}`, undefined, signal) : Promise.resolve(null)),
    [claimId],
  );

  const toolbar = (
    <Space className="no-print" style={{ marginBottom: 16 }} wrap>
      <Link to="/finance?tab=claims">{m.printBack}</Link>
      {data && (
        <Button type="primary" onClick={() => window.print()}>
          {m.print}
        </Button>
      )}
    </Space>
  );
  if (loading && !data) return <Spin style={{ margin: 48 }} />;
  if (error || !data) {
    return (
      <>
        {toolbar}
        <Alert type="error" showIcon title={error ? errorText(error, lang) : m.printNotFound} />
      </>
    );
  }
  const c: Claim = data.data;
  const day = (iso: string) => dateTime(iso, lang).slice(0, 10);
  return (
    <>
      <style>{css}</style>
      {toolbar}
      <article className="claim-sheet" data-testid="claim-print">
        <h1>{m.printTitle}</h1>
        <div className="shop">{shop?.name}</div>
        <div className="meta">
          <span>{fmt(m.printNo, { id: data.id })}</span>
          <span>{fmt(m.printStatus, { status: statusText('claim', data.status, m) })}</span>
          <span>{fmt(m.printOpened, { date: day(c.openedAt) })}</span>
        </div>
        <table>
          <tbody>
            <tr>
              <th>{m.printOrderNo}</th>
              <td className="mono">{data.orderNo ?? c.orderNo}</td>
            </tr>
            <tr>
              <th>{m.printSku}</th>
              <td className="mono">{c.sku}</td>
            </tr>
            <tr>
              <th>{m.printSize}</th>
              <td>{c.size}</td>
            </tr>
            <tr>
              <th>{m.printTracking}</th>
              <td>
                <span className="mono">{c.trackingNo}</span> {c.courier}
              </td>
            </tr>
            <tr>
              <th>{m.printPrice}</th>
              <td>{yuan(c.itemPriceFen)}</td>
            </tr>
            <tr>
              <th>{m.printBuyerChoice}</th>
              <td>{c.buyerChoice ? buyerChoiceText(c.buyerChoice, m) : m.printChoiceBoxes}</td>
            </tr>
            <tr>
              <th>{m.printStamp}</th>
              <td className="stamp">{c.stampedAt && <span className="stamp-note">{fmt(m.printStampedAt, { at: dateTime(c.stampedAt, lang) })}</span>}</td>
            </tr>
          </tbody>
        </table>
        <div className="signs">
          <span>{m.printHandler}</span>
          <span>{m.printFinance}</span>
          <span>{m.printWarehouse}</span>
        </div>
        <div className="flow">
          <div>{m.printCopies}</div>
          <div>{m.printFlow}</div>
        </div>
      </article>
    </>
  );
}

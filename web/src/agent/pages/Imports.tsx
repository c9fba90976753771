/**
 * 导入 (supervisor, admin; issue 14 §1): the platform's order report or refund
 * report into shouhou. Choose the kind and the export's time, drop the file
 * (XLSX or CSV); when its headers match no known layout, map them (and keep
 * the mapping by name); the preview runs in the background with a progress
 * bar (polled every second) and lists every row's outcome — 新增, 更新, 不变,
 * 跳过, 错误 with each reason in words and its column; then the import, after a
 * confirmation, with its progress; the result downloads as XLSX. The job's id
 * is in the address (?job=), so a reload or another tab finds it again.
 */
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Form, Progress, Radio, Row, Space, Spin, Statistic, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, get, newIdempotencyKey, post } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { dateTime } from '../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { usePolling } from '../../shared/use-polling.ts';
import { MappingCard } from './import/MappingCard.tsx';
import { importMessages } from './import/messages.ts';
import { isRunning, jobStatusColour, outcomeColour, outcomes, reportUrl, uploadErrorText, word, type ImportJob, type ImportPreset, type Kind } from './import/model.ts';
import { PreviewTable } from './import/PreviewTable.tsx';
import { RecentImports } from './import/RecentImports.tsx';

const POLL_MS = 1000;
const MAX_MB = 100;

export default function Imports() {
  const m = useMessages(importMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [params, setParams] = useSearchParams();
  const jobId = Number(params.get('job')) || null;
  const [kind, setKind] = useState<Kind>('orders');
  const [exportedAt, setExportedAt] = useState<Dayjs | null>(() => dayjs().second(0).millisecond(0));
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [remap, setRemap] = useState(false);
  const [listTick, setListTick] = useState(0);

  const presets = useLoad((signal) => get<ImportPreset[]>('/imports/presets', undefined, signal), []);
  const recent = useLoad((signal) => get<ImportJob[]>('/imports', { limit: 20 }, signal), [listTick]);
  const loaded = useLoad((signal) => (jobId ? get<ImportJob>(`/imports/${jobId}`, undefined, signal) : Promise.resolve(null)), [jobId]);
  const job = loaded.data ?? null;
  const running = isRunning(job);
  usePolling(running, loaded.reload, POLL_MS);
  // the list follows what happens to the open job
  const jobStatus = job?.status;
  useEffect(() => setListTick((t) => t + 1), [jobStatus]);

  const open = useCallback(
    (id: number | null) => {
      setRemap(false);
      setUploadError(null);
      setParams(id ? { job: String(id) } : {}, { replace: false });
    },
    [setParams],
  );

  const upload = async (file: File) => {
    setUploadError(null);
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      setUploadError(m.wrongType);
      return;
    }
    if (file.size > MAX_MB * 1024 * 1024) {
      setUploadError(fmt(m.tooBig, { mb: MAX_MB }));
      return;
    }
    if (!exportedAt) {
      setUploadError(m.exportedAtRequired);
      return;
    }
    setUploading(file.name);
    try {
      const created = await api<ImportJob>('POST', '/imports', {
        query: { kind, fileName: file.name, exportedAt: exportedAt.toDate().toISOString() },
        raw: { data: file, contentType: 'application/octet-stream' },
      });
      // headers that match: straight to the preview; else the mapping step
      if (created.missing.length === 0) await post<ImportJob>(`/imports/${created.id}/preview`, {}, newIdempotencyKey());
      open(created.id);
    } catch (err) {
      setUploadError(uploadErrorText(err, m, lang));
    } finally {
      setUploading(null);
    }
  };

  const preview = async (mapping?: Record<string, string>, saveAs?: string) => {
    if (!job) return;
    setBusy(true);
    try {
      await post<ImportJob>(`/imports/${job.id}/preview`, { ...(mapping ? { mapping } : {}), ...(saveAs ? { saveAs } : {}) }, newIdempotencyKey());
      setRemap(false);
      loaded.reload();
    } catch (err) {
      message.error(uploadErrorText(err, m, lang));
    } finally {
      setBusy(false);
    }
  };

  const commit = () => {
    if (!job) return;
    const c = job.counts;
    const good = c.new + c.updated + c.unchanged;
    modal.confirm({
      title: m.commitTitle,
      content: (
        <div data-testid="commit-confirm-text">
          <p style={{ margin: '4px 0' }}>{fmt(m.commitText, { good, new: c.new, updated: c.updated })}</p>
          {c.error > 0 && <p style={{ margin: '4px 0' }}>{fmt(m.commitErrors, { errors: c.error })}</p>}
          {c.skipped > 0 && <p style={{ margin: '4px 0' }}>{fmt(m.commitSkipped, { skipped: c.skipped })}</p>}
          <p style={{ margin: '4px 0' }}>{m.commitUndo}</p>
        </div>
      ),
      okText: m.commitOk,
      cancelText: lang === 'en' ? 'Cancel' : '取消',
      okButtonProps: { 'data-testid': 'commit-confirm' },
      onOk: async () => {
        try {
          await post<ImportJob>(`/imports/${job.id}/commit`, {}, newIdempotencyKey());
          loaded.reload();
        } catch (err) {
          message.error(errorText(err, lang));
        }
      },
    });
  };

  const cancel = async () => {
    if (!job) return;
    setBusy(true);
    try {
      await post<ImportJob>(`/imports/${job.id}/cancel`, {}, newIdempotencyKey());
      message.success(m.cancelled);
      open(null);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const preset = presets.data?.find((p) => p.kind === job?.kind);
  const showUpload = !job || job.status === 'cancelled';

  return (
    <div data-testid="imports-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>

      {showUpload ? (
        <Card size="small" title={m.uploadTitle} style={{ marginBottom: 16 }} data-testid="upload-card">
          <Form layout="vertical">
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item label={m.kind} extra={m.kindHelp}>
                  <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as Kind)} optionType="button" buttonStyle="solid" data-testid="import-kind">
                    <Radio.Button value="orders">{m.kind_orders}</Radio.Button>
                    <Radio.Button value="refunds">{m.kind_refunds}</Radio.Button>
                  </Radio.Group>
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={m.exportedAt} extra={m.exportedAtHelp} required>
                  <DatePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    value={exportedAt}
                    onChange={(v) => setExportedAt(v ? v.second(0).millisecond(0) : null)}
                    disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                    style={{ width: '100%', maxWidth: 260 }}
                    aria-label={m.exportedAt}
                    data-testid="exported-at"
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            disabled={uploading !== null}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
            data-testid="import-drop"
          >
            <p className="ant-upload-drag-icon">{uploading ? <Spin /> : <FileIcon />}</p>
            <p className="ant-upload-text">{uploading ? fmt(m.uploading, { name: uploading }) : m.drop}</p>
            <p className="ant-upload-hint">{fmt(m.dropHint, { mb: MAX_MB })}</p>
          </Upload.Dragger>
          {uploadError && <Alert type="error" showIcon title={uploadError} style={{ marginTop: 12 }} data-testid="upload-error" />}
        </Card>
      ) : (
        <Space style={{ marginBottom: 12 }} wrap>
          <Button onClick={() => open(null)} data-testid="import-another">
            {m.another}
          </Button>
        </Space>
      )}

      {jobId !== null && loaded.error !== undefined && (
        <Alert type="error" showIcon title={m.loadFailed} description={errorText(loaded.error, lang)} action={<Button onClick={loaded.reload}>{m.reload}</Button>} style={{ marginBottom: 16 }} />
      )}

      {job && job.status !== 'cancelled' && (
        <JobSummary job={job} />
      )}

      {job && preset && (job.status === 'uploaded' || (remap && job.status === 'previewed')) && <MappingCard key={job.id} job={job} preset={preset} busy={busy} onSubmit={(mapping, saveAs) => void preview(mapping, saveAs)} />}

      {job && running && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="import-progress">
          <Typography.Paragraph>{job.status === 'committing' ? m.committing : m.previewing}</Typography.Paragraph>
          <Progress
            percent={job.totalRows > 0 ? Math.min(99, Math.floor((job.processedRows / job.totalRows) * 100)) : 0}
            status="active"
            aria-label={fmt(m.progress, { done: job.processedRows, total: job.totalRows })}
          />
          <Typography.Text type="secondary">{fmt(m.progress, { done: job.processedRows.toLocaleString(), total: job.totalRows.toLocaleString() })}</Typography.Text>
        </Card>
      )}

      {job && job.status === 'failed' && job.failure && (
        <Alert
          type="error"
          showIcon
          title={m.failedTitle}
          description={job.failure[lang]}
          style={{ marginBottom: 16 }}
          data-testid="import-failed"
          action={
            job.stage === 'commit' ? (
              <Button onClick={() => void post(`/imports/${job.id}/commit`, {}, newIdempotencyKey()).then(loaded.reload)}>{m.continueCommit}</Button>
            ) : (
              <Button onClick={() => void preview()}>{m.previewAgain}</Button>
            )
          }
        />
      )}

      {job && job.status === 'previewed' && !remap && (
        <Card size="small" title={m.previewTitle} style={{ marginBottom: 16 }} data-testid="preview-card">
          {job.counts.error > 0 && <Alert type="warning" showIcon title={m.errorsExplain} style={{ marginBottom: 12 }} />}
          {job.counts.new + job.counts.updated === 0 && job.counts.unchanged === 0 && <Alert type="error" showIcon title={m.nothingToCommit} style={{ marginBottom: 12 }} />}
          <PreviewTable job={job} />
          <Space wrap style={{ marginTop: 12 }}>
            <Button type="primary" onClick={commit} disabled={job.counts.new + job.counts.updated + job.counts.unchanged === 0} data-testid="commit">
              {m.commit}
            </Button>
            <Button href={reportUrl(job.id, lang)} data-testid="download-preview">
              {m.downloadPreview}
            </Button>
            <Button onClick={() => setRemap(true)}>{m.remap}</Button>
            <Button danger onClick={() => void cancel()} loading={busy}>
              {m.cancelImport}
            </Button>
          </Space>
        </Card>
      )}

      {job && job.status === 'committed' && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="result-card">
          <Alert
            type={job.counts.error > 0 ? 'warning' : 'success'}
            showIcon
            title={<strong>{m.doneTitle}</strong>}
            description={[fmt(m.doneText, { new: job.counts.new, updated: job.counts.updated, unchanged: job.counts.unchanged }), ...(job.counts.error > 0 ? [fmt(m.doneErrors, { errors: job.counts.error })] : [])].join(lang === 'en' ? ' ' : '')}
            style={{ marginBottom: 12 }}
            data-testid="result-alert"
          />
          <Space wrap style={{ marginBottom: 12 }}>
            <Button type="primary" href={reportUrl(job.id, lang)} data-testid="download-result">
              {m.downloadResult}
            </Button>
            {job.counts.error > 0 && <Button href={reportUrl(job.id, lang, 'error')}>{m.downloadErrors}</Button>}
          </Space>
          <PreviewTable job={job} />
        </Card>
      )}

      {recent.data && <RecentImports jobs={recent.data} current={jobId} onOpen={(id) => open(id)} />}
    </div>
  );
}

/** The open job in one line: its file, kind, export time and, once known, its counts. */
function JobSummary({ job }: { job: ImportJob }) {
  const m = useMessages(importMessages);
  const { lang } = useLang();
  const counted = job.status !== 'uploaded' && job.status !== 'uploading';
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="job-summary">
      <Row gutter={[24, 12]} align="middle">
        <Col xs={24} md={10}>
          <Typography.Text strong>{job.fileName}</Typography.Text>
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {word(m, `kind_${job.kind}`)} · {m.exportedAt} {dateTime(job.exportedAt, lang)} · <Tag color={jobStatusColour[job.status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="job-status">{word(m, `status_${job.status}`, job.status)}</Tag>
          </Typography.Text>
        </Col>
        {counted &&
          outcomes
            .filter((o) => o !== 'skipped' || job.counts.skipped > 0)
            .map((o) => (
              <Col key={o} xs={8} md={2}>
                <Statistic title={<Tag color={outcomeColour[o]}>{word(m, `outcome_${o}`)}</Tag>} value={job.counts[o]} data-testid={`count-${o}`} />
              </Col>
            ))}
      </Row>
    </Card>
  );
}

/** A spreadsheet with an arrow: the drop zone's picture. */
function FileIcon() {
  return (
    <svg width="48" height="48" viewBox="0 0 48 48" aria-hidden="true" style={{ color: 'var(--ant-color-primary, #1677ff)' }}>
      <path d="M12 4h17l9 9v31H12z" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" />
      <path d="M29 4v9h9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" />
      <path d="M25 38V22m-6 6 6-6 6 6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

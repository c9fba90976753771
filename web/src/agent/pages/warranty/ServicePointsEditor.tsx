/**
 * The supervisor's editor of the service-point directory and the card's
 * return contact (S4.1; GET/PUT /service-points). The directory is Hebei's 11
 * cities × the brands of S4.1, placeholders (待补充) until the shop fills them:
 * a table filtered by city, brand and status, each row edited in place (a new
 * point, a placeholder filled in and made active, an active point marked to be
 * filled again). The phone numbers are checked here first (a mobile, a
 * landline with its area code, a 400/800 number), and an active point needs
 * a name and an address — the card lists only those. Saving sends the whole
 * directory with the contact as the next version; a 422
 * SERVICE_POINTS_INVALID lists the server's problems.
 */
import { Alert, App as AntApp, Button, Card, Col, Form, Input, Popconfirm, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { normalizePhone } from '../../../../../src/core/service/archive.ts';
import type { ServicePointDirectory } from '../../../../../src/core/warranty/service-points.ts';
import { ApiError, get, put } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import type { ReturnContact, ServicePoint } from '../../../shared/warranty-types.ts';
import { problemText, settingsMessages } from './settings-messages.ts';

/** GET/PUT /service-points */
interface PointsAnswer {
  version: number;
  directory: ServicePointDirectory;
  returnContact: ReturnContact;
  updatedAt: string | null;
}

type Status = ServicePoint['status'];
interface RowValues {
  city: string;
  brandId: string;
  status: Status;
  name?: string | null;
  address?: string | null;
  phone?: string | null;
  hours?: string | null;
}
interface ContactValues {
  address: string;
  consignee: string;
  phone?: string | null;
  hotline?: string | null;
}

const PAGE_SIZE = 10;
const blank = (v: string | null | undefined) => !v || !v.trim();
const orNull = (v: string | null | undefined) => (blank(v) ? null : v!.trim());

/** A phone a card may print: a mobile, a landline with its area code, a 400/800 number (src/core/service/archive.ts). */
export function phoneOk(value: string | null | undefined): boolean {
  return blank(value) || normalizePhone(value!) !== null;
}

/** What the page can tell before sending: an active point without a name or an address, a phone no one can call. */
function localProblems(points: readonly ServicePoint[], words: { activeNeeds: string; badPhone: string }, nameOf: (p: ServicePoint) => string): string[] {
  const problems: string[] = [];
  for (const p of points) {
    if (p.status === 'active' && (blank(p.name) || blank(p.address))) problems.push(fmt(words.activeNeeds, { point: nameOf(p) }));
    if (!phoneOk(p.phone)) problems.push(fmt(words.badPhone, { point: nameOf(p), phone: p.phone ?? '' }));
  }
  return problems;
}

export function ServicePointsEditor() {
  const m = useMessages(settingsMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [tick, setTick] = useState(0);
  const current = useLoad((signal) => get<PointsAnswer>('/service-points', undefined, signal), [tick]);
  const loaded = current.data;
  const [draft, setDraft] = useState<readonly ServicePoint[] | null>(null);
  const [contactDirty, setContactDirty] = useState(false);
  const [editing, setEditing] = useState<{ id: string; isNew: boolean } | null>(null);
  const [cityFilter, setCityFilter] = useState<string | null>(null);
  const [brandFilter, setBrandFilter] = useState<string | null>(null);
  const [statusFilter, setStatusFilter] = useState<Status | null>(null);
  const [page, setPage] = useState(1);
  const [saving, setSaving] = useState(false);
  /** a refused save; its words are made at render time, so they follow the language chosen */
  const [failure, setFailure] = useState<{ summary: (lang: Lang) => string; problems: (lang: Lang) => string[] } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [rowForm] = Form.useForm<RowValues>();
  const [contactForm] = Form.useForm<ContactValues>();

  // the contact form's store outlives its remounts: put the loaded contact in it (after a save or a revert)
  useEffect(() => {
    if (loaded) contactForm.resetFields();
  }, [contactForm, loaded, formKey]);

  const points = useMemo(() => draft ?? loaded?.directory.points ?? [], [draft, loaded]);
  const brands = useMemo(() => loaded?.directory.brands ?? [], [loaded]);
  const cities = useMemo(() => (loaded?.directory.regions ?? []).flatMap((r) => r.cities.map((c) => ({ province: r.province, city: c }))), [loaded]);
  const brandName = (id: string, l: Lang = lang) => {
    const b = brands.find((x) => x.id === id);
    return b ? (l === 'en' ? b.en : b.zh) : id;
  };
  const pointName = (p: ServicePoint, l: Lang = lang) => `${p.city} · ${brandName(p.brandId, l)}${p.name ? ` · ${p.name}` : ''}`;
  const dirty = draft !== null || contactDirty;

  const shownPoints = useMemo(
    () => points.filter((p) => (!cityFilter || p.city === cityFilter) && (!brandFilter || p.brandId === brandFilter) && (!statusFilter || p.status === statusFilter)),
    [points, cityFilter, brandFilter, statusFilter],
  );
  const activeCount = points.filter((p) => p.status === 'active').length;

  const change = (next: readonly ServicePoint[]) => {
    setDraft(next);
    setNotice(null);
  };

  const startEdit = (p: ServicePoint, isNew = false) => {
    setEditing({ id: p.id, isNew });
    rowForm.setFieldsValue({ city: p.city, brandId: p.brandId, status: p.status, name: p.name ?? '', address: p.address ?? '', phone: p.phone ?? '', hours: p.hours ?? '' });
  };

  /**
   * Applies the row being edited to the draft and answers the points as they
   * are now; null when its fields are wrong (the messages show in the row).
   */
  const applyRow = async (): Promise<readonly ServicePoint[] | null> => {
    if (!editing) return points;
    let v: RowValues;
    try {
      v = await rowForm.validateFields();
    } catch {
      return null;
    }
    const province = cities.find((c) => c.city === v.city)?.province ?? '';
    const next = points.map((p) =>
      p.id === editing.id
        ? {
            ...p,
            province: editing.isNew ? province : p.province,
            city: editing.isNew ? v.city : p.city,
            brandId: editing.isNew ? v.brandId : p.brandId,
            status: v.status,
            name: orNull(v.name),
            address: orNull(v.address),
            phone: orNull(v.phone),
            hours: orNull(v.hours),
          }
        : p,
    );
    change(next);
    setEditing(null);
    return next;
  };

  const cancelEdit = () => {
    if (editing?.isNew) change(points.filter((p) => p.id !== editing.id));
    setEditing(null);
  };

  const addPoint = async () => {
    const now = await applyRow();
    if (!now) return;
    const place = cities.find((c) => c.city === cityFilter) ?? cities[0];
    const brandId = brandFilter ?? brands[0]?.id;
    if (!place || !brandId) return;
    const ids = new Set(now.map((p) => p.id));
    let n = 2;
    while (ids.has(`${place.province}.${place.city}.${brandId}.${n}`)) n++;
    const point: ServicePoint = { id: `${place.province}.${place.city}.${brandId}.${n}`, province: place.province, city: place.city, brandId, status: 'active', name: null, address: null, phone: null, hours: null };
    change([point, ...now]);
    setStatusFilter(null);
    setPage(1);
    startEdit(point, true);
  };

  const setStatus = (p: ServicePoint, status: Status) => change(points.map((x) => (x.id === p.id ? { ...x, status } : x)));

  const save = async () => {
    setFailure(null);
    setNotice(null);
    if (!loaded) return;
    const wasEditing = editing !== null;
    const list = await applyRow();
    if (!list) {
      setFailure({ summary: (l) => settingsMessages[l].finishRow, problems: () => [] });
      return;
    }
    let contact: ContactValues;
    try {
      contact = await contactForm.validateFields();
    } catch {
      setFailure({ summary: (l) => settingsMessages[l].fixContact, problems: () => [] });
      return;
    }
    const problemsIn = (l: Lang) => localProblems(list, { activeNeeds: settingsMessages[l].problemActiveNeeds, badPhone: settingsMessages[l].problemBadPhone }, (p) => pointName(p, l));
    if (problemsIn(lang).length) {
      setFailure({ summary: (l) => settingsMessages[l].fixPoints, problems: problemsIn });
      return;
    }
    if (!dirty && !wasEditing) {
      setNotice(m.nothingChanged);
      return;
    }
    setSaving(true);
    try {
      const latest = await get<PointsAnswer>('/service-points');
      if (latest.version !== loaded.version) {
        const go = await modal.confirm({ title: fmt(m.staleTitle, { version: latest.version }), content: m.staleText, okText: m.staleOverwrite, cancelText: m.cancel });
        if (!go) return;
      }
      const saved = await put<PointsAnswer>('/service-points', {
        directory: { ...loaded.directory, points: list },
        returnContact: { address: contact.address.trim(), consignee: contact.consignee.trim(), phone: orNull(contact.phone), hotline: orNull(contact.hotline) },
      });
      const text = fmt(m.pointsSaved, { version: saved.version });
      message.success(text);
      setNotice(text);
      setDraft(null);
      setContactDirty(false);
      setFormKey((k) => k + 1);
      setTick((t) => t + 1);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SERVICE_POINTS_INVALID') {
        const problems = (err.details.errors as string[] | undefined) ?? [];
        // the problems are listed, in the reader's language; the summary without them
        const summary = new ApiError(err.status, err.code, '');
        setFailure({ summary: (l) => errorText(summary, l), problems: (l) => problems.map((p) => problemText(p, l)) });
      } else {
        setFailure({ summary: (l) => errorText(err, l), problems: () => [] });
      }
    } finally {
      setSaving(false);
    }
  };

  const revert = () => {
    setDraft(null);
    setEditing(null);
    setContactDirty(false);
    setFailure(null);
    setFormKey((k) => k + 1);
  };

  const isEditing = (p: ServicePoint) => editing?.id === p.id;
  const phoneRule = { validator: (_: unknown, v: string | null | undefined) => (phoneOk(v) ? Promise.resolve() : Promise.reject(new Error(m.phoneInvalid))) };
  /** Required while the row's status is active (the card lists only active points with a name and an address). */
  const requiredIfActive = (message: string) => ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, v: string | null | undefined) => (getFieldValue('status') === 'active' && blank(v) ? Promise.reject(new Error(message)) : Promise.resolve()),
  });
  const statusTag = (s: Status) => (s === 'active' ? <Tag color="green">{m.status_active}</Tag> : <Tag color="orange">{m.status_to_be_filled}</Tag>);
  const onEnter = () => void applyRow();

  const columns: TableColumnsType<ServicePoint> = [
    {
      key: 'city',
      title: m.colCity,
      width: 110,
      render: (_, p) =>
        isEditing(p) && editing?.isNew ? (
          <Form.Item name="city" noStyle rules={[{ required: true }]}>
            <Select aria-label={m.colCity} style={{ width: 100 }} options={cities.map((c) => ({ value: c.city, label: c.city }))} />
          </Form.Item>
        ) : (
          p.city
        ),
    },
    {
      key: 'brand',
      title: m.colBrand,
      width: 110,
      render: (_, p) =>
        isEditing(p) && editing?.isNew ? (
          <Form.Item name="brandId" noStyle rules={[{ required: true }]}>
            <Select aria-label={m.colBrand} style={{ width: 100 }} options={brands.map((b) => ({ value: b.id, label: lang === 'en' ? b.en : b.zh }))} />
          </Form.Item>
        ) : (
          brandName(p.brandId)
        ),
    },
    {
      key: 'name',
      title: m.colName,
      render: (_, p) =>
        isEditing(p) ? (
          <Form.Item name="name" style={{ margin: 0 }} dependencies={['status']} rules={[requiredIfActive(m.nameRequiredActive), { max: 100, message: fmt(m.tooLong, { max: 100 }) }]}>
            <Input aria-label={m.colName} maxLength={100} onPressEnter={onEnter} />
          </Form.Item>
        ) : (
          p.name ?? <Typography.Text type="secondary">{m.toFill}</Typography.Text>
        ),
    },
    {
      key: 'address',
      title: m.colAddress,
      render: (_, p) =>
        isEditing(p) ? (
          <Form.Item name="address" style={{ margin: 0 }} dependencies={['status']} rules={[requiredIfActive(m.addressRequiredActive), { max: 200, message: fmt(m.tooLong, { max: 200 }) }]}>
            <Input.TextArea aria-label={m.colAddress} maxLength={200} autoSize={{ minRows: 1, maxRows: 3 }} />
          </Form.Item>
        ) : (
          p.address ?? <Typography.Text type="secondary">{m.toFill}</Typography.Text>
        ),
    },
    {
      key: 'phone',
      title: m.colPhone,
      width: 160,
      render: (_, p) =>
        isEditing(p) ? (
          <Form.Item name="phone" style={{ margin: 0 }} rules={[phoneRule, { max: 30, message: fmt(m.tooLong, { max: 30 }) }]}>
            <Input aria-label={m.colPhone} maxLength={30} placeholder="0311-86881234" onPressEnter={onEnter} />
          </Form.Item>
        ) : (
          p.phone ?? '—'
        ),
    },
    {
      key: 'hours',
      title: m.colHours,
      width: 150,
      render: (_, p) =>
        isEditing(p) ? (
          <Form.Item name="hours" style={{ margin: 0 }} rules={[{ max: 60, message: fmt(m.tooLong, { max: 60 }) }]}>
            <Input aria-label={m.colHours} maxLength={60} placeholder={m.hoursPlaceholder} onPressEnter={onEnter} />
          </Form.Item>
        ) : (
          p.hours ?? '—'
        ),
    },
    {
      key: 'status',
      title: m.colStatus,
      width: 120,
      render: (_, p) =>
        isEditing(p) ? (
          <Form.Item name="status" noStyle>
            <Select
              aria-label={m.colStatus}
              style={{ width: 110 }}
              data-testid="point-status"
              options={[
                { value: 'active', label: m.status_active },
                { value: 'to_be_filled', label: m.status_to_be_filled },
              ]}
            />
          </Form.Item>
        ) : (
          statusTag(p.status)
        ),
    },
    {
      key: 'actions',
      title: m.colActions,
      width: 200,
      className: 'no-print',
      render: (_, p) =>
        isEditing(p) ? (
          <Space size={4} wrap>
            <Button type="primary" size="small" onClick={() => void applyRow()} data-testid="point-apply">
              {m.apply}
            </Button>
            <Button size="small" onClick={cancelEdit}>
              {m.cancel}
            </Button>
          </Space>
        ) : (
          <Space size={4} wrap>
            <Button
              size="small"
              aria-label={fmt(m.editAria, { point: pointName(p) })}
              onClick={async () => {
                if (await applyRow()) startEdit(p);
              }}
              data-testid={`point-edit-${p.id}`}
            >
              {m.edit}
            </Button>
            {p.status === 'active' ? (
              <Button size="small" aria-label={fmt(m.markToFillAria, { point: pointName(p) })} onClick={() => setStatus(p, 'to_be_filled')}>
                {m.markToFill}
              </Button>
            ) : null}
            <Popconfirm title={fmt(m.confirmRemove, { point: pointName(p) })} okText={m.remove} cancelText={m.cancel} okButtonProps={{ danger: true }} onConfirm={() => change(points.filter((x) => x.id !== p.id))}>
              <Button size="small" danger aria-label={fmt(m.removeAria, { point: pointName(p) })}>
                {m.remove}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  if (!loaded) {
    return current.error ? <Alert type="error" showIcon role="alert" title={errorText(current.error, lang)} /> : <Spin aria-label={m.loading} />;
  }

  return (
    <div data-testid="service-points-editor">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size="large">
          <span>
            {m.inForce}:{' '}
            <Tag color="green" data-testid="points-version">
              {loaded.version === 0 ? m.versionDefault : fmt(m.versionN, { version: loaded.version })}
            </Tag>
          </span>
          <span>
            {m.savedAt}: {loaded.updatedAt ? dateTime(loaded.updatedAt, lang) : m.neverSaved}
          </span>
          <span data-testid="points-counts">{fmt(m.pointCounts, { total: points.length, active: activeCount, toFill: points.length - activeCount })}</span>
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          {m.pointsIntro}
        </Typography.Paragraph>
        {(loaded.directory.regions ?? []).some((r) => (r.places ?? []).length > 0) ? (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }} data-testid="points-places">
            {m.placesIntro}
            {(loaded.directory.regions ?? []).flatMap((r) => {
              const byCity = new Map<string, string[]>();
              for (const p of r.places ?? []) byCity.set(p.city, [...(byCity.get(p.city) ?? []), p.name]);
              return [...byCity.entries()].map(([city, names]) => (
                <span key={`${r.province}-${city}`} style={{ display: 'block' }}>
                  {fmt(m.placesOfCity, { city, places: names.join(m.placesSep) })}
                </span>
              ));
            })}
          </Typography.Paragraph>
        ) : null}
      </Card>

      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => void save()} loading={saving} data-testid="points-save">
          {m.saveNewVersion}
        </Button>
        <Button onClick={revert} disabled={!dirty && !editing}>
          {m.revert}
        </Button>
        {dirty ? <Tag color="orange">{m.unsaved}</Tag> : null}
      </Space>
      {notice ? <Alert type="success" showIcon title={notice} closable onClose={() => setNotice(null)} style={{ marginBottom: 12 }} data-testid="points-notice" /> : null}
      {failure ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          data-testid="points-errors"
          title={failure.summary(lang)}
          description={
            failure.problems(lang).length ? (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {failure.problems(lang).map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}

      <Card size="small" title={m.pointsTitle} style={{ marginBottom: 12 }}>
        <Space wrap className="no-print" style={{ marginBottom: 12 }}>
          <Select
            aria-label={m.filterCity}
            placeholder={m.filterCity}
            allowClear
            style={{ width: 140 }}
            value={cityFilter}
            onChange={(v: string | undefined) => {
              setCityFilter(v ?? null);
              setPage(1);
            }}
            options={cities.map((c) => ({ value: c.city, label: c.city }))}
            data-testid="filter-city"
          />
          <Select
            aria-label={m.filterBrand}
            placeholder={m.filterBrand}
            allowClear
            style={{ width: 140 }}
            value={brandFilter}
            onChange={(v: string | undefined) => {
              setBrandFilter(v ?? null);
              setPage(1);
            }}
            options={brands.map((b) => ({ value: b.id, label: lang === 'en' ? b.en : b.zh }))}
            data-testid="filter-brand"
          />
          <Select
            aria-label={m.filterStatus}
            placeholder={m.filterStatus}
            allowClear
            style={{ width: 140 }}
            value={statusFilter}
            onChange={(v: Status | undefined) => {
              setStatusFilter(v ?? null);
              setPage(1);
            }}
            options={[
              { value: 'active', label: m.status_active },
              { value: 'to_be_filled', label: m.status_to_be_filled },
            ]}
          />
          <Button onClick={() => void addPoint()} data-testid="point-add">
            {m.addPoint}
          </Button>
        </Space>
        <Form form={rowForm} component={false}>
          <Table<ServicePoint>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={shownPoints}
            scroll={{ x: 1000 }}
            rowClassName={(p) => (p.status === 'to_be_filled' ? 'point-to-fill' : '')}
            onRow={(p) => ({ 'data-point': p.id }) as React.HTMLAttributes<HTMLElement>}
            pagination={{ current: page, pageSize: PAGE_SIZE, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => fmt(m.shownTotal, { n }) }}
            locale={{ emptyText: m.noPoints }}
          />
        </Form>
      </Card>

      <Card size="small" title={m.contactTitle}>
        <Typography.Paragraph type="secondary">{m.contactHint}</Typography.Paragraph>
        <Form
          key={`${loaded.version}-${formKey}`}
          form={contactForm}
          layout="vertical"
          initialValues={{ ...loaded.returnContact, phone: loaded.returnContact.phone ?? '', hotline: loaded.returnContact.hotline ?? '' }}
          onValuesChange={() => {
            setContactDirty(true);
            setNotice(null);
          }}
          aria-label={m.contactTitle}
          data-testid="return-contact-form"
        >
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item label={m.contactAddress} name="address" rules={[{ required: true, whitespace: true, message: m.contactAddressRequired }, { max: 200, message: fmt(m.tooLong, { max: 200 }) }]}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={m.contactConsignee} name="consignee" rules={[{ required: true, whitespace: true, message: m.contactConsigneeRequired }, { max: 60, message: fmt(m.tooLong, { max: 60 }) }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={m.contactPhone} name="phone" extra={m.phoneHint} rules={[phoneRule, { max: 30, message: fmt(m.tooLong, { max: 30 }) }]}>
                <Input maxLength={30} placeholder="0311-86881234" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={m.contactHotline} name="hotline" extra={m.hotlineHint} rules={[phoneRule, { max: 30, message: fmt(m.tooLong, { max: 30 }) }]}>
                <Input maxLength={30} placeholder="400-123-4567" />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
    </div>
  );
}

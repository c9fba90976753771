/**
 * Evidence: lines of text (a chat record described), and files uploaded to
 * the server, carried as "evidence:<id>" and served by GET
 * /api/v1/evidence/<id> — photos as thumbnails, PDFs as links. The upload
 * control sends each chosen file as it is (POST /evidence, the raw bytes).
 */
import { Button, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, newIdempotencyKey } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { detailMessages } from './messages.ts';
import { evidenceId } from './types.ts';

const ACCEPT = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
const MAX_BYTES = 5 * 1024 * 1024;

/** A thumbnail (a photo) or a link (a PDF, or a photo that does not show). */
function EvidenceFile({ id, size }: { id: number; size: number }) {
  const m = useMessages(detailMessages);
  const [broken, setBroken] = useState(false);
  const url = `/api/v1/evidence/${id}`;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" aria-label={fmt(m.openEvidence, { id })} data-evidence-id={id}>
      {broken ? (
        <span style={{ display: 'inline-block', padding: '4px 8px', border: '1px solid #d9d9d9', borderRadius: 4 }}>📄 {fmt(m.evidenceFile, { id })}</span>
      ) : (
        <img
          src={url}
          alt={fmt(m.evidenceFile, { id })}
          loading="lazy"
          onError={() => setBroken(true)}
          style={{ width: size, height: size, objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0', verticalAlign: 'middle' }}
        />
      )}
    </a>
  );
}

export function EvidenceList({ items, compact }: { items: readonly string[]; compact?: boolean }) {
  const files = items.map(evidenceId).filter((id): id is number => id !== null);
  const texts = items.filter((x) => evidenceId(x) === null);
  return (
    <div>
      {texts.length > 0 && (
        <ul style={{ paddingInlineStart: 18, margin: compact ? '2px 0' : '4px 0' }}>
          {texts.map((x, i) => (
            <li key={i} style={{ wordBreak: 'break-word' }}>
              {x}
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <Space wrap size={8} style={{ marginTop: 4 }}>
          {files.map((id) => (
            <EvidenceFile key={id} id={id} size={compact ? 48 : 88} />
          ))}
        </Space>
      )}
    </div>
  );
}

interface Uploaded {
  ref: string;
  name: string;
  preview: string | null;
}

/** Choose files; each is uploaded at once and its ref ("evidence:<id>") goes into the value. */
export function EvidenceUpload({ value, onChange, id }: { value?: string[]; onChange?: (refs: string[]) => void; id?: string }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const input = useRef<HTMLInputElement | null>(null);
  const [files, setFiles] = useState<Uploaded[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const valueRef = useRef(value ?? []);
  valueRef.current = value ?? [];

  // the previews are the browser's own: free them when done
  const previews = useRef<string[]>([]);
  useEffect(() => () => previews.current.forEach((u) => URL.revokeObjectURL(u)), []);

  const choose = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setError(null);
    setBusy(true);
    const added: Uploaded[] = [];
    try {
      for (const file of Array.from(list)) {
        if (!ACCEPT.includes(file.type)) {
          setError(`${file.name}: ${m.evidenceWrongType}`);
          continue;
        }
        if (file.size > MAX_BYTES) {
          setError(`${file.name}: ${m.evidenceTooLarge}`);
          continue;
        }
        try {
          const answer = await api<{ id: number; ref: string }>('POST', '/evidence', {
            raw: { data: file, contentType: file.type },
            idempotencyKey: newIdempotencyKey(),
          });
          const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
          if (preview) previews.current.push(preview);
          added.push({ ref: answer.ref, name: file.name, preview });
        } catch (err) {
          setError(`${file.name}: ${errorText(err, lang)}`);
        }
      }
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
    if (added.length > 0) {
      setFiles((old) => [...old, ...added]);
      onChange?.([...valueRef.current, ...added.map((a) => a.ref)]);
    }
  };

  const remove = (ref: string) => {
    setFiles((old) => old.filter((f) => f.ref !== ref));
    onChange?.(valueRef.current.filter((r) => r !== ref));
  };

  return (
    <div>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT.join(',')}
        style={{ display: 'none' }}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="evidence-file-input"
        onChange={(e) => void choose(e.target.files)}
      />
      <Button id={id} onClick={() => input.current?.click()} loading={busy}>
        {busy ? m.uploading : m.evidenceUploadButton}
      </Button>
      {error && (
        <div role="alert">
          <Typography.Text type="danger">{error}</Typography.Text>
        </div>
      )}
      {files.length > 0 && (
        <Space wrap size={8} style={{ marginTop: 8, display: 'flex' }}>
          {files.map((f) => (
            <span key={f.ref} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, border: '1px solid #f0f0f0', borderRadius: 4, padding: 4 }}>
              {f.preview ? <img src={f.preview} alt={f.name} style={{ width: 40, height: 40, objectFit: 'cover' }} /> : <span aria-hidden="true">📄</span>}
              <span style={{ maxWidth: 140, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{f.name}</span>
              <Button size="small" type="text" aria-label={fmt(m.removeFile, { name: f.name })} onClick={() => remove(f.ref)}>
                ×
              </Button>
            </span>
          ))}
        </Space>
      )}
    </div>
  );
}

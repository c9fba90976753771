/**
 * Evidence photos for an application: each file is uploaded as soon as it is
 * picked (POST /api/v1/evidence, the raw bytes) and the form keeps its ref.
 * Large phone photos are scaled down in the browser first (a 12 MP JPEG is
 * over the 5 MB limit and slow on a phone connection).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { api, newIdempotencyKey } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { fmt, useLang, useMessages } from '../shared/i18n.tsx';
import { buyerMessages } from './messages.ts';

export const MAX_EVIDENCE = 20;
const MAX_BYTES = 5 * 1024 * 1024;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
/** photos above this are scaled to at most 2048 px on the long side */
const SCALE_ABOVE_BYTES = 1.5 * 1024 * 1024;

export interface EvidenceItem {
  key: string;
  name: string;
  /** a blob: URL of the picked photo, or the server's copy of an earlier upload */
  preview: string | null;
  ref: string | null;
  state: 'uploading' | 'done' | 'error';
  error?: string;
}

let counter = 0;
const nextKey = () => `ev${++counter}`;

/** The evidence refs a refund already carries, as items (`evidence:<id>` is a file on the server; other text is a note). */
export function itemsFromRefs(refs: readonly string[]): EvidenceItem[] {
  return refs.map((ref) => {
    const m = /^evidence:(\d+)$/.exec(ref);
    return { key: nextKey(), name: ref, preview: m ? `/api/v1/evidence/${m[1]}` : null, ref, state: 'done' };
  });
}

async function scaleDown(file: File): Promise<Blob> {
  if (file.type === 'application/pdf' || file.size <= SCALE_ABOVE_BYTES || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}

export function EvidencePicker({ items, onChange }: { items: EvidenceItem[]; onChange: (update: (items: EvidenceItem[]) => EvidenceItem[]) => void }) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const inputId = useId();
  const [pickError, setPickError] = useState<string | null>(null);
  const created = useRef(new Set<string>());
  // the blob: previews are freed when the form goes away
  useEffect(() => {
    const urls = created.current;
    return () => {
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, []);

  const upload = async (key: string, file: File) => {
    try {
      const blob = await scaleDown(file);
      if (blob.size > MAX_BYTES) throw new Error('too big');
      const saved = await api<{ ref: string }>('POST', '/evidence', {
        raw: { data: blob, contentType: blob.type || file.type },
        idempotencyKey: newIdempotencyKey(),
      });
      onChange((list) => list.map((i) => (i.key === key ? { ...i, ref: saved.ref, state: 'done' } : i)));
    } catch (err) {
      const text = (err as Error).message === 'too big' ? fmt(t.evidenceTooBig, { name: file.name }) : errorText(err, lang);
      onChange((list) => list.map((i) => (i.key === key ? { ...i, state: 'error', error: text } : i)));
    }
  };

  const pick = (files: FileList | null) => {
    if (!files) return;
    setPickError(null);
    const room = MAX_EVIDENCE - items.length;
    const chosen = Array.from(files);
    if (chosen.length > room) setPickError(fmt(t.evidenceTooMany, { max: MAX_EVIDENCE }));
    const added: EvidenceItem[] = [];
    for (const file of chosen.slice(0, Math.max(room, 0))) {
      if (!ACCEPTED.includes(file.type)) {
        setPickError(fmt(t.evidenceBadType, { name: file.name }));
        continue;
      }
      if (file.type === 'application/pdf' && file.size > MAX_BYTES) {
        setPickError(fmt(t.evidenceTooBig, { name: file.name }));
        continue;
      }
      const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
      if (preview) created.current.add(preview);
      const item: EvidenceItem = { key: nextKey(), name: file.name, preview, ref: null, state: 'uploading' };
      added.push(item);
      void upload(item.key, file);
    }
    if (added.length) onChange((list) => [...list, ...added]);
  };

  const remove = (key: string) => onChange((list) => list.filter((i) => i.key !== key));

  return (
    <div className="b-field">
      <div className="b-label" id={`${inputId}-label`}>
        {fmt(t.evidence, { max: MAX_EVIDENCE })}
      </div>
      <div className="b-hint" id={`${inputId}-hint`}>
        {t.evidenceHint}
      </div>
      {items.length > 0 && (
        <ul className="b-thumbs" aria-labelledby={`${inputId}-label`}>
          {items.map((item, index) => (
            <li key={item.key} className={`b-thumb b-thumb-${item.state}`}>
              {item.preview ? <img src={item.preview} alt={fmt(t.evidenceFile, { n: index + 1 })} /> : <span className="b-thumb-file">{item.name}</span>}
              {item.state === 'uploading' && <span className="b-thumb-state">{t.evidenceUploading}</span>}
              {item.state === 'error' && (
                <span className="b-thumb-state b-error" role="alert">
                  {item.error}
                </span>
              )}
              <button type="button" className="b-thumb-remove" aria-label={fmt(t.evidenceRemove, { n: index + 1 })} onClick={() => remove(item.key)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {items.length < MAX_EVIDENCE && (
        <>
          <input
            id={inputId}
            className="b-file-input"
            type="file"
            accept={ACCEPTED.join(',')}
            multiple
            aria-describedby={`${inputId}-hint`}
            onChange={(e) => {
              pick(e.target.files);
              e.target.value = '';
            }}
          />
          <label htmlFor={inputId} className="b-btn b-btn-default b-file-label">
            ＋ {t.evidenceAdd}
          </label>
        </>
      )}
      {pickError && (
        <div className="b-error" role="alert">
          {pickError}
        </div>
      )}
    </div>
  );
}

/** A refund's evidence as the buyer sent it: files shown, notes listed. */
export function EvidenceList({ refs }: { refs: readonly string[] }) {
  const t = useMessages(buyerMessages);
  const items = itemsFromRefs(refs);
  return (
    <ul className="b-thumbs">
      {items.map((item, index) =>
        item.preview ? (
          <li key={item.key} className="b-thumb">
            <a href={item.preview} target="_blank" rel="noreferrer" aria-label={fmt(t.evidenceOpen, { n: index + 1 })}>
              <img src={item.preview} alt={fmt(t.evidenceFile, { n: index + 1 })} onError={(e) => (e.currentTarget.style.visibility = 'hidden')} />
            </a>
          </li>
        ) : (
          <li key={item.key} className="b-thumb b-thumb-note">
            {item.name}
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * A task's photos: uploaded evidence (`evidence:<id>`, served by GET
 * /api/v1/evidence/<id> with the session) as thumbnails that open full size in
 * a new tab (a link: reachable by keyboard); a PDF, or anything the browser
 * cannot show, as a text link; an outside URL as a link (the app's CSP shows
 * only its own images).
 */
import { Space, Typography } from 'antd';
import { useState } from 'react';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import { tasksMessages } from './messages.ts';
import { photoHref } from './records.ts';

export function Photos({ taskId, photos }: { taskId: number; photos: readonly string[] }) {
  const m = useMessages(tasksMessages);
  if (photos.length === 0) return <Typography.Text type="secondary">{m.noPhotos}</Typography.Text>;
  return (
    <Space wrap size={8}>
      {photos.map((photo, i) => (
        <Photo key={photo} photo={photo} alt={fmt(m.photoAlt, { id: taskId, n: i + 1 })} n={i + 1} />
      ))}
    </Space>
  );
}

function Photo({ photo, alt, n }: { photo: string; alt: string; n: number }) {
  const m = useMessages(tasksMessages);
  const [failed, setFailed] = useState(false);
  const target = photoHref(photo);
  if (!target) return <Typography.Text type="secondary">{fmt(m.photoUnknown, { n, ref: photo })}</Typography.Text>;
  if (failed || target.evidenceId === null) {
    return (
      <a href={target.href} target="_blank" rel="noopener noreferrer">
        {fmt(m.photoFile, { n })}
      </a>
    );
  }
  return (
    <a href={target.href} target="_blank" rel="noopener noreferrer" style={{ display: 'inline-block', lineHeight: 0 }}>
      <img
        src={target.href}
        alt={alt}
        width={96}
        height={96}
        loading="lazy"
        style={{ objectFit: 'cover', borderRadius: 4, border: '1px solid #f0f0f0' }}
        onError={() => setFailed(true)}
      />
    </a>
  );
}

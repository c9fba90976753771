/**
 * Photos as evidence: each chosen photo is checked (JPG, PNG or WEBP, at most
 * 5 MB) and uploaded at once (POST /api/v1/evidence, the raw bytes); the form
 * sends the refs the uploads answered. Used by the department task (S1.10)
 * and the field lead's work report (issue 15 §7, from the camera on a phone).
 */
import { App as AntApp, Button, Upload, type UploadFile, type UploadProps } from 'antd';
import { api, newIdempotencyKey } from './api.ts';
import { errorText } from './errors.ts';
import { defineMessages, fmt, useLang, useMessages } from './i18n.tsx';

const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
type UploadRequestOption = Parameters<NonNullable<UploadProps<{ ref: string }>['customRequest']>>[0];
export type PhotoFile = UploadFile<{ ref: string }>;

const photoMessages = defineMessages({
  'zh-CN': { failed: '照片没有传上去：{error}', typeWrong: '只能上传 JPG、PNG 或 WEBP 图片', tooLarge: '照片不能超过 5 MB' },
  en: { failed: 'The photo did not upload: {error}', typeWrong: 'Only JPG, PNG or WEBP images', tooLarge: 'A photo is at most 5 MB' },
});

/** The refs of the photos uploaded so far. */
export function photoRefs(files: readonly PhotoFile[] | undefined): string[] {
  return (files ?? []).filter((f) => f.status === 'done' && f.response?.ref).map((f) => f.response!.ref);
}

export function PhotoUpload({
  fileList,
  onChange,
  max,
  buttonLabel,
  capture,
  buttonTestId,
}: {
  fileList?: PhotoFile[];
  onChange?: (files: PhotoFile[]) => void;
  max: number;
  buttonLabel: string;
  /** 'environment': a phone opens its back camera */
  capture?: 'environment';
  buttonTestId?: string;
}) {
  const m = useMessages(photoMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const files = fileList ?? [];
  const upload = async (options: UploadRequestOption) => {
    const file = options.file as File;
    try {
      const saved = await api<{ id: number; ref: string }>('POST', '/evidence', { raw: { data: file, contentType: file.type }, idempotencyKey: newIdempotencyKey() });
      options.onSuccess?.(saved);
    } catch (err) {
      message.error(fmt(m.failed, { error: errorText(err, lang) }));
      options.onError?.(err as Error);
    }
  };
  return (
    <Upload<{ ref: string }>
      accept={PHOTO_TYPES.join(',')}
      {...(capture ? { capture } : {})}
      listType="picture"
      multiple
      maxCount={max}
      fileList={files}
      onChange={({ fileList: next }) => onChange?.(next)}
      beforeUpload={(file) => {
        if (!PHOTO_TYPES.includes(file.type)) {
          message.error(m.typeWrong);
          return Upload.LIST_IGNORE;
        }
        if (file.size > MAX_PHOTO_BYTES) {
          message.error(m.tooLarge);
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={(options) => void upload(options)}
    >
      <Button disabled={files.length >= max} data-testid={buttonTestId}>
        {buttonLabel}
      </Button>
    </Upload>
  );
}

/**
 * Issue 15 §7: the field lead photographs the work on site. On a phone the
 * picker opens the camera (capture="environment"); each photo is uploaded at
 * once (POST /api/v1/evidence) and the work report cites its ref.
 */
import { App as AntApp, Button, Upload, type UploadFile, type UploadProps } from 'antd';
import { MAX_WORK_PHOTOS } from '../../../../../src/core/service/repair-record.ts';
import { api, newIdempotencyKey } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { serviceMessages } from './messages.ts';

const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
type UploadRequestOption = Parameters<NonNullable<UploadProps<{ ref: string }>['customRequest']>>[0];
export type PhotoFile = UploadFile<{ ref: string }>;

/** The refs of the photos uploaded so far. */
export function photoRefs(files: readonly PhotoFile[] | undefined): string[] {
  return (files ?? []).filter((f) => f.status === 'done' && f.response?.ref).map((f) => f.response!.ref);
}

/** A form control: value = the upload list (Form.Item valuePropName="fileList"). */
export function WorkPhotos({ fileList, onChange }: { fileList?: PhotoFile[]; onChange?: (files: PhotoFile[]) => void }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const files = fileList ?? [];
  const upload = async (options: UploadRequestOption) => {
    const file = options.file as File;
    try {
      const saved = await api<{ id: number; ref: string }>('POST', '/evidence', { raw: { data: file, contentType: file.type }, idempotencyKey: newIdempotencyKey() });
      options.onSuccess?.(saved);
    } catch (err) {
      message.error(fmt(m.photoFailed, { error: errorText(err, lang) }));
      options.onError?.(err as Error);
    }
  };
  return (
    <Upload<{ ref: string }>
      accept={PHOTO_TYPES.join(',')}
      capture="environment"
      listType="picture"
      multiple
      maxCount={MAX_WORK_PHOTOS}
      fileList={files}
      onChange={({ fileList: next }) => onChange?.(next)}
      beforeUpload={(file) => {
        if (!PHOTO_TYPES.includes(file.type)) {
          message.error(m.photoTypeWrong);
          return Upload.LIST_IGNORE;
        }
        if (file.size > MAX_PHOTO_BYTES) {
          message.error(m.photoTooLarge);
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={(options) => void upload(options)}
    >
      <Button disabled={files.length >= MAX_WORK_PHOTOS} data-testid="work-photos-button">
        {m.takePhoto}
      </Button>
    </Upload>
  );
}

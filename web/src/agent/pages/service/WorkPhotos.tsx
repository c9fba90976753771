/**
 * Issue 15 §7: the field lead photographs the work on site; on a phone the
 * picker opens the camera. The shared photo upload, at most 9 photos.
 */
import { MAX_WORK_PHOTOS } from '../../../../../src/core/service/repair-record.ts';
import { useMessages } from '../../../shared/i18n.tsx';
import { PhotoUpload, type PhotoFile } from '../../../shared/PhotoUpload.tsx';
import { serviceMessages } from './messages.ts';

export { photoRefs, type PhotoFile } from '../../../shared/PhotoUpload.tsx';

/** A form control: value = the upload list (Form.Item valuePropName="fileList"). */
export function WorkPhotos({ fileList, onChange }: { fileList?: PhotoFile[]; onChange?: (files: PhotoFile[]) => void }) {
  const m = useMessages(serviceMessages);
  return <PhotoUpload fileList={fileList} onChange={onChange} max={MAX_WORK_PHOTOS} buttonLabel={m.takePhoto} capture="environment" buttonTestId="work-photos-button" />;
}

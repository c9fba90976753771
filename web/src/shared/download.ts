/**
 * Downloads a file of the API (an export): fetched rather than linked, so a
 * refusal (403, 422 EXPORT_TOO_LARGE) throws an ApiError the page shows in
 * words instead of opening a page of JSON.
 */
import { ApiError, withQuery, type Query } from './api.ts';

export async function downloadFile(path: string, query: Query, fallbackName = 'export.xlsx'): Promise<void> {
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  if (!response.ok) {
    const error = ((await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.details ?? {});
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

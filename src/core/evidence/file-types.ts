/**
 * The files accepted as evidence (photos of the goods, chat screenshots,
 * courier or inspection reports as PDF), and how their first bytes prove
 * what they are: a declared type the bytes do not match is refused, so a
 * file is never served under a type it is not.
 */

export const evidenceContentTypes = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'] as const;
export type EvidenceContentType = (typeof evidenceContentTypes)[number];

/** 5 MiB: a phone photo or a scanned page, not a video. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

/** The file name extension each type is served with. */
export const evidenceExtensions = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
} as const satisfies Record<EvidenceContentType, string>;

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

/** Each type's signature ("magic bytes"). */
const signatures = {
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/webp': (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  'application/pdf': (b) => startsWith(b, ascii('%PDF-')),
} as const satisfies Record<EvidenceContentType, (bytes: Uint8Array) => boolean>;

export function isEvidenceContentType(type: string): type is EvidenceContentType {
  return (evidenceContentTypes as readonly string[]).includes(type);
}

/** The accepted type the bytes are, by their signature; null when none. */
export function detectEvidenceType(bytes: Uint8Array): EvidenceContentType | null {
  return evidenceContentTypes.find((t) => signatures[t](bytes)) ?? null;
}

/** The media type of a Content-Type header, lower-cased, without parameters ("image/PNG; x=y" → "image/png"). */
export function mediaTypeOf(header: string | undefined): string | null {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

export type EvidenceCheck =
  | { ok: true; contentType: EvidenceContentType }
  | { ok: false; problem: 'unsupported_type'; declared: string | null }
  | { ok: false; problem: 'empty' }
  | { ok: false; problem: 'too_large'; sizeBytes: number }
  | { ok: false; problem: 'type_mismatch'; declared: EvidenceContentType; detected: EvidenceContentType | null };

/** Whether an upload may be kept: an accepted declared type, 1 byte to 5 MiB, and bytes that are that type. */
export function checkEvidenceFile(options: { declaredType: string | null; bytes: Uint8Array }): EvidenceCheck {
  const { declaredType, bytes } = options;
  if (declaredType === null || !isEvidenceContentType(declaredType)) return { ok: false, problem: 'unsupported_type', declared: declaredType };
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  if (bytes.length > MAX_EVIDENCE_BYTES) return { ok: false, problem: 'too_large', sizeBytes: bytes.length };
  if (!signatures[declaredType](bytes)) return { ok: false, problem: 'type_mismatch', declared: declaredType, detected: detectEvidenceType(bytes) };
  return { ok: true, contentType: declaredType };
}

/** The reference a refund's evidence list carries for an uploaded file. */
export function evidenceRef(id: number): string {
  return `evidence:${id}`;
}

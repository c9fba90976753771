import { describe, expect, it } from 'vitest';
import { checkEvidenceFile, detectEvidenceType, evidenceRef, MAX_EVIDENCE_BYTES, mediaTypeOf } from './file-types.ts';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const webp = new TextEncoder().encode('RIFF\u0024\u0000\u0000\u0000WEBPVP8 ');
const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n');

describe('evidence file types', () => {
  it('recognises each accepted type by its signature, and nothing else', () => {
    expect(detectEvidenceType(png)).toBe('image/png');
    expect(detectEvidenceType(jpeg)).toBe('image/jpeg');
    expect(detectEvidenceType(webp)).toBe('image/webp');
    expect(detectEvidenceType(pdf)).toBe('application/pdf');
    expect(detectEvidenceType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectEvidenceType(new TextEncoder().encode('RIFF\u0024\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    expect(detectEvidenceType(Uint8Array.from([0x89, 0x50]))).toBeNull();
  });

  it('keeps a file whose bytes are its declared type', () => {
    expect(checkEvidenceFile({ declaredType: 'image/png', bytes: png })).toEqual({ ok: true, contentType: 'image/png' });
    expect(checkEvidenceFile({ declaredType: 'application/pdf', bytes: pdf })).toEqual({ ok: true, contentType: 'application/pdf' });
  });

  it('refuses another type, an empty file, one over 5 MiB, and bytes of another type than declared', () => {
    expect(checkEvidenceFile({ declaredType: 'image/svg+xml', bytes: png })).toMatchObject({ ok: false, problem: 'unsupported_type' });
    expect(checkEvidenceFile({ declaredType: null, bytes: png })).toMatchObject({ ok: false, problem: 'unsupported_type' });
    expect(checkEvidenceFile({ declaredType: 'image/png', bytes: new Uint8Array() })).toEqual({ ok: false, problem: 'empty' });
    const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1);
    big.set(png);
    expect(checkEvidenceFile({ declaredType: 'image/png', bytes: big })).toMatchObject({ ok: false, problem: 'too_large' });
    expect(checkEvidenceFile({ declaredType: 'image/png', bytes: jpeg })).toEqual({ ok: false, problem: 'type_mismatch', declared: 'image/png', detected: 'image/jpeg' });
    expect(checkEvidenceFile({ declaredType: 'image/jpeg', bytes: new TextEncoder().encode('<html>') })).toMatchObject({ detected: null });
  });

  it('reads the media type of a header, and names a file as a refund cites it', () => {
    expect(mediaTypeOf('Image/PNG; charset=binary')).toBe('image/png');
    expect(mediaTypeOf(undefined)).toBeNull();
    expect(mediaTypeOf('')).toBeNull();
    expect(evidenceRef(42)).toBe('evidence:42');
  });
});

/**
 * TOP answers as JSON, read without losing digits: TOP's ids (tid, oid, refund ids, TMC
 * message ids) are int64 and mostly above 2^53, where `JSON.parse` would round them.
 * Every number that is not exactly representable as a double comes out as its decimal
 * text instead; safe numbers come out as numbers.
 */
import { isInteger, isSafeNumber, parse } from 'lossless-json';

function parseNumber(text: string): number | string {
  if (isInteger(text)) return isSafeNumber(text) ? Number(text) : text;
  return isSafeNumber(text) ? Number(text) : text;
}

/** Parses JSON text; integers above 2^53 (and other numbers a double cannot hold) become decimal strings. Throws SyntaxError. */
export function parseTopJson(text: string): unknown {
  return parse(text, null, parseNumber);
}

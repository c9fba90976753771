/** Form rules that count characters as the server does: trimmed, by code point. */
import type { FormRule } from 'antd';

const length = (v: unknown) => [...String(v ?? '').trim()].length;

/** Required, at least `min` and at most `max` characters once trimmed; one message for both ends. */
export function textRule(min: number, max: number, message: string): FormRule {
  return {
    validator: (_, value: unknown) => {
      const n = length(value);
      return n >= min && n <= max ? Promise.resolve() : Promise.reject(new Error(message));
    },
  };
}

/** Optional, but when given at least `min` and at most `max` characters once trimmed. */
export function optionalTextRule(min: number, max: number, message: string): FormRule {
  return {
    validator: (_, value: unknown) => {
      const n = length(value);
      return n === 0 || (n >= min && n <= max) ? Promise.resolve() : Promise.reject(new Error(message));
    },
  };
}

/**
 * zh-CN first, en-US second. Each page keeps its own messages beside it
 * (defineMessages), so pages never share one big dictionary file; the choice
 * is kept in localStorage and given to antd's ConfigProvider.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Label } from '../../../src/contract/labels.ts';

export type Lang = 'zh-CN' | 'en';
export const langs: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'shouhou.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch {
    // storage may be off: zh-CN
  }
  return 'zh-CN';
}

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}
const LangContext = createContext<LangState>({ lang: 'zh-CN', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not kept: fine
    }
  }, []);
  // screen readers read the page in its language, from the first render on
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** A page's messages in both languages; the English ones must have every key of the Chinese ones. */
export type Messages<T extends Record<string, string>> = { 'zh-CN': T; en: { [K in keyof T]: string } };
export function defineMessages<T extends Record<string, string>>(messages: Messages<T>): Messages<T> {
  return messages;
}

/** The current language's messages of a page. */
export function useMessages<T extends Record<string, string>>(messages: Messages<T>): { [K in keyof T]: string } {
  const { lang } = useLang();
  return messages[lang];
}

/** Fills {name} placeholders. */
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** One of the engine's labels (src/contract/labels.ts) in the current language. */
export function labelOf(label: Label | undefined, lang: Lang, fallback = ''): string {
  if (!label) return fallback;
  return lang === 'en' ? label.en : label['zh-CN'];
}

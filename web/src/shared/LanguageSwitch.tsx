import { Segmented } from 'antd';
import { useLang, type Lang } from './i18n.tsx';

/** 中文 / EN, kept in the browser. */
export function LanguageSwitch() {
  const { lang, setLang } = useLang();
  return (
    <Segmented<Lang>
      aria-label={lang === 'en' ? 'Language' : '语言'}
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en' },
      ]}
    />
  );
}

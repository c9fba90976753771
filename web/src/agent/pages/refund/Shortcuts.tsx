/** The page's keyboard shortcuts: one key per frequent action, never while typing or while a dialog is open; `?` lists them. */
import { Modal, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useMessages } from '../../../shared/i18n.tsx';
import { detailMessages } from './messages.ts';

export interface Shortcut {
  key: string;
  /** shown in the list */
  label: string;
  run: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.getAttribute('role') === 'combobox';
}

function dialogOpen(): boolean {
  return Array.from(document.querySelectorAll<HTMLElement>('.ant-modal-wrap')).some((el) => el.style.display !== 'none');
}

/** Listens on the window while the page is shown; `enabled` false while one of the page's dialogs is open. */
export function useShortcuts(shortcuts: Shortcut[], enabled: boolean): void {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target) || dialogOpen()) return;
      const found = ref.current.find((s) => s.key === e.key || (s.key.length === 1 && s.key === e.key.toLowerCase() && !e.shiftKey));
      if (!found) return;
      e.preventDefault();
      found.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function ShortcutHelp({ open, onClose, shortcuts }: { open: boolean; onClose: () => void; shortcuts: Shortcut[] }) {
  const m = useMessages(detailMessages);
  return (
    <Modal open={open} title={m.shortcuts} onCancel={onClose} footer={null} destroyOnHidden>
      <table style={{ borderCollapse: 'collapse', width: '100%' }} data-testid="shortcut-list">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.key}>
              <td style={{ padding: '4px 12px 4px 0', width: 80 }}>
                <kbd style={{ border: '1px solid #d9d9d9', borderRadius: 4, padding: '1px 6px', background: '#fafafa', fontFamily: 'monospace' }}>{s.key}</kbd>
              </td>
              <td style={{ padding: 4 }}>{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {m.shortcutsNote}
      </Typography.Paragraph>
    </Modal>
  );
}

/**
 * A plain-text editor for the rule set: a monospace textarea with a line-number
 * gutter that marks the lines the server found wrong. No editor library: the
 * textarea keeps the browser's own keyboard, selection, undo and screen-reader
 * support. `goToLine` selects a line and scrolls it into view.
 */
import { forwardRef, useImperativeHandle, useMemo, useRef, useState, type CSSProperties } from 'react';

const LINE_HEIGHT = 20;

export interface CodeEditorHandle {
  goToLine(line: number): void;
}

export interface CodeEditorProps {
  id?: string;
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  /** line number → what is wrong there */
  errorLines?: ReadonlyMap<number, string>;
  ariaLabel: string;
  ariaDescribedBy?: string;
  height?: CSSProperties['height'];
  testId?: string;
}

export const CodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(
  { id, value, onChange, readOnly, errorLines, ariaLabel, ariaDescribedBy, height = '60vh', testId },
  ref,
) {
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [focused, setFocused] = useState(false);
  const lineCount = useMemo(() => value.split('\n').length, [value]);

  useImperativeHandle(
    ref,
    () => ({
      goToLine(line: number) {
        const el = textarea.current;
        if (!el) return;
        const lines = el.value.split('\n');
        const index = Math.min(Math.max(line, 1), lines.length) - 1;
        let start = 0;
        for (let i = 0; i < index; i++) start += (lines[i]?.length ?? 0) + 1;
        el.focus();
        el.setSelectionRange(start, start + (lines[index]?.length ?? 0));
        el.scrollTop = Math.max(0, index * LINE_HEIGHT - el.clientHeight / 3);
        setScrollTop(el.scrollTop);
      },
    }),
    [],
  );

  const font: CSSProperties = {
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'WenQuanYi Micro Hei Mono', 'WenQuanYi Micro Hei', monospace",
    fontSize: 13,
    lineHeight: `${LINE_HEIGHT}px`,
  };

  return (
    <div
      style={{
        display: 'flex',
        height,
        border: `1px solid ${focused ? '#1677ff' : '#d9d9d9'}`,
        boxShadow: focused ? '0 0 0 2px rgba(22, 119, 255, 0.25)' : undefined,
        borderRadius: 6,
        overflow: 'hidden',
        background: readOnly ? '#fafafa' : '#fff',
      }}
    >
      <div aria-hidden="true" style={{ ...font, width: 52, flex: 'none', overflow: 'hidden', background: '#f5f5f5', color: '#8c8c8c', textAlign: 'right', userSelect: 'none' }}>
        <div style={{ transform: `translateY(${-scrollTop}px)`, paddingTop: 8 }}>
          {Array.from({ length: lineCount }, (_, i) => {
            const problem = errorLines?.get(i + 1);
            return (
              <div
                key={i}
                title={problem}
                data-error-line={problem ? i + 1 : undefined}
                style={{ height: LINE_HEIGHT, paddingRight: 8, ...(problem ? { background: '#ff4d4f', color: '#fff', fontWeight: 600 } : {}) }}
              >
                {i + 1}
              </div>
            );
          })}
        </div>
      </div>
      <textarea
        id={id}
        ref={textarea}
        value={value}
        readOnly={readOnly}
        aria-label={ariaLabel}
        aria-describedby={ariaDescribedBy}
        aria-invalid={errorLines && errorLines.size > 0 ? true : undefined}
        data-testid={testId}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        onChange={(e) => onChange?.(e.target.value)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        style={{
          ...font,
          flex: 1,
          border: 'none',
          outline: 'none',
          resize: 'none',
          padding: '8px 10px',
          whiteSpace: 'pre',
          overflow: 'auto',
          background: 'transparent',
          tabSize: 2,
        }}
      />
    </div>
  );
});

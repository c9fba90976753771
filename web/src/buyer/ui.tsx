/**
 * The portal's few controls, plain React and CSS (antd would take the portal
 * past its 200 KB first-load budget): native inputs and radios with real
 * labels, 48 px touch targets, readable at 390 px.
 */
import { useEffect, useId, useRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { useLang, type Lang } from '../shared/i18n.tsx';

export function Button({ kind = 'default', busy, children, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: 'primary' | 'default' | 'danger' | 'link'; busy?: boolean }) {
  return (
    <button type="button" {...rest} className={`b-btn b-btn-${kind}${className ? ' ' + className : ''}`} aria-busy={busy || undefined} disabled={rest.disabled || busy}>
      {busy && <span className="b-spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** 中文 / EN: a two-button toggle (the shared antd Segmented would pull antd into the portal). */
export function LangToggle() {
  const { lang, setLang } = useLang();
  const options: { value: Lang; label: string }[] = [
    { value: 'zh-CN', label: '中文' },
    { value: 'en', label: 'EN' },
  ];
  return (
    <div className="b-lang" role="group" aria-label={lang === 'en' ? 'Language' : '语言'}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={lang === o.value} className={lang === o.value ? 'on' : ''} onClick={() => setLang(o.value)} lang={o.value}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Notice({ level, children, id, testId }: { level: 'info' | 'warn' | 'block' | 'error' | 'success'; children: ReactNode; id?: string; testId?: string }) {
  const urgent = level === 'error' || level === 'block' || level === 'warn';
  return (
    <div id={id} className={`b-notice b-notice-${level}`} role={urgent ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  multiline,
  inputProps,
  textareaProps,
  suffix,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  multiline?: boolean;
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
  textareaProps?: TextareaHTMLAttributes<HTMLTextAreaElement>;
  suffix?: ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`b-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="b-label">
        {label}
      </label>
      {multiline ? (
        <textarea id={id} aria-invalid={!!error || undefined} aria-describedby={describedBy} rows={4} {...textareaProps} />
      ) : (
        <input id={id} aria-invalid={!!error || undefined} aria-describedby={describedBy} {...inputProps} />
      )}
      {hint && (
        <div id={hintId} className="b-hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={errorId} className="b-error">
          {error}
        </div>
      )}
      {suffix}
    </div>
  );
}

export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
  help?: ReactNode;
  /** shown on the right: an amount, a state */
  aside?: ReactNode;
  disabled?: boolean;
}

/** A radio group as big tappable cards, each with its plain-words explanation. */
export function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  error,
  testId,
}: {
  legend: string;
  name: string;
  value: T | undefined;
  options: readonly ChoiceOption<T>[];
  onChange: (value: T) => void;
  error?: string | undefined;
  testId?: string;
}) {
  const id = useId();
  return (
    <fieldset className={`b-choice${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined} data-testid={testId}>
      <legend className="b-label">{legend}</legend>
      {options.map((o) => {
        const helpId = o.help ? `${id}-${o.value}-help` : undefined;
        return (
          <label key={o.value} className={`b-option${value === o.value ? ' on' : ''}${o.disabled ? ' off' : ''}`}>
            <input
              type="radio"
              name={`${name}-${id}`}
              value={o.value}
              checked={value === o.value}
              disabled={o.disabled}
              onChange={() => onChange(o.value)}
              aria-describedby={helpId}
            />
            <span className="b-option-body">
              <span className="b-option-title">
                <span>{o.label}</span>
                {o.aside && <span className="b-option-aside">{o.aside}</span>}
              </span>
              {o.help && (
                <span id={helpId} className="b-option-help">
                  {o.help}
                </span>
              )}
            </span>
          </label>
        );
      })}
      {error && (
        <div id={`${id}-error`} className="b-error">
          {error}
        </div>
      )}
    </fieldset>
  );
}

/** A modal confirmation on the native <dialog>: focus is trapped and Esc cancels. */
export function ConfirmDialog({
  open,
  title,
  text,
  confirmLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="b-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p>{text}</p>
      <div className="b-actions">
        <Button onClick={onCancel}>{cancelLabel}</Button>
        <Button kind="danger" busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

/** A page's heading, focused when the page opens so that keyboards and screen readers start there. */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="b-title">
      {children}
    </h1>
  );
}

/** A role picker's search: by the role's name or its code. */
export function matchOption(input: string, option?: { value?: unknown; label?: unknown }): boolean {
  const q = input.trim().toLowerCase();
  return `${String(option?.label ?? '')} ${String(option?.value ?? '')}`.toLowerCase().includes(q);
}

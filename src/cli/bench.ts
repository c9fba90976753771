/** PLACEHOLDER: replaced by the benchmark implementation. */
export async function runBench(_options: { orders: number; openRefunds: number; out: (line: string) => void }): Promise<void> {
  throw new Error('not yet');
}

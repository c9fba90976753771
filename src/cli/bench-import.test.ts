import { describe, expect, it } from 'vitest';
import { runImportBench } from './bench-import.ts';

describe('shouhou bench: the import', () => {
  it('runs end to end with a small file and prints every stage with its rows per second and heap', async () => {
    const lines: string[] = [];
    await runImportBench({ rows: 300, out: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(text).toMatch(/Import: an order report of 300 rows .*GBK CSV [\d.]+ MB, XLSX [\d.]+ MB/);
    for (const stage of ['csv \\(GBK\\) +upload', 'csv \\(GBK\\) +preview', 'csv \\(GBK\\) +commit', 'xlsx +upload', 'xlsx +preview']) {
      expect(text).toMatch(new RegExp(`${stage} +300 rows +[\\d.]+ s +[\\d,]+ rows/s +heap [\\d.]+ MB → [\\d.]+ MB → [\\d.]+ MB`));
    }
    expect(text).toMatch(/outcome +new 300, error 0/);
  });
});

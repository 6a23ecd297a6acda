// Helpers shared by the syntax tests: the parser corpus files and the golden rendering of a
// parse (tree dump plus diagnostics as `line:col code message`, 1-based like the CLI).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../../server/src/syntax/parser';
import { LineIndex } from '../../../server/src/syntax/positions';
import { dumpTree } from '../../../server/src/syntax/tree_dump';

export const CORPUS_DIR = join(process.cwd(), 'test', 'corpus', 'parser');

export interface CorpusFile {
  group: 'ok' | 'err';
  name: string;
  path: string;
  text: string;
}

export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const group of ['ok', 'err'] as const) {
    const dir = join(CORPUS_DIR, group);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.netspec')).sort()) {
      const path = join(dir, name);
      out.push({ group, name, path, text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

/** The golden text for one input: the tree, then one line per diagnostic. */
export function renderParse(text: string): { golden: string; diagnosticCount: number } {
  const { file, diagnostics } = parse(text);
  const lines = new LineIndex(text);
  let golden = dumpTree(file, text) + '--- diagnostics\n';
  for (const d of diagnostics) {
    const p = lines.positionAt(d.span.start);
    golden += `${p.line + 1}:${p.character + 1} ${d.code} ${d.message}\n`;
  }
  return { golden, diagnosticCount: diagnostics.length };
}

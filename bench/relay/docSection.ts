// Rewrites one benchmark's own section of docs/benchmarks.md, between its markers, leaving the
// other benchmarks' sections as they are.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeDocSection(path: string, key: string, heading: string, body: string): void {
  const start = `<!-- ${key}:start -->`;
  const end = `<!-- ${key}:end -->`;
  const doc = readFileSync(path, 'utf8');
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next =
    from >= 0 && to > from
      ? doc.slice(0, from) + block + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
  writeFileSync(path, next);
}

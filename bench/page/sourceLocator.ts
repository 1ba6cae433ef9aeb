// Maps a script position the browser reports (URL + character offset in the built bundle, as Long
// Animation Frames give it) back to the source file and line, through the build's source maps.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { join } from 'node:path';

interface Bundle {
  lineStarts: number[];
  map: SourceMap;
}

/** `(url, charPosition) => 'src/app/visual/sceneRenderer.ts:245'`, or null when there is no map for it. */
export function sourceLocator(dist: string): (url: string, charPosition: number) => string | null {
  const bundles = new Map<string, Bundle | null>();
  const load = (path: string): Bundle | null => {
    const file = join(dist, path);
    if (!existsSync(file) || !existsSync(`${file}.map`)) return null;
    const text = readFileSync(file, 'utf8');
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { lineStarts, map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload) };
  };
  return (url, charPosition) => {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      return null;
    }
    if (!bundles.has(path)) bundles.set(path, load(path));
    const bundle = bundles.get(path);
    if (!bundle || charPosition < 0) return null;
    let line = bundle.lineStarts.length - 1;
    while (line > 0 && bundle.lineStarts[line]! > charPosition) line--;
    const entry = bundle.map.findEntry(line, charPosition - bundle.lineStarts[line]!) as Partial<SourceMapping>;
    if (!entry.originalSource) return null;
    const source = entry.originalSource.replace(/^file:\/\//, '').replace(process.cwd() + '/', '').replace(/^(\.\.\/)+/, '');
    return `${source}:${(entry.originalLine ?? 0) + 1}`;
  };
}

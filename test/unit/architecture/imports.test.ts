import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const IMPORT = /(?:from|import|require\()\s*['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  return [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(IMPORT)].map((match) => match[1]!);
}

// The lint rules say the same; this holds even where a file escapes a lint block's globs.
describe('import boundaries', () => {
  it('nothing outside src/cli imports from src/cli', () => {
    const offenders = sourceFiles('src')
      .filter((file) => !file.startsWith('src/cli/'))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith('.'))
          .filter((spec) => path.relative('src/cli', path.join(path.dirname(file), spec)).split(path.sep)[0] !== '..')
          .map((spec) => `${file}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("no file imports a library's lib/ internals", () => {
    const offenders = ['src', 'test', 'bench'].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .filter((spec) => /^@temporalio\/[^/]+\/lib(\/|$)/.test(spec))
          .map((spec) => `${file}: ${spec}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

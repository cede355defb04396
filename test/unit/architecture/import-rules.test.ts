import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The code map of docs/development.md is the rule: every import of every file of src/ (value or type,
 * `import` or `export ... from`) must be one its folder's row allows.
 */
const ROOT = path.resolve(__dirname, '../../..');

interface Rule {
  folder: string;
  /** Parts of `src` (`src/domain`, `src/errors.ts`) imported freely, and those imported as types only. */
  parts: ReadonlySet<string>;
  typeOnlyParts: ReadonlySet<string>;
  everyPartBut?: ReadonlySet<string>;
  /** Undefined: any package. */
  packages?: ReadonlySet<string>;
  text: string;
}

/** The rows of the table under `## Code map`: `folder | holds | may import`. */
function codeMapRules(markdown: string): Rule[] {
  const section = markdown.split(/^## Code map\s*$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('docs/development.md has no "## Code map" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .filter((cells) => cells[0]?.startsWith('`src/'));
  return rows.map(([folderCell, , mayImport]) => {
    const folder = folderCell!.replaceAll('`', '');
    const rule = {
      folder,
      parts: new Set<string>(),
      typeOnlyParts: new Set<string>(),
      packages: new Set<string>() as Set<string> | undefined,
      everyPartBut: undefined as Set<string> | undefined,
      text: mayImport!,
    };
    if (mayImport === 'nothing') return rule;
    for (const item of mayImport!.split(/,\s*/)) {
      const quoted = /^`([^`]+)`( \(types only\))?$/.exec(item);
      if (item === 'any package') rule.packages = undefined;
      else if (item === 'every folder') rule.everyPartBut = new Set();
      else if (item.startsWith('every folder but ')) {
        rule.everyPartBut = new Set([...item.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
      } else if (quoted?.[1]?.startsWith('src/')) (quoted[2] ? rule.typeOnlyParts : rule.parts).add(quoted[1]);
      else if (quoted) rule.packages?.add(quoted[1]!);
      else throw new Error(`code map: cannot read "${item}" in the row of ${folder}`);
    }
    return rule;
  });
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

// `import x from`, `import type { x } from`, `import { type x } from`, `export { x } from`, `export * from`,
// `import 'x'`: the statements that load a module or name its types.
const STATEMENT =
  /^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

function importsOf(source: string): Import[] {
  return [...source.matchAll(STATEMENT)].map((match) => {
    if (match[5] !== undefined) return { specifier: match[5], typeOnly: false };
    const names = match[3] ?? '';
    // `import { type A, type B }` loads nothing at run time either.
    const allInlineTypes =
      /^\{[^}]*\}$/.test(names) &&
      names
        .slice(1, -1)
        .split(',')
        .filter((name) => name.trim() !== '')
        .every((name) => /^\s*type\s/.test(name));
    return { specifier: match[4]!, typeOnly: match[2] !== undefined || allInlineTypes };
  });
}

/** The part of `src` a file is in: its top folder, or itself for a file at the top (`src/errors.ts`). */
function partOf(fileInSrc: string): string {
  return `src/${fileInSrc.split('/')[0]}`;
}

/** The part of `src` an import lands in; `src/simulator` for `../simulator` (its index). */
function targetPart(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const resolved = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(path.join(ROOT, file)), specifier));
  const [first, ...rest] = resolved.split(path.sep);
  if (rest.length > 0) return `src/${first}`;
  return readdirSync(path.join(ROOT, 'src')).includes(`${first}.ts`) ? `src/${first}.ts` : `src/${first}`;
}

function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function violations(rules: readonly Rule[], files: readonly { file: string; source: string }[]): string[] {
  const byFolder = new Map(rules.map((rule) => [rule.folder, rule]));
  return files.flatMap(({ file, source }) => {
    const part = partOf(path.relative('src', file));
    const rule = byFolder.get(part);
    if (rule === undefined) return [`${file}: its folder ${part} has no row in the code map`];
    return importsOf(source).flatMap(({ specifier, typeOnly }) => {
      const target = targetPart(file, specifier);
      const allowed =
        target === undefined
          ? rule.packages === undefined || rule.packages.has(packageOf(specifier))
          : target === part ||
            rule.parts.has(target) ||
            (typeOnly && rule.typeOnlyParts.has(target)) ||
            (rule.everyPartBut !== undefined && !rule.everyPartBut.has(target));
      return allowed ? [] : [`${file}: imports '${specifier}', but ${part} may import: ${rule.text}`];
    });
  });
}

function sourceFiles(): { file: string; source: string }[] {
  return readdirSync(path.join(ROOT, 'src'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort()
    .map((file) => ({ file, source: readFileSync(path.join(ROOT, file), 'utf8') }));
}

const rules = codeMapRules(readFileSync(path.join(ROOT, 'docs', 'development.md'), 'utf8'));

describe('the code map of docs/development.md', () => {
  it('has a row for every folder of src and every file at its top', () => {
    const parts = readdirSync(path.join(ROOT, 'src')).map((name) => `src/${name}`);
    expect(rules.map((rule) => rule.folder).sort()).toEqual(parts.sort());
  });

  it('allows every import of every source file', () => {
    expect(violations(rules, sourceFiles())).toEqual([]);
  });

  it('has no import loop between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const { file, source } of sourceFiles()) {
      const from = partOf(path.relative('src', file));
      for (const { specifier } of importsOf(source)) {
        const to = targetPart(file, specifier);
        if (to !== undefined && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    // Each loop once, by the shortest way back from each edge.
    const shortestPath = (from: string, to: string): string[] | undefined => {
      const trails = new Map([[from, [from]]]);
      for (const [part, trail] of trails) {
        if (part === to) return trail;
        for (const next of edges.get(part) ?? []) if (!trails.has(next)) trails.set(next, [...trail, next]);
      }
      return undefined;
    };
    const loops = new Map<string, string>();
    for (const [from, targets] of edges) {
      for (const to of targets) {
        const back = shortestPath(to, from);
        if (back === undefined) continue;
        const key = [...new Set(back)].sort().join();
        if (!loops.has(key)) loops.set(key, [from, ...back].join(' -> '));
      }
    }
    expect([...loops.values()]).toEqual([]);
  });

  it('names the file, the import and the rule when an import breaks it', () => {
    const found = violations(rules, [
      { file: 'src/domain/example.ts', source: "import type { SpApiRegion } from '../spapi/endpoints';\n" },
      { file: 'src/workflows/example.ts', source: "import { createActivities } from '../activities';\n" },
      { file: 'src/domain/clock.ts', source: "import { setTimeout } from 'node:timers/promises';\n" },
      { file: 'src/operator/example.ts', source: "export { command } from '../cli/commands/status';\n" },
    ]);
    expect(found).toEqual([
      "src/domain/example.ts: imports '../spapi/endpoints', but src/domain may import: `@temporalio/common`, `@temporalio/workflow`, `ms`",
      "src/workflows/example.ts: imports '../activities', but src/workflows may import: `src/domain`, `src/reconcile`, `src/activities` (types only), `@temporalio/common`, `@temporalio/workflow`",
      "src/domain/clock.ts: imports 'node:timers/promises', but src/domain may import: `@temporalio/common`, `@temporalio/workflow`, `ms`",
      expect.stringMatching(
        /^src\/operator\/example\.ts: imports '\.\.\/cli\/commands\/status', but src\/operator may import: /,
      ),
    ]);
  });

  it('reads type imports, inline type imports and re-exports', () => {
    expect(
      importsOf(
        [
          "import type { A } from './a';",
          "import { type B, type C } from './b';",
          "import { type D, e } from './d';",
          "export { f } from './f';",
          "export * from './g';",
          "import './h';",
          'import {\n  i,\n  type J,\n} from "./i";',
        ].join('\n'),
      ),
    ).toEqual([
      { specifier: './a', typeOnly: true },
      { specifier: './b', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './f', typeOnly: false },
      { specifier: './g', typeOnly: false },
      { specifier: './h', typeOnly: false },
      { specifier: './i', typeOnly: false },
    ]);
  });
});

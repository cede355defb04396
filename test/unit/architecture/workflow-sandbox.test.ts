import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const WORKFLOWS = path.join(ROOT, 'src/workflows/index.ts');
// What the sandbox may load from node_modules: the SDK's workflow-side packages and the duration parser.
const SANDBOX_PACKAGES = ['@temporalio/workflow', '@temporalio/common', 'ms'];

/** Module specifiers a file imports at run time: `import type` and type-only specifiers are erased. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const file = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error(`${from} imports ${specifier}, which resolves to no .ts file`);
  return file;
}

/** Every source file the workflow bundle loads, and every package it imports. */
function sandboxClosure(): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolveLocal(file, specifier));
      else packages.add(specifier);
    }
  };
  visit(WORKFLOWS);
  return { files: [...files].map((file) => path.relative(ROOT, file)).sort(), packages };
}

describe('code the workflow sandbox loads', () => {
  const { files, packages } = sandboxClosure();

  it('includes the domain core the workflow is built on', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'src/domain/contract.ts',
        'src/domain/order-state.ts',
        'src/reconcile/workflow/contract.ts',
      ]),
    );
  });

  it('is all covered by the workflow-sandbox lint rules', () => {
    // ESLint loads its ES-module config in a plain node process (jest's module system cannot import it).
    const script = `
      const { ESLint } = require('eslint');
      (async () => {
        const eslint = new ESLint();
        const rules = [];
        for (const file of JSON.parse(process.argv[1])) rules.push((await eslint.calculateConfigForFile(file)).rules);
        process.stdout.write(JSON.stringify(rules));
      })();`;
    const rules = JSON.parse(
      execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: ROOT, encoding: 'utf8' }),
    ) as Record<string, unknown>[];
    const uncovered = files.filter(
      (_, index) => !JSON.stringify(rules[index]?.['no-restricted-globals'] ?? []).includes('setTimeout'),
    );
    expect(uncovered).toEqual([]);
  });

  it('imports only packages that run in the sandbox', () => {
    expect([...packages].filter((name) => !SANDBOX_PACKAGES.includes(name))).toEqual([]);
  });
});

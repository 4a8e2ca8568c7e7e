import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

const SRC = resolve(__dirname, '../src');
/** The files directly in src/ (main.ts, app.module.ts, app.setup.ts): they sit on top of every folder. */
const APP = '(src/*.ts)';

/**
 * The top-level folders of src/, bottom up: a folder may import only folders on a lower step, never one
 * on its own step or above. ARCHITECTURE.md's "Dependency direction" as the code holds it today; where
 * the two differ, this list says what the code does and the comment says where the document wants it.
 */
const STEPS: readonly (readonly string[])[] = [
  ['common'],
  ['config'],
  // Infrastructure: the data source, the embedded server, the prepared-statement seam; no feature.
  ['database'],
  ['logging', 'lifecycle', 'metrics', 'mail'],
  ['audit', 'security', 'passwords', 'keys'],
  ['tokens'],
  ['one-time-tokens', 'sessions'],
  ['users'],
  ['notifications'],
  ['passkeys'],
  ['mfa'],
  ['identities'],
  ['auth'],
  ['health', 'docs', 'retention', 'administration'],
  [APP, 'cli'],
];

const stepOf = new Map(STEPS.flatMap((folders, step) => folders.map((folder) => [folder, step] as const)));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a file lies in, or APP for the files directly in src/. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? APP : parts[0];
}

/** Every import between two different top-level parts of src/: static, type-only, re-export and dynamic. */
function folderImports(): Map<string, Map<string, string>> {
  const imports = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const { importedFiles } = preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (relative(SRC, target).startsWith('..')) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = imports.get(from) ?? new Map<string, string>();
      // One example per pair is enough to name in a failure.
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} imports ${fileName}`);
      imports.set(from, edges);
    }
  }
  return imports;
}

/** The folders of a circle of imports, if there is one. */
function findCycle(imports: Map<string, Map<string, string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (folder: string, path: string[]): string[] | undefined => {
    const seen = path.indexOf(folder);
    if (seen !== -1) return [...path.slice(seen), folder];
    if (done.has(folder)) return undefined;
    for (const next of imports.get(folder)?.keys() ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle) return cycle;
    }
    done.add(folder);
    return undefined;
  };
  for (const folder of imports.keys()) {
    const cycle = visit(folder, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the dependency direction of src/', () => {
  const imports = folderImports();

  it('places every top-level folder of src/ on a step of the documented order', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).filter((name) => !stepOf.has(name))).toEqual([]);
  });

  it('has no import from a folder to one on its own step or above', () => {
    const upward: string[] = [];
    for (const [from, edges] of imports) {
      for (const [to, example] of edges) {
        if (stepOf.get(to)! >= stepOf.get(from)!) upward.push(`${from} -> ${to}: ${example}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no circle of imports between top-level folders', () => {
    expect(findCycle(imports)).toBeUndefined();
  });

  it('reads the imports it judges (a folder known to import others is seen doing so)', () => {
    expect([...(imports.get('auth')?.keys() ?? [])]).toEqual(expect.arrayContaining(['users', 'sessions']));
  });
});

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serviceNodeFlags } from '../bench/service-node-flags';
import { BUILT_ENTRY } from './support/built-app-process';

const ROOT = join(__dirname, '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
/** The entry point every command runs: dist/src/main.js, since the build compiles src/ and migrations/. */
const ENTRY = 'dist/src/main.js';

/** The container image, `npm start` and the benchmark run the service with the same Node.js flags. */
describe('the command that runs the service', () => {
  const dockerfile = read('Dockerfile');
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it("is the same in the image's CMD as in npm start", () => {
    const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(['node', ...serviceNodeFlags(), ENTRY]);
    expect(scripts.start).toBe(['node', ...serviceNodeFlags(), ENTRY].join(' '));
  });

  it('starts the entry point nest start and nest build produce, and the tests start', () => {
    const nestCli = JSON.parse(read('nest-cli.json')) as { entryFile: string };
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(join(build.compilerOptions.outDir, `${nestCli.entryFile}.js`)).toBe(ENTRY);
    expect(build.compilerOptions.rootDir).toBe('.');
    expect(relative(ROOT, BUILT_ENTRY)).toBe(ENTRY);
    expect(scripts.db).toContain('node dist/src/cli/db.command.js');
  });

  it('gives the service a young generation large enough for its per-request garbage', () => {
    expect(serviceNodeFlags()).toContain('--max-semi-space-size=32');
  });
});

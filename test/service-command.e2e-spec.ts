import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from '../bench/service-node-flags';

/** The container image, `npm start` and the benchmark run the service with the same Node.js flags. */
describe('the command that runs the service', () => {
  const dockerfile = readFileSync(join(__dirname, '..', 'Dockerfile'), 'utf8');

  it("is the same in the image's CMD as in npm start", () => {
    const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(['node', ...serviceNodeFlags(), 'dist/main.js']);
  });

  it('gives the service a young generation large enough for its per-request garbage', () => {
    expect(serviceNodeFlags()).toContain('--max-semi-space-size=32');
  });
});

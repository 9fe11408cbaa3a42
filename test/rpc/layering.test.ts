/** Design §1: rpc imports core (and ws, node:*) only; never node/, p2p/ or vm/. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../rpc/', import.meta.url);

describe('rpc layering', () => {
  it('imports nothing from node/, p2p/ or vm/', () => {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const i of imports) {
        expect(i.startsWith('./') || i.startsWith('../core/') || i.startsWith('node:') || i === 'ws', `${f} imports ${i}`).toBe(true);
      }
    }
  });
});

/** Fixture contract sources (test/fixtures/contracts/*.mc). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Source of a fixture contract in test/fixtures/contracts/. */
export function fixture(name: string): string {
  return readFileSync(path.join(here, '..', 'fixtures', 'contracts', `${name}.mc`), 'utf8');
}

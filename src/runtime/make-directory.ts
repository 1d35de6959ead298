/**
 * `mkdir -p` that always returns or throws. Node's `mkdirSync(dir, { recursive: true })` (libuv) makes the
 * parent and retries whenever mkdir answers ENOENT, and so spins for ever where mkdir answers ENOENT under a
 * parent that exists (procfs: `/proc/x`): a bad folder given to a command hung it instead of being refused.
 * Here each folder of the path is tried at most twice, so the walk ends at the root.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `dir`; the ENOENT that says its parent is missing is returned, anything else thrown. */
function makeOne(dir: string): NodeJS.ErrnoException | undefined {
  try {
    mkdirSync(dir);
    return undefined;
  } catch (error) {
    const failed = error as NodeJS.ErrnoException;
    if (failed.code === 'EEXIST' && statSync(dir).isDirectory()) return undefined;
    if (failed.code === 'ENOENT') return failed;
    throw failed;
  }
}

/** Makes `dir` and every missing folder above it; a folder that exists already is fine. */
export function makeDirectory(dir: string): void {
  const missingParent = makeOne(dir);
  if (missingParent === undefined) return;
  const parent = dirname(dir);
  if (parent === dir) throw missingParent;
  makeDirectory(parent);
  const failed = makeOne(dir);
  if (failed !== undefined) throw failed;
}

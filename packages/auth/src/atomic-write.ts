import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/**
 * Writes `data` to `path` so that a reader sees either the old file or the whole new one, never
 * a torn write: write a temp file beside it, flush it, then rename over the target. The temp
 * file is created with `mode` already set, so a private key is never briefly world-readable.
 */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data, 'utf8');
      // open() applies the umask; chmod pins the exact mode asked for.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

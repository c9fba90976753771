/**
 * `npm start` builds what it needs: the web app is rebuilt (Vite, ~2 s) when
 * its sources changed since the last build, told by a stamp of every source
 * file's path, size and modification time kept beside the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const webRoot = join(projectRoot, 'web');
/** SHOUHOU_WEB_DIST builds elsewhere (parallel work on one checkout); the default is dist/web */
export const webDist = process.env.SHOUHOU_WEB_DIST ?? join(projectRoot, 'dist', 'web');
const stampFile = join(webDist, '.source-stamp');

/** What the build reads: the web app, the labels, schemas and pure core it imports from, the lockfile. */
function sourceStamp(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${relative(projectRoot, path)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(webRoot);
  // the web app imports words and pure rules from these
  walk(join(projectRoot, 'src', 'contract'));
  walk(join(projectRoot, 'src', 'core'));
  for (const file of ['package-lock.json']) {
    const path = join(projectRoot, file);
    if (existsSync(path)) hash.update(`${file}\0${statSync(path).mtimeMs}\n`);
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return existsSync(join(webDist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === sourceStamp();
}

/** Builds the web app into dist/web unless it is current; answers whether it built. */
export async function ensureWebBuilt(log?: { info: (msg: string) => void }): Promise<boolean> {
  if (webBuildIsCurrent()) return false;
  const stamp = sourceStamp();
  log?.info('building the web app (never built, or its sources changed since the last build)');
  const { build } = await import('vite');
  // a production build whatever the caller's NODE_ENV (vitest sets "test", which would bundle React's slow development build)
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(stampFile, stamp);
  return true;
}

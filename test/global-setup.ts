/** Once before every test file: the web app is built (end-to-end tests and `shouhou serve` serve it). */
import { ensureWebBuilt } from '../src/cli/web-build.ts';

export default async function setup(): Promise<void> {
  await ensureWebBuilt();
}

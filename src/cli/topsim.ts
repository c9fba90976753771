/**
 * `shouhou topsim`: starts topsim, the local look-alike of the Taobao Open
 * Platform (for tests and demos, never production), prints what a demo shop
 * is bound with, and runs until SIGINT/SIGTERM.
 */
import { startTopSim } from '../topsim/server.ts';

export const topsimUsage = `shouhou topsim — a local look-alike of the Taobao Open Platform (tests and demos only)

  shouhou topsim [--port 8090] [--host 127.0.0.1] [--seed 1] [--orders 200] [--refunds 60] [--activity 6] [--tmall]

  --port      port to listen on (0: any free port; default 8090)
  --host      address to bind (default 127.0.0.1; the control API /sim/* answers local clients only)
  --seed      seed of the generated shop and of every random choice (default 1)
  --orders    orders in the generated shop (default 200)
  --refunds   refunds in the generated shop (default 60)
  --activity  buyer actions a minute happening on their own (default 0: none)
  --tmall     a Tmall shop (Tmall's stricter rules on seller actions) instead of a Taobao one

It prints the gateway URL, app key, app secret, session key and seller nick to bind a demo shop with.`;

export interface TopSimCliIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** stops the sim (besides SIGINT/SIGTERM) */
  signal?: AbortSignal;
}

interface Flags {
  port: number;
  host: string;
  seed: number;
  orders: number;
  refunds: number;
  activity: number;
  tmall: boolean;
}

function parseFlags(argv: string[]): Flags | string {
  const flags: Flags = { port: 8090, host: '127.0.0.1', seed: 1, orders: 200, refunds: 60, activity: 0, tmall: false };
  const args = argv[0] === 'topsim' ? argv.slice(1) : argv.slice();
  const whole = (name: string, text: string | undefined, min: number, max: number): number | string => {
    if (text === undefined || !/^[0-9]+$/.test(text)) return `--${name} needs a whole number`;
    const n = Number(text);
    if (n < min || n > max) return `--${name} must be ${min}–${max}`;
    return n;
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m) return `unexpected argument: ${arg}`;
    const name = m[1] as string;
    if (name === 'tmall') {
      if (m[2] !== undefined) return '--tmall takes no value';
      flags.tmall = true;
      continue;
    }
    if (name === 'help') return '';
    let value = m[2];
    if (value === undefined) {
      value = args[i + 1];
      i += 1;
    }
    let n: number | string;
    switch (name) {
      case 'host':
        if (!value || value.startsWith('--')) return '--host needs an address';
        flags.host = value;
        continue;
      case 'port':
        n = whole(name, value, 0, 65_535);
        if (typeof n === 'string') return n;
        flags.port = n;
        continue;
      case 'seed':
        n = whole(name, value, 0, 4_294_967_295);
        if (typeof n === 'string') return n;
        flags.seed = n;
        continue;
      case 'orders':
        n = whole(name, value, 0, 1_000_000);
        if (typeof n === 'string') return n;
        flags.orders = n;
        continue;
      case 'refunds':
        n = whole(name, value, 0, 1_000_000);
        if (typeof n === 'string') return n;
        flags.refunds = n;
        continue;
      case 'activity':
        n = whole(name, value, 0, 60_000);
        if (typeof n === 'string') return n;
        flags.activity = n;
        continue;
      default:
        return `unknown flag --${name}`;
    }
  }
  return flags;
}

/** Runs until SIGINT/SIGTERM (or io.signal); 2 with the usage on bad flags. */
export async function runTopSimCli(argv: string[], io: TopSimCliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const flags = parseFlags(argv);
  if (typeof flags === 'string') {
    if (flags !== '') err(`shouhou topsim: ${flags}`);
    err(topsimUsage);
    return 2;
  }
  let sim;
  try {
    sim = await startTopSim({
      port: flags.port,
      host: flags.host,
      seed: flags.seed,
      shop: { orders: flags.orders, refunds: flags.refunds },
      shopType: flags.tmall ? 'tmall' : 'taobao',
    });
  } catch (e) {
    err(`shouhou topsim: cannot start: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (flags.activity > 0) sim.control.activity(flags.activity);
  out('topsim: a look-alike of the Taobao Open Platform, for tests and demos only');
  out(`gateway URL:  ${sim.gatewayUrl}`);
  out(`app key:      ${sim.app.appKey}`);
  out(`app secret:   ${sim.app.appSecret}`);
  out(`session key:  ${sim.seller.sessionKey}`);
  out(`seller nick:  ${sim.seller.nick}`);
  out(`shop:         ${flags.tmall ? 'Tmall' : 'Taobao'}, ${Math.max(flags.orders, flags.refunds)} orders, ${flags.refunds} refunds, seed ${flags.seed}${flags.activity > 0 ? `, ${flags.activity} buyer actions a minute` : ''}`);
  out(`courier trace: ${sim.url}/courier (SHOUHOU_PARCEL_TRACKING_URL for \`shouhou serve\`: every parcel of this shop)`);
  out(`control API:  ${sim.url}/sim/info (state, stats, messages, faults, activity: see src/topsim/server.ts)`);
  out('Ctrl-C stops it.');

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await sim.close();
  out('topsim stopped');
  return 0;
}

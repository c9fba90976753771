/**
 * The load test's processes (issue 16 §3): the simulator and the servers, each spawned as `shouhou topsim`
 * and `shouhou serve` are run, their output kept in a file; and what each process costs, sampled from
 * /proc (CPU time and resident memory, once a second), with the machine's own CPU time to tell how busy
 * the rest of it was.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** the process's output so far */
  output(): string;
}

/** `node bin/shouhou.js <args>`, its stdout and stderr into `logFile`. */
export function spawnShouhou(name: string, args: string[], options: { env: NodeJS.ProcessEnv; logFile: string }): Spawned {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, ['bin/shouhou.js', ...args], { cwd: root, env: options.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  return { name, child, pid: child.pid, logFile: options.logFile, output: () => (existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8') : '') };
}

/** Waits until the process's output matches `pattern` (its first group is answered), or fails with the output. */
export async function waitForOutput(p: Spawned, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = p.output();
    const m = pattern.exec(text);
    if (m) return m[1] ?? m[0];
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready:\n${text.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`${p.name} was not ready after ${timeoutMs / 1000} s:\n${text.slice(-4000)}`);
    await sleep(50);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(p: Spawned, graceMs = 10_000): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// /proc

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU seconds (user + system) and memory (bytes) of a process; null when it is gone or unreadable. The
 * memory is its proportional set size (PSS: resident pages, those shared with other processes split among
 * them, so PostgreSQL's shared buffers count once over its backends) when /proc lets us read it, else its
 * resident set size.
 */
export function readProc(pid: number, withMemory = true): { cpuSeconds: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command: state is field 3, utime 14, stime 15 (man 5 proc)
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
    if (!withMemory) return { cpuSeconds, rssBytes: 0 };
    let kb: string | undefined;
    try {
      kb = /^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    } catch {
      // not ours to read: the resident size instead
    }
    kb ??= /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuSeconds, rssBytes: kb ? Number(kb) * 1024 : 0 };
  } catch {
    return null;
  }
}

/** The machine's CPU time so far (seconds, all cores): busy and in all. */
export function readMachineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / ticksPerSecond(), total: (busy + idle + iowait) / ticksPerSecond() };
  } catch {
    return null;
  }
}

export interface ProcessUsage {
  name: string;
  /** the average CPU use over the run, in % of one core */
  cpuAvgPct: number;
  /** the highest over any 5 s of the run, in % of one core */
  cpuMaxPct: number;
  cpuSeconds: number;
  rssAvgMb: number;
  rssMaxMb: number;
  rssEndMb: number;
  samples: number;
}

interface Track {
  name: string;
  pids: () => number[];
  /** CPU seconds per pid at the start (a process seen later starts from its first reading) */
  first: Map<number, number>;
  last: Map<number, number>;
  rss: number[];
  /** (time, cpu seconds so far) for the windows */
  points: { t: number; cpu: number }[];
}

/**
 * Samples the named processes every `everyMs`: CPU time and resident memory (a group, such as the
 * PostgreSQL backends of the run's database, is summed). Also the machine's CPU, for contention.
 */
export class ResourceSampler {
  private readonly tracks: Track[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private stoppedAt = 0;
  private machineStart: { busy: number; total: number } | null = null;
  private machineEnd: { busy: number; total: number } | null = null;
  private loadAvg: number[] = [];

  add(name: string, pids: () => number[]): void {
    this.tracks.push({ name, pids, first: new Map(), last: new Map(), rss: [], points: [] });
  }

  start(everyMs = 1000): void {
    this.startedAt = Date.now();
    this.machineStart = readMachineCpu();
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    this.stoppedAt = Date.now();
    this.machineEnd = readMachineCpu();
  }

  private sample(): void {
    const now = Date.now();
    this.loadAvg.push(os.loadavg()[0] ?? 0);
    for (const t of this.tracks) {
      let rss = 0;
      let seen = false;
      for (const pid of t.pids()) {
        const p = readProc(pid);
        if (!p) continue;
        seen = true;
        if (!t.first.has(pid)) t.first.set(pid, p.cpuSeconds);
        t.last.set(pid, p.cpuSeconds);
        rss += p.rssBytes;
      }
      if (!seen) continue;
      t.rss.push(rss);
      t.points.push({ t: now, cpu: this.cpuOf(t) });
    }
  }

  private cpuOf(t: Track): number {
    let s = 0;
    for (const [pid, last] of t.last) s += last - (t.first.get(pid) ?? last);
    return s;
  }

  /** What each process used over the run. */
  usage(): ProcessUsage[] {
    const seconds = Math.max(0.001, ((this.stoppedAt || Date.now()) - this.startedAt) / 1000);
    return this.tracks.map((t) => {
      const cpu = this.cpuOf(t);
      let maxPct = 0;
      for (let i = 0, j = 0; i < t.points.length; i += 1) {
        while (j < i && t.points[i]!.t - t.points[j]!.t > 5000) j += 1;
        const a = t.points[j]!;
        const b = t.points[i]!;
        if (b.t - a.t >= 2000) maxPct = Math.max(maxPct, ((b.cpu - a.cpu) / ((b.t - a.t) / 1000)) * 100);
      }
      const mb = (b: number) => b / 1024 / 1024;
      return {
        name: t.name,
        cpuAvgPct: (cpu / seconds) * 100,
        cpuMaxPct: Math.max(maxPct, (cpu / seconds) * 100),
        cpuSeconds: cpu,
        rssAvgMb: t.rss.length ? mb(t.rss.reduce((s, x) => s + x, 0) / t.rss.length) : 0,
        rssMaxMb: t.rss.length ? mb(Math.max(...t.rss)) : 0,
        rssEndMb: t.rss.length ? mb(t.rss[t.rss.length - 1]!) : 0,
        samples: t.rss.length,
      };
    });
  }

  /** The machine over the run: its CPU in use (% of all cores) and the load average's mean and peak. */
  machine(): { busyPct: number; cores: number; loadAvgMean: number; loadAvgMax: number; seconds: number } {
    const a = this.machineStart;
    const b = this.machineEnd ?? readMachineCpu();
    const busyPct = a && b && b.total > a.total ? ((b.busy - a.busy) / (b.total - a.total)) * 100 : Number.NaN;
    const l = this.loadAvg;
    return {
      busyPct,
      cores: os.cpus().length,
      loadAvgMean: l.length ? l.reduce((s, x) => s + x, 0) / l.length : 0,
      loadAvgMax: l.length ? Math.max(...l) : 0,
      seconds: ((this.stoppedAt || Date.now()) - this.startedAt) / 1000,
    };
  }
}

/** The processes of the machine besides ours that used the most CPU over a second (names only): who else was busy. */
export async function busiestOthers(exclude: Set<number>, top = 5): Promise<{ pid: number; command: string; pct: number }[]> {
  const read = () => {
    const out = new Map<number, number>();
    let pids: string[] = [];
    try {
      pids = readdirSync('/proc').filter((x) => /^\d+$/.test(x));
    } catch {
      return out;
    }
    for (const p of pids) {
      const pid = Number(p);
      if (exclude.has(pid)) continue;
      const u = readProc(pid, false);
      if (u) out.set(pid, u.cpuSeconds);
    }
    return out;
  };
  const a = read();
  await sleep(1000);
  const b = read();
  const rows: { pid: number; command: string; pct: number }[] = [];
  for (const [pid, cpu] of b) {
    const before = a.get(pid);
    if (before === undefined) continue;
    const pct = (cpu - before) * 100;
    if (pct < 5) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    rows.push({ pid, command, pct });
  }
  return rows.sort((x, y) => y.pct - x.pct).slice(0, top);
}

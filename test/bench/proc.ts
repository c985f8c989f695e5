// CPU and memory of another process, read from Linux's /proc (what pidusage does): utime+stime from
// /proc/<pid>/stat, VmRSS and VmHWM from /proc/<pid>/status. The server runs in its own process so the load
// generator's CPU is never counted as the server's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

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

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

/**
 * The main thread's scheduler times (Linux /proc/<pid>/schedstat): seconds on a CPU and seconds runnable but
 * waiting for one. On a shared machine the second tells how much of a latency is other processes' doing.
 */
export function schedSeconds(pid: number): { onCpu: number; waiting: number } | null {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait)) return null;
    return { onCpu: run / 1e9, waiting: wait / 1e9 };
  } catch {
    return null;
  }
}

/** The machine's CPU time so far (all cores, /proc/stat), in clock ticks. */
function machineTicks(): { busy: number; idle: number; iowait: number; steal: number; total: number } | null {
  try {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return { busy: user + nice + system + irq + softirq, idle, iowait, steal, total };
  } catch {
    return null;
  }
}

/**
 * Write-like system calls the process has made so far (`syscw` of /proc/<pid>/io: write, writev, pwrite…): socket
 * sends and the database's writes and fsyncs' pages alike. A count, so it does not depend on the machine's speed.
 */
export function writeSyscalls(pid: number): number | null {
  try {
    const match = /^syscw:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Resident memory now and its high-water mark, in MB. */
export function memory(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Reset the process's VmHWM (Linux ≥ 4.0) so a peak is the peak of this phase, not of the start-up. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface ProcUsage {
  wallSeconds: number;
  cpuSeconds: number;
  /** Percent of one core (100 = one core busy the whole time). */
  cpuPercent: number;
  peakRssMb: number;
  endRssMb: number;
  /**
   * The main thread (where all requests run), as percents of the wall time: on a CPU, runnable but waiting for a CPU
   * (taken by other processes), and neither (idle, or blocked in a system call such as a commit's fsync).
   */
  mainThread: { onCpuPercent: number; waitingForCpuPercent: number; idleOrBlockedPercent: number } | null;
  /**
   * The whole machine meanwhile, as percents of all its cores: busy (every process, this one included), waiting
   * for the disk, and stolen by the hypervisor (a virtual machine's CPUs given to other guests).
   */
  machine: { busyPercent: number; iowaitPercent: number; stealPercent: number } | null;
}

/** Samples a process during a phase: CPU used between start and stop, the largest RSS seen. */
export class ProcSampler {
  private startCpu = 0;
  private startSched: { onCpu: number; waiting: number } | null = null;
  private startMachine: ReturnType<typeof machineTicks> = null;
  private startWall = 0;
  private peak = 0;
  private peakReset = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number, private readonly everyMs = 100) {}

  start(): void {
    this.startCpu = cpuSeconds(this.pid);
    this.startSched = schedSeconds(this.pid);
    this.startMachine = machineTicks();
    this.startWall = performance.now();
    this.peakReset = resetPeak(this.pid);
    this.peak = memory(this.pid).rssMb;
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, memory(this.pid).rssMb);
    } catch {
      // the process is gone: keep what we have
    }
  }

  stop(): ProcUsage {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const wallSeconds = (performance.now() - this.startWall) / 1000;
    const used = cpuSeconds(this.pid) - this.startCpu;
    const sched = schedSeconds(this.pid);
    const m1 = machineTicks();
    const m0 = this.startMachine;
    const span = m1 && m0 ? m1.total - m0.total : 0;
    const machine = m1 && m0 && span > 0
      ? { busyPercent: round(((m1.busy - m0.busy) / span) * 100), iowaitPercent: round(((m1.iowait - m0.iowait) / span) * 100), stealPercent: round(((m1.steal - m0.steal) / span) * 100) }
      : null;
    let mainThread: ProcUsage['mainThread'] = null;
    if (sched && this.startSched) {
      const onCpu = ((sched.onCpu - this.startSched.onCpu) / wallSeconds) * 100;
      const waiting = ((sched.waiting - this.startSched.waiting) / wallSeconds) * 100;
      mainThread = { onCpuPercent: round(onCpu), waitingForCpuPercent: round(waiting), idleOrBlockedPercent: round(Math.max(0, 100 - onCpu - waiting)) };
    }
    const mem = memory(this.pid);
    // VmHWM catches a peak between two samples, but only once it was reset at the start of this phase.
    const peak = this.peakReset ? Math.max(this.peak, mem.hwmMb) : this.peak;
    return {
      wallSeconds: round(wallSeconds),
      cpuSeconds: round(used),
      cpuPercent: round((used / wallSeconds) * 100),
      peakRssMb: round(peak),
      endRssMb: round(mem.rssMb),
      mainThread,
      machine,
    };
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * CPU of the PostgreSQL backends serving one database (on this machine: the bench's PostgreSQL is local), from
 * /proc like the other figures: the backends are listed from pg_stat_activity while the phase runs (the pools open
 * and close connections), and each one's CPU is counted from the start of the phase or its birth. Other databases'
 * backends (other work on a shared server) are not counted; PostgreSQL's background writers are not either.
 */
export class PgBackendSampler {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private listing: Promise<void> | null = null;

  constructor(private readonly list: () => Promise<number[]>, private readonly everyMs = 200) {}

  async start(): Promise<void> {
    for (const pid of await this.list()) this.read(pid, true);
    this.timer = setInterval(() => { this.listing ??= this.sample().finally(() => { this.listing = null; }); }, this.everyMs);
    this.timer.unref();
  }

  private read(pid: number, atStart: boolean): void {
    try {
      const cpu = cpuSeconds(pid);
      if (!this.first.has(pid)) this.first.set(pid, atStart ? cpu : 0);
      this.last.set(pid, cpu);
    } catch {
      // the backend ended: its last reading stays
    }
  }

  private async sample(): Promise<void> {
    try {
      for (const pid of new Set([...this.last.keys(), ...await this.list()])) this.read(pid, false);
    } catch {
      // the listing failed once: the next sample catches up
    }
  }

  /** CPU seconds the backends used during the phase. */
  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    await this.listing;
    await this.sample();
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.first.get(pid) ?? 0);
    return Math.round(total * 100) / 100;
  }
}

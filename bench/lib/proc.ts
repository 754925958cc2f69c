// Linux /proc readings: memory of one process, CPU time of a process tree, busy share of the machine. Used to say
// where the cores went during a run (server thread, load generator, PostgreSQL).
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM, …), or NaN. */
export function statusKb(pid: number, field: string): number {
  const text = read(`/proc/${pid}/status`);
  const m = text && new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Proportional set size (shared pages split between their users), kB. */
export function pssKb(pid: number): number {
  const text = read(`/proc/${pid}/smaps_rollup`);
  const m = text && /^Pss:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

export function commandLine(pid: number): string[] {
  return (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
}

function statFields(pid: number): string[] | null {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return null;
  // The command name is in parentheses and may hold spaces: split after the last ')'.
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** user + system CPU seconds of one process (all its threads). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : 0;
}

/** Every live descendant of `pid` (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f) parent.set(Number(name), Number(f[1]));
  }
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const p = frontier.pop()!;
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

/** CPU seconds of the descendants of `pid` (e.g. the embedded PostgreSQL and its backends). */
export function descendantsCpuSeconds(pid: number): number {
  return descendants(pid).reduce((s, p) => s + cpuSeconds(p), 0);
}

/** Cumulative busy and total jiffies of the whole machine (/proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const line = (read("/proc/stat") ?? "").split("\n")[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU seconds of the calling thread, when Node offers it (process.threadCpuUsage, Node ≥ 23.9). */
export function threadCpuSeconds(): number {
  const f = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (typeof f !== "function") return NaN;
  const u = f.call(process);
  return (u.user + u.system) / 1e6;
}

export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Snapshot of CPU counters; `since(snapshot)` turns two into shares of a core over the wall time between them. */
export interface CpuSnapshot {
  at: number;
  thread: number;
  process: number;
  children: number;
  machine: { busy: number; total: number };
}

export function cpuSnapshot(): CpuSnapshot {
  return {
    at: performance.now(),
    thread: threadCpuSeconds(),
    process: processCpuSeconds(),
    children: descendantsCpuSeconds(process.pid),
    machine: machineTicks(),
  };
}

export function cpuReport(a: CpuSnapshot, b: CpuSnapshot, cores: number): string {
  const wall = (b.at - a.at) / 1000;
  const pct = (s: number) => `${Math.round((100 * s) / wall)} %`;
  const thread = b.thread - a.thread;
  const ours = b.process - a.process;
  const children = b.children - a.children;
  const machineTotal = Math.max(1, b.machine.total - a.machine.total);
  const machineBusy = (b.machine.busy - a.machine.busy) / machineTotal; // share of all cores
  const otherProcesses = Math.max(0, machineBusy * cores * wall - ours - children);
  const parts = [
    Number.isFinite(thread) ? `server main thread ${pct(thread)}` : null,
    `other threads of this process (load generator, libuv pool, GC) ${pct(ours - (Number.isFinite(thread) ? thread : 0))}`,
    `child processes (embedded PostgreSQL) ${pct(children)}`,
    `other processes on the machine ${pct(otherProcesses)}`,
  ].filter(Boolean);
  return `CPU over ${wall.toFixed(1)} s, in % of one core: ${parts.join("; ")} — machine ${Math.round(machineBusy * 100)} % busy (${cores} cores)`;
}

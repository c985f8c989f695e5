// Reads a V8 .cpuprofile (written by node --cpu-prof) and lists where the time went: the hottest functions by self
// time, and self time per module (our files by folder, libraries by package).
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface HotSpot { name: string; where: string; selfMs: number; selfPercent: number; callers?: string[] }
export interface ProfileSummary { file: string; totalMs: number; functions: HotSpot[]; modules: HotSpot[] }

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const cwd = process.cwd() + path.sep;
  return clean.startsWith(cwd) ? clean.slice(cwd.length) : clean;
}

function moduleOf(url: string): string {
  const u = shortUrl(url);
  if (u === '(native)') return '(native / GC / idle)';
  if (u.startsWith('node:')) return u.split('/')[0] ?? u;
  const parts = u.split('/');
  if (url.includes('node_modules/')) return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? u);
  if (parts[0] === 'server' && parts[1] === 'src') return parts.slice(0, 4).join('/').replace(/\.ts$/, '') + (parts.length > 4 ? '' : '');
  return parts.slice(0, 2).join('/');
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}`;
  // Who calls a hot function: the chain of up to 3 callers above it, weighted by self time.
  const chainOf = (id: number) => {
    const names: string[] = [];
    let cur = parent.get(id);
    while (cur !== undefined && names.length < 3) {
      const n = byId.get(cur);
      if (!n) break;
      names.push(label(n));
      cur = parent.get(cur);
    }
    return names.join(' < ');
  };
  const fn = new Map<string, { name: string; where: string; us: number; callers: Map<string, number> }>();
  const mod = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const f = fn.get(key) ?? { name: functionName || '(anonymous)', where, us: 0, callers: new Map<string, number>() };
    f.us += us;
    const chain = chainOf(id);
    f.callers.set(chain, (f.callers.get(chain) ?? 0) + us);
    fn.set(key, f);
    const m = moduleOf(url);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const spot = (name: string, where: string, us: number): HotSpot => ({
    name, where, selfMs: Math.round(us / 100) / 10, selfPercent: Math.round((us / Math.max(total, 1)) * 1000) / 10,
  });
  return {
    file,
    totalMs: Math.round(total / 1000),
    functions: [...fn.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({
      ...spot(f.name, f.where, f.us),
      callers: [...f.callers].sort((a, b) => b[1] - a[1]).slice(0, 3)
        .map(([chain, us]) => `${Math.round((us / Math.max(total, 1)) * 1000) / 10}% < ${chain}`),
    })),
    modules: [...mod].sort((a, b) => b[1] - a[1]).slice(0, top).map(([m, us]) => spot(m, '', us)),
  };
}

/** The newest main-thread .cpuprofile in a folder (CPU.<date>.<time>.<pid>.<thread>.<seq>; tsx's loader thread is 1). */
export function latestProfile(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const files = fs.readdirSync(dir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)).map((f) => path.join(dir, f));
  files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return files[0] ?? null;
}

export function formatProfile(p: ProfileSummary, withCallers = true): string {
  const lines = [`CPU profile ${p.file} (${p.totalMs} ms on the main thread, idle excluded)`, '  hottest functions (self time):'];
  for (const f of p.functions) {
    lines.push(`    ${String(f.selfPercent).padStart(5)}%  ${f.name}  ${f.where}`);
    if (withCallers) for (const c of f.callers ?? []) lines.push(`             ${c}`);
  }
  lines.push('  by module (self time):');
  for (const m of p.modules) lines.push(`    ${String(m.selfPercent).padStart(5)}%  ${m.name}`);
  return lines.join('\n');
}

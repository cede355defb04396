import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The process listening on a TCP port, and the `solicit dev` that started it if one did. */
export interface PortHolder {
  pid: number;
  command: string;
  /** The `solicit dev` among the listener and its ancestors. */
  devStack?: { pid: number; command: string };
}

/**
 * Who listens on `port`, from /proc (Linux; elsewhere, or for another user's process, undefined): so that
 * "port in use" can say by what, a `solicit dev` left running above all.
 */
export function portHolder(port: number): PortHolder | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of pids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (holds) return { pid, command: commandLine(pid) ?? '?', ...devStackOf(pid) };
  }
  return undefined;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (local?.endsWith(`:${hexPort}`) && state === '0A' && inode) inodes.add(`socket:[${inode}]`);
    }
  }
  return inodes;
}

function pids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name in parentheses may hold spaces: the fields after it are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function devStackOf(pid: number): Pick<PortHolder, 'devStack'> {
  for (let current: number | undefined = pid, depth = 0; current && current > 1 && depth < 5; depth += 1) {
    const command = commandLine(current);
    if (command && /\bsolicit dev\b/.test(command)) return { devStack: { pid: current, command } };
    current = parentOf(current);
  }
  return {};
}

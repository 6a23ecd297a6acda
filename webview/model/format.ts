// Numbers as the model view writes them: counts with thousands separators, FLOPs and bytes
// with a unit prefix, "?" where the checker could not tell (a symbolic size, an error).

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function scaled(n: number, base: number, units: readonly string[]): string {
  let i = 0;
  while (Math.abs(n) >= base && i < units.length - 1) {
    n /= base;
    i++;
  }
  return `${i === 0 ? String(Math.round(n)) : n.toFixed(n < 10 ? 2 : 1)}${units[i]}`;
}

/** "1.23M" FLOPs; null is unknown. */
export function formatFlops(n: number | null): string {
  return n === null ? '?' : scaled(n, 1000, ['', 'K', 'M', 'G', 'T']);
}

/** "3.50 KiB"; null is unknown. */
export function formatBytes(n: number | null): string {
  return n === null ? '?' : scaled(n, 1024, [' B', ' KiB', ' MiB', ' GiB', ' TiB']);
}

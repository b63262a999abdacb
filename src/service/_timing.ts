/** Milliseconds since `t0` (a `performance.now()`), to two decimals. */
export function ms(t0: number): number {
  return round(performance.now() - t0);
}

/** To two decimals, as timings are reported. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

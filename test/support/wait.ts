/** Polls until `check` holds; fails after `timeoutMs`. For state that settles after an HTTP answer. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 8_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

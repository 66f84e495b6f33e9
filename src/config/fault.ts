/**
 * Test-only fault injection for test/faults/. With INFUSION_AUDIT_FAULT unset (always, outside
 * those tests) every function here is a no-op and nothing is wrapped.
 *
 * `INFUSION_AUDIT_FAULT=<point>[@<n>]` makes the process SIGKILL itself the n-th time (default
 * the first) it reaches `<point>`, as a power cut or `kill -9` would. Points:
 * - `bulk:<table>`: a row bulk-inserted into `<table>` (n counts rows, so `bulk:finding@10`
 *   dies mid-batch on the tenth finding); `bulk:*` counts the rows of every table;
 * - `commit:<table>`: a transaction that wrote to `<table>` (bulk insert, INSERT, UPDATE or
 *   DELETE), just before its COMMIT;
 * - `committed:<table>`: the same, just after its COMMIT;
 * - `rename:<ext>`: a report file (`xlsx`, `json`, `md`, `html`) written in full under its
 *   temporary name, just before it is renamed to its final name.
 *
 * `INFUSION_AUDIT_FAULT_SIGNAL=SIGSTOP` sends that signal instead of SIGKILL: the process pauses
 * there (a stopped VM, a debugger) until the test sends SIGCONT.
 */
const SPEC = process.env.INFUSION_AUDIT_FAULT ?? '';
const [POINT, NTH] = SPEC.split('@') as [string, string | undefined];
const TARGET = Math.max(1, Number(NTH ?? '1') || 1);
let reached = 0;

/** True when a fault is armed (callers wrap their drivers only then). */
export function faultsArmed(): boolean {
  return SPEC !== '';
}

/** Dies here if this is the armed point and it has been reached n times. */
export function faultPoint(point: string): void {
  if (SPEC === '' || point !== POINT) return;
  reached++;
  if (reached === TARGET) {
    const signal = process.env.INFUSION_AUDIT_FAULT_SIGNAL === 'SIGSTOP' ? 'SIGSTOP' : 'SIGKILL';
    process.kill(process.pid, signal);
  }
}

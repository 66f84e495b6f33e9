/**
 * The `raw` record kept with a rejected row: what the user needs to find and fix the row, and
 * nothing that could hold protected health information.
 *
 * - Only the file's columns that map to a roster column are kept: a column the tool does not
 *   read (`Patient Name`, `Patient SSN`, ...) is never stored, in any kind of roster.
 * - In a coverage requests roster the member id is masked (`****1234`).
 * - A row whose shape is wrong (a field too many or too few: an unquoted delimiter, a missing
 *   field) has its values in the wrong columns, so the member id may sit under any header: in a
 *   coverage requests roster, and in any file that has columns the tool does not read (but the
 *   CMS public file, whose other columns are its published fees), no value
 *   of such a row is kept (each shows as `****`, or blank): even a masked form's last four
 *   characters could be a name's or an SSN's. Fields beyond the header are not kept.
 */
import type { RosterKind } from '../domain/types.js';
import { recordKeys } from './read-csv.js';
import { maskMemberId } from './validate.js';

export type RawBuilder = (
  values: readonly string[],
  /** Whether the row has as many fields as the header. */
  shapeOk: boolean,
) => Record<string, string>;

export function rawBuilder(options: {
  headers: readonly string[];
  /** Canonical column -> 0-based position in the header: the only columns kept. */
  positions: Readonly<Record<string, number>>;
  kind: RosterKind;
}): RawBuilder {
  const keys = recordKeys(options.headers);
  const kept = [...new Set(Object.values(options.positions))].sort((a, b) => a - b);
  const coverage = options.kind === 'coverage_requests';
  const memberPos = coverage ? options.positions['member_id'] : undefined;
  const hasUnread = kept.length < keys.length;
  // The CMS public file's unread columns are its published fee columns, never PHI.
  const maskAllWhenMisshapen = coverage || (hasUnread && options.kind !== 'cms_network');
  const mask = (v: string): string => maskMemberId(v) ?? '';
  const hide = (v: string): string => (v.trim() === '' ? '' : '****');
  return (values, shapeOk) => {
    const raw: Record<string, string> = {};
    const hideAll = !shapeOk && maskAllWhenMisshapen;
    for (const p of kept) {
      if (p >= values.length) continue;
      const v = values[p]!;
      raw[keys[p]!] = hideAll ? hide(v) : p === memberPos ? mask(v) : v;
    }
    return raw;
  };
}

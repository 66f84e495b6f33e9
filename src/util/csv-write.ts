/**
 * The one way the tool writes CSV text: csv-stringify (csv-parse's sibling, which reads it
 * back). RFC 4180: a field holding the delimiter, a double quote, CR or LF is quoted, quotes
 * doubled; every row ends with `\n`. Used by `generate` and the demo (roster files) and by the
 * `--rejects` file. Callers write the text to their own stream, in batches, with backpressure.
 *
 * One exception, measured: PostgreSQL COPY lines are built by hand in src/db/sql.ts (csvField):
 * COPY's CSV is a different dialect (every string quoted so '' is not NULL, booleans `t`/`f`)
 * and it is the bulk import's hot loop. 1M CMS-like rows of 8 fields, same bytes: hand-built
 * 3.0-3.9 s, csv-stringify 5.0-6.5 s streaming and 7.6-11.6 s in 2,000-row batches (2 cores
 * shared, December 2026).
 */
import { stringify } from 'csv-stringify/sync';

/** Rows as CSV text, `\n` after each; '' for no rows. */
export function csvText(rows: readonly (readonly string[])[], delimiter = ','): string {
  if (rows.length === 0) return '';
  return stringify(rows as string[][], {
    delimiter,
    record_delimiter: 'unix',
    // Quote a field holding CR or LF. Off by default once record_delimiter is given: a lone CR
    // would then be written bare and read back as a line end (test/util/csv-write.test.ts).
    quote_record_delimiter: true,
    eof: true,
  });
}

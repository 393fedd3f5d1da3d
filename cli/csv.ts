/**
 * A small RFC 4180 CSV reader: comma-separated fields, records ending in CRLF or LF (a lone CR too),
 * quoted fields holding commas, line breaks and doubled quotes, a UTF-8 byte order mark ignored.
 * Each record carries the line it starts on, so problems can name it.
 */

export interface CsvRecord {
  /** The line (1-based) the record starts on; a quoted line break makes a record span lines. */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /** Skip lines that start with `#` (only where a record starts, never inside a quoted field). */
  comments?: boolean;
  /** Skip empty lines instead of reading them as a record of one empty field. */
  skipBlankLines?: boolean;
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

export function parseCsv(input: string, options: CsvOptions = {}): CsvResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  /** Steps over the line break at `i` (CRLF counts once). */
  const skipBreak = () => {
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line += 1;
  };

  while (i < text.length) {
    if (options.comments && text[i] === '#') {
      while (i < text.length && !isBreak(text[i])) i += 1;
      if (i < text.length) skipBreak();
      continue;
    }
    if (options.skipBlankLines && isBreak(text[i])) {
      skipBreak();
      continue;
    }
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const opened = line;
        i += 1;
        for (;;) {
          if (i >= text.length)
            return {
              ok: false,
              line: opened,
              message: `the quoted field opened on line ${opened} is never closed`,
            };
          const c = text[i] as string;
          if (c === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (c === '"') {
            i += 1;
            break;
          } else {
            if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line += 1;
            field += c;
            i += 1;
          }
        }
        if (i < text.length && text[i] !== ',' && !isBreak(text[i]))
          return {
            ok: false,
            line,
            message: `${JSON.stringify(text[i])} after a closing quote: a quoted field must end at a comma or the end of the line`,
          };
      } else {
        while (i < text.length && text[i] !== ',' && !isBreak(text[i])) {
          if (text[i] === '"')
            return {
              ok: false,
              line,
              message:
                'a quote inside a field that does not start with one (quote the whole field and double the quote)',
            };
          field += text[i];
          i += 1;
        }
      }
      record.fields.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (i < text.length) skipBreak();
      break;
    }
    records.push(record);
  }
  return { ok: true, records };
}

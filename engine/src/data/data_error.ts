// Errors in the user's data as values, never exceptions: each names the file, and where
// there is one the 1-based line and column, says what was expected and what was found, and
// suggests the fix. The CLI prints them as `path:line:col: error[data-error]: ...`.

export interface DataError {
  code: 'data-error' | 'data-mismatch';
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export type DataResult<T> = { ok: true; value: T } | { ok: false; error: DataError };

export function dataFail<T>(file: string, message: string, at?: { line?: number; column?: number }, code: DataError['code'] = 'data-error'): DataResult<T> {
  return { ok: false, error: { code, file, message, line: at?.line, column: at?.column } };
}

export function formatDataError(e: DataError): string {
  const where = e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : '';
  return `${e.file}${where}: error[${e.code}]: ${e.message}`;
}

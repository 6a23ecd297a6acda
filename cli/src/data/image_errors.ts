// Our own words for an image that pngjs or jpeg-js cannot decode. The libraries' messages
// are internals ("There are some read requests waitng on finished stream" for a truncated
// PNG), so they are never shown; each is mapped to what it means for the file.

/** The reason a decoder gave, as a phrase about the file. */
function reason(detail: string): string {
  if (/unrecogni[sz]ed|unknown|invalid|bad /i.test(detail)) return 'its data is damaged';
  if (/read requests|finished stream|end of (the )?(stream|data|file)|unexpected end|truncat|out of range|outside the bounds/i.test(detail)) {
    return 'the file ends before its image data does (it is truncated)';
  }
  if (/crc|checksum/i.test(detail)) return 'a checksum does not match (the file is damaged)';
  if (/unsupported|not supported/i.test(detail)) return 'it uses a feature of the format that the decoder does not support';
  return 'its data is damaged';
}

/** The message for a PNG or JPEG whose decoder threw `error`; the caller names the file. */
export function imageDecodeMessage(format: 'PNG' | 'JPEG', error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `the ${format} image cannot be decoded: ${reason(detail)}; re-save or re-export it as PNG or JPEG`;
}

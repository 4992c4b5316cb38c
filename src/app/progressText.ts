import type { IngestProgress } from './indexApi';

/** "120 / 3,400 files · 85.2 / 1,024.0 MB" for the first-index progress notification. */
export function progressMessage(p: IngestProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const mb = (b: number) => (b / 1e6).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${n(p.filesDone)} / ${n(p.filesTotal)} files · ${mb(p.bytesDone)} / ${mb(p.bytesTotal)} MB`;
}

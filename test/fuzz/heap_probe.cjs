// Loaded into the language server with `node --expose-gc --require` by the memory tests and
// the soak run: on SIGUSR2 it collects garbage (twice, so finalized objects go too) and
// writes the heap and resident sizes as one `HEAP {json}` line to stderr. The server itself
// has no such hook; this lets a test tell garbage not yet collected from memory still held.
'use strict';
process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const m = process.memoryUsage();
  process.stderr.write(`HEAP ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, heapUsedBeforeGc: before.heapUsed, rssBeforeGc: before.rss, external: m.external, gc: typeof global.gc === 'function' })}\n`);
});

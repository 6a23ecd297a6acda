// Predict on a file in the panel, in a real browser (Debian's Chromium through
// playwright-core) at a narrow 420 px: while a run trains the header shows the memory in
// use that came with its last step; after it ends, "Predict on a file…" posts
// request-predict for that run; "Predicting on …" shows while the extension works; the
// report — made here by the real CLI (`netspec train`, then `netspec predict --report` on
// iris.csv) — is drawn as its first rows (a wrong prediction marked), the accuracy and
// sample count, and the confusion matrix, all inside the panel's width; a failure is an
// alert; a run's Predict button in the runs list asks for that run, whose results name it.
// Screenshot: test-results/panel-predict.png.
// Without Chromium this FAILS with the reason, unless NETSPEC_ALLOW_MISSING_TOOLS=1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { PredictionReport } from '../../webview/protocol';
import { startHost } from './host';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.NETSPEC_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The report the extension would send: iris trained for 10 epochs, predicted on its own CSV. */
function irisReport(): PredictionReport {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--only=webview,worker,cli'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'netspec-panel-predict-'));
  try {
    cpSync(join(ROOT, 'examples/iris'), dir, { recursive: true });
    const cli = join(ROOT, 'dist/cli.js');
    const weights = join(dir, 'w.safetensors');
    const train = spawnSync(process.execPath, [cli, 'train', join(dir, 'iris.netspec'), '--epochs', '10', '--backend', 'wasm', '--out', weights], { cwd: dir, encoding: 'utf8' });
    assert.equal(train.status, 0, train.stderr);
    const p = spawnSync(process.execPath, [cli, 'predict', join(dir, 'iris.netspec'), '--weights', weights, '--data', join(dir, 'iris.csv'), '--report'], { cwd: dir, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    return JSON.parse(p.stdout) as PredictionReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Predict on a file: the button asks for the run, and the report is drawn inside a narrow panel', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set NETSPEC_CHROMIUM)`;
    if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') return t.skip(reason);
    assert.fail(reason);
  }
  const report = { ...irisReport(), data: 'iris.csv' };
  const host = await startHost(ROOT);
  const context = await chromium.launchPersistentContext('', { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 420, height: 1400 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    const send = (m: unknown) => page.evaluate((x) => (window as unknown as { __send(m: unknown): void }).__send(x), m);
    const predictButton = page.locator('[data-action="predict"]');

    await send({ type: 'watch', runId: 'h1', model: 'Iris', sourceUri: 'file:///iris.netspec', epochs: 1, smoothing: 0.6 });
    assert.equal(await predictButton.isVisible(), false, 'no Predict while the run has no weights');
    // While it trains, the header shows the memory in use that came with the last step.
    await send({ type: 'relay', event: { type: 'step', runId: 'h1', event: { kind: 'step', epoch: 1, step: 1, stepsPerEpoch: 8, loss: 1, samplesPerSecond: 500 }, memory: { tensorBytes: 2048, backendBytes: 3 * 1024 * 1024, gpu: true, rssBytes: 200 * 1024 * 1024 } } });
    await page.locator('.ns-memory').getByText('memory: tensors 2.00 KiB · GPU buffers 3.00 MiB · process 200.0 MiB').waitFor();
    await send({ type: 'relay', event: { type: 'epoch', runId: 'h1', event: { kind: 'epoch', epoch: 1, metrics: { loss: 0.4 }, samplesPerSecond: 900, seconds: 0.2, best: true, lr: 0.01 } } });
    await send({ type: 'relay', event: { type: 'finished', runId: 'h1', stopped: 'completed', snapshot: { runId: 'h1', model: 'Iris', sourceUri: 'file:///iris.netspec', backend: null, steps: [], epochs: [{ kind: 'epoch', epoch: 1, metrics: { loss: 0.4 }, samplesPerSecond: 900, seconds: 0.2, best: true, lr: 0.01 }], status: 'finished' } } });
    await predictButton.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.ns-memory').isVisible(), false, 'a finished run shows no memory line');
    await predictButton.click();
    const posted = (await page.evaluate(() => (window as unknown as { __posted: { type: string; runId?: string }[] }).__posted)).filter((m) => m.type === 'request-predict');
    assert.deepEqual(posted, [{ type: 'request-predict', runId: 'h1' }]);

    await send({ type: 'prediction', runId: 'h1', state: 'running', data: 'iris.csv' });
    await page.getByText('Predicting on iris.csv…').waitFor();
    assert.equal(await predictButton.isDisabled(), true, 'one prediction at a time');

    await send({ type: 'prediction', runId: 'h1', state: 'done', report });
    const rows = page.locator('.ns-prediction table.ns-prediction-rows tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 20);
    const firstCells = await rows.first().locator('td').allTextContents();
    assert.equal(firstCells[0], '0');
    assert.equal(firstCells[2], 'setosa', 'the actual class of the first row');
    assert.equal(firstCells[1], report.rows[0].outputs.output.class);
    const wrongShown = await page.locator('.ns-prediction tr.ns-wrong').count();
    const wrongInReport = report.rows.filter((r) => r.outputs.output.class !== r.outputs.output.actual).length;
    assert.equal(wrongShown, wrongInReport);
    const summary = (await page.locator('.ns-prediction-summary').textContent()) ?? '';
    assert.equal(summary, `accuracy ${(report.metrics.accuracy * 100).toFixed(1)}% · 150 samples (the first 20 shown)`);
    const cells = await page.locator('.ns-prediction table.ns-confusion tbody td').allTextContents();
    assert.equal(cells.length, 9);
    assert.equal(cells.map(Number).reduce((a, b) => a + b, 0), 150);
    assert.equal(await predictButton.isDisabled(), false);
    // Tables scroll inside their boxes; the page itself does not get wider than the panel.
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    assert.ok(widths.page <= widths.viewport, `the page is ${widths.page} px wide in a ${widths.viewport} px panel`);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.locator('.ns-prediction').screenshot({ path: join(ROOT, 'test-results/panel-predict.png') });

    await send({ type: 'prediction', runId: 'h1', state: 'failed', message: 'iris.csv: the data has 3 columns' });
    assert.equal(await page.locator('.ns-prediction [role="alert"]').textContent(), 'The prediction failed: iris.csv: the data has 3 columns');

    // A run in the runs list: its Predict button names the run, and its results say which run.
    const record = {
      format: 'netspec-run/1', id: 'rec1', name: 'first', model: 'Iris', source: '/iris.netspec', tool: 'editor', createdAt: '2026-01-01T10:00:00.000Z', endedAt: null, durationMs: 5000, status: 'finished',
      device: { name: 'cpu', detail: 'CPU', place: 'host' },
      settings: { epochs: 1, batchSize: 16, optimizer: 'adam', lr: 0.01, optimizerArgs: { lr: 0.01 }, loss: 'cross_entropy', validation: 0.2, seed: 1, earlyStopping: null, schedule: null, regularizer: null, data: '/iris.csv' },
      epochsDone: 1, best: { epoch: 1, metrics: { loss: 0.4 } }, firstPointMs: 100, error: null,
    };
    await send({ type: 'runs', model: 'Iris', runs: [record] });
    await page.locator('button[aria-label="Predict run first"]').click();
    const askedRun = (await page.evaluate(() => (window as unknown as { __posted: { type: string; id?: string }[] }).__posted)).filter((m) => m.type === 'request-predict-run');
    assert.deepEqual(askedRun, [{ type: 'request-predict-run', id: 'rec1' }]);
    await send({ type: 'prediction', runId: 'rec1', runName: 'first', state: 'done', report });
    await page.locator('.ns-prediction h2').getByText('Predictions on iris.csv with run first').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await host.close();
  }
});

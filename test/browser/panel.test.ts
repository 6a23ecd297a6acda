// The training panel in a real browser (Debian's Chromium through playwright-core): the
// page that renderPanelHtml builds, with its CSP, the panel bundle and the worker bundle,
// trains the iris example end to end — once on WebGPU (SwiftShader, --enable-unsafe-webgpu)
// and once without the flag, where the worker must fall back to the CPU and say why. Each
// run checks that the charts got points, that the final validation accuracy is in its band,
// that the confusion matrix was drawn and the weights were handed over, then reloads the
// page to check the persisted state redraws it. Screenshots go to test-results/panel-*.png.
// Without Chromium this FAILS with the reason, unless NETSPEC_ALLOW_MISSING_TOOLS=1.

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { TrainDecl } from '../../server/src/syntax/ast';
import { checkText } from '../../server/src/sema/check';
import { lowerTrain } from '../../server/src/sema/train/lower';
import type { ToPanel } from '../../webview/protocol';
import { startHost } from './host';
import type { Host } from './host';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.NETSPEC_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const RUN_TIMEOUT_MS = 240_000;

/** True when the test may go on; otherwise it has been skipped (allowed) or failed. */
function toolsPresent(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set NETSPEC_CHROMIUM)`;
  if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
    console.warn(`\n*** SKIPPING the panel browser test: ${reason} ***\n`);
    t.skip(reason);
    return false;
  }
  assert.fail(`the panel browser test cannot run (set NETSPEC_ALLOW_MISSING_TOOLS=1 to skip): ${reason}`);
}

/** Builds the two webview bundles, so the test runs what the extension ships. */
function buildBundles(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--only=webview,worker'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `building the webview bundles failed:\n${r.stdout}\n${r.stderr}`);
}

/** The iris start message: IR and TrainIR from the checker, the CSV's bytes. */
function irisStart(runId: string, backend: 'auto' | 'cpu', epochs?: number): ToPanel {
  const path = join(ROOT, 'examples/iris/iris.netspec');
  const checked = checkText(readFileSync(path, 'utf8'), { path });
  const model = checked.models.find((m) => m.name === 'Iris');
  assert.ok(model?.ir, 'the iris example checks');
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train' && d.model?.name === 'Iris');
  assert.ok(decl, 'the iris example has a train block');
  const train = lowerTrain(decl, { path });
  if (epochs) train.epochs = epochs;
  assert.ok(train.data?.path, 'the train block names a csv');
  const files = [{ path: train.data.path, bytes: new Uint8Array(readFileSync(train.data.path)) }];
  return { type: 'start', runId, model: 'Iris', sourceUri: `file://${path}`, ir: model.ir, train, files, backend, smoothing: 0.6 };
}

interface Posted {
  type: string;
  runId?: string;
  info?: { name: string; detail: string; fallbackReason?: string };
  event?: { epoch: number; metrics: Record<string, number> };
  stopped?: string;
  error?: { code: string; message: string };
  final?: boolean;
  byteLength?: number;
  snapshot?: { epochs: unknown[]; steps: unknown[]; classes?: unknown[] };
}

async function openPanel(webgpu: boolean): Promise<{ context: BrowserContext; page: Page; host: Host; logs: string[] }> {
  const host = await startHost(ROOT);
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
    viewport: { width: 1100, height: 1300 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(host.url);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), null, { timeout: 20_000 });
  return { context, page, host, logs };
}

const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted) as Promise<Posted[]>;
const chartPoints = (page: Page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => [e.dataset.chart, Number(e.dataset.points ?? 0)])));

async function trainIris(t: TestContext, webgpu: boolean): Promise<void> {
  if (!toolsPresent(t)) return;
  buildBundles();
  const { context, page, host, logs } = await openPanel(webgpu);
  const label = webgpu ? 'webgpu' : 'cpu';
  try {
    host.setStart(irisStart(`iris-${label}`, 'auto'));
    const t0 = Date.now();
    await page.evaluate(() => (window as unknown as { __sendStart(): Promise<void> }).__sendStart());
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'finished' || m.type === 'failed'), null, { timeout: RUN_TIMEOUT_MS, polling: 250 });
    const seconds = (Date.now() - t0) / 1000;
    const firstPoint = await page.evaluate(() => (window as unknown as { __firstPointMs: number | null }).__firstPointMs);
    console.log(`[panel ${label}] start → first chart point: ${firstPoint === null ? 'never' : `${Math.round(firstPoint)} ms`}; whole run ${seconds.toFixed(1)} s`);
    await page.waitForTimeout(300); // One frame for the last redraw.
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, `test-results/panel-${label}.png`), fullPage: true });

    const msgs = await posted(page);
    const failed = msgs.find((m) => m.type === 'failed');
    assert.equal(failed, undefined, `the run failed: ${JSON.stringify(failed?.error)}\n${logs.join('\n')}`);
    const backend = msgs.find((m) => m.type === 'backend')!.info!;
    const shown = await page.locator('.ns-backend').textContent();
    if (webgpu) {
      assert.equal(backend.name, 'webgpu', `expected WebGPU, got ${JSON.stringify(backend)}`);
      assert.match(backend.detail, /swiftshader|google/i);
      assert.match(shown ?? '', /^WebGPU/);
    } else {
      assert.equal(backend.name, 'cpu');
      assert.ok(backend.fallbackReason && backend.fallbackReason.length > 10, `a fallback reason: ${JSON.stringify(backend)}`);
      assert.match(shown ?? '', /WebGPU not used: .+/);
    }

    // Every epoch reached the extension, and the charts drew them.
    const epochs = msgs.filter((m) => m.type === 'epoch');
    assert.equal(epochs.length, 60);
    const points = await chartPoints(page);
    assert.ok(points['step-loss'] > 50, `step-loss points: ${points['step-loss']}`);
    assert.equal(points['epoch-loss'], 60);
    assert.equal(points['metric-accuracy'], 60);
    assert.ok(firstPoint !== null, 'the step chart got a first point');

    const last = epochs.at(-1)!.event!.metrics;
    assert.ok(last.val_accuracy >= 0.9, `final validation accuracy ${last.val_accuracy} below 0.9`);

    const finished = msgs.find((m) => m.type === 'finished')!;
    assert.equal(finished.stopped, 'completed');
    assert.equal(finished.snapshot!.epochs.length, 60);
    assert.ok(finished.snapshot!.steps.length > 50, 'the relayed snapshot carries the step history');
    const weights = msgs.filter((m) => m.type === 'weights');
    assert.equal(weights.filter((w) => !w.final).length, 60);
    assert.equal(weights.filter((w) => w.final).length, 1);
    assert.ok(weights.every((w) => (w.byteLength ?? 0) > 100));

    // The confusion matrix: 3 × 3 counts that add up to the 30 validation samples, diagonal-heavy.
    const confusion = await page.evaluate(() =>
      [...document.querySelectorAll('table.ns-confusion tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))),
    );
    assert.equal(confusion.length, 3);
    assert.ok(confusion.every((r) => r.length === 3));
    const total = confusion.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, 30);
    const diagonal = confusion[0][0] + confusion[1][1] + confusion[2][2];
    assert.ok(diagonal / total >= 0.9, `confusion diagonal ${diagonal}/${total}`);
    assert.equal(await page.locator('table.ns-scores tbody tr').count(), 3);
    assert.ok((await page.locator('table.ns-sample-rows tbody tr').count()) > 0, 'sample predictions as rows for tabular input');
    assert.equal(await page.locator('[data-action="stop"]').isDisabled(), true);

    // A reload restores the run from the saved state, with no worker and no start.
    assert.ok((await page.evaluate(() => (window as unknown as { __states: number }).__states)) >= 60);
    await page.reload();
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-chart="epoch-loss"]')?.dataset.points ?? 0) === 60, null, { timeout: 10_000 });
    const restored = await chartPoints(page);
    assert.equal(restored['metric-accuracy'], 60);
    assert.equal(restored['step-loss'], points['step-loss']);
    assert.equal(await page.locator('table.ns-confusion tbody tr').count(), 3);
    assert.equal(await page.locator('h1').textContent(), 'Iris');
  } finally {
    await context.close();
    await host.close();
  }
}

test('the panel trains iris on WebGPU (SwiftShader) in a real browser', { timeout: RUN_TIMEOUT_MS + 60_000 }, (t) => trainIris(t, true));

test('without a WebGPU adapter the panel trains iris on the CPU and says why', { timeout: RUN_TIMEOUT_MS + 60_000 }, (t) => trainIris(t, false));

test('Pause holds the run between steps, Resume goes on, Stop ends it as cancelled, Export asks for the run', { timeout: 120_000 }, async (t) => {
  if (!toolsPresent(t)) return;
  buildBundles();
  const { context, page, host, logs } = await openPanel(false);
  try {
    host.setStart(irisStart('iris-pause', 'cpu', 5000));
    await page.evaluate(() => (window as unknown as { __sendStart(): Promise<void> }).__sendStart());
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-chart="epoch-loss"]')?.dataset.points ?? 0) >= 2, null, { timeout: 60_000 });
    const pause = page.locator('[data-action="pause"]');
    await pause.focus();
    await page.keyboard.press('Enter'); // Keyboard access: the button takes Enter.
    await page.waitForFunction(() => document.getElementById('netspec-panel')?.dataset.status === 'paused');
    assert.equal(await pause.textContent(), 'Resume');
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('[data-action="export"]').isVisible(), false, 'no Export button while a run goes on');
    await page.waitForTimeout(300); // Let a step that was under way finish.
    const held = (await posted(page)).filter((m) => m.type === 'step').length;
    await page.waitForTimeout(700);
    assert.equal((await posted(page)).filter((m) => m.type === 'step').length, held, 'no steps while paused');
    await pause.click();
    await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'step').length > n, held, { timeout: 10_000 });
    await page.locator('[data-action="stop"]').click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'finished' || m.type === 'failed'), null, { timeout: 30_000 });
    const msgs = await posted(page);
    const kinds = msgs.map((m) => m.type);
    assert.ok(kinds.includes('request-pause') && kinds.includes('request-resume') && kinds.includes('request-stop'), kinds.join(','));
    const finished = msgs.find((m) => m.type === 'finished');
    assert.equal(finished?.stopped, 'cancelled', `${JSON.stringify(msgs.find((m) => m.type === 'failed'))}\n${logs.join('\n')}`);
    assert.equal(await page.locator('.ns-status').textContent(), 'stopped');
    // A stopped run with epochs behind it can be exported: the button asks the extension.
    const exportButton = page.locator('[data-action="export"]');
    assert.equal(await exportButton.isVisible(), true, 'the Export button after the run');
    await exportButton.click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string; runId?: string }[] }).__posted.some((m) => m.type === 'request-export' && m.runId === 'iris-pause'), null, { timeout: 5_000 });
  } finally {
    await context.close();
    await host.close();
  }
});

test('restore draws a snapshot: image samples become thumbnails with their pixels', { timeout: 60_000 }, async (t) => {
  if (!toolsPresent(t)) return;
  buildBundles();
  const { context, page, host } = await openPanel(false);
  try {
    // An 8×8 sample whose left half is white, and a 3-class report.
    const pixels = Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 1 : 0));
    const snapshot = {
      runId: 'old', model: 'Digits', sourceUri: 'file:///digits.netspec', backend: { name: 'cpu', detail: 'CPU (JavaScript)' },
      steps: [{ step: 1, loss: 2 }, { step: 2, loss: 1 }], status: 'finished',
      epochs: [{ kind: 'epoch', epoch: 1, metrics: { loss: 1, val_loss: 1.2, accuracy: 0.6, val_accuracy: 0.5 }, samplesPerSecond: 10, seconds: 1, best: true, lr: 0.001 }],
      classes: [{ output: 'digit', labels: ['0', '1', '2'], confusion: [[5, 1, 0], [0, 4, 0], [1, 0, 3]], precision: [5 / 6, 0.8, 1], recall: [5 / 6, 1, 0.75], f1: [5 / 6, 8 / 9, 6 / 7] }],
      samples: [
        { index: 3, actual: '1', predicted: '1', correct: true, image: { width: 8, height: 8, channels: 1, pixels } },
        { index: 7, actual: '2', predicted: '0', correct: false, image: { width: 8, height: 8, channels: 1, pixels } },
      ],
    };
    await page.evaluate((s) => (window as unknown as { __send(m: unknown): void }).__send({ type: 'restore', snapshot: s }), snapshot);
    await page.waitForFunction(() => document.querySelectorAll('.ns-sample canvas').length === 2, null, { timeout: 10_000 });
    const px = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.ns-sample canvas')!;
      const d = c.getContext('2d')!.getImageData(0, 0, 8, 8).data;
      return { w: c.width, left: [d[0], d[1], d[2], d[3]], right: [d[7 * 4], d[7 * 4 + 3]], label: c.getAttribute('aria-label') };
    });
    assert.deepEqual(px, { w: 8, left: [255, 255, 255, 255], right: [0, 255], label: 'sample 3: actual 1, predicted 1' });
    assert.deepEqual(await page.locator('.ns-sample figcaption').allTextContents(), ['1 ✓', '0 ✗ (2)']);
    assert.equal(await page.locator('h1').textContent(), 'Digits');
    const points = await chartPoints(page);
    assert.equal(points['step-loss'], 2);
    assert.equal(points['epoch-loss'], 1);
    // The confusion cells are tinted from the theme colour, by their share of the row.
    const tint = await page.locator('table.ns-confusion tbody tr').first().locator('td').first().evaluate((td) => (td as HTMLElement).style.background);
    assert.match(tint, /color-mix/);
    // The restored state is persisted at once, so a reload keeps it.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.ns-sample canvas').length === 2, null, { timeout: 10_000 });
    await page.screenshot({ path: join(ROOT, 'test-results/panel-restore.png'), fullPage: true });
  } finally {
    await context.close();
    await host.close();
  }
});

test('a run trained in the extension host is drawn from relayed messages; the runs list overlays and diffs picked runs in a narrow panel', { timeout: 90_000 }, async (t) => {
  if (!toolsPresent(t)) return;
  buildBundles();
  const { context, page, host, logs } = await openPanel(false);
  try {
    await page.setViewportSize({ width: 420, height: 1400 });
    const send = (m: unknown) => page.evaluate((x) => (window as unknown as { __send(m: unknown): void }).__send(x), m);
    const step = (epoch: number, s: number, loss: number) => ({ type: 'relay', event: { type: 'step', runId: 'h1', event: { kind: 'step', epoch, step: s, stepsPerEpoch: 10, loss, samplesPerSecond: 500 } } });
    await send({ type: 'watch', runId: 'h1', model: 'Iris', sourceUri: 'file:///iris.netspec', epochs: 3, smoothing: 0.6 });
    await send({ type: 'relay', event: { type: 'backend', runId: 'h1', info: { name: 'cpu', detail: 'CPU (WebAssembly SIMD, 2 threads)', place: 'host', why: 'netspec.backend is "auto"; the extension host: the only WebGPU adapter (llvmpipe) is a software renderer' } } });
    for (let s = 1; s <= 4; s++) await send(step(1, s, 2 - s / 10));
    // The first epoch is not a blank box: its partial point is drawn.
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-chart="epoch-loss"]')?.dataset.points ?? 0) === 1, null, { timeout: 5_000 });
    assert.equal(await page.locator('[data-chart="epoch-loss"]').getAttribute('data-partial'), '0.4');
    assert.equal(await page.locator('.ns-backend').textContent(), 'CPU (WebAssembly SIMD, 2 threads) · in the extension host');
    assert.match((await page.locator('.ns-backend-why').textContent()) ?? '', /software renderer/);
    assert.equal(await page.locator('[data-action="stop"]').isDisabled(), false);
    await page.locator('[data-action="switch-backend"]').click();
    await page.locator('[data-action="stop"]').click();
    const kinds = (await posted(page)).map((m) => m.type);
    assert.ok(kinds.includes('request-backend') && kinds.includes('request-stop'), kinds.join(','));
    assert.ok(!kinds.includes('step'), 'relayed messages are not sent back to the extension');
    await send({ type: 'relay', event: { type: 'finished', runId: 'h1', stopped: 'cancelled', snapshot: { runId: 'h1', model: 'Iris', sourceUri: '', backend: null, steps: [], epochs: [], status: 'stopped', classes: [{ output: 'species', labels: Array.from({ length: 12 }, (_, i) => `class-${i}`), confusion: Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => (i === j ? 9 : 1))), precision: Array(12).fill(0.9), recall: Array(12).fill(0.9), f1: Array(12).fill(0.9) }] } } });
    await page.waitForFunction(() => document.getElementById('netspec-panel')?.dataset.status === 'stopped');
    assert.equal(await page.locator('[data-action="stop"]').isDisabled(), true);
    // A stopped run keeps its partial epoch on the chart.
    assert.equal(await page.locator('[data-chart="epoch-loss"]').getAttribute('data-points'), '1');
    // The smoothing slider and the log scale act on this panel's charts.
    await page.locator('[data-action="smoothing"]').fill('0.9');
    assert.equal(await page.evaluate(() => (window as unknown as { netspecPanel: { current: { smoothing: number } } }).netspecPanel.current.smoothing), 0.9);
    await page.locator('[data-action="log-scale"]').check();
    assert.equal(await page.locator('[data-chart="step-loss"]').getAttribute('data-log'), 'true');
    assert.equal(await page.locator('[data-chart="step-loss"]').getAttribute('data-points'), '4', 'the points survive the switch');
    // The 12-class matrix scrolls inside its box; the page does not scroll sideways.
    const widths = await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('.ns-table-box')!;
      return { box: box.clientWidth, table: box.scrollWidth, page: document.documentElement.scrollWidth, viewport: window.innerWidth };
    });
    assert.ok(widths.table > widths.box, `the matrix is wider than its box: ${JSON.stringify(widths)}`);
    assert.ok(widths.page <= widths.viewport, `no sideways page scroll: ${JSON.stringify(widths)}`);

    const record = (id: string, lr: number, val: number) => ({
      format: 'netspec-run/1', id, name: `run ${id}`, model: 'Iris', source: '/iris.netspec', tool: id === 'c' ? 'cli' : 'editor',
      createdAt: `2026-01-0${id === 'a' ? 1 : id === 'b' ? 2 : 3}T10:00:00.000Z`, endedAt: null, durationMs: 65_000, status: 'finished',
      device: { name: 'cpu', detail: 'CPU (WebAssembly SIMD, 2 threads)', place: id === 'c' ? 'cli' : 'host' },
      settings: { epochs: 3, batchSize: 16, optimizer: 'adam', lr, optimizerArgs: { lr }, loss: 'cross_entropy', validation: 0.2, seed: 1, earlyStopping: null, schedule: null, regularizer: null, data: '/iris.csv' },
      epochsDone: 3, best: { epoch: 3, metrics: { loss: 0.3, val_loss: val } }, firstPointMs: 100, error: null,
    });
    await send({ type: 'runs', model: 'Iris', runs: [record('c', 0.1, 0.2), record('b', 0.02, 0.3), record('a', 0.02, 0.4)] });
    await page.waitForFunction(() => document.querySelectorAll('.ns-runs-table tbody tr').length === 3, null, { timeout: 5_000 });
    assert.deepEqual(await page.locator('.ns-run-name').allTextContents(), ['run c', 'run b', 'run a']);
    await page.locator('input[aria-label="compare run c"]').check();
    await page.locator('input[aria-label="compare run a"]').check();
    const asked = (await posted(page)).filter((m) => m.type === 'request-curves').at(-1) as unknown as { ids: string[] };
    assert.deepEqual([...asked.ids].sort(), ['a', 'c']);
    const curve = (id: string, k: number) => ({ id, name: `run ${id}`, epochs: [1, 2, 3].map((e) => ({ epoch: e, metrics: { loss: k / e, val_loss: (k + 0.1) / e }, lr: 0.01, samplesPerSecond: 1, seconds: 1 })) });
    await send({ type: 'run-curves', curves: [curve('c', 1), curve('a', 2)] });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.ns-overlay')?.dataset.runs === '2', null, { timeout: 5_000 });
    assert.equal(await page.locator('.ns-overlay').getAttribute('data-points'), '6');
    const diff = await page.locator('.ns-settings-diff tbody th').allTextContents();
    assert.deepEqual(diff, ['lr', 'device'], 'only the settings that differ');
    await page.locator('button[aria-label="Rename run run b"]').click();
    await page.locator('button[aria-label="Delete run run a"]').click();
    await page.locator('button[aria-label="Re-run run run c"]').click();
    const actions = (await posted(page)).filter((m) => m.type === 'request-rename-run' || m.type === 'request-delete-run' || m.type === 'request-rerun-run') as unknown as { type: string; id: string }[];
    assert.deepEqual(actions.map((m) => [m.type, m.id]), [['request-rename-run', 'b'], ['request-delete-run', 'a'], ['request-rerun-run', 'c']]);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results/panel-host-runs-narrow.png'), fullPage: true });
    assert.deepEqual(logs.filter((l) => l.startsWith('pageerror')), []);
  } finally {
    await context.close();
    await host.close();
  }
});

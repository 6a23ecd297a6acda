// The model view in a real browser (Debian's Chromium through playwright-core): the page
// that renderModelViewHtml builds, with its CSP and the dist/model_view.js bundle, draws the
// graphs the checker and the graph builder make of the examples. It checks that the
// transformer's edges carry their shapes, that nothing overlaps (nodes, edge labels, the
// group's header), that the keyboard folds the encoder and reveals lines, that errors mark
// their node with the message as its tooltip, that a new answer (an edit) redraws, and that
// both exports produce files, in the theme's colours. Screenshots go to
// test-results/model-view-*.png (transformer, collapsed, dark, error; export.png is the PNG export).
// Without Chromium this FAILS with the reason, unless NETSPEC_ALLOW_MISSING_TOOLS=1.

import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { checkText } from '../../server/src/sema/check';
import { modelGraphs } from '../../server/src/ide/model_graph';
import type { FromModelView, ToModelView } from '../../webview/model/protocol';
import { startModelViewHost } from './model_view_host';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.NETSPEC_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

function toolsPresent(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set NETSPEC_CHROMIUM)`;
  if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
    t.skip(reason);
    return false;
  }
  assert.fail(`the model view browser test cannot run (set NETSPEC_ALLOW_MISSING_TOOLS=1 to skip): ${reason}`);
}

function graphMessage(file: string, text: string = readFileSync(join(ROOT, file), 'utf8'), version = 1): ToModelView {
  const path = join(ROOT, file);
  return { type: 'graph', fileName: file.split('/').pop()!, answer: { uri: `file://${path}`, version, models: modelGraphs(checkText(text, { path }), text) } };
}

const send = (page: Page, msg: ToModelView) => page.evaluate((m) => (window as unknown as { __send(m: unknown): void }).__send(m), msg);
const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted) as Promise<FromModelView[]>;

interface Drawn {
  nodes: { id: string; box: [number, number, number, number]; cls: string; title: string }[];
  labels: { from: string; to: string; text: string; box: [number, number, number, number] }[];
  clusters: string[];
  headers: [number, number, number, number][];
}

/**
 * What the page drew, in page pixels. A string, so the test runner's transform (which wraps
 * named functions in a helper the page lacks) does not touch it.
 */
const DRAWN = `(() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  return {
    nodes: [...document.querySelectorAll('svg .node')].map((n) => ({ id: n.getAttribute('data-id'), box: box(n.querySelector('rect')), cls: n.getAttribute('class'), title: n.querySelector('title').textContent })),
    labels: [...document.querySelectorAll('svg .edge-label')].map((l) => ({ from: l.getAttribute('data-from'), to: l.getAttribute('data-to'), text: l.querySelector('text').textContent, box: box(l.querySelector('rect')) })),
    clusters: [...document.querySelectorAll('svg .cluster')].map((c) => c.getAttribute('data-id')),
    headers: [...document.querySelectorAll('svg .cluster-header rect')].map(box),
  };
})()`;

function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(DRAWN) as Promise<Drawn>;
}

function overlap(a: [number, number, number, number], b: [number, number, number, number]): boolean {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

test('the model view draws the transformer with shapes on its edges, collapses, reveals, exports', async (t) => {
  if (!toolsPresent(t)) return;
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--only=model_view'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `building the model view bundle failed:\n${built.stdout}\n${built.stderr}`);
  const host = await startModelViewHost(ROOT);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const logs: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(host.url);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    await send(page, graphMessage('examples/mnist/mnist_transformer.netspec'));
    await page.waitForSelector('svg .node');
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results/model-view-transformer.png'), fullPage: true });

    const d = await drawn(page);
    assert.deepEqual(d.clusters, ['encoder'], logs.join('\n'));
    assert.equal(d.nodes.length, 13, 'every layer, the input and the output');
    // Every edge is labelled with its tensor's shape; the residual edges are there.
    assert.equal(d.labels.length, 14);
    assert.ok(d.labels.every((l) => /^\[batch(, \d+)+\]$/.test(l.text)), JSON.stringify(d.labels.map((l) => l.text)));
    const label = (from: string, to: string) => d.labels.find((l) => l.from === from && l.to === to)?.text;
    assert.equal(label('image', 'dense'), '[batch, 28, 28]');
    assert.equal(label('encoder/dense', 'encoder/dense_1'), '[batch, 28, 64]');
    assert.equal(label('position_embedding', 'encoder/add'), '[batch, 28, 32]');
    assert.equal(label('dense_1', 'output'), '[batch, 10]');
    // Nothing overlaps: no two nodes, no label on a node.
    for (const [i, a] of d.nodes.entries()) {
      for (const b of d.nodes.slice(i + 1)) assert.ok(!overlap(a.box, b.box), `${a.id} overlaps ${b.id}`);
      for (const l of d.labels) assert.ok(!overlap(a.box, l.box), `the label ${l.from}→${l.to} covers ${a.id}`);
      for (const h of d.headers) assert.ok(!overlap(a.box, h), `the encoder's header covers ${a.id}`);
    }
    assert.equal(d.headers.length, 1);
    // The table: a row per input, layer and group, totals from the checker.
    assert.equal(await page.locator('tbody tr').count(), 13);
    assert.match((await page.locator('dl.totals').textContent()) ?? '', /Total params10,698/);

    // Keyboard: focus the encoder's frame, Space folds it into one node fed and feeding [batch, 28, 32].
    await page.locator('svg .cluster[data-id="encoder"]').focus();
    await page.keyboard.press('Space');
    await page.waitForSelector('svg .node.group[data-id="encoder"]');
    const folded = await drawn(page);
    assert.deepEqual(folded.clusters, []);
    assert.equal(folded.nodes.length, 7);
    assert.equal(folded.labels.find((l) => l.to === 'encoder')?.text, '[batch, 28, 32]');
    assert.equal(folded.labels.find((l) => l.from === 'encoder')?.text, '[batch, 28, 32]');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'encoder', 'the focus stays on the group');
    await page.screenshot({ path: join(ROOT, 'test-results/model-view-collapsed.png'), fullPage: true });
    await page.keyboard.press('Space');
    await page.waitForSelector('svg .cluster[data-id="encoder"]');

    // Arrow keys follow the edges: down from the input reaches the Dense it feeds, up comes back.
    await page.locator('svg .node[data-id="image"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'dense');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'image');

    // Enter on a node and a click on a table row ask to reveal that call's span.
    const text = readFileSync(join(ROOT, 'examples/mnist/mnist_transformer.netspec'), 'utf8');
    await page.locator('svg .node[data-id="global_avg_pool1d"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('tbody tr[data-id="encoder/dense_1"]').click();
    const reveals = (await posted(page)).filter((m): m is Extract<FromModelView, { type: 'reveal' }> => m.type === 'reveal');
    assert.deepEqual(reveals.map((r) => text.slice(r.start, r.end)), ['GlobalAvgPool1D()', 'Dense(d)']);

    // Theme: the page takes the editor's colours (VS Code sets these variables on the page;
    // here a dark theme's), and the export writes the colours in force onto each element.
    await page.evaluate(() => {
      const dark: Record<string, string> = {
        '--vscode-editor-background': 'rgb(30, 30, 30)',
        '--vscode-foreground': 'rgb(204, 204, 204)',
        '--vscode-descriptionForeground': 'rgb(157, 157, 157)',
        '--vscode-editorWidget-background': 'rgb(37, 37, 38)',
        '--vscode-editorWidget-border': 'rgb(69, 69, 69)',
      };
      for (const [k, v] of Object.entries(dark)) document.documentElement.style.setProperty(k, v);
    });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('svg .node .box')!).fill), 'rgb(37, 37, 38)');
    await page.screenshot({ path: join(ROOT, 'test-results/model-view-dark.png'), fullPage: true });

    // Exports: a standalone SVG with the labels, and a PNG.
    await page.getByRole('button', { name: 'Export SVG' }).click();
    await page.getByRole('button', { name: 'Export PNG' }).click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string; format?: string }[] }).__posted.some((m) => m.type === 'save' && m.format === 'png'));
    const saves = (await posted(page)).filter((m): m is Extract<FromModelView, { type: 'save' }> => m.type === 'save');
    const svg = saves.find((s) => s.format === 'svg');
    const png = saves.find((s) => s.format === 'png');
    assert.ok(svg && svg.format === 'svg' && png && png.format === 'png');
    assert.equal(svg.name, 'MnistTransformer.svg');
    assert.match(svg.text, /^<\?xml[^]*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*\[batch, 28, 64\]/);
    assert.match(svg.text, /style="fill:rgb\(37, 37, 38\)/, 'the theme colours are written onto the elements');
    const bytes = Buffer.from(png.base64, 'base64');
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
    assert.ok(bytes.readUInt32BE(16) >= 2 * Math.floor(Math.max(...d.nodes.map((n) => n.box[2]))), 'drawn at twice the size');
    writeFileSync(join(ROOT, 'test-results/model-view-export.png'), bytes);

    // An edit that breaks the model: the answer redraws, the node with the error is marked
    // and carries the message; the rest of the graph stays.
    const broken = text.replace('GlobalAvgPool1D()', 'Conv2D(8, 3)');
    await send(page, graphMessage('examples/mnist/mnist_transformer.netspec', broken, 2));
    await page.waitForSelector('svg .node.has-error');
    const bad = (await drawn(page)).nodes.filter((n) => n.cls.includes('has-error'));
    assert.deepEqual(bad.map((n) => n.id), ['conv2d']);
    assert.match(bad[0].title, /error: .*Conv2D/);
    await page.screenshot({ path: join(ROOT, 'test-results/model-view-error.png'), fullPage: true });

    // A file with two models offers a choice; the choice is kept across answers.
    const two = 'model A {\n  input x: [4]\n  Dense(3)\n}\nmodel B {\n  input y: [6]\n  Dense(2)\n}\n';
    await send(page, graphMessage('two.netspec', two, 3));
    await page.waitForSelector('header select');
    assert.deepEqual(await page.locator('header select option').allTextContents(), ['A', 'B']);
    await page.locator('header select').selectOption('B');
    await send(page, graphMessage('two.netspec', two, 4));
    await page.waitForFunction(() => document.querySelector('svg .node[data-id="y"]') !== null);
    assert.equal(await page.locator('header h1').textContent(), 'B');
    assert.deepEqual(logs.filter((l) => l.startsWith('pageerror') || l.startsWith('error')), []);
  } finally {
    await browser.close();
    await host.close();
  }
});

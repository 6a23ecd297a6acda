// The language server over stdio, driven like an editor: initialize, open a model with a
// shape error, ask for hovers, inlay hints, completions, a rename and formatting, fix the
// error with an incremental change, and shut down cleanly.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, applyEdits, buildServer } from './lsp/client';

const URI = 'file:///tmp/netspec-lsp-test/mnist.netspec';

// Line 3 flattens the image, so the Conv2D on line 4 sees [batch, 784].
const BAD = [
  'model Mnist {',
  '  input x: [28, 28, 1]',
  '  Flatten()',
  '  Conv2D(32, 3)',
  '  Dense(10)',
  '}',
  '',
].join('\n');

let client: TestClient;

before(async () => {
  await buildServer();
  client = TestClient.start();
});

after(async () => {
  if (client && client.child.exitCode === null) client.child.kill();
});

interface Hover {
  contents: { kind: string; value: string };
}

interface CompletionItem {
  label: string;
  insertText?: string;
}

function labels(r: CompletionItem[] | { items: CompletionItem[] }): string[] {
  return (Array.isArray(r) ? r : r.items).map((i) => i.label);
}

const pos = (line: number, character: number) => ({ line, character });

test('the server speaks LSP over stdio like an editor needs', async (t) => {
  await t.test('initialize announces the features', async () => {
    const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    const caps = init.capabilities;
    const sync = caps.textDocumentSync as { change: number; openClose: boolean };
    assert.equal(sync.change, 2, 'incremental sync');
    assert.equal(sync.openClose, true);
    for (const key of [
      'hoverProvider',
      'completionProvider',
      'signatureHelpProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'semanticTokensProvider',
      'codeActionProvider',
      'codeLensProvider',
      'documentFormattingProvider',
      'inlayHintProvider',
    ]) {
      assert.ok(caps[key], `capability ${key}`);
    }
    client.notify('initialized', {});
  });

  await t.test('didOpen publishes the shape error with range, code and both shapes', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'netspec', version: 1, text: BAD } });
    const pub = await client.diagnosticsFor(URI, 1);
    const errors = pub.diagnostics.filter((d) => d.severity === 1);
    assert.equal(errors.length, 1, JSON.stringify(pub.diagnostics));
    const d = errors[0];
    assert.equal(d.code, 'rank-mismatch');
    assert.deepEqual(d.range, { start: pos(3, 2), end: pos(3, 15) });
    assert.match(d.message, /Conv2D expects an input \[height, width, channels\]/);
    assert.match(d.message, /\[batch, 784\]/);
    assert.equal(d.relatedInformation?.length, 1);
    assert.deepEqual((d.relatedInformation![0] as { location: unknown }).location, {
      uri: URI,
      range: { start: pos(2, 2), end: pos(2, 11) },
    });
  });

  await t.test('the error has a quick fix that inserts a Reshape', async () => {
    const actions = await client.request<{ title: string; kind: string; diagnostics: { code: string }[]; edit: { changes: Record<string, never[]> } }[]>(
      'textDocument/codeAction',
      { textDocument: { uri: URI }, range: { start: pos(3, 4), end: pos(3, 4) }, context: { diagnostics: [] } },
    );
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Insert Reshape([28, 28, 1])');
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].diagnostics[0].code, 'rank-mismatch');
    assert.equal(applyEdits(BAD, actions[0].edit.changes[URI]), BAD.replace('  Conv2D', '  Reshape([28, 28, 1])\n  Conv2D'));
  });

  await t.test('a model with an error: the params lens is a lower bound naming the line', async () => {
    const lenses = await client.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.deepEqual(lenses.map((l) => l.command.title), ['≥ 0 params (incomplete: error on line 4)']);
  });

  await t.test('Insert Flatten() from the Dense, Use padding=same, and completion with shapes', async () => {
    const uri = 'file:///tmp/netspec-lsp-test/fixes.netspec';
    const text = [
      'model M {',
      '  input x: [8, 8, 1]',
      '  Conv2D(4, 3)',
      '  ',
      '  Dense(10)',
      '}',
      'model P {',
      '  input x: [3, 3, 1]',
      '  Conv2D(4, 5)',
      '}',
      'train M {',
      '  data = csv("d.csv", target="y")',
      '  loss = cross_entropy',
      '}',
      '',
    ].join('\n');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version: 1, text } });
    type Action = { title: string; diagnostics: { code: string; relatedInformation?: { message: string }[] }[]; edit: { changes: Record<string, never[]> } };
    const actionsAt = (line: number, character: number) =>
      client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: pos(line, character), end: pos(line, character) }, context: { diagnostics: [] } });

    const flatten = (await actionsAt(4, 4)).find((a) => a.title === 'Insert Flatten()');
    assert.ok(flatten, 'offered on the Dense line');
    assert.equal(flatten.diagnostics[0].code, 'loss-mismatch');
    assert.ok(flatten.diagnostics[0].relatedInformation!.some((r) => /insert Flatten\(\) before it/.test(r.message)));
    assert.equal(applyEdits(text, flatten.edit.changes[uri]), text.replace('  Dense(10)', '  Flatten()\n  Dense(10)'));

    const same = (await actionsAt(8, 12)).find((a) => a.title === 'Use padding=same');
    assert.ok(same, 'offered on the empty-dimension error');
    assert.equal(same.diagnostics[0].code, 'empty-dimension');
    assert.equal(applyEdits(text, same.edit.changes[uri]), text.replace('Conv2D(4, 5)', 'Conv2D(4, 5, padding=same)'));

    type Item = { label: string; sortText?: string; labelDetails?: { detail?: string; description?: string } };
    const r = await client.request<Item[] | { items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: pos(3, 2) });
    const items = Array.isArray(r) ? r : r.items;
    const flat = items.find((i) => i.label === 'Flatten')!;
    assert.deepEqual(flat.labelDetails, { detail: '()', description: '→ [batch, 144]' });
    const dense = items.find((i) => i.label === 'Dense')!;
    assert.deepEqual(dense.labelDetails, { detail: '(units, activation=linear, bias=true)', description: '→ [batch, 6, 6, units]' });
    const lstm = items.find((i) => i.label === 'LSTM')!;
    assert.equal(lstm.labelDetails?.description, '✗ needs [time, features]');
    assert.ok(lstm.sortText! > flat.sortText!, 'a layer that does not apply sorts later');
  });

  await t.test('netspec/summary and netspec/modelIR answer for the open document', async () => {
    const summary = await client.request<{ name: string; layers: { op: string; outputShape: unknown }[] }[]>('netspec/summary', { uri: URI });
    assert.equal(summary.length, 1);
    assert.equal(summary[0].name, 'Mnist');
    assert.deepEqual(summary[0].layers[0], { line: 2, op: 'Flatten', outputShape: ['batch', 784], params: 0 });
    const ir = await client.request<{ models: { name: string }[]; ir: unknown }>('netspec/modelIR', { uri: URI, model: 'Mnist' });
    assert.deepEqual(ir.models.map((m) => m.name), ['Mnist']);
    assert.equal(ir.ir, null, 'a model with errors has no IR');
    assert.deepEqual(await client.request('netspec/modelIR', { uri: 'file:///not/open.netspec' }), { models: [], ir: null });
  });

  await t.test('hover on a layer shows shapes, params and FLOPs; on a tensor its shape and dtype', async () => {
    const good = 'model M {\n  input x: [28, 28, 1]\n  Conv2D(32, 3)\n}\n';
    const uri = 'file:///tmp/netspec-lsp-test/hover.netspec';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version: 1, text: good } });
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(2, 4) });
    assert.match(h.contents.value, /\[batch, 28, 28, 1\]/);
    assert.match(h.contents.value, /\[batch, 26, 26, 32\]/);
    assert.match(h.contents.value, /Params: \*\*320\*\*/); // 3*3*1*32 + 32
    // 26*26 positions * 3*3*1 window * 32 filters * 2 = 389,376.
    assert.match(h.contents.value, /389,376/);
    const ht = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(1, 8) });
    assert.match(ht.contents.value, /x: \[batch, 28, 28, 1\] float32/);

    const hints = await client.request<{ position: { line: number; character: number }; label: string }[]>(
      'textDocument/inlayHint',
      { textDocument: { uri }, range: { start: pos(0, 0), end: pos(4, 0) } },
    );
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.position.character, h.label]),
      [[2, 15, ': [batch, 26, 26, 32]']],
    );
  });

  await t.test('completion offers argument names not yet given, and enum values', async () => {
    const uri = 'file:///tmp/netspec-lsp-test/complete.netspec';
    const text = 'model M {\n  input x: [28, 28, 1]\n  Conv2D(32, 3, )\n  Dense(10, activation=)\n}\n';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version: 1, text } });
    const args = labels(await client.request('textDocument/completion', { textDocument: { uri }, position: pos(2, 16) }));
    assert.ok(args.includes('padding'), args.join());
    assert.ok(args.includes('activation'), args.join());
    assert.ok(!args.includes('filters') && !args.includes('kernel'), args.join());
    const values = labels(await client.request('textDocument/completion', { textDocument: { uri }, position: pos(3, 23) }));
    assert.ok(values.includes('relu'), values.join());
    assert.ok(values.includes('softmax'), values.join());
    assert.ok(!values.includes('Dense'), values.join());
  });

  await t.test('rename a tensor edits its definition and every use', async () => {
    const uri = 'file:///tmp/netspec-lsp-test/rename.netspec';
    const text = 'model M {\n  input x: [4]\n  h = x -> Dense(8)\n  y = h -> Dense(2)\n  output y\n}\n';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version: 1, text } });
    const r = await client.request<{ changes: Record<string, { range: never; newText: string }[]> }>('textDocument/rename', {
      textDocument: { uri },
      position: pos(2, 2),
      newName: 'hidden',
    });
    const edits = r.changes[uri];
    assert.equal(edits.length, 2);
    assert.equal(
      applyEdits(text, edits),
      'model M {\n  input x: [4]\n  hidden = x -> Dense(8)\n  y = hidden -> Dense(2)\n  output y\n}\n',
    );
  });

  await t.test('formatting returns edits that normalise the layout and are stable', async () => {
    const uri = 'file:///tmp/netspec-lsp-test/format.netspec';
    const text = 'model M {\ninput x: [4]\n      Dense( 8 ,activation=relu)\n}\n';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'netspec', version: 1, text } });
    const opts = { tabSize: 2, insertSpaces: true };
    const edits = await client.request<never[]>('textDocument/formatting', { textDocument: { uri }, options: opts });
    assert.ok(edits.length > 0);
    const formatted = applyEdits(text, edits);
    assert.match(formatted, /\n {2}input x: \[4\]\n/);
    assert.match(formatted, /\n {2}Dense\(8, activation=relu\)\n/);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: formatted }],
    });
    const again = await client.request<never[]>('textDocument/formatting', { textDocument: { uri }, options: opts });
    assert.equal(applyEdits(formatted, again), formatted);
  });

  await t.test('an incremental change that fixes the error clears the diagnostics', async () => {
    // Delete line 3 ("  Flatten()\n").
    client.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: pos(2, 0), end: pos(3, 0) }, text: '' }],
    });
    const pub = await client.diagnosticsFor(URI, 2);
    assert.deepEqual(
      pub.diagnostics.filter((d) => d.severity === 1),
      [],
    );
    const hints = await client.request<{ label: string }[]>('textDocument/inlayHint', {
      textDocument: { uri: URI },
      range: { start: pos(0, 0), end: pos(6, 0) },
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      [': [batch, 26, 26, 32]', ': [batch, 26, 26, 10]'],
    );
  });

  await t.test('once fixed, the model has an IR, symbols, semantic tokens and a code lens', async () => {
    const ir = await client.request<{ ir: { name: string; nodes: { op: string }[]; params: number } | null }>('netspec/modelIR', { uri: URI });
    assert.equal(ir.ir?.name, 'Mnist');
    assert.deepEqual(ir.ir?.nodes.map((n) => n.op), ['Conv2D', 'Dense']);
    assert.equal(ir.ir?.params, 320 + 330);
    const symbols = await client.request<{ name: string; children: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(symbols.map((s) => [s.name, s.children.map((c) => c.name)]), [['Mnist', ['x', 'Conv2D', 'Dense']]]);
    const lenses = await client.request<{ range: unknown; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    // FLOPs: Conv2D 26*26*9*32*2 = 389,376 plus Dense 26*26*32*10*2 = 432,640: 822,016.
    assert.deepEqual(lenses.map((l) => [l.range, l.command.title]), [[{ start: pos(0, 6), end: pos(0, 11) }, '650 params · 822 K FLOPs']]);
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: URI } });
    // First token: `model` at 0:0, length 5, type keyword (0); then `Mnist` at 0:6 as a declared class.
    assert.deepEqual(tokens.data.slice(0, 10), [0, 0, 5, 0, 0, 0, 6, 5, 2, 1]);
  });

  await t.test('shutdown and exit end the process with code 0', async () => {
    await client.request('shutdown', null);
    client.notify('exit', null);
    assert.equal(await client.exited, 0);
  });
});

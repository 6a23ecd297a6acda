// The language features as a user meets them in a real VS Code: opening a .netspec file
// activates the extension, which starts the language server; the suite then reads the
// diagnostics, the hover and the completions through VS Code's own API, so it checks the
// whole chain (manifest, client, IPC, server, position conversion), not the server alone.
// It runs inside the extension host, so it is plain CommonJS: `run()` resolves when every
// check passed and rejects with the first failure (the harness then sees exit code 1).
const assert = require('node:assert/strict');
const vscode = require('vscode');

const FIXTURE = 'shape_error.netspec';

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
async function waitFor(what, probe, ms = 20000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

/** A diagnostic's code as a string, whether VS Code gives it plain or as { value, target }. */
function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** Hover contents (MarkdownString or MarkedString) as one plain string. */
function hoverText(hovers) {
  const parts = [];
  for (const h of hovers) {
    for (const c of h.contents) parts.push(typeof c === 'string' ? c : c.value);
  }
  return parts.join('\n');
}

/** The 0-based line whose text contains `needle`; fails when there is none. */
function lineOf(doc, needle) {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`the fixture has no line containing ${needle}`);
}

async function openFixture() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the harness opened no workspace folder');
  const uri = vscode.Uri.joinPath(folder.uri, FIXTURE);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'netspec', 'the .netspec extension does not map to the netspec language');
  return doc;
}

async function checkDiagnostics(doc) {
  const convLine = lineOf(doc, 'Conv2D(32, 3)');
  const validModelLine = lineOf(doc, 'model Mlp');
  const diagnostics = await waitFor('a rank-mismatch diagnostic from the language server', () => {
    const all = vscode.languages.getDiagnostics(doc.uri);
    return all.some((d) => codeOf(d) === 'rank-mismatch') ? all : undefined;
  });
  const rank = diagnostics.find((d) => codeOf(d) === 'rank-mismatch');
  console.log(`language: ${diagnostics.length} diagnostic(s); rank-mismatch at line ${rank.range.start.line + 1}: ${rank.message}`);
  assert.equal(rank.severity, vscode.DiagnosticSeverity.Error, 'rank-mismatch is not an error');
  assert.equal(rank.range.start.line, convLine, 'rank-mismatch is not reported on the Conv2D line');
  assert.match(rank.message, /Conv2D/, 'the message does not name the layer');
  assert.match(rank.message, /784/, 'the message does not show the input shape [784]');
  const inValid = diagnostics.filter((d) => d.range.start.line >= validModelLine && d.severity === vscode.DiagnosticSeverity.Error);
  assert.deepEqual(inValid.map((d) => `${d.range.start.line + 1}: ${d.message}`), [], 'the valid model has errors');
}

async function checkHover(doc) {
  const line = lineOf(doc, 'Dense(128, activation=relu)');
  const character = doc.lineAt(line).text.indexOf('Dense') + 2;
  const position = new vscode.Position(line, character);
  const hovers = await waitFor('a hover on Dense', async () => {
    const h = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position);
    return h && h.length > 0 && hoverText(h).trim() !== '' ? h : undefined;
  }, 10000);
  const text = hoverText(hovers);
  console.log(`language: hover on Dense(128): ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
  assert.ok(text.includes('[batch, 784]'), 'the hover does not show the input shape [batch, 784]');
  assert.ok(text.includes('[batch, 128]'), 'the hover does not show the output shape [batch, 128]');
  // 784 * 128 + 128 = 100,480 parameters (Keras counting).
  assert.match(text, /100,?480/, 'the hover does not show the parameter count 100,480');
}

async function checkCompletion(doc) {
  const line = lineOf(doc, 'Dense(128, activation=relu)');
  const character = doc.lineAt(line).text.indexOf('Dense(128, ') + 'Dense(128, '.length;
  const position = new vscode.Position(line, character);
  const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, position);
  const items = (list && list.items) || [];
  const label = (i) => (typeof i.label === 'string' ? i.label : i.label.label);
  const names = items.filter((i) => i.kind !== vscode.CompletionItemKind.Text).map(label);
  console.log(`language: completion in Dense(128, |): ${names.slice(0, 20).join(', ')}`);
  assert.ok(names.includes('bias'), `the argument name bias is not offered inside Dense(...); got ${names.join(', ')}`);
  assert.ok(!names.includes('Conv2D'), 'layer names are offered inside a call instead of argument names');
}

exports.run = async function run() {
  assert.ok(vscode.version.startsWith('1.100'), `expected VS Code 1.100.x, got ${vscode.version}`);
  const doc = await openFixture();
  await checkDiagnostics(doc);
  await checkHover(doc);
  await checkCompletion(doc);
  // The harness saves test-results/e2e-language-editor.png: the squiggle and the problem count.
  console.log('netspec-e2e:screenshot editor');
  await new Promise((r) => setTimeout(r, 1500));
  console.log('language: all checks passed');
};

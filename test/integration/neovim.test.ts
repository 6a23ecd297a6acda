// The language server seen from an independent LSP client: headless Neovim 0.7's built-in
// client (test/integration/nvim/lsp_check.lua) starts `node dist/server.js --stdio`, opens
// a model with two known errors, and reports the diagnostics it received and a hover.
// This catches protocol details that a client written alongside the server would share.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const SERVER = resolve('dist/server.js');
const SCRIPT = resolve('test/integration/nvim/lsp_check.lua');

// Line 3 (0-based): Conv2D on [batch, 64] is a rank-mismatch; line 4: `Dnse` is no layer.
const MODEL = `model m {
  input x: [784]
  h = x -> Dense(64, activation=relu)
  c = h -> Conv2D(8, 3)
  Dnse(10)
}
`;

interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  code: string;
}

function hasNvim(): boolean {
  return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

test('Neovim 0.7 LSP client: diagnostics and hover from dist/server.js', (t) => {
  if (!hasNvim()) {
    const reason = 'nvim is not installed: run `apt-get install neovim` (Neovim ≥ 0.7)';
    if (process.env.NETSPEC_ALLOW_MISSING_TOOLS === '1') {
      t.skip(`SKIPPED (NETSPEC_ALLOW_MISSING_TOOLS=1): ${reason}`);
      return;
    }
    assert.fail(reason);
  }
  assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);

  const dir = mkdtempSync(join(tmpdir(), 'netspec-nvim-'));
  try {
    const xdg = (name: string) => {
      const p = join(dir, name);
      mkdirSync(p);
      return p;
    };
    const file = join(dir, 'two_errors.netspec');
    writeFileSync(file, MODEL);
    const out = join(dir, 'result.json');
    const hoverLine = 2;
    const hoverChar = MODEL.split('\n')[hoverLine].indexOf('Dense') + 2;

    const r = spawnSync('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`, file], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: xdg('config'),
        XDG_DATA_HOME: xdg('data'),
        XDG_STATE_HOME: xdg('state'),
        XDG_CACHE_HOME: xdg('cache'),
        NETSPEC_SERVER: SERVER,
        NETSPEC_NODE: process.execPath,
        NETSPEC_OUT: out,
        NETSPEC_EXPECT: '2',
        NETSPEC_HOVER_LINE: String(hoverLine),
        NETSPEC_HOVER_CHAR: String(hoverChar),
      },
    });
    const result = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
    assert.ok(result, `nvim wrote no result (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
    assert.equal(result.error, undefined, `the Lua script failed: ${result.error}`);
    assert.equal(r.status, 0, r.stderr);

    const diags = (result.diagnostics as NvimDiagnostic[]).sort((a, b) => a.lnum - b.lnum);
    assert.deepEqual(
      diags.map((d) => [d.code, d.lnum, d.severity]),
      [
        ['rank-mismatch', 3, 1],
        ['unknown-layer', 4, 1],
      ],
      JSON.stringify(diags),
    );
    // 0-based columns: Conv2D starts at character 11 of line 3, Dnse at character 2 of line 4.
    assert.equal(diags[0].col, MODEL.split('\n')[3].indexOf('Conv2D'));
    assert.equal(diags[1].col, 2);
    assert.equal(diags[1].end_col, 6);
    assert.match(diags[1].message, /Dense/, 'the unknown-layer message suggests the nearest name');

    const hover = result.hover as string;
    assert.equal(typeof hover, 'string', 'the hover returned contents');
    assert.match(hover, /\[batch, 784\]/, 'the hover shows the input shape');
    assert.match(hover, /\[batch, 64\]/, 'the hover shows the output shape');
    assert.match(hover, /50,?240/, 'the hover shows the parameter count 784*64+64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

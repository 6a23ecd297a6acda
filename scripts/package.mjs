// `npm run package`: the VSIX for one platform, since it carries that platform's Dawn
// binding (dawn_binding.mjs). `--target=<vscode target>` (default: this machine's) goes to
// both the build and `vsce package --target`, so the marketplace offers each user the VSIX
// for their platform; `-o <file>` names the output (default netspec-<target>.vsix).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hostTarget } from './dawn_binding.mjs';

const args = process.argv.slice(2);
const target = args.find((a) => a.startsWith('--target='))?.slice(9) ?? hostTarget();
const o = args.indexOf('-o');
const out = o >= 0 ? args[o + 1] : `netspec-${target}.vsix`;

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run(process.execPath, [join('scripts', 'build.mjs'), `--target=${target}`]);
run(process.execPath, [join('node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--target', target, '-o', out]);

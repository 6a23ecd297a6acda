// A suite that always fails. The harness test runs it to prove that a failing suite comes
// back as a non-zero exit code with its message in the log, so a green language suite
// cannot be a harness that reports success whatever happens.
exports.run = async function run() {
  await new Promise((r) => setTimeout(r, 100));
  throw new Error('must_fail: this failure is expected by test/e2e/vscode.test.ts');
};

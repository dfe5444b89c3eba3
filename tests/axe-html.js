// SPDX-License-Identifier: MIT
// tests/axe-html.js - the axe rules (what DAISY Ace runs on an EPUB's
// documents) on standalone HTML pages, in headless Chromium.
//
//   node axe-html.js NODE_MODULES HTML...
//
// NODE_MODULES is the npm tree that holds puppeteer-core and axe (the
// dependencies of @daisy/ace-axe-runner-puppeteer: @daisy/axe-core-for-ace,
// else axe-core); Chromium is $CHROMIUM, else /usr/bin/chromium.  Every
// rule axe runs by default (WCAG 2.x A and AA, best practices) is run;
// the pages are loaded from file: URLs with no network.
//
// Output, for each page: "PAGE<TAB>N" (N violations), then a line
// "<TAB>RULE (IMPACT): HELP: TARGET" for each.  Exit status: 0 no
// violation, 1 some, 2 usage or the checker could not run.
'use strict';

const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [modules, ...pages] = process.argv.slice(2);
if (!modules || pages.length === 0) {
  process.stderr.write('usage: node axe-html.js NODE_MODULES HTML...\n');
  process.exit(2);
}

function axe_source(req) {
  for (const name of ['@daisy/axe-core-for-ace/axe.min.js', 'axe-core/axe.min.js']) {
    try {
      return fs.readFileSync(req.resolve(name), 'utf8');
    } catch (_e) { /* the next one */ }
  }
  throw new Error(`no axe-core under ${modules}`);
}

async function main() {
  const req = createRequire(path.join(path.resolve(modules), 'index.js'));
  const puppeteer = req('puppeteer-core');
  const axe = axe_source(req);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  let failed = 0;
  try {
    const page = await browser.newPage();
    // nothing but the file itself: an HTML page of ours fetches nothing
    await page.setRequestInterception(true);
    page.on('request', (r) => (r.url().startsWith('file:') || r.url().startsWith('data:')
      ? r.continue() : r.abort()));
    for (const file of pages) {
      await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
      await page.addScriptTag({ content: axe });
      const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` +
          v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', '));
      });
      process.stdout.write(`${file}\t${found.length}\n`);
      for (const v of found) process.stdout.write(`\t${v}\n`);
      if (found.length) failed = 1;
    }
  } finally {
    await browser.close();
  }
  return failed;
}

main().then((rc) => process.exit(rc), (e) => {
  process.stderr.write(`axe-html: ${e && e.message ? e.message : e}\n`);
  process.exit(2);
});

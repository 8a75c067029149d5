// End to end in a real VS Code: code-server (VS Code in a browser) with the packaged extension,
// driven headless through Debian's chromium by playwright-core. Each step checks the page's text
// and saves a screenshot; results.json says which steps passed.
//
//   node e2e/run.mjs --code-server PATH --vsix PATH --out DIR [--chromium /usr/bin/chromium] [--phase trust-on]
//
// Two code-servers run one after the other: one with workspace trust off (steps 1-8), one with it on,
// where the folder opens untrusted and trust is granted (steps 9-10).
// Exit 0 when every step passed. Whole run bounded by --budget seconds (default 420).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opts } = parseArgs({
  options: {
    'code-server': { type: 'string' },
    vsix: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    budget: { type: 'string', default: '420' },
    phase: { type: 'string', default: 'all' }, // all, trust-off or trust-on
  },
});
for (const required of ['code-server', 'vsix', 'out']) {
  if (!opts[required]) {
    console.error(`usage: node e2e/run.mjs --code-server PATH --vsix PATH --out DIR (missing --${required})`);
    process.exit(2);
  }
}
const OUT = path.resolve(opts.out);
const started = Date.now();
const log = (...parts) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);

const MULTI_STAGE = [
  'FROM golang:1.22 AS build',
  'WORKDIR /src',
  'RUN go build -o /out/app .',
  '',
  'FROM alpine:3.19 AS runtime',
  'COPY --from=buld /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');
const SINGLE_STAGE = [
  'FROM golang:1.22',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /usr/local/bin/app .',
  'ENTRYPOINT ["/usr/local/bin/app"]',
  '',
].join('\n');
const COMPOSE = ['services:', '  app:', '    build:', '      context: .', '      target: ', ''].join('\n');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

/** A private code-server: its own user data, extensions, config and temp dirs; no gallery.
 * `trustEnabled`: whether VS Code's workspace trust is on (the folder then opens in restricted mode). */
function prepare(tmp, { trustEnabled }) {
  const dirs = { userData: path.join(tmp, 'user-data'), extensions: path.join(tmp, 'extensions'), ws: path.join(tmp, 'ws') };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.ws);
  fs.writeFileSync(path.join(dirs.ws, 'Dockerfile'), MULTI_STAGE);
  fs.writeFileSync(path.join(dirs.ws, 'app.Dockerfile'), SINGLE_STAGE);
  fs.writeFileSync(path.join(dirs.ws, 'compose.yaml'), COMPOSE);
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': trustEnabled,
        'security.workspace.trust.startupPrompt': 'never', // restricted mode without the modal
        'security.workspace.trust.banner': 'never',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'editor.hover.delay': 100,
        'editor.quickSuggestions': { other: false, comments: false, strings: false },
        'editor.codeLens': true,
        'editor.autoClosingBrackets': 'never', // step 8 types settings.json text as it is
        'editor.autoClosingQuotes': 'never',
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        'dockerfileStages.sizes.online': false,
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    DOCKERFILE_STAGES_OFFLINE: '1', // sizes from the bundled snapshot: no registry in a test
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/items' }),
  };
  const common = [
    '--config', path.join(tmp, 'config.yaml'),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
  ];
  return { dirs, env, common };
}

const text = (value) => value.replace(/\u00a0/g, ' ');

class Steps {
  constructor(page) {
    this.page = page;
    this.results = {};
  }

  async run(name, body) {
    const stepStart = Date.now();
    try {
      const detail = await body();
      this.results[name] = { ok: true, detail, seconds: (Date.now() - stepStart) / 1000 };
      log(`PASS ${name}: ${JSON.stringify(detail).slice(0, 200)}`);
    } catch (error) {
      this.results[name] = { ok: false, detail: String(error?.message ?? error), seconds: (Date.now() - stepStart) / 1000 };
      log(`FAIL ${name}: ${error?.message ?? error}`);
    }
    await this.page.screenshot({ path: path.join(OUT, `${name}.png`) }).catch(() => {});
    await this.page.keyboard.press('Escape').catch(() => {});
  }
}

async function openFile(page, name) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ timeout: 5000 });
      break;
    } catch {
      await page.keyboard.press('Escape');
      await page.locator('.editor-instance').first().click().catch(() => {});
    }
  }
  await input.fill(name);
  // the list shows recent files before it filters: wait until the top entry is the file itself
  const top = page.locator('.quick-input-list .monaco-list-row').first().locator('.label-name').first();
  const deadline = Date.now() + 20000;
  while ((await top.innerText().catch(() => '')).trim() !== name) {
    if (Date.now() > deadline) throw new Error(`Quick Open does not offer ${name} first`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 20000 });
  await page.locator('.editor-instance .monaco-editor .view-line').first().waitFor({ timeout: 20000 });
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

/** The visible text of the active editor, one entry per line. */
async function editorLines(page) {
  const active = page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines');
  return active.first().evaluate((lines) =>
    [...lines.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top || '0'), text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
}

async function gotoLineEnd(page, line) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ timeout: 10000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
}

/** Rows of the suggest widget once it lists `wanted` (retrying the trigger a few times). */
async function suggestions(page, wanted) {
  const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await rows.filter({ hasText: wanted }).first().waitFor({ timeout: 4000 });
      return (await rows.allInnerTexts()).map(text);
    } catch {
      await page.keyboard.press('Control+Space');
    }
  }
  throw new Error(`no suggestion "${wanted}"; suggest widget: ${JSON.stringify((await rows.allInnerTexts()).map(text))}`);
}

async function hoverOn(page, word, expected) {
  const token = page.locator('.editor-instance .monaco-editor .view-line span span', { hasText: word }).first();
  const hover = page.locator('.monaco-hover:not(.hidden)');
  let seen = '';
  for (let attempt = 0; attempt < 8 && !expected.test(seen); attempt++) {
    // measured again each time: code lenses arriving above the line move it down
    const box = await token.boundingBox();
    if (!box) throw new Error(`no "${word}" on screen`);
    await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    try {
      await hover.first().waitFor({ timeout: 3000 });
      seen = text(await hover.first().innerText());
    } catch {
      // no hover yet: move again
    }
    if (!expected.test(seen)) await page.mouse.move(5, 5);
  }
  if (!expected.test(seen)) throw new Error(`hover text ${JSON.stringify(seen)} does not match ${expected}`);
  return seen;
}

async function scenario(page, steps, userSettings) {
  await steps.run('01-server-ready', async () => {
    await openFile(page, 'Dockerfile');
    const status = page.locator('.statusbar-item', { hasText: 'Stages: ready' });
    await status.first().waitFor({ timeout: 90000 });
    // Show Output: the channel says which server discovery chose (here: the copy in the VSIX)
    await runCommand(page, 'Dockerfile Stages: Show Output');
    const found = page.locator('.panel .monaco-editor .view-line', { hasText: 'server: the bundled dockerfile_stages' });
    await found.first().waitFor({ timeout: 20000 });
    const line = text(await found.first().innerText());
    await page.keyboard.press('Control+J'); // the panel closed again
    return { status: text(await status.first().innerText()), output: line };
  });

  await steps.run('02-completion-from', async () => {
    await gotoLineEnd(page, 7);
    await page.keyboard.press('Enter');
    await page.keyboard.type('COPY --from=');
    return suggestions(page, 'build');
  });
  // drop the typed line again
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+S');

  await steps.run('03-hover-image-size', async () => {
    await page.keyboard.press('Control+Home');
    return hoverOn(page, 'golang', /golang:1\.22[\s\S]*\d+(\.\d+)? MB/);
  });

  await steps.run('04-problems-unknown-stage', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row', { hasText: "No stage is named 'buld'" });
    await problems.first().waitFor({ timeout: 30000 });
    return text(await page.locator('.markers-panel').first().innerText());
  });
  await page.keyboard.press('Control+J'); // close the panel again

  await steps.run('05-split-code-action', async () => {
    await openFile(page, 'app.Dockerfile');
    await page.keyboard.press('Control+Home');
    const title = 'Split into builder and runner stages';
    const item = page.locator('.action-widget .monaco-list-row', { hasText: title });
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await item.first().waitFor({ timeout: 4000 });
        break;
      } catch {
        await page.keyboard.press('Escape');
      }
    }
    const offered = text(await page.locator('.action-widget').first().innerText());
    // the menu takes keys, not clicks (a pointer block covers it): move the focus to the split, apply
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let move = 0; move < 10; move++) {
      if ((await focused.first().getAttribute('aria-label'))?.startsWith(title)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.screenshot({ path: path.join(OUT, '05-split-code-action-menu.png') });
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 15000;
    let lines = [];
    while (Date.now() < deadline) {
      lines = await editorLines(page);
      if (lines.some((line) => line.startsWith('FROM golang:1.22 AS builder'))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!lines.some((line) => line.startsWith('FROM golang:1.22 AS builder'))) {
      throw new Error(`file not rewritten: ${JSON.stringify(lines)}`);
    }
    if (!lines.some((line) => line.startsWith('COPY --from=builder /usr/local/bin/app'))) {
      throw new Error(`no runner stage copying the binary: ${JSON.stringify(lines)}`);
    }
    return { offered, lines };
  });

  await steps.run('06-compose-target-completion', async () => {
    await openFile(page, 'compose.yaml');
    await gotoLineEnd(page, 5);
    await page.keyboard.press('Control+Space');
    const rows = await suggestions(page, 'build');
    if (!rows.some((row) => row.includes('runtime'))) throw new Error(`stage "runtime" missing: ${JSON.stringify(rows)}`);
    return rows;
  });

  await steps.run('07-size-report-command', async () => {
    await openFile(page, 'Dockerfile');
    await runCommand(page, 'Dockerfile Stages: Show Size Report');
    await page.locator('.tab.active[aria-label*="size report"]').first().waitFor({ timeout: 60000 });
    const deadline = Date.now() + 60000;
    let lines = [];
    while (Date.now() < deadline) {
      lines = await editorLines(page);
      if (lines.some((line) => line.includes('golang:1.22') && line.includes('#'))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (!lines.some((line) => line.includes('golang:1.22') && /#{3,}/.test(line))) {
      throw new Error(`no bar for golang:1.22 in the report: ${JSON.stringify(lines)}`);
    }
    await runCommand(page, 'View: Close Editors in Other Groups').catch(() => {}); // the whole report in the screenshot
    return lines;
  });

  await steps.run('08-setting-reaches-server', async () => {
    // a user setting changed: the extension sends workspace/didChangeConfiguration, the server
    // drops the rule and publishes again
    await openFile(page, 'Dockerfile');
    await page.keyboard.press('Control+Shift+M');
    const unknownStage = page.locator('.markers-panel .monaco-list-row', { hasText: "No stage is named 'buld'" });
    await unknownStage.first().waitFor({ timeout: 30000 });
    const settings = JSON.parse(fs.readFileSync(userSettings, 'utf8'));
    settings['dockerfileStages.diagnostics.ignore'] = ['DS100'];
    // edited and saved in VS Code's own settings.json editor, as a user does
    await runCommand(page, 'Preferences: Open User Settings (JSON)');
    await page.locator('.tab.active[aria-label*="settings.json"]').first().waitFor({ timeout: 20000 });
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify(settings)); // one line: no auto-indent to fight
    await page.keyboard.press('Control+S');
    await unknownStage.first().waitFor({ state: 'detached', timeout: 30000 });
    return text(await page.locator('.markers-panel').first().innerText());
  });
}

/** The code lenses' texts, once `wanted(texts)` holds (`expected` says what was waited for). */
async function lensesWhere(page, expected, wanted, ms) {
  const lenses = page.locator('.editor-instance .monaco-editor .codelens-decoration');
  const deadline = Date.now() + ms;
  let seen = [];
  while (Date.now() < deadline) {
    seen = (await lenses.allInnerTexts().catch(() => [])).map(text);
    if (seen.length && wanted(seen)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code lenses never ${expected}: ${JSON.stringify(seen)}`);
}

/** Workspace trust, with trust on: the folder opens untrusted (restricted mode), so sizes come from
 * the snapshot and say why; granting trust in the trust editor reaches the server, which sends new
 * lenses without the note. */
async function trustScenario(page, steps) {
  await steps.run('09-untrusted-no-network', async () => {
    await openFile(page, 'Dockerfile');
    await page.locator('.statusbar-item', { hasText: 'Stages: ready' }).first().waitFor({ timeout: 90000 });
    const note = 'workspace not trusted: no network sizes';
    return lensesWhere(page, `say "${note}"`, (lenses) => lenses.every((lens) => lens.includes(note)), 60000);
  });

  await steps.run('10-trust-granted-reaches-server', async () => {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const trustButton = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust( Folder)?$/ });
    await trustButton.first().waitFor({ timeout: 20000 });
    await trustButton.first().click();
    await page.locator('.workspace-trust-editor', { hasText: 'trusted' }).first().waitFor({ timeout: 20000 });
    await openFile(page, 'Dockerfile');
    // still sizes from the snapshot (the test is offline), but no longer for want of trust
    return lensesWhere(
      page,
      'lose the untrusted note once trust is granted',
      (lenses) => lenses.some((lens) => lens.includes('snapshot of')) && !lenses.some((lens) => lens.includes('not trusted')),
      60000,
    );
  });
}

/** One code-server with the extension and one browser page on its folder; `body(page, steps, dirs)`. */
async function withCodeServer(tmp, { trustEnabled, label }, body) {
  const { dirs, env, common } = prepare(tmp, { trustEnabled });
  log(`${label}: installing the VSIX`);
  execFileSync(opts['code-server'], [...common, '--install-extension', path.resolve(opts.vsix)], {
    env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 120000,
  });
  const port = await freePort();
  const serverLog = fs.openSync(path.join(OUT, `code-server-${label}.log`), 'w');
  const trustFlags = trustEnabled ? [] : ['--disable-workspace-trust'];
  // its own process group: the file watcher it starts outlives a SIGTERM to code-server alone
  const codeServer = spawn(
    opts['code-server'],
    [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...trustFlags,
      '--disable-getting-started-override', dirs.ws],
    { env, stdio: ['ignore', serverLog, serverLog], detached: true },
  );
  let browser;
  running.add(async () => {
    if (browser) await browser.close().catch(() => {});
    try { process.kill(-codeServer.pid, 'SIGTERM'); } catch { /* gone already */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
    try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* group empty */ }
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60000);
  log(`${label}: code-server is up on port`, port);
  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.type() === 'error') fs.appendFileSync(path.join(OUT, 'browser-console.log'), `${message.text()}\n`);
  });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => {});
  log(`${label}: workbench loaded`);
  await body(page, dirs);
}

const running = new Set(); // cleanups of the code-servers and browsers started
async function cleanup(tmps) {
  for (const stop of running) await stop();
  running.clear();
  if (!process.env.KEEP_TMP) for (const tmp of tmps) fs.rmSync(tmp, { recursive: true, force: true });
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const old of fs.readdirSync(OUT)) fs.rmSync(path.join(OUT, old), { recursive: true, force: true });
  const tmps = [fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-')), fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-trust-'))];
  const budget = setTimeout(() => {
    log(`FAIL: over the budget of ${opts.budget} s`);
    cleanup(tmps).finally(() => process.exit(1));
  }, Number(opts.budget) * 1000);

  const results = {};
  const phases = [
    { label: 'trust-off', trustEnabled: false, tmp: tmps[0], steps: 8,
      scenario: (page, steps, dirs) => scenario(page, steps, path.join(dirs.userData, 'User', 'settings.json')) },
    { label: 'trust-on', trustEnabled: true, tmp: tmps[1], steps: 2, scenario: (page, steps) => trustScenario(page, steps) },
  ].filter((phase) => opts.phase === 'all' || opts.phase === phase.label);
  for (const phase of phases) {
    try {
      await withCodeServer(phase.tmp, phase, async (page, dirs) => {
        const steps = new Steps(page);
        try {
          await phase.scenario(page, steps, dirs);
        } finally {
          Object.assign(results, steps.results);
        }
      });
    } catch (error) {
      log(`${phase.label}: ERROR`, error?.message ?? error);
    } finally {
      for (const stop of running) await stop();
      running.clear();
    }
  }
  clearTimeout(budget);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ results, seconds: (Date.now() - started) / 1000 }, null, 2));
  await cleanup(tmps);
  const failed = Object.entries(results).filter(([, result]) => !result.ok);
  const passed = Object.keys(results).length - failed.length;
  console.log(`${passed} passed, ${failed.length} failed`);
  const expected = phases.reduce((sum, phase) => sum + phase.steps, 0);
  process.exit(failed.length === 0 && passed === expected ? 0 : 1);
}

await main();

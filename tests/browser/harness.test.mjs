// Test of harness.mjs itself, without a browser or the stack: small scripts that use it run in their own node process; their output and exit code are compared line by line.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { assert, assertEqual, check, run } from './harness.mjs';

const HARNESS = new URL('./harness.mjs', import.meta.url).href;
const work = mkdtempSync(join(tmpdir(), 'hgkm-harness-'));

/** Runs `body` (a module that imports `names` from harness.mjs); its output lines and exit code. */
function runScript(name, names, body) {
  const file = join(work, `${name}.mjs`);
  writeFileSync(file, `import { ${names} } from ${JSON.stringify(HARNESS)};\n${body}\n`);
  const res = spawnSync(process.execPath, [file], {
    encoding: 'utf8', env: { ...process.env, SCREENSHOT_DIR: join(work, 'shots'), TIMINGS: '' },
  });
  return { lines: res.stdout.split('\n').filter((l) => l !== ''), code: res.status };
}

function assertLines(got, want) {
  assertEqual(got.join('\n'), want.join('\n'), 'output');
}

async function main() {
  await check('a failed check skips the later ones of its flow; needs: false and blocks: false as documented; part() starts afresh', () => {
    const r = runScript('flow', 'check, part, blockedBy, run', `
await run(async () => {
  const v = await check('a passes and returns its value', () => 42);
  if (v !== 42) throw new Error('value not returned');
  await check('b fails without blocking', () => { throw new Error('boom\\nsecond line'); }, { blocks: false });
  await check('c runs', () => {});
  await check('d fails and blocks', () => { throw new Error('bang'); });
  await check('e is skipped', () => {});
  await check('f skipped too, although it would not block', () => {}, { blocks: false });
  await check('g runs regardless', () => {}, { needs: false });
  await check('h runs in a flow of its own', () => {}, { flow: 'other' });
  console.log('blocked by: ' + blockedBy());
  part('next part');
  console.log('blocked by: ' + blockedBy());
  await check('i runs after part()', () => {});
});`);
    assertLines(r.lines, [
      'ok - a passes and returns its value',
      'not ok - b fails without blocking', '    boom', '    second line',
      'ok - c runs',
      'not ok - d fails and blocks', '    bang',
      'not ok - e is skipped # SKIP (after: d fails and blocks)',
      'not ok - f skipped too, although it would not block # SKIP (after: d fails and blocks)',
      'ok - g runs regardless',
      'ok - h runs in a flow of its own',
      'blocked by: d fails and blocks',
      '# next part',
      'blocked by: null',
      'ok - i runs after part()',
      `# screenshots in ${join(work, 'shots')}`,
      '# 2 checks were not run after an earlier failure; they count as failed',
      '5 passed, 4 failed',
    ]);
    assertEqual(r.code, 1, 'exit code');
  });

  await check('flows: a failure stops only its own flow (keyboard-scenario)', () => {
    const r = runScript('flows', 'check, blockedBy, run', `
await run(async () => {
  await check('play 1 fails', () => { throw new Error('x'); }, { flow: 'play' });
  await check('play 2', () => {}, { flow: 'play' });
  await check('studio 1', () => {}, { flow: 'studio' });
  console.log('play: ' + blockedBy('play') + '; studio: ' + blockedBy('studio'));
});`);
    assertLines(r.lines.slice(0, 5), [
      'not ok - play 1 fails', '    x',
      'not ok - play 2 # SKIP (after: play 1 fails)',
      'ok - studio 1',
      'play: play 1 fails; studio: null',
    ]);
    assertEqual(r.lines[r.lines.length - 1], '1 passed, 2 failed', 'summary');
    assertEqual(r.code, 1, 'exit code');
  });

  await check('configure: independent checks (a11y.test.mjs), errorLines; all passed exits 0', () => {
    const r = runScript('independent', 'check, configure, run', `
configure({ independent: true, errorLines: 1 });
await run(async () => {
  const failed = await check('fails', () => { throw new Error('one\\ntwo'); });
  const ok = await check('runs after it', () => true);
  console.log('returned: ' + failed + ', ' + ok);
});`);
    assertLines(r.lines.slice(0, 4), ['not ok - fails', '    one', 'ok - runs after it', 'returned: undefined, true']);
    assertEqual(r.lines[r.lines.length - 1], '1 passed, 1 failed', 'summary');
    const all = runScript('green', 'check, run', "await run(async () => { await check('fine', () => {}); });");
    assertEqual(all.lines[all.lines.length - 1], '1 passed, 0 failed', 'summary when all pass');
    assertEqual(all.code, 0, 'exit code when all pass');
    const typo = runScript('typo', 'configure', "configure({ errorLine: 3 });");
    assert(typo.code !== 0, 'an unknown setting is refused');
  });

  await check('run(): an exception in main counts as a failure and the summary still comes last', () => {
    const r = runScript('crash', 'check, run', `
await run(async () => {
  await check('before', () => {});
  throw new Error('main broke');
});`);
    assertLines(r.lines.slice(0, 3), ['ok - before', 'not ok - the test script itself', '    main broke']);
    assertEqual(r.lines[r.lines.length - 1], '1 passed, 1 failed', 'summary');
    assertEqual(r.code, 1, 'exit code');
  });

  await check('readAccounts: the first line of a role counts, CRLF and spaces trimmed, short lines ignored', () => {
    const file = join(work, 'accounts.tsv');
    writeFileSync(file, 'admin\ta@example.org\tgeheim1 \r\nteacher\tt@example.org\r\nadmin\tb@example.org\tgeheim2\n');
    const r = runScript('accounts', 'readAccounts', `console.log(JSON.stringify(readAccounts(${JSON.stringify(file)})));`);
    assertEqual(r.lines[0], JSON.stringify({ admin: { email: 'a@example.org', password: 'geheim1' } }), 'accounts');
  });

  rmSync(work, { recursive: true, force: true });
}

await run(main);

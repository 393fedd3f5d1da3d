#!/usr/bin/env node
// The `winfix` command. Runs the compiled code in dist/ when it is there and not older than the sources
// (an installation or the container image has no sources: dist/ it is); otherwise loads the TypeScript
// sources through tsx, so a checkout works without a build and a stale dist/ is never run by mistake.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

/** Newest modification time (ms) of the files under the folders `npm run build` compiles. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ['bot', 'rules', 'runs', 'connectors', 'cli']) walk(path.join(root, dir));
  return newest;
}

function compiledIsCurrent() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!fs.existsSync(path.join(root, 'cli', 'main.ts'))) return true;
  return typeof stamp.builtAt === 'number' && newestSource() <= stamp.builtAt;
}

let entry;
if (compiledIsCurrent()) {
  entry = require(path.join(dist, 'cli', 'main.js'));
} else {
  require('tsx/cjs');
  entry = require('../cli/main.ts');
}
entry.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

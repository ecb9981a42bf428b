#!/usr/bin/env node
// Compiles apps/*/src and libs/*/src to JavaScript under OUT_DIR (default dist), the same tree shape, with
// the .swcrc the services run through locally: @nqpf/* imports become relative paths, so the output needs
// neither a TypeScript hook nor the workspace links at run time. JSON files beside the sources (the bundled
// holiday calendars) are copied. Tests and their helpers are left out.
// Usage: node deploy/docker/compile.js [OUT_DIR]   (OUT_DIR relative to the checkout, or absolute)
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../..');
// SWC resolves against the working directory; run from the checkout whatever the caller's is.
process.chdir(root);
const outDir = path.resolve(root, process.argv[2] ?? 'dist');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const options = {
  ...swcrc,
  swcrc: false,
  // Absolute, so the path aliases resolve wherever this runs from; maps beside the files, not inline.
  jsc: { ...swcrc.jsc, baseUrl: root },
  sourceMaps: true,
};
const isTestOnly = (file) => /\.(spec|spec-helper)\.ts$/.test(file) || file.endsWith('.d.ts');

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if ((file.endsWith('.ts') && !isTestOnly(file)) || file.endsWith('.json')) yield file;
  }
}

const srcDirs = ['apps', 'libs'].flatMap((top) =>
  fs
    .readdirSync(path.join(root, top))
    .map((name) => path.join(root, top, name, 'src'))
    .filter((dir) => fs.existsSync(dir)),
);

fs.rmSync(outDir, { recursive: true, force: true });
let compiled = 0;
for (const dir of srcDirs)
  for (const file of sources(dir)) {
    const target = path.join(outDir, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith('.json')) {
      fs.copyFileSync(file, target);
      continue;
    }
    const js = target.replace(/\.ts$/, '.js');
    const { code, map } = swc.transformFileSync(file, {
      ...options,
      filename: file,
      outputPath: js,
      sourceFileName: path.relative(path.dirname(js), file),
    });
    fs.writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
    fs.writeFileSync(`${js}.map`, map);
    compiled++;
  }
process.stdout.write(`compiled ${compiled} files into ${path.relative(root, outDir) || outDir}\n`);

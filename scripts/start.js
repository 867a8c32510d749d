// `npm start`: runs the app from one JavaScript file that esbuild bundles from src/, built again only
// when a file it was bundled from changed. Plain JavaScript, so that nothing compiles it first: loading
// the app's ~300 TypeScript modules through tsx took ~0.8 s of every start (bench/README.md, Startup).
// `npm run build` (`--build`) only builds, for a machine whose app folder will be read-only.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'build', 'app');
const BUNDLE = path.join(OUT_DIR, 'main.js');
/** Every file the bundle was built from, with its content's hash: a start whose files all match runs it as it is. */
const BUILT_FROM = path.join(OUT_DIR, 'built-from.json');
/** Files that shape the bundle besides the sources esbuild reports: this file's options, and the compiler settings esbuild reads. */
const BUILD_SETTINGS = [__filename, path.join(ROOT, 'tsconfig.json')];

const hashOf = (file) => createHash('sha1').update(fs.readFileSync(file)).digest('hex');

function isCurrent() {
  try {
    fs.accessSync(BUNDLE);
    const hashes = JSON.parse(fs.readFileSync(BUILT_FROM, 'utf8'));
    return Object.entries(hashes).every(([file, hash]) => hashOf(path.join(ROOT, file)) === hash);
  } catch {
    return false; // never built, or a file it was built from is gone
  }
}

/** Another start building at the same moment must never read half a file: each is written aside, then renamed. */
function writeWhole(file, contents) {
  const aside = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(aside, contents);
  fs.renameSync(aside, file);
}

/** The bundle, in memory; on a compile error esbuild has printed what is wrong, at its file and line. */
function bundle() {
  try {
    return require('esbuild').buildSync({
      absWorkingDir: ROOT,
      entryPoints: ['src/main.ts'],
      outfile: BUNDLE,
      bundle: true,
      packages: 'external', // node_modules load as they are; lazy imports stay lazy
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked', // stack traces name src/*.ts lines
      sourcesContent: false,
      metafile: true,
      write: false,
      logLevel: 'warning',
    });
  } catch {
    process.exit(1);
  }
}

function build() {
  const result = bundle();
  const sources = Object.keys(result.metafile.inputs).map((file) => path.join(ROOT, file));
  try {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    for (const file of result.outputFiles) writeWhole(file.path, file.contents);
    // Written last: until it is, a start builds again rather than trust a bundle it can't vouch for.
    writeWhole(BUILT_FROM, JSON.stringify(Object.fromEntries([...sources, ...BUILD_SETTINGS].map((file) => [path.relative(ROOT, file), hashOf(file)]))));
  } catch (error) {
    console.error(`npm start keeps the app's build in ${OUT_DIR} and could not write there (${error.code ?? error.message}).`);
    console.error('Run `npm run build` where the folder is writable (when making the image, say), then start again.');
    process.exit(1);
  }
}

if (process.argv.includes('--build')) build();
else {
  if (!isCurrent()) build();
  process.setSourceMapsEnabled(true); // for the bundle loaded next, as --enable-source-maps would
  require(BUNDLE);
}

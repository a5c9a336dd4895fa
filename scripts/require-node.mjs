// First step of `npm test` and `npm run bench`: says which Node runs the scripts (the CI log shows it) and stops on
// an older one. npm puts node_modules/.bin first on PATH for its scripts, so `node` here is the pinned devDependency
// `node` (Node 24 LTS) even when the machine's own Node is older; it is missing only after an install that skipped
// install scripts (the `node` package's preinstall fetches the binary).
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
console.log(`Node ${process.version} (${process.execPath})`);
if (major < REQUIRED_MAJOR) {
  console.error(
    `Convene's scripts need Node ${REQUIRED_MAJOR} LTS, found ${process.version}. ` +
      'Run `npm ci` (with install scripts enabled) so the pinned `node` devDependency is installed.',
  );
  process.exit(1);
}

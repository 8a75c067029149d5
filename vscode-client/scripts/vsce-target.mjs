// The VSIX target of this machine (linux-x64, darwin-arm64, ...): the bundled server carries
// compiled wheels (tree-sitter and its grammars), so the VSIX is for the platform that built it.
const platform = process.platform === 'linux' && process.report?.getReport?.().header?.glibcVersionRuntime === undefined
  ? 'alpine'
  : process.platform;
console.log(`${platform}-${process.arch}`);

// The release WASM's size, as a browser fetches it: the main module (everything the Sessions page needs to
// become interactive) and each chunk split off by `cargo leptos build --split`, with the chunks each lazy
// function pulls in (from __wasm_split_manifest.json). Brotli at quality 11, as a server would precompress.
// Usage: node end2end/bench/wasm-size.mjs [target/site/pkg]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const pkg = process.argv[2] ?? 'target/site/pkg';
const sizes = (file) => {
  const bytes = readFileSync(join(pkg, file));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli };
};
const fmt = (n) => n.toLocaleString('en-US');

const main = sizes('roster.wasm');
console.log(
  `release wasm, main module (loaded before the page is interactive): ${fmt(main.raw)} bytes raw, ` +
    `${fmt(main.gzip)} gzip, ${fmt(main.brotli)} brotli (target: brotli ≤ 250,000)`,
);
console.log(`TABLE\tmain WASM module\t${fmt(main.brotli)} bytes brotli\ttarget ≤ 250,000 (${fmt(main.raw)} raw)`);

let manifest = {};
try {
  manifest = JSON.parse(readFileSync(join(pkg, '__wasm_split_manifest.json'), 'utf8'));
} catch {
  console.log('no __wasm_split_manifest.json: this build was not split');
}
const chunkBrotli = Object.fromEntries(
  readdirSync(pkg)
    .filter((file) => file.endsWith('.wasm') && file !== 'roster.wasm')
    .map((file) => [file.replace(/\.wasm$/, ''), sizes(file).brotli]),
);
for (const [lazy, chunks] of Object.entries(manifest).sort()) {
  const total = chunks.reduce((sum, chunk) => sum + (chunkBrotli[chunk] ?? 0), 0);
  console.log(`  lazy ${lazy.replace(/_\d+$/, '').replace(/^__/, '')}: ${fmt(total)} brotli in ${chunks.length} files`);
}
const allChunks = Object.values(chunkBrotli).reduce((sum, n) => sum + n, 0);
console.log(`  every chunk together: ${fmt(allChunks)} brotli; main and chunks: ${fmt(main.brotli + allChunks)}`);

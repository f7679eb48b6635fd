// Bundles the chat into dist/ with esbuild: dist/index.html and dist/app.js, served by any static server.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/main.jsx'],
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  minify: true,
  outfile: 'dist/app.js',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync('index.html', 'dist/index.html');

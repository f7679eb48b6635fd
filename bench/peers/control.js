// The standard-input protocol every benchmark server child speaks (see ControlLoop.java):
// "heap" answers "heap USED RSS" after a full GC; the end of input stops the process.
'use strict';
const readline = require('node:readline');

function gc() {
  if (typeof Bun !== 'undefined') Bun.gc(true);
  else if (global.gc) global.gc();
}

module.exports = function control(onExit) {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === 'heap') {
      gc();
      const m = process.memoryUsage();
      process.stdout.write(`heap ${m.heapUsed} ${m.rss}\n`);
    }
  });
  rl.on('close', () => {
    if (onExit) onExit();
    process.exit(0);
  });
};

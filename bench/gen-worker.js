// Generates the benchmark file in its own wasm instance (a Worker has its own linear memory), so
// the ~2 × 58 MB the generator needs never count in the measured instance's memory.
import init, { generate } from './coop-atlas-bench.js';

self.onmessage = async (e) => {
  try {
    await init({ module_or_path: new URL('./coop-atlas-bench_bg.wasm', import.meta.url) });
    const bytes = generate(e.data.rows, e.data.seed);
    self.postMessage({ bytes }, [bytes.buffer]);
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};

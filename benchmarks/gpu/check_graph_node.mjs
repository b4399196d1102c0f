// Independent check of the exported step graph in another ONNX Runtime build: the npm package onnxruntime-node
// (CPU), without .NET. Steps every REES46 session of the reference folder written by
// `MicroMoment.Benchmarks onnx-reference` in lockstep and compares each step with the C# batch model (1e-5).
//
//   npm install --ignore-scripts onnxruntime-node@1.30.0
//   node benchmarks/gpu/check_graph_node.mjs [benchmarks/gpu/input]
//
// Exit code 0 when it matches, 1 when it differs.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const folder = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'input');
const manifest = JSON.parse(readFileSync(join(folder, 'reference.json'), 'utf8'));
const floats = (name) => { const b = readFileSync(join(folder, name)); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
const lengthsBytes = readFileSync(join(folder, 'lengths.i32'));
const lengths = new Int32Array(lengthsBytes.buffer, lengthsBytes.byteOffset, lengthsBytes.byteLength / 4);
const inputs = floats('inputs.f32'), expected = floats('expected.f32'), final = floats('final_states.f32');
const d = manifest.inputSize, h = manifest.hiddenSize, stateSize = manifest.stateSize, n = lengths.length;
const offsets = new Int32Array(n);
for (let r = 1; r < n; r++) offsets[r] = offsets[r - 1] + lengths[r - 1];

const session = await ort.InferenceSession.create(join(folder, manifest.graph), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
let state = { h: new Float32Array(n * h), c: new Float32Array(n * h), a: new Float32Array(n * h), m: new Float32Array(n).fill(-Infinity), s: new Float32Array(n) };
let worst = 0, where = 'none';
const check = (what, want, got, scale = want) => {
  const dev = Math.abs(got - want) / Math.max(1, Math.abs(scale));
  if (!(dev <= worst)) { worst = Number.isNaN(dev) ? Infinity : dev; where = `${what}: expected ${want}, got ${got}`; }
};

const start = performance.now();
for (let t = 0; t < lengths[0]; t++) {
  let active = 0;
  while (active < n && lengths[active] > t) active++;
  const x = new Float32Array(active * d);
  for (let r = 0; r < active; r++) x.set(inputs.subarray((offsets[r] + t) * d, (offsets[r] + t + 1) * d), r * d);
  const feeds = {
    x: new ort.Tensor('float32', x, [active, d]),
    h: new ort.Tensor('float32', state.h.slice(0, active * h), [active, h]),
    c: new ort.Tensor('float32', state.c.slice(0, active * h), [active, h]),
    m: new ort.Tensor('float32', state.m.slice(0, active), [active]),
    s: new ort.Tensor('float32', state.s.slice(0, active), [active]),
    a: new ort.Tensor('float32', state.a.slice(0, active * h), [active, h]),
  };
  const out = await session.run(feeds);
  state.h.set(out.h_next.data); state.c.set(out.c_next.data); state.a.set(out.a_next.data);
  state.m.set(out.m_next.data); state.s.set(out.s_next.data);
  for (let r = 0; r < active; r++) {
    const at = (offsets[r] + t) * 3;
    check(`buy logit at step ${t}`, expected[at], out.buy_logit.data[r]);
    check(`exit logit at step ${t}`, expected[at + 1], out.exit_logit.data[r]);
    check(`attention score at step ${t}`, expected[at + 2], out.attention_score.data[r]);
  }
}
for (let r = 0; r < n; r++) {
  const s = final[r * stateSize + 3 * h + 1];
  for (let j = 0; j < h; j++) {
    check('final h', final[r * stateSize + j], state.h[r * h + j]);
    check('final c', final[r * stateSize + h + j], state.c[r * h + j]);
    check('final a (scale s)', final[r * stateSize + 2 * h + j], state.a[r * h + j], s);
  }
  check('final m', final[r * stateSize + 3 * h], state.m[r]);
  check('final s', s, state.s[r]);
}
const ok = worst <= 1e-5;
console.log(`onnxruntime-node (CPU): ${lengths.reduce((x, y) => x + y, 0)} steps of ${n} sessions in ${((performance.now() - start) / 1000).toFixed(1)} s; `
  + `largest deviation from C# ${worst.toExponential(2)} (${where}): ${ok ? 'PASS' : 'FAIL'} (tolerance 1e-5)`);
process.exit(ok ? 0 : 1);

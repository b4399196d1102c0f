#!/usr/bin/env python3
"""Checks MicroMoment's exported step graph outside .NET and measures it on a GPU.

Reads the folder written by `MicroMoment.Benchmarks onnx-reference` (the graph, its sidecar, the REES46 sample's
sessions as model inputs and the C# batch model's outputs) and:

1. reimplements the graph's arithmetic in PyTorch from the graph's own weights (read from step.onnx with a small
   protobuf reader, so the `onnx` package is not needed) and steps every session on the chosen device, in lockstep,
   comparing every step with the C# outputs (1e-5);
2. runs the graph itself with the Python onnxruntime on every execution provider it offers (CPU; CUDA where the
   package has it) and compares the same way;
3. sweeps steps/s at batch 1, 16, 256, 4,096: PyTorch on the device, and onnxruntime per provider.

Exit code 0 when every comparison that ran passed, 1 when one failed. Nothing here needs .NET.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np

TOLERANCE = 1e-5


# --- a minimal protobuf reader for the fields of ONNX the step graph uses ---------------------------------------

def _varint(buf, i):
    value, shift = 0, 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def _fields(buf):
    """Yields (field number, wire type, value) of one message: ints for varints, bytes for length-delimited."""
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            length, i = _varint(buf, i)
            value, i = buf[i:i + length], i + length
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _packed_varints(buf):
    out, i = [], 0
    while i < len(buf):
        v, i = _varint(buf, i)
        out.append(v if v < (1 << 63) else v - (1 << 64))
    return out


def read_initializers(path):
    """Name -> numpy array of every initializer in an ONNX file (float32 and int64, raw_data or typed fields)."""
    model = open(path, "rb").read()
    graph = next(v for n, w, v in _fields(model) if n == 7)
    tensors = {}
    for n, w, v in _fields(graph):
        if n != 5:
            continue
        dims, dtype, name, raw, floats, ints = [], None, None, None, [], []
        for tn, tw, tv in _fields(v):
            if tn == 1:
                dims.extend(_packed_varints(tv) if tw == 2 else [tv])
            elif tn == 2:
                dtype = tv
            elif tn == 8:
                name = tv.decode()
            elif tn == 9:
                raw = tv
            elif tn == 4:
                floats.extend(struct.unpack(f"<{len(tv) // 4}f", tv) if tw == 2 else struct.unpack("<f", tv))
            elif tn == 7:
                ints.extend(_packed_varints(tv) if tw == 2 else [tv])
        np_type = {1: np.float32, 7: np.int64}[dtype]
        data = np.frombuffer(raw, dtype=np.dtype(np_type).newbyteorder("<")) if raw is not None else np.array(floats or ints, dtype=np_type)
        tensors[name] = data.astype(np_type).reshape(dims)
    return tensors


# --- reference data ------------------------------------------------------------------------------------------------

def load_reference(folder):
    manifest = json.load(open(os.path.join(folder, "reference.json")))
    d, s, h = manifest["inputSize"], manifest["stateSize"], manifest["hiddenSize"]
    lengths = np.fromfile(os.path.join(folder, "lengths.i32"), dtype="<i4")
    inputs = np.fromfile(os.path.join(folder, "inputs.f32"), dtype="<f4").reshape(-1, d)
    expected = np.fromfile(os.path.join(folder, "expected.f32"), dtype="<f4").reshape(-1, 3)
    final = np.fromfile(os.path.join(folder, "final_states.f32"), dtype="<f4").reshape(-1, s)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    assert np.all(lengths[:-1] >= lengths[1:]), "sessions must be sorted longest first"
    return manifest, lengths, offsets, inputs, expected, final, d, h


class Deviation:
    def __init__(self):
        self.worst, self.where = 0.0, "none"

    def check(self, what, expected, actual, scale=None):
        scale = np.abs(expected) if scale is None else np.abs(scale)
        dev = np.abs(actual.astype(np.float64) - expected) / np.maximum(1.0, scale)
        dev = np.where(np.isnan(dev), np.inf, dev)
        k = int(np.argmax(dev))
        if dev.flat[k] > self.worst:
            self.worst = float(dev.flat[k])
            self.where = f"{what}: expected {float(np.asarray(expected).flat[k])!r}, got {float(np.asarray(actual).flat[k])!r}"

    def __str__(self):
        return f"{self.worst:.2e} ({self.where})"


def lockstep(reference, step, initial):
    """Steps every session in lockstep with `step(x, state) -> (state, buy, exit, score)` and compares with the C# outputs."""
    manifest, lengths, offsets, inputs, expected, final, d, h = reference
    n = len(lengths)
    state = initial(n)
    dev = Deviation()
    for t in range(int(lengths[0])):
        active = int(np.sum(lengths > t))
        rows = offsets[:active] + t
        x = inputs[rows]
        sub = {k: v[:active] for k, v in state.items()}
        new, buy, exit_, score = step(x, sub)
        for k in state:
            state[k][:active] = new[k]
        want = expected[rows]
        dev.check(f"buy logit at step {t}", want[:, 0], buy)
        dev.check(f"exit logit at step {t}", want[:, 1], exit_)
        dev.check(f"attention score at step {t}", want[:, 2], score)
    s_final = final[:, 3 * h + 1]
    dev.check("final h", final[:, :h], state["h"])
    dev.check("final c", final[:, h:2 * h], state["c"])
    dev.check("final a (scale s)", final[:, 2 * h:3 * h], state["a"], np.repeat(s_final[:, None], h, axis=1))
    dev.check("final m", final[:, 3 * h], state["m"])
    dev.check("final s", s_final, state["s"])
    return dev, int(lengths.sum()), n


def numpy_initial(h):
    return lambda n: {"h": np.zeros((n, h), np.float32), "c": np.zeros((n, h), np.float32), "a": np.zeros((n, h), np.float32),
                      "m": np.full(n, -np.inf, np.float32), "s": np.zeros(n, np.float32)}


# --- PyTorch reimplementation -------------------------------------------------------------------------------------

def torch_step_fn(weights, device):
    import torch
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    w = {k: torch.from_numpy(np.ascontiguousarray(v)).to(device) for k, v in weights.items() if v.dtype == np.float32}
    hidden = int(weights["gate_sizes"][0])

    def step(x, h, c, m, s, a):
        gates = torch.cat([x, h], 1) @ w["W_gates"].T + w["b_gates"]
        i, f, g, o = torch.split(gates, hidden, dim=1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c2 = f * c + i * g
        h2 = o * torch.tanh(c2)
        e = torch.tanh(h2 @ w["W_attention"].T + w["b_attention"]) @ w["v_attention"]
        m2 = torch.maximum(m, e)
        old, new = torch.exp(m - m2), torch.exp(e - m2)
        s2 = s * old + new
        a2 = a * old[:, None] + h2 * new[:, None]
        logits = torch.cat([a2 / s2[:, None], h2], 1) @ w["W_heads"].T + w["b_heads"]
        return h2, c2, m2, s2, a2, logits[:, 0], logits[:, 1], e

    return step


def torch_check(reference, weights, device):
    import torch
    step = torch_step_fn(weights, device)

    def run(x, st):
        t = lambda v: torch.from_numpy(np.ascontiguousarray(v)).to(device)
        with torch.inference_mode():
            h2, c2, m2, s2, a2, buy, exit_, e = step(t(x), t(st["h"]), t(st["c"]), t(st["m"]), t(st["s"]), t(st["a"]))
        n = lambda v: v.cpu().numpy()
        return {"h": n(h2), "c": n(c2), "m": n(m2), "s": n(s2), "a": n(a2)}, n(buy), n(exit_), n(e)

    return lockstep(reference, run, numpy_initial(reference[7]))


def torch_sweep(weights, device, batches, d, seconds):
    import torch
    step = torch_step_fn(weights, device)
    hidden = int(weights["gate_sizes"][0])
    results = []
    for b in batches:
        gen = torch.Generator().manual_seed(3)
        x = torch.rand((b, d), generator=gen).to(device)
        h = torch.zeros((b, hidden), device=device)
        c, a = torch.zeros_like(h), torch.zeros_like(h)
        m = torch.full((b,), float("-inf"), device=device)
        s = torch.zeros((b,), device=device)
        sync = (lambda: torch.cuda.synchronize()) if str(device).startswith("cuda") else (lambda: None)
        with torch.inference_mode():
            for _ in range(10):
                h, c, m, s, a, *_ = step(x, h, c, m, s, a)
            sync()
            calls, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                for _ in range(20):
                    h, c, m, s, a, *_ = step(x, h, c, m, s, a)
                calls += 20
                sync()
            elapsed = time.perf_counter() - start
        results.append((b, calls * b / elapsed))
    return results


# --- onnxruntime -----------------------------------------------------------------------------------------------------

def ort_session(graph, provider):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(graph, sess_options=options, providers=[provider])


def ort_check(reference, graph, provider):
    session = ort_session(graph, provider)
    names = ["h_next", "c_next", "m_next", "s_next", "a_next", "buy_logit", "exit_logit", "attention_score"]

    def run(x, st):
        out = session.run(names, {"x": x, "h": st["h"], "c": st["c"], "m": st["m"], "s": st["s"], "a": st["a"]})
        return {"h": out[0], "c": out[1], "m": out[2], "s": out[3], "a": out[4]}, out[5], out[6], out[7]

    return lockstep(reference, run, numpy_initial(reference[7]))


def ort_sweep(graph, provider, batches, d, h, seconds):
    session = ort_session(graph, provider)
    results = []
    for b in batches:
        rng = np.random.default_rng(3)
        feeds = {"x": rng.random((b, d), dtype=np.float32), "h": np.zeros((b, h), np.float32), "c": np.zeros((b, h), np.float32),
                 "m": np.full(b, -np.inf, np.float32), "s": np.zeros(b, np.float32), "a": np.zeros((b, h), np.float32)}
        for _ in range(5):
            session.run(None, feeds)
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            session.run(None, feeds)
            calls += 1
        results.append((b, calls * b / (time.perf_counter() - start)))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=os.path.join(os.path.dirname(__file__), "input"))
    parser.add_argument("--device", default="cuda", help="PyTorch device (cuda, cpu)")
    parser.add_argument("--batches", default="1,16,256,4096")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per sweep point")
    args = parser.parse_args()
    batches = [int(b) for b in args.batches.split(",")]

    reference = load_reference(args.input)
    manifest, d, h = reference[0], reference[6], reference[7]
    graph = os.path.join(args.input, manifest["graph"])
    weights = read_initializers(graph)
    sidecar = json.load(open(os.path.join(os.path.dirname(graph), "step.json")))
    print(f"graph: {graph} (IR {sidecar['irVersion']}, opset {sidecar['opsetVersion']}, D {d}, H {h}); "
          f"{manifest['sessions']} REES46 sessions, {manifest['events']} events")
    failed = False

    try:
        import onnx
        onnx.checker.check_model(onnx.load(graph), full_check=True)
        print(f"onnx {onnx.__version__} checker: the graph is valid ONNX")
    except ImportError:
        print("onnx package: not installed (checker skipped)")

    try:
        import torch
        device = args.device
        if device.startswith("cuda") and not torch.cuda.is_available():
            print(f"torch {torch.__version__}: CUDA not available, using the CPU")
            device = "cpu"
        name = torch.cuda.get_device_name(0) if device.startswith("cuda") else "cpu"
        start = time.perf_counter()
        dev, steps, sessions = torch_check(reference, weights, device)
        ok = dev.worst <= TOLERANCE
        failed |= not ok
        print(f"torch {torch.__version__} on {device} ({name}): {steps} steps of {sessions} sessions in {time.perf_counter() - start:.1f} s; "
              f"largest deviation from C# {dev}: {'PASS' if ok else 'FAIL'} (tolerance 1e-5)")
        for b, rate in torch_sweep(weights, device, batches, d, args.seconds):
            print(f"sweep torch-{device:<5} batch {b:>5}: {rate:>14,.0f} steps/s")
    except ImportError:
        print("torch: not installed (PyTorch check and sweep skipped)")

    try:
        import onnxruntime as ort
        providers = ort.get_available_providers()
        print(f"onnxruntime {ort.__version__}: providers {', '.join(providers)}")
        for provider in [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in providers]:
            start = time.perf_counter()
            dev, steps, sessions = ort_check(reference, graph, provider)
            ok = dev.worst <= TOLERANCE
            failed |= not ok
            print(f"onnxruntime {provider}: {steps} steps of {sessions} sessions in {time.perf_counter() - start:.1f} s; "
                  f"largest deviation from C# {dev}: {'PASS' if ok else 'FAIL'} (tolerance 1e-5)")
            for b, rate in ort_sweep(graph, provider, batches, d, h, args.seconds):
                print(f"sweep ort-{provider.replace('ExecutionProvider', '').lower():<5} batch {b:>5}: {rate:>14,.0f} steps/s (numpy in and out, one intra-op thread)")
    except ImportError:
        print("onnxruntime: not installed (graph run skipped)")

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

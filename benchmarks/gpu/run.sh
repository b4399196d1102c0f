#!/usr/bin/env bash
# Run on a machine with an NVIDIA GPU, from anywhere: checks the exported step graph and measures it there, and
# writes everything to ONE file, $OUT/gpu-results.txt (the device tool's $OUT) or benchmarks/gpu/results/gpu-results.txt.
#   1. C# (when the .NET SDK is on the machine, or a self-contained build is in benchmarks/gpu/publish): builds with
#      ONNX Runtime's CUDA natives, checks that the onnx-cuda backend starts (or prints why not), runs the REES46
#      equivalence check on onnx-cuda and onnx-cpu, and sweeps steps/s at batch 1, 16, 256, 4,096 for simd, onnx-cpu
#      and onnx-cuda.
#   2. Python: the graph's arithmetic reimplemented in PyTorch from the graph's weights, checked on the GPU against
#      the C# outputs, with a batch sweep; the graph itself on the Python onnxruntime's providers, checked and swept.
# Needs benchmarks/gpu/input from prepare.sh. Exit code 0 when every check that ran passed.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT_DIR="${OUT:-benchmarks/gpu/results}"
mkdir -p "$OUT_DIR"
R="$OUT_DIR/gpu-results.txt"
: > "$R"
log() { echo "$*" | tee -a "$R"; }
run() { echo "\$ $*" | tee -a "$R"; "$@" 2>&1 | tee -a "$R"; return "${PIPESTATUS[0]}"; }
status=0
PY="${PYTHON:-python3}"

log "# MicroMoment GPU check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(nproc) cores"
run nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || log "nvidia-smi: not available"
if [ ! -f benchmarks/gpu/input/reference.json ]; then
  log "benchmarks/gpu/input/reference.json is missing: run benchmarks/gpu/prepare.sh on a development machine and bring the folder along."
  exit 2
fi

# ONNX Runtime 1.32's CUDA provider needs the CUDA 13 runtime, cuBLAS, cuRAND and cuDNN 9: use the copies that
# PyTorch's CUDA wheels install, when they are there.
if command -v "$PY" >/dev/null; then
  NV_LIBS="$("$PY" - <<'PYEOF' 2>/dev/null
import glob, os, site
paths = site.getsitepackages() + [site.getusersitepackages()]
print(":".join(sorted({d for p in paths for d in glob.glob(os.path.join(p, "nvidia", "*", "lib")) + glob.glob(os.path.join(p, "nvidia", "cu*", "lib"))})))
PYEOF
)"
  if [ -n "$NV_LIBS" ]; then export LD_LIBRARY_PATH="${NV_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; log "CUDA libraries from the Python wheels: $NV_LIBS"; fi
fi

BENCH=()
if command -v dotnet >/dev/null; then
  if run dotnet build benchmarks/MicroMoment.Benchmarks -c Release -p:OnnxRuntimeNatives=gpu; then
    BENCH=(dotnet artifacts/bin/MicroMoment.Benchmarks/release/MicroMoment.Benchmarks.dll)
  else
    status=1
  fi
elif [ -x benchmarks/gpu/publish/MicroMoment.Benchmarks ]; then
  BENCH=(benchmarks/gpu/publish/MicroMoment.Benchmarks)
else
  log "C#: not run: this machine has no .NET SDK and benchmarks/gpu/publish holds no self-contained build (ONNX Runtime's CUDA natives are about 330 MB, more than a 64 MiB carry)."
fi
if [ "${#BENCH[@]}" -gt 0 ]; then
  run "${BENCH[@]}" onnx-check --backend onnx-cuda --input benchmarks/gpu/input || status=1
  run "${BENCH[@]}" onnx-check --backend onnx-cpu --input benchmarks/gpu/input || status=1
  run "${BENCH[@]}" onnx-sweep --backends simd,onnx-cpu,onnx-cuda --batches 1,16,256,4096 --rounds 5
fi

if command -v "$PY" >/dev/null; then
  run "$PY" benchmarks/gpu/check_graph.py --input benchmarks/gpu/input --device cuda --seconds 1 || status=1
else
  log "Python: not run ($PY not found)"
fi
log "# exit status $status"
exit "$status"

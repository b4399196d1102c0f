#!/usr/bin/env bash
# Run on a development machine (the .NET SDK and the shared data folder beside the repository): exports the bundled
# model's step graph and the REES46 reference into benchmarks/gpu/input (ignored by git: it is derived from the
# data; pass it to the GPU machine with the device tool's `carry`). With --publish, also writes a self-contained
# linux-x64 build with ONNX Runtime's CUDA natives into benchmarks/gpu/publish and prints its size.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build benchmarks/MicroMoment.Benchmarks -c Release -p:OnnxRuntimeNatives=gpu
dotnet artifacts/bin/MicroMoment.Benchmarks/release/MicroMoment.Benchmarks.dll onnx-reference --out benchmarks/gpu/input
du -sh benchmarks/gpu/input
if [ "${1:-}" = "--publish" ]; then
  dotnet publish benchmarks/MicroMoment.Benchmarks -c Release -r linux-x64 --self-contained -p:OnnxRuntimeNatives=gpu -o benchmarks/gpu/publish
  du -sh benchmarks/gpu/publish
  echo "The publish holds libonnxruntime_providers_cuda.so (about 290 MB, 230 MB gzipped): copy it to the GPU machine by other means than a 64 MiB carry."
fi

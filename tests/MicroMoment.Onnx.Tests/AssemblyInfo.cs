// The ONNX tests share one ONNX Runtime environment in the process; the allocation test counts every byte its thread
// allocates, and once measured 2,840 bytes in a full run with other ONNX tests beside it (cause not confirmed). They run
// one at a time (about ten seconds in all).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

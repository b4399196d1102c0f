namespace MicroMoment.Onnx;

/// <summary>Where ONNX Runtime runs the step graph.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU execution provider (runs wherever its native library loads).</summary>
    Cpu,

    /// <summary>ONNX Runtime's CUDA execution provider (an NVIDIA GPU, its driver and the CUDA libraries).</summary>
    Cuda,
}

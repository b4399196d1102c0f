namespace MicroMoment.Model;

/// <summary>Instruction-set path of <see cref="GemmKernel"/>; <see cref="Auto"/> picks the widest accelerated one.</summary>
internal enum GemmPath
{
    /// <summary>Widest hardware-accelerated path.</summary>
    Auto,

    /// <summary>512-bit vectors (6 × 32 register block), falling back to 256-bit for column remainders.</summary>
    Vector512,

    /// <summary>256-bit vectors (6 × 16 register block).</summary>
    Vector256,

    /// <summary>Plain scalar loops.</summary>
    Scalar,
}

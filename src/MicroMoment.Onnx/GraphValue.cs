namespace MicroMoment.Onnx;

/// <summary>A float32 graph input or output: its name and dimensions (−1 for the dynamic batch dimension).</summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="Dimensions">Its dimensions; −1 is the batch.</param>
public sealed record GraphValue(string Name, long[] Dimensions)
{
    /// <summary>The shape as text, e.g. [batch, 64].</summary>
    public string ShapeText => "[" + string.Join(", ", Dimensions.Select(d => d < 0 ? StepGraph.BatchDimension : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

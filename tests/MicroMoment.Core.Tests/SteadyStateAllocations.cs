namespace MicroMoment.Tests;

/// <summary>
/// Measures managed bytes a loop allocates on the calling thread once warm. The runtime itself may allocate on the
/// thread while it promotes freshly compiled methods to optimised code (more likely on a loaded machine), so the
/// loop is measured in a few windows and the quietest one counts: an allocation made per call shows in every window.
/// </summary>
internal static class SteadyStateAllocations
{
    /// <summary>Bytes allocated by the least-allocating of <paramref name="windows"/> runs of <paramref name="iterations"/> calls.</summary>
    public static long Measure(Action<int> body, int iterations, int windows = 4)
    {
        long least = long.MaxValue;
        for (int w = 0; w < windows && least > 0; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++) body(i);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}

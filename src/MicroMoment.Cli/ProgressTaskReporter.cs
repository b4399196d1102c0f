using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Sets a progress bar's value straight from whichever thread reports (Progress&lt;T&gt; would post to a context).</summary>
internal sealed class ProgressTaskReporter(ProgressTask task) : IProgress<long>
{
    public void Report(long value) => task.Value = value;
}

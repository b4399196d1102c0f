using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Shows pipeline progress as one Spectre.Console bar per unit of work.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgress<PipelineProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Report(PipelineProgress value)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(value.Task, out var task))
            {
                task = context.AddTask(Markup.Escape(value.Task), maxValue: 1.0);
                _tasks[value.Task] = task;
            }
            task.Description = Markup.Escape($"{value.Task}: {value.Stage}");
            task.Value = Math.Clamp(value.Fraction, 0, 1);
            if (value.Fraction >= 1) task.StopTask();
        }
    }

    /// <summary>Runs <paramref name="work"/> under a progress display.</summary>
    public static T Run<T>(IAnsiConsole console, Func<IProgress<PipelineProgress>, T> work) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => work(new SpectreProgress(ctx)));
}

using MicroMoment.Grains;

namespace MicroMoment.Silo;

/// <summary>
/// Hands what this silo's grains counted for experiments to the experiment counter grain about once a second, and once
/// more when the silo stops (before its grains go). A hand-over that fails puts the counts back for the next one.
/// </summary>
internal sealed class ExperimentCountFlusher(SiloContext context, IGrainFactory grains, Microsoft.Extensions.Logging.ILogger<ExperimentCountFlusher> log) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How often counts are handed over.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ExperimentCountFlusher), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Hands the counts over now; returns when the grain stored them.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rows = context.Ledger.TakeAll();
            if (rows.Count == 0) return;
            try
            {
                var delta = rows.Select(r => new ExperimentCount(r.Experiment, r.Variant, r.Metric, r.Value)).ToArray();
                await grains.GetGrain<IExperimentCounterGrain>(IExperimentCounterGrain.Key).AddAsync(delta).ConfigureAwait(false);
            }
            catch (Exception)
            {
                foreach (var (experiment, variant, metric, value) in rows)
                {
                    if (Enum.TryParse<Triggers.ExperimentMetric>(metric, out var m)) context.Ledger.Count(experiment, variant, m, value);
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SiloLog.ExperimentCountsLost(log, ex.Message);
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await FlushAsync(stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SiloLog.ExperimentCountsDeferred(log, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

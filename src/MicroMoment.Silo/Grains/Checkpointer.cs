using MicroMoment.Silo.Monitoring;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// Writes one grain's <see cref="IPersistentState{T}"/> as the silo's <see cref="Durability"/> says: after every change
/// (<see cref="Durability.EveryEvent"/>), or at checkpoints: once <see cref="SiloOptions.CheckpointEvents"/> changes are
/// unwritten, at most <see cref="SiloOptions.CheckpointInterval"/> after the first unwritten change (a one-shot grain
/// timer, re-armed only while the grain is dirty), and on deactivation. Runs on the grain's turns only.
/// </summary>
internal sealed class Checkpointer<T>
{
    private readonly Grain _grain;
    private readonly IPersistentState<T> _state;
    private readonly SiloContext _context;
    private readonly string _what;
    private IGrainTimer? _timer;
    private int _unwritten;
    private bool _armed;

    /// <summary>Creates the checkpointer of <paramref name="grain"/>'s <paramref name="state"/>.</summary>
    public Checkpointer(Grain grain, IPersistentState<T> state, SiloContext context, string what)
    {
        _grain = grain;
        _state = state;
        _context = context;
        _what = what;
    }

    /// <summary>Changes not yet written.</summary>
    public int Unwritten => _unwritten;

    /// <summary>
    /// Records <paramref name="changes"/> changes and writes now when the durability asks for it. Throws when a write
    /// that had to happen now failed (every-event durability: the caller must not acknowledge).
    /// </summary>
    public ValueTask ChangedAsync(int changes = 1)
    {
        if (changes <= 0 || !_context.Persistent) return ValueTask.CompletedTask;
        _unwritten += changes;
        var options = _context.Options;
        if (options.Durability == Durability.EveryEvent || _unwritten >= options.CheckpointEvents) return new ValueTask(WriteAsync());
        if (!_armed)
        {
            _timer ??= _grain.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
            _timer.Change(options.CheckpointInterval, Timeout.InfiniteTimeSpan);
            _armed = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the state now if anything is unwritten (deactivation, consent changes, shutdown).</summary>
    public Task FlushAsync() => _unwritten > 0 && _context.Persistent ? WriteAsync() : Task.CompletedTask;

    /// <summary>Forgets unwritten changes (after the state was cleared in storage).</summary>
    public void Reset()
    {
        _unwritten = 0;
        Disarm();
    }

    /// <summary>Writes the state now, whatever the count.</summary>
    public async Task WriteAsync()
    {
        _context.RecordWriteStart();
        try
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _context.Counters.WriteFailures);
            _context.RecordWriteFailure(ex);
            SiloLog.StateWriteFailed(_context.Logger, _what, ex.GetType().Name, ex.Message, _unwritten);
            throw;
        }
        finally
        {
            _context.RecordWriteEnd();
        }

        Interlocked.Increment(ref _context.Counters.WritesCommitted);
        _context.RecordWriteSuccess();
        _unwritten = 0;
        Disarm();
    }

    private void Disarm()
    {
        if (!_armed) return;
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _armed = false;
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        _armed = false;
        if (_unwritten == 0) return;
        try
        {
            await WriteAsync().ConfigureAwait(true);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Counted and logged by WriteAsync; try again after another interval.
            _timer!.Change(_context.Options.CheckpointInterval, Timeout.InfiniteTimeSpan);
            _armed = true;
        }
    }
}

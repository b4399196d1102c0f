using System.Diagnostics;
using System.Threading.Tasks.Sources;
using MicroMoment.Model;

namespace MicroMoment.Silo.Execution;

/// <summary>
/// One shopper's step, reusable: the user grain owns one, writes the event's model input into <see cref="Input"/>,
/// points <see cref="State"/> at its network state and awaits <see cref="ModelExecutor.StepAsync"/>. The executor
/// reads both when it runs the batch and writes the new state back before the await completes. Awaiting it
/// allocates nothing of ours; at most one step may be outstanding per request.
/// </summary>
public sealed class StepRequest : IValueTaskSource<StepOutput>
{
    private ManualResetValueTaskSourceCore<StepOutput> _core = new() { RunContinuationsAsynchronously = true };
    private float[] _state;

    /// <summary>Creates a request for a model with <paramref name="inputSize"/> features and <paramref name="stateSize"/> state floats.</summary>
    public StepRequest(int inputSize, int stateSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        Input = new float[inputSize];
        _state = new float[stateSize];
    }

    /// <summary>The event's model input (D floats), written by the owner before each step.</summary>
    public float[] Input { get; }

    /// <summary>The network state the step advances in place (S floats): the owner's own array.</summary>
    public float[] State
    {
        get => _state;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != _state.Length)
                throw new ArgumentException($"A network state has {_state.Length} floats; got {value.Length}.", nameof(value));
            _state = value;
        }
    }

    /// <summary>The trace context of the step's span (default when the step is not traced); the batch span links to it.</summary>
    internal ActivityContext Trace { get; set; }

    /// <summary>The span id of the executor batch that ran this step's row (default when that batch was not traced).</summary>
    internal ActivitySpanId BatchSpan { get; set; }

    internal ValueTask<StepOutput> Begin()
    {
        BatchSpan = default;
        _core.Reset();
        return new ValueTask<StepOutput>(this, _core.Version);
    }

    internal void Succeed(StepOutput output) => _core.SetResult(output);

    internal void Fail(Exception error) => _core.SetException(error);

    /// <inheritdoc/>
    StepOutput IValueTaskSource<StepOutput>.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource<StepOutput>.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource<StepOutput>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

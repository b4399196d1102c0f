using System.Threading.Tasks.Sources;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// One queued write or clear of a grain state: what the writer loop needs to run it, and the awaitable its caller
/// waits on until the batch holding it has committed. Reused through a pool (reset after its result was taken).
/// </summary>
internal sealed class WriteOperation : IValueTaskSource<long>
{
    private ManualResetValueTaskSourceCore<long> _completion = new() { RunContinuationsAsynchronously = true };

    /// <summary>The grain's type (from its id).</summary>
    public string GrainType = "";

    /// <summary>The grain's key (from its id).</summary>
    public string GrainKey = "";

    /// <summary>The state's name on the grain.</summary>
    public string StateName = "";

    /// <summary>The version the caller's ETag names; 0 when it has none (it expects no stored row).</summary>
    public long ExpectedVersion;

    /// <summary>Delete the row instead of writing it.</summary>
    public bool IsClear;

    /// <summary>The serialized state (the first <see cref="StateLength"/> bytes), for a write.</summary>
    public byte[]? State;

    /// <summary>How many bytes of <see cref="State"/> are the state.</summary>
    public int StateLength;

    /// <summary>The checksum of the state bytes.</summary>
    public long Checksum;

    /// <summary>Set by the writer loop when the stored version does not match: the failure to report after commit.</summary>
    public Exception? Conflict;

    /// <summary>The token of the current use, for the <see cref="ValueTask{TResult}"/> handed to the caller.</summary>
    public short Token => _completion.Version;

    /// <summary>Completes the operation with the new version (0 for a clear).</summary>
    public void Succeed(long version) => _completion.SetResult(version);

    /// <summary>Fails the operation.</summary>
    public void Fail(Exception exception) => _completion.SetException(exception);

    /// <summary>Forgets this use so the object can be queued again.</summary>
    public void Reset()
    {
        _completion.Reset();
        GrainType = GrainKey = StateName = "";
        ExpectedVersion = 0;
        IsClear = false;
        State = null;
        StateLength = 0;
        Checksum = 0;
        Conflict = null;
    }

    /// <inheritdoc/>
    public long GetResult(short token) => _completion.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}

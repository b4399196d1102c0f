using System.Collections.Concurrent;
using MicroMoment.Silo;

namespace MicroMoment.Grains;

/// <summary>
/// Hands shoppers' event batches to their user grains so that each shopper's batches apply in the order they were handed
/// in: a batch goes out once the previous batch sent for the same shopper through this instance was answered. Orleans
/// does not keep the order of separate calls to one grain, and a shopper's events must apply in submission order.
/// Batches of different shoppers go out at once. Thread-safe.
/// </summary>
/// <param name="grains">Calls the user grains (a silo's or an Orleans client's grain factory).</param>
public sealed class OrderedIngest(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Task> _tails = new(StringComparer.Ordinal);

    /// <summary>Shoppers with a batch in flight through this instance.</summary>
    public int ShoppersInFlight => _tails.Count;

    /// <summary>Sends <paramref name="batch"/> to the user grain keyed <paramref name="key"/> after that shopper's previous batch was answered.</summary>
    /// <param name="key">The grain key (<see cref="GrainKeys.Of"/>).</param>
    /// <param name="batch">The shopper's events, in order.</param>
    /// <returns>The grain's answer, one outcome per event in order; faults as the grain call does.</returns>
    public Task<IngestOutcome[]> SendAsync(string key, EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(batch);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? previous = null;
        _tails.AddOrUpdate(key, done.Task, (_, tail) =>
        {
            previous = tail;
            return done.Task;
        });
        var grain = grains.GetGrain<IUserGrain>(key);
        Task<IngestOutcome[]> call;
        try
        {
            call = previous is null || previous.IsCompleted ? grain.IngestAsync(batch) : AfterAsync(previous, grain, batch);
        }
        catch (Exception ex)
        {
            // A call that throws before it returns a task (a client that is not connected) must not hold up the shopper's next batch.
            call = Task.FromException<IngestOutcome[]>(ex);
        }

        _ = call.ContinueWith(
            static (_, state) =>
            {
                var (tails, key, done) = ((ConcurrentDictionary<string, Task>, string, TaskCompletionSource))state!;
                done.SetResult();
                tails.TryRemove(KeyValuePair.Create(key, done.Task));
            },
            (_tails, key, done),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return call;

        static async Task<IngestOutcome[]> AfterAsync(Task previous, IUserGrain grain, EventBatch batch)
        {
            await previous.ConfigureAwait(false);
            return await grain.IngestAsync(batch).ConfigureAwait(false);
        }
    }
}

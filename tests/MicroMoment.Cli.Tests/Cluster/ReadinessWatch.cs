using System.Diagnostics;
using System.Net;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Polls <c>/readyz</c> of some processes every 250 ms until disposed and records each change of answer (time on
/// <paramref name="clock"/>, status, the reason of a 503, or the exception when none came within 2 s).
/// </summary>
internal sealed class ReadinessWatch : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly Stopwatch _clock;
    private readonly List<(double At, string Name, string Answer)> _changes = [];

    public ReadinessWatch(Stopwatch clock, IReadOnlyList<(string Name, Uri Http)> targets)
    {
        _clock = clock;
        _polling = Task.WhenAll(targets.Select(t => PollAsync(t.Name, t.Http)));
    }

    /// <summary>The changes so far: when, whose, and the new answer ("200", "503 reason", "timeout", …).</summary>
    public List<(double At, string Name, string Answer)> Changes
    {
        get
        {
            lock (_changes) return [.. _changes];
        }
    }

    /// <summary>The changes, one line each, for the test's output.</summary>
    public string Describe() => string.Join("\n", Changes.Select(c => $"  {c.At,7:0.00}s {c.Name}: {c.Answer}"));

    private async Task PollAsync(string name, Uri root)
    {
        string? last = null;
        while (!_stop.IsCancellationRequested)
        {
            string answer;
            try
            {
                using var response = await _http.GetAsync(new Uri(root, "readyz"), _stop.Token);
                answer = response.StatusCode == HttpStatusCode.OK
                    ? "200"
                    : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token)}";
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answer = ex is TaskCanceledException ? "no answer within 2 s" : ex.GetType().Name + ": " + ex.Message;
            }

            // A change of status counts (a 503's reason may carry a changing number: the first one is kept).
            if (answer[..Math.Min(3, answer.Length)] != last?[..Math.Min(3, last.Length)])
            {
                lock (_changes) _changes.Add((_clock.Elapsed.TotalSeconds, name, answer));
                last = answer;
            }

            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _http.Dispose();
        _stop.Dispose();
    }
}

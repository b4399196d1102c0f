using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Sits in a client's HttpClient and records every answer to <c>POST /v1/events</c> as the client saw it: HTTP status
/// (or the exception when there was none), whether a 503 said <c>Retry-After</c>, the time on <see cref="Clock"/>, and the
/// body of the first answers that were neither 200 nor 503 (for failure messages).
/// </summary>
internal sealed class AnswerLog(Stopwatch clock) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<(double At, string Answer)> _answers = new();

    /// <summary>The clock answers are timed on (the replay's).</summary>
    public Stopwatch Clock { get; } = clock;

    /// <summary>503 answers without a Retry-After header.</summary>
    public int WithoutRetryAfter => _withoutRetryAfter;

    /// <summary>Status and body of the first 5 answers that were neither 200 nor 503.</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    private int _withoutRetryAfter;

    /// <summary>Answers ("200", "503", "HttpRequestException", …) counted, between <paramref name="from"/> and <paramref name="to"/> seconds.</summary>
    public Dictionary<string, int> Counts(double from = 0, double to = double.MaxValue) =>
        _answers.Where(a => a.At >= from && a.At < to).GroupBy(a => a.Answer).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The time of the first answer other than 200 at or after <paramref name="from"/>; NaN when none.</summary>
    public double FirstNotOkAfter(double from) =>
        _answers.Where(a => a.At >= from && a.Answer != "200").Select(a => a.At).DefaultIfEmpty(double.NaN).Min();

    /// <summary>The time of the last answer other than 200; NaN when none.</summary>
    public double LastNotOk() => _answers.Where(a => a.Answer != "200").Select(a => a.At).DefaultIfEmpty(double.NaN).Max();

    /// <summary>All answers, "answer: count" in order of count.</summary>
    public static string Describe(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key}: {c.Value}"));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        bool events = request.RequestUri?.AbsolutePath.EndsWith("/v1/events", StringComparison.Ordinal) == true;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (events)
        {
            _answers.Enqueue((Clock.Elapsed.TotalSeconds, ex.GetType().Name));
            throw;
        }

        if (!events) return response;
        _answers.Enqueue((Clock.Elapsed.TotalSeconds, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null) Interlocked.Increment(ref _withoutRetryAfter);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable) && Unexpected.Count < 5)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            Unexpected.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return response;
    }
}

using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class PolicyReloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>A policy whose one buy rule fires on every event (threshold 1e-6, no cooldown, up to 100 offers per session).</summary>
    internal static string EveryEvent(string version, string extra = "") => $"""
        version: {version}
        maxOffersPerSession: 100
        {extra}
        rules:
          - name: always
            intent: buy
            offer: recommendation
            thresholds: {"{"} default: 0.000001 {"}"}
        """;

    private static async Task<T> WaitFor<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value)) return value;
            if (clock.Elapsed > Bound) throw new TimeoutException($"Waited {Bound.TotalSeconds} s for {what}; last value: {value}.");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Replaces the watched file in one step (written beside it, then renamed over it), as a deployment would: a file
    /// rewritten in place can be read half-written by the watcher, which then rightly records a failed reload the test
    /// did not mean to cause.
    /// </summary>
    private static void Replace(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A silo on the policy file whose log entries <paramref name="log"/> collects.</summary>
    private static Task<EmbeddedSilo> StartAsync(string path, FakeLogCollector log) =>
        EmbeddedSilo.StartAsync(BundledModel, Options(path), configure: silo => silo.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(log))));

    private static SiloOptions Options(string path) => new() { PolicyPath = path, PolicyPollInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task ChangedPolicyFileIsSwappedInAndTheNextOffersCarryItsVersion()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, EveryEvent("v1"));
        var log = new FakeLogCollector();
        await using var silo = await StartAsync(path, log);

        var before = (await silo.IngestAsync([Event("ann", 0)]))[0];
        Assert.Equal("v1", before.Decision!.Offer!.PolicyVersion);
        Assert.Equal("v1", silo.GetStatistics().Policy!.Version);
        Assert.True(silo.PolicyStatus.Watching);

        Replace(path, EveryEvent("v2"));
        var status = await WaitFor(() => silo.PolicyStatus, s => s.Version == "v2", "version v2");

        var after = (await silo.IngestAsync([Event("ann", 1), Event("bob", 1)]));
        Assert.All(after, o => Assert.Equal("v2", o.Decision!.Offer!.PolicyVersion));
        Assert.Equal(1, status.Reloads);
        Assert.Equal(0, status.ReloadFailures);
        Assert.Null(status.LastError);
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(status.Source));
        Assert.Equal("always", Assert.Single(status.Rules).Name);
        var reloaded = Assert.Single(log.GetSnapshot(), r => r.Id.Id == 1000);
        Assert.Equal(LogLevel.Information, reloaded.Level);
        Assert.Contains("reloaded version v2 (was v1)", reloaded.Message, StringComparison.Ordinal);
        Assert.Equal("v2", reloaded.GetStructuredStateValue("Version"));
    }

    [Fact]
    public async Task InvalidPolicyFileKeepsTheRunningPolicyAndReportsThePathNamedError()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, EveryEvent("v1"));
        var log = new FakeLogCollector();
        await using var silo = await StartAsync(path, log);

        Replace(path, EveryEvent("v2").Replace("intent: buy", "intent: maybe", StringComparison.Ordinal));
        var status = await WaitFor(() => silo.PolicyStatus, s => s.ReloadFailures == 1, "a recorded reload failure");

        Assert.Equal("v1", status.Version);
        Assert.Equal(0, status.Reloads);
        Assert.Contains(path, status.LastError);
        Assert.Contains("rules[0].intent", status.LastError);
        Assert.NotNull(status.LastErrorAt);
        Assert.Equal("v1", (await silo.IngestAsync([Event("cat", 0)]))[0].Decision!.Offer!.PolicyVersion);
        var failed = Assert.Single(log.GetSnapshot(), r => r.Id.Id == 1001);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal("MicroMoment.Silo.PolicyWatcher", failed.Category);
        Assert.Contains("rules[0].intent", failed.Message, StringComparison.Ordinal);
        Assert.Equal("v1", failed.GetStructuredStateValue("Version"));

        // The same broken content is not counted again on the next check; a fixed file goes in and clears the error.
        Assert.False(silo.ReloadPolicy());
        Assert.Equal(1, silo.PolicyStatus.ReloadFailures);
        Replace(path, EveryEvent("v3"));
        status = await WaitFor(() => silo.PolicyStatus, s => s.Version == "v3", "version v3");
        Assert.Null(status.LastError);
        Assert.Equal(1, status.Reloads);
        Assert.Equal("v3", (await silo.IngestAsync([Event("cat", 1)]))[0].Decision!.Offer!.PolicyVersion);
    }

    /// <summary>
    /// Text that made the YAML parser throw something other than a YAML error (an unclosed bracket across lines, a
    /// complex key) or that expands without bound (an alias bomb), written while the silo runs: the watcher's timer
    /// must record it with its line and keep the running policy, and the silo must keep taking events.
    /// </summary>
    [Theory]
    [InlineData("version: v2\nrules:\n  - name: [unclosed\n  - name: b\n", 3)]
    [InlineData("version: v2\n? [a, b]\n: 1\n", 2)]
    [InlineData("bomb", 6)]
    public async Task PolicyFileThatBreaksTheParserKeepsTheRunningPolicyAndTheSiloServing(string text, int line)
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, EveryEvent("v1"));
        var log = new FakeLogCollector();
        await using var silo = await StartAsync(path, log);
        Assert.Equal(IngestStatus.Accepted, (await silo.IngestAsync([Event("eve", 0)]))[0].Status);

        Replace(path, text == "bomb" ? Triggers.PolicyParserHardeningTests.AliasBomb(levels: 7, fanOut: 10) : text);
        var status = await WaitFor(() => silo.PolicyStatus, s => s.ReloadFailures == 1, "a recorded reload failure");

        Assert.Equal("v1", status.Version);
        Assert.Contains(Path.GetFullPath(path), status.LastError);
        Assert.Contains($", line {line}", status.LastError);
        Assert.Contains(log.GetSnapshot(), r => r.Id.Id == 1001 && r.Message.Contains($", line {line}", StringComparison.Ordinal) && r.Message.Contains("v1 stays", StringComparison.Ordinal));
        var after = await silo.IngestAsync([Event("eve", 1), Event("fay", 1)]);
        Assert.All(after, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        Assert.All(after, o => Assert.Equal("v1", o.Decision!.Offer!.PolicyVersion));
    }

    [Fact]
    public async Task ChangedContentUnderTheRunningVersionIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.json");
        File.WriteAllText(path, """{ "version": "j1", "rules": [ { "name": "a", "intent": "buy", "offer": "popup", "thresholds": { "default": 0.5 } } ] }""");
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, Options(path));

        Replace(path, """{ "version": "j1", "rules": [ { "name": "a", "intent": "buy", "offer": "popup", "thresholds": { "default": 0.9 } } ] }""");
        var status = await WaitFor(() => silo.PolicyStatus, s => s.ReloadFailures == 1, "a recorded reload failure");
        Assert.Contains("version: is 'j1', the version of the running policy", status.LastError);
        Assert.Equal("j1", status.Version);
    }

    [Fact]
    public async Task DeletedPolicyFileKeepsTheRunningPolicyAndSaysTheFileCannotBeRead()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, EveryEvent("v1"));
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, Options(path));

        File.Delete(path);
        var status = await WaitFor(() => silo.PolicyStatus, s => s.ReloadFailures == 1, "a recorded reload failure");
        Assert.Contains("(file): cannot be read", status.LastError);
        Assert.Equal("v1", (await silo.IngestAsync([Event("dan", 0)]))[0].Decision!.Offer!.PolicyVersion);
    }

    [Fact]
    public async Task BuiltInPolicyIsReportedAsNotWatched()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var status = silo.GetStatistics().Policy!;
        Assert.Equal("built-in", status.Source);
        Assert.False(status.Watching);
        Assert.Null(status.ContentHash);
        Assert.False(silo.ReloadPolicy());
        Assert.Equal(3, status.Rules.Count);
    }
}

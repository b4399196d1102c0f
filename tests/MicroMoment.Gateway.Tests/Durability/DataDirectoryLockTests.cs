using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Cli;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>One serve per data directory: a second one stops before it touches anything the first one owns.</summary>
[Collection(ServeProcessCollection.Name)]
public sealed class DataDirectoryLockTests
{
    [Fact]
    public async Task ASecondServeOnTheSameDataDirectoryExitsAndTheFirstKeepsServing()
    {
        var data = Directory.CreateTempSubdirectory("mm-lock-");
        try
        {
            await using var first = await ServeProcess.StartAsync(data.FullName);
            using var http = first.Client();
            await SendAsync(http, "before", 5);

            var (code, stdout, stderr) = await ServeProcess.RunToExitAsync(data.FullName);

            string said = Flatten(stdout);
            Assert.Equal(ExitCodes.DataDirectoryInUse, code);
            Assert.Contains($"The data directory {data.FullName} is in use by process {first.ProcessId.ToString(CultureInfo.InvariantCulture)} on host {Environment.MachineName}", said);
            Assert.Contains(DataDirectoryLock.LockFileName, said);
            Assert.DoesNotContain("Gateway:", said); // it never listened
            Assert.DoesNotContain("   at ", stderr);

            // The first one still owns every partition: it takes events, keeps what it had, and stays ready.
            await SendAsync(http, "after", 5);
            var (response, view) = await Json.GetAsync(http, "/v1/users/lock-shopper");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(10, (long)view!["eventsApplied"]!);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_silo_ready"));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheLockIsExclusiveAndReleasedOnDispose()
    {
        var data = Directory.CreateTempSubdirectory("mm-lock-unit-");
        try
        {
            using (var held = DataDirectoryLock.Acquire(data.FullName))
            {
                var refused = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(data.FullName));
                Assert.Equal(Environment.ProcessId, refused.Owner!.ProcessId);
                Assert.Equal(data.FullName, refused.Directory);
            }

            using var again = DataDirectoryLock.Acquire(data.FullName);
            Assert.Equal(data.FullName, again.Directory);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task SendAsync(HttpClient http, string prefix, int count)
    {
        var body = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["eventId"] = $"{prefix}-{i}",
            ["userId"] = "lock-shopper",
            ["type"] = "view",
            ["productId"] = 1001 + i,
        })]);
        var (response, answer) = await Json.PostAsync(http, "/v1/events", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(count, (int)answer!["accepted"]!);
    }

    /// <summary>The console wraps long lines; the message is read as one.</summary>
    internal static string Flatten(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

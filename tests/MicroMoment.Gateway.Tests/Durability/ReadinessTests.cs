using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Silo;
using MicroMoment.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>/readyz is 200 only while the silo accepts every event.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task ReadinessFallsWhileStorageWritesFailAndComesBackWhenTheyWork()
    {
        var data = Directory.CreateTempSubdirectory("mm-ready-storage-");
        try
        {
            var options = new SiloOptions { DataDirectory = data.FullName, CheckpointInterval = TimeSpan.FromMilliseconds(100) };
            await using var gateway = await TestGateway.StartAsync(await EmbeddedSilo.StartAsync(BundledModel.Model, options));
            var silo = (EmbeddedSilo)gateway.Silo;
            await PostAsync(gateway, "storage-1");
            await silo.FlushAsync();
            await AssertReadyAsync(gateway);

            // The grains table goes away under the silo (a broken disk or a meddling tool looks the same to it).
            Execute(silo.StatePath!, "ALTER TABLE grain_state RENAME TO grains_elsewhere");
            await PostAsync(gateway, "storage-2");
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => silo.FlushAsync());
            Assert.Contains("no such table: grain_state", failure.ToString());
            var detail = await AssertNotReadyAsync(gateway);
            Assert.Contains("Writing grain state fails", detail);
            Assert.Equal(0, Dashboard.PrometheusText.Value(await gateway.Server.GetStringAsync("/metrics"), "micromoment_silo_ready"));

            Execute(silo.StatePath!, "ALTER TABLE grains_elsewhere RENAME TO grain_state");
            await WaitUntilAsync(async () => (await gateway.Anonymous.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
            await silo.FlushAsync();
            var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/ready-shopper");
            Assert.Equal(2, (long)view!["eventsApplied"]!);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReadinessFallsWhileAStateWriteHangsAndComesBackWhenItCompletes()
    {
        var data = Directory.CreateTempSubdirectory("mm-ready-stall-");
        try
        {
            var options = new SiloOptions { DataDirectory = data.FullName, Durability = MicroMoment.Silo.Durability.EveryEvent, WriteStallTimeout = TimeSpan.FromSeconds(1) };
            await using var gateway = await TestGateway.StartAsync(await EmbeddedSilo.StartAsync(BundledModel.Model, options));
            var silo = (EmbeddedSilo)gateway.Silo;
            await PostAsync(gateway, "stall-1");
            await AssertReadyAsync(gateway);

            // Another process holds the database's write lock: the silo's next write waits (an unresponsive store, not a failing one).
            Task<(HttpResponseMessage, JsonNode?)> pending;
            using (var holder = new SqliteConnection($"Data Source={silo.StatePath};Pooling=False;Default Timeout=30"))
            {
                holder.Open();
                using (var begin = holder.CreateCommand())
                {
                    begin.CommandText = "BEGIN EXCLUSIVE";
                    begin.ExecuteNonQuery();
                }

                pending = Json.PostAsync(gateway.Server, "/v1/events", Json.Event("ready-shopper", "stall-2").ToJsonString());
                await WaitUntilAsync(async () => (await gateway.Anonymous.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
                Assert.Contains("have not completed", await AssertNotReadyAsync(gateway));
                Assert.False(pending.IsCompleted, "the event is answered only once its state is written");
                using var commit = holder.CreateCommand();
                commit.CommandText = "COMMIT";
                commit.ExecuteNonQuery();
            }

            // Accepted once the write went through; on a loaded machine the writer may give up first (busy timeout 10 s)
            // and answer it overloaded: then the resend (same id) is taken. Never lost, never applied twice.
            var (response, answer) = await pending;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("overloaded", (string?)answer!["results"]![0]!["status"]);
                await WaitUntilAsync(async () => (await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("ready-shopper", "stall-2").ToJsonString())).Response.StatusCode == HttpStatusCode.OK);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("accepted", (string?)answer!["results"]![0]!["status"]);
            }

            await WaitUntilAsync(async () => (await gateway.Anonymous.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
            var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/ready-shopper");
            Assert.Equal(2, (long)view!["eventsApplied"]!);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReadinessFallsOnceTheSiloShutsDown()
    {
        var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, new SiloOptions { });
        await using var gateway = await TestGateway.StartAsync(silo);
        await AssertReadyAsync(gateway);

        await silo.DisposeAsync();

        Assert.Contains("shutting down", await AssertNotReadyAsync(gateway));
    }

    [Fact]
    public async Task ReadinessFallsOnceTheGatewayBeginsToStop()
    {
        await using var gateway = await TestGateway.StartAsync();

        var answer = Apis.HealthApi.Readyz(gateway.Silo, new StoppingLifetime()).Result;

        var problem = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(answer);
        Assert.Equal(503, problem.StatusCode);
        Assert.Contains("The gateway is shutting down", problem.ProblemDetails.Detail);
    }

    private static async Task PostAsync(TestGateway gateway, string eventId)
    {
        var (response, answer) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("ready-shopper", eventId).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("accepted", (string?)answer!["results"]![0]!["status"]);
    }

    private static async Task AssertReadyAsync(TestGateway gateway)
    {
        var (response, body) = await Json.GetAsync(gateway.Anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (string?)body!["status"]);
    }

    private static async Task<string> AssertNotReadyAsync(TestGateway gateway)
    {
        var (response, body) = await Json.GetAsync(gateway.Anonymous, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        return (string?)body!["detail"] ?? "";
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A host whose shutdown has begun (what ASP.NET Core signals between SIGTERM and the end of the drain).</summary>
    private sealed class StoppingLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => new(canceled: true);

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 30 s");
            await Task.Delay(50);
        }
    }
}

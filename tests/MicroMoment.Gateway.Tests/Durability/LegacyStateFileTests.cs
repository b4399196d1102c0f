using System.Net;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>
/// A data directory that still holds the state file of the silo runtime before Orleans: serve says it is not read, starts,
/// and leaves the old file as it was.
/// </summary>
[Collection(ServeProcessCollection.Name)]
public sealed class LegacyStateFileTests
{
    [Fact]
    public async Task ServeSaysTheOldStateFileIsNotReadAndLeavesItAlone()
    {
        var data = Directory.CreateTempSubdirectory("mm-legacy-");
        try
        {
            string legacy = Path.Combine(data.FullName, "silo-state.db");
            byte[] content = [.. "SQLite format 3\0"u8, .. new byte[4080]];
            await File.WriteAllBytesAsync(legacy, content);
            await using (var serve = await ServeProcess.StartAsync(data.FullName))
            {
                using var http = serve.Client();
                var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                string output = serve.StandardOutput.ReplaceLineEndings(" ");
                Assert.Contains("silo-state.db was written by a version before the Orleans silo and is not read", output, StringComparison.Ordinal);
            }

            Assert.Equal(content, await File.ReadAllBytesAsync(legacy));
            Assert.True(File.Exists(Path.Combine(data.FullName, "grains.db")), "serve did not create its own state file beside the old one");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}

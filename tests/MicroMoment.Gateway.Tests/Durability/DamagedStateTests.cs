using MicroMoment.Cli;
using MicroMoment.Events;
using MicroMoment.Silo;
using MicroMoment.Silo.Storage;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>
/// serve refuses a damaged state file with a message that names it and the way out, a documented exit code and no stack
/// trace, and leaves the file exactly as it was: it never starts "ready" over it and never starts empty in its place.
/// </summary>
[Collection(ServeProcessCollection.Name)]
public sealed class DamagedStateTests(DamagedStateTests.StateFileFixture state) : IClassFixture<DamagedStateTests.StateFileFixture>
{
    public enum Damage
    {
        RandomBytesMidFile,
        Truncated,
        BadHeader,
        ZeroBytes,
        ForeignDatabase,
    }

    [Theory]
    [InlineData(Damage.RandomBytesMidFile, "database disk image is malformed")]
    [InlineData(Damage.Truncated, "it was truncated")]
    [InlineData(Damage.BadHeader, "does not start with the SQLite header")]
    [InlineData(Damage.ZeroBytes, "the file is empty (0 bytes)")]
    [InlineData(Damage.ForeignDatabase, "a SQLite database of another kind")]
    public async Task ADamagedStateFileIsRefusedByNameAndLeftUntouched(Damage damage, string problem)
    {
        var data = Directory.CreateTempSubdirectory("mm-damaged-");
        try
        {
            string file = Path.Combine(data.FullName, SqliteGrainStorageOptions.DefaultFileName);
            File.Copy(state.PristineFile, file);
            Apply(damage, file);
            byte[] before = await File.ReadAllBytesAsync(file);

            var (code, stdout, stderr) = await ServeProcess.RunToExitAsync(data.FullName);

            string said = DataDirectoryLockTests.Flatten(stdout);
            Assert.True(code == ExitCodes.StateFileUnusable, $"exit code {code}, expected {ExitCodes.StateFileUnusable}\n{stdout}\n{stderr}");
            Assert.Contains("error: ", said);
            Assert.Contains($"'{file}'", said);
            Assert.True(said.Contains(problem, StringComparison.Ordinal), $"expected \"{problem}\" in: {said}");
            Assert.Contains("The file was left untouched.", said);
            Assert.Contains("Move it aside (keep it for inspection) and restore the latest backup to that path", said);
            Assert.DoesNotContain("Gateway:", said);
            Assert.DoesNotContain("   at ", stdout + stderr);
            Assert.DoesNotContain("Unhandled exception", stdout + stderr);
            Assert.Equal(before, await File.ReadAllBytesAsync(file));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheUndamagedFileTheseTestsStartFromOpensWithItsShoppers()
    {
        var data = Directory.CreateTempSubdirectory("mm-undamaged-");
        try
        {
            File.Copy(state.PristineFile, Path.Combine(data.FullName, SqliteGrainStorageOptions.DefaultFileName));
            await using var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, new SiloOptions { DataDirectory = data.FullName });
            var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, StateFileFixture.ShopperId(StateFileFixture.Shoppers / 2));
            Assert.Equal(StateFileFixture.EventsPerShopper, view!.EventsApplied);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static void Apply(Damage damage, string file)
    {
        long length = new FileInfo(file).Length;
        switch (damage)
        {
            case Damage.RandomBytesMidFile:
            {
                // A torn sector: 512 random bytes at the start of a page in the middle of the file.
                const int pageSize = 4096;
                var bytes = new byte[512];
                new Random(42).NextBytes(bytes);
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.Position = length / 2 / pageSize * pageSize;
                stream.Write(bytes);
                break;
            }

            case Damage.Truncated:
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.SetLength(length / 2 + 1000);
                break;
            }

            case Damage.BadHeader:
            {
                var bytes = new byte[100];
                new Random(7).NextBytes(bytes);
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
                stream.Write(bytes);
                break;
            }

            case Damage.ZeroBytes:
                File.WriteAllBytes(file, []);
                break;

            case Damage.ForeignDatabase:
            {
                File.Delete(file);
                using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders (total) VALUES (12.5), (99);";
                command.ExecuteNonQuery();
                break;
            }
        }
    }

    /// <summary>A state file of a few hundred shoppers, written once by a silo with serve's settings and stopped gracefully.</summary>
    public sealed class StateFileFixture : IAsyncLifetime
    {
        public const int Shoppers = 600;
        public const int EventsPerShopper = 4;

        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mm-pristine-");

        public string PristineFile => Path.Combine(_directory.FullName, SqliteGrainStorageOptions.DefaultFileName);

        public static string ShopperId(int shopper) => $"damage-shopper-{shopper}";

        public async Task InitializeAsync()
        {
            await using var silo = await EmbeddedSilo.StartAsync(BundledModel.Model, new SiloOptions { DataDirectory = _directory.FullName });
            var start = DateTime.UtcNow.AddHours(-1);
            var events = new List<ClickEvent>();
            for (int e = 0; e < EventsPerShopper; e++)
            {
                for (int u = 0; u < Shoppers; u++)
                {
                    events.Add(new ClickEvent(
                        ClickEvent.DefaultTenant, ShopperId(u), start.AddSeconds(e * 30 + u % 17), EventType.View,
                        1000 + e, 2001, "electronics.smartphone", "acme", 10 + e, EventId: $"damage-{u}-{e}"));
                }
            }

            var outcomes = await silo.IngestAsync(events);
            Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        }

        public Task DisposeAsync()
        {
            _directory.Delete(recursive: true);
            return Task.CompletedTask;
        }
    }
}

using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;

namespace MicroMoment.Silo.Tests;

/// <summary>The bundled model, the shared REES46 sample and small hand-made events.</summary>
public static class SiloTestData
{
    private static readonly Lazy<MicroMomentModel> LazyModel = new(() => MicroMomentModel.Load(Path.Combine(RepositoryRoot, "models", "default", "model.mmm")));
    private static readonly Lazy<ClickEvent[]> LazyRees46 = new(() => Rees46CsvReader.Read(Rees46HeadPath, new IngestReport()).ToArray());

    /// <summary>The start of hand-made sessions.</summary>
    public static readonly DateTime Start = new(2019, 10, 1, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>Where the silo clock of clock-driven tests starts (a <c>FakeTimeProvider</c> at 2019-10-01 12:00 UTC).</summary>
    public static readonly DateTimeOffset SiloNoon = new(2019, 10, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The bundled model (models/default/model.mmm), loaded once.</summary>
    public static MicroMomentModel BundledModel => LazyModel.Value;

    /// <summary>The REES46 head sample, in file order.</summary>
    public static ClickEvent[] Rees46 => LazyRees46.Value;

    /// <summary>The folder holding MicroMoment.Orleans.sln.</summary>
    public static string RepositoryRoot => MicroMoment.Testing.RepositoryLayout.Root;

    /// <summary>&lt;root&gt;/../shared/data/rees46/2019-Oct-head.csv.gz.</summary>
    public static string Rees46HeadPath => MicroMoment.Testing.RepositoryLayout.SharedData("rees46/2019-Oct-head.csv.gz", "the silo tests");

    /// <summary>A hand-made event of <paramref name="user"/> at <see cref="Start"/> plus <paramref name="minutes"/>.</summary>
    public static ClickEvent Event(
        string user, double minutes, EventType type = EventType.View, long product = 1001, float price = 25f, string? id = null,
        long category = 77, string tenant = ClickEvent.DefaultTenant) =>
        new(tenant, user, Start.AddMinutes(minutes), type, product, category, "electronics.phone", "acme", price, EventId: id);
}

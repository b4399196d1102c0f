namespace MicroMoment.Tests;

/// <summary>
/// Locates the shared real data sets (never copied into the repository): walks up from the test binaries to the
/// folder holding MicroMoment.Orleans.sln and resolves <c>&lt;root&gt;/../shared/data/...</c>.
/// </summary>
public static class TestData
{
    /// <summary>The shared data folder, <c>&lt;repository root&gt;/../shared/data</c>.</summary>
    public static string DataRoot => Resolve(string.Empty);

    /// <summary>The first 17,435 rows of REES46 2019-Oct.csv, gzip.</summary>
    public static string Rees46HeadPath => Resolve(Path.Combine("rees46", "2019-Oct-head.csv.gz"));

    /// <summary>The 100k-row YOOCHOOSE clicks subset prepared by session-rec (TSV SessionId, ItemId, Time), gzip.</summary>
    public static string YoochoosePath => Resolve(Path.Combine("yoochoose", "yoochoose-clicks-100k_train_full.txt.gz"));

    /// <summary>The folder holding MicroMoment.Orleans.sln, found by walking up from <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string RepositoryRoot => MicroMoment.Testing.RepositoryLayout.Root;

    private static string Resolve(string relative) => MicroMoment.Testing.RepositoryLayout.SharedData(relative, "the core tests");
}
